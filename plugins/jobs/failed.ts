// A Job the job controller gave up on: its pods failed more often than `backoffLimit` allows
// (BackoffLimitExceeded), or it ran past `activeDeadlineSeconds` (DeadlineExceeded). Nothing
// retries it any more, so the work it was meant to do is not done. The cause is in its failed
// pods: their exit codes and last log lines. A Job a CronJob created is reported on the
// CronJob, and only when its newest finished run failed: an old failure followed by a
// successful run is history, not a fault.
import type { CronJob, Job, JobCondition, Pod } from '../../src/model/k8s.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import type { Evidence, FixPlan } from '../../src/diagnose/types.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { clip, eventsEvidence, fieldEvidence, kubectlName, refOf } from '../../src/diagnose/evidence.js';
import { manualPlan, nsFlag } from '../../src/diagnose/plans.js';
import { podRef } from '../../src/diagnose/pod-facts.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';
import { exitCodeMeaning } from '../pods/lib/exit-codes.js';
import { conditionTrue, finished } from './lib/job-state.js';

const GIVE_UP_REASONS = new Set(['BackoffLimitExceeded', 'DeadlineExceeded']);
/** Failed pods quoted one by one; the rest are counted. */
const MAX_PODS = 3;
const LOG_LINES = 5;

/** One container that ended with a non-zero exit code. */
interface FailedContainer {
  pod: Pod;
  container: string;
  path: string;
  exitCode: number;
  reason: string | undefined;
  logLines: string[];
}

interface JobCase extends Case {
  job: Job;
  condition: JobCondition;
  conditionIndex: number;
  cronJob: CronJob | undefined;
  failed: FailedContainer[];
}

function givenUp(job: Job): { condition: JobCondition; index: number } | undefined {
  const conditions = Array.isArray(job.status?.conditions) ? job.status.conditions : [];
  const index = conditions.findIndex(
    (c) => c?.type === 'Failed' && c.status === 'True' && GIVE_UP_REASONS.has(c.reason ?? ''),
  );
  return index >= 0 ? { condition: conditions[index]!, index } : undefined;
}

function cronJobOf(snapshot: Snapshot, job: Job): CronJob | undefined {
  // List items carry no `kind`: recognise the owner by the list it came from.
  return snapshot.ownerChain(job).find((o): o is CronJob => snapshot.cronJobs.includes(o as CronJob));
}

/** The newest Job of a CronJob that has finished (Complete or Failed): the run that counts now. */
function newestFinished(snapshot: Snapshot, cronJob: CronJob): Job | undefined {
  const runs = (snapshot.childrenOf(cronJob) as Job[]).filter((j) => snapshot.jobs.includes(j) && finished(j));
  return runs.sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''))[0];
}

function failedContainers(snapshot: Snapshot, job: Job): FailedContainer[] {
  const pods = (snapshot.childrenOf(job) as Pod[]).filter((p) => p.status?.phase === 'Failed');
  pods.sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
  const out: FailedContainer[] = [];
  for (const pod of pods) {
    const statuses = Array.isArray(pod.status?.containerStatuses) ? pod.status.containerStatuses : [];
    statuses.forEach((cs, i) => {
      const terminated = cs?.state?.terminated;
      if (!terminated || typeof terminated.exitCode !== 'number' || terminated.exitCode === 0) return;
      const tail = snapshot.logTail(pod.metadata.namespace, pod.metadata.name, cs.name, false);
      out.push({
        pod,
        container: cs.name,
        path: `status.containerStatuses[${i}].state.terminated`,
        exitCode: terminated.exitCode,
        reason: terminated.reason,
        logLines: (tail?.lines ?? []).slice(-LOG_LINES),
      });
    });
  }
  return out;
}

function* classify(snapshot: Snapshot): Iterable<JobCase> {
  for (const job of snapshot.jobs) {
    if (!job?.metadata?.name || conditionTrue(job, 'Complete')) continue;
    const gaveUp = givenUp(job);
    if (!gaveUp) continue;
    const cronJob = cronJobOf(snapshot, job);
    if (cronJob && newestFinished(snapshot, cronJob) !== job) continue;
    const failed = failedContainers(snapshot, job);
    yield {
      subject: cronJob ? refOf(cronJob, 'CronJob') : refOf(job, 'Job'),
      objects: [refOf(job, 'Job'), ...[...new Set(failed.map((f) => f.pod))].map(podRef)],
      job,
      condition: gaveUp.condition,
      conditionIndex: gaveUp.index,
      cronJob,
      failed,
    };
  }
}

function exitText(f: FailedContainer): string {
  return `exit code ${f.exitCode}${f.reason ? ` (${f.reason})` : ''}`;
}

function explain(group: CaseGroup<JobCase>, ctx: { snapshot: Snapshot }): Explained {
  const { job, condition, conditionIndex, cronJob, failed } = group.lead;
  const ns = job.metadata.namespace;
  const jobName = `job/${job.metadata.name}`;
  const deadline = condition.reason === 'DeadlineExceeded';
  const codes = [...new Set(failed.map((f) => f.exitCode))];
  const who = cronJob ? `cronjob/${cronJob.metadata.name}: its last run ${jobName}` : jobName;
  const title = deadline
    ? `${who} ran past its deadline (activeDeadlineSeconds ${job.spec?.activeDeadlineSeconds ?? '?'}) and was stopped`
    : `${who} failed: its pods failed ${job.status?.failed ?? failed.length} time${(job.status?.failed ?? failed.length) === 1 ? '' : 's'}, over its backoff limit (${job.spec?.backoffLimit ?? 6})` +
      (codes.length > 0 ? ` — exit code ${codes.join(', ')}` : '');

  const evidence: Evidence[] = [
    fieldEvidence(
      job,
      `status.conditions[${conditionIndex}]`,
      `${condition.reason}: ${condition.message ?? ''}`.trim(),
    ),
  ];
  const giveUpEvents = ctx.snapshot
    .eventsFor('Job', ns, job.metadata.name)
    .filter((e) => e.reason === condition.reason);
  evidence.push(...eventsEvidence(giveUpEvents, 1));
  const quoted = failed.slice(0, MAX_PODS);
  for (const f of quoted) {
    evidence.push({ source: 'status', ref: podRef(f.pod), path: f.path, text: `${f.container}: ${exitText(f)}` });
    for (const line of f.logLines)
      evidence.push({ source: 'log', ref: podRef(f.pod), path: `containers.${f.container}`, text: clip(line, 500) });
  }
  if (failed.length > quoted.length)
    evidence.push({
      source: 'status',
      ref: refOf(job, 'Job'),
      text: `${failed.length - quoted.length} more failed containers`,
    });

  const parts: string[] = [];
  parts.push(
    deadline
      ? `The Job ${job.metadata.name} did not finish within spec.activeDeadlineSeconds (${job.spec?.activeDeadlineSeconds ?? '?'}s), so the job controller stopped its pods and marked it Failed.`
      : `The Job ${job.metadata.name} ran its pod, the pod failed, and the job controller retried it until the failures reached spec.backoffLimit (${job.spec?.backoffLimit ?? 6}); then it gave up and marked the Job Failed.`,
  );
  if (cronJob)
    parts.push(
      `CronJob ${cronJob.metadata.name} created this Job: it is its newest finished run, so the scheduled work is not being done.`,
    );
  parts.push('A failed Job is not retried again: nothing happens until you fix the cause and run it again.');
  if (codes.length > 0)
    parts.push(
      `Its containers ended with ${codes.map((c) => `exit code ${c}: ${exitCodeMeaning(c).long}`).join('; ')}.`,
    );
  else if (!deadline)
    parts.push(
      `Its failed pods are no longer there to read (deleted, or not readable), so kcockpit cannot quote their exit codes.`,
    );
  const withoutLogs = quoted.filter((f) => f.logLines.length === 0);
  if (quoted.length > 0 && withoutLogs.length > 0) {
    const first = withoutLogs[0]!;
    parts.push(
      `kcockpit has no log lines of ${withoutLogs.length === quoted.length ? 'these pods' : `pod ${first.pod.metadata.name}`}${ctx.snapshot.forbidden.has('pods/log') ? ' (you may not read pod logs)' : ''}; read them with \`kubectl logs ${first.pod.metadata.name} -c ${first.container}${nsFlag(ns)}\`.`,
    );
  }
  parts.push(
    deadline
      ? 'Make the work finish in time, or raise activeDeadlineSeconds if it legitimately needs longer, then run the Job again.'
      : 'Fix what makes the container fail (its last log lines say why), then run the Job again.',
  );

  return {
    severity: 'critical',
    title,
    explanation: parts.join(' '),
    evidence,
    // The failed pods' own findings (a crash, a missing Secret) are this failure's detail.
    explains: [refOf(job, 'Job'), ...quoted.map((f) => podRef(f.pod))],
  };
}

function plans(group: CaseGroup<JobCase>): FixPlan[] {
  const { job, cronJob, failed } = group.lead;
  const ns = job.metadata.namespace;
  const name = job.metadata.name;
  const commands = [`kubectl describe job ${name}${nsFlag(ns)}`];
  const first = failed[0];
  if (first) commands.push(`kubectl logs ${first.pod.metadata.name} -c ${first.container}${nsFlag(ns)}`);
  if (cronJob) {
    const cj = cronJob.metadata.name;
    commands.push(`kubectl create job ${cj}-manual --from=cronjob/${cj}${nsFlag(ns)}`);
    return [
      manualPlan({
        id: 'fix-and-rerun-cronjob',
        title: `Fix the cause, then run ${kubectlName(refOf(cronJob, 'CronJob'))} once by hand to check`,
        explanation: `Fix what makes the container fail in the CronJob's jobTemplate (\`kubectl edit cronjob ${cj}${nsFlag(ns)}\`): the next scheduled run uses it. \`kubectl create job --from=cronjob/${cj}\` starts one run now, so you need not wait for the schedule to see it work.`,
        commands,
      }),
    ];
  }
  commands.push(
    `kubectl get job ${name}${nsFlag(ns)} -o yaml > ${name}.yaml`,
    `kubectl replace --force -f ${name}.yaml`,
  );
  return [
    manualPlan({
      id: 'fix-and-rerun-job',
      title: `Fix the cause, then run ${kubectlName(refOf(job, 'Job'))} again`,
      explanation: `A Job's pod template cannot be changed and a failed Job does not restart, so running it again means replacing it: save it, fix the template (command, image, config), remove status and the generated selector labels, and replace it with --force (which deletes the old Job and its pods first).`,
      commands,
    }),
  ];
}

export const rule = defineRule<JobCase>({
  id: RULE_IDS.jobFailed,
  title: 'Jobs that failed: backoff limit or deadline exceeded',
  classify: (ctx) => classify(ctx.snapshot),
  explain,
  plans,
});
