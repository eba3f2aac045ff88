// A CronJob whose runs are skipped because its last run never ends. Under
// `concurrencyPolicy: Forbid` the CronJob controller starts no Job while one of the CronJob's
// Jobs is still active, and says so at each skipped start (`JobAlreadyActive`, a Normal event).
// A Job has no deadline unless its template sets `activeDeadlineSeconds`, so a run whose pod
// cannot start (an image that does not exist, a missing Secret) or that hangs stops the
// schedule for good, with nothing red on the CronJob itself.
//
// Reported when the run is stuck (no pod of it is running: Pending, or a container waiting
// in a back-off), or when it is running but has made the CronJob skip MIN_SKIPS_WHILE_RUNNING
// starts: one skipped start is what Forbid is for. The stuck pod's own finding (an image
// pull, a config error) is the cause and this one is listed under it.
import type { CronJob, Job, KubeEvent, Pod } from '../../src/model/k8s.js';
import { eventTime, type Snapshot } from '../../src/store/snapshot.js';
import type { Evidence, FixPlan, RuleContext } from '../../src/diagnose/types.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { eventsEvidence, fieldEvidence, kubectlName, refOf } from '../../src/diagnose/evidence.js';
import { manualPlan, nsFlag, shellQuote } from '../../src/diagnose/plans.js';
import { podRef } from '../../src/diagnose/pod-facts.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';
import { durationWords } from '../../src/util/duration.js';
import { finished } from './lib/job-state.js';

/** The CronJob controller's event for a start skipped under Forbid (pkg/controller/cronjob). */
const SKIPPED = 'JobAlreadyActive';
/** A running Job that has cost this many starts is more than a run a little longer than its interval. */
const MIN_SKIPS_WHILE_RUNNING = 3;
/** Pods quoted one by one. */
const MAX_PODS = 3;

/** Where a pod of the blocking Job is: running, or why not. */
interface PodState {
  pod: Pod;
  running: boolean;
  /** `Pending`, `Running`; with a waiting container, its name, reason and message. */
  text: string;
  /** A few words for the title: `ImagePullBackOff`, `Pending`. */
  short: string;
}

interface BlockedCase extends Case {
  cronJob: CronJob;
  job: Job;
  skips: KubeEvent[];
  skipped: number;
  pods: PodState[];
  stuck: boolean;
}

const time = (e: KubeEvent): number => Date.parse(eventTime(e));

function podState(pod: Pod): PodState {
  const phase = pod.status?.phase ?? 'Unknown';
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const waiting = statuses.find((s) => s?.state?.waiting?.reason);
  const w = waiting?.state?.waiting;
  const running = phase === 'Running' && !waiting;
  if (!w) return { pod, running, text: phase, short: phase };
  return {
    pod,
    running,
    text: `${phase}: container ${waiting.name} waiting, ${w.reason}${w.message ? ` (${w.message})` : ''}`,
    short: w.reason!,
  };
}

/** The CronJob's oldest Job that is still active, as status.active names them. */
function blockingJob(snapshot: Snapshot, cronJob: CronJob): Job | undefined {
  const ns = cronJob.metadata.namespace;
  const named = new Set((cronJob.status?.active ?? []).map((a) => a?.name));
  return snapshot.jobs
    .filter((j) => j.metadata.namespace === ns && named.has(j.metadata.name) && !finished(j))
    .sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''))[0];
}

function classifyOne(snapshot: Snapshot, cronJob: CronJob): BlockedCase | undefined {
  if (cronJob.spec?.concurrencyPolicy !== 'Forbid' || cronJob.spec?.suspend === true) return undefined;
  const { namespace, name } = cronJob.metadata;
  const events = snapshot.eventsFor('CronJob', namespace, name).filter((e) => e.reason === SKIPPED);
  if (events.length === 0) return undefined;
  const job = blockingJob(snapshot, cronJob);
  if (!job) return undefined;
  // Skips from before this Job was created were another run's.
  const created = Date.parse(job.metadata.creationTimestamp ?? '');
  const skips = events.filter((e) => time(e) >= created);
  if (skips.length === 0) return undefined;
  const skipped = skips.reduce((n, e) => n + (typeof e.count === 'number' && e.count > 0 ? e.count : 1), 0);
  const pods = (snapshot.childrenOf(job) as Pod[])
    .filter((p) => snapshot.pods.includes(p) && !p.metadata.deletionTimestamp)
    .map(podState);
  const stuck = !pods.some((p) => p.running);
  if (!stuck && skipped < MIN_SKIPS_WHILE_RUNNING) return undefined;
  return {
    subject: refOf(cronJob, 'CronJob'),
    objects: [refOf(job, 'Job'), ...pods.map((p) => podRef(p.pod))],
    cronJob,
    job,
    skips,
    skipped,
    pods,
    stuck,
  };
}

function* classify(ctx: RuleContext): Iterable<BlockedCase> {
  for (const cronJob of ctx.snapshot.cronJobs) {
    if (!cronJob?.metadata?.name) continue;
    const found = classifyOne(ctx.snapshot, cronJob);
    if (found) yield found;
  }
}

function explain(group: CaseGroup<BlockedCase>, ctx: RuleContext): Explained {
  const { cronJob, job, skips, skipped, pods, stuck } = group.lead;
  const cj = cronJob.metadata.name;
  const jobName = job.metadata.name;
  const since = Date.parse(job.status?.startTime ?? job.metadata.creationTimestamp ?? '');
  const age = Number.isFinite(since) ? durationWords(ctx.now - since) : undefined;
  const starts = `${skipped} start${skipped === 1 ? '' : 's'}`;
  const first = pods[0];

  const run = stuck ? `is stuck (${first ? first.short : 'no pod'})` : `has been running${age ? ` for ${age}` : ''}`;
  const title = `${kubectlName(group.subject)} has skipped ${starts}: its run job/${jobName} ${run}, and concurrencyPolicy Forbid waits for it`;

  const parts = [
    `CronJob ${cj} has concurrencyPolicy Forbid: the CronJob controller starts no Job while one of its Jobs is still active.`,
    `Its Job ${jobName} ${age ? `started ${age} ago and ` : ''}is still active, so each scheduled start since was skipped ("${skips[skips.length - 1]!.message ?? ''}", ${starts} in the events).`,
  ];
  if (stuck && first)
    parts.push(
      `The run is not getting anywhere: its pod ${first.pod.metadata.name} is ${first.text}. A Job has no deadline unless its template sets activeDeadlineSeconds, so it stays active until someone ends it, and the schedule stays stopped with it.`,
      'Fix what holds the pod (the finding this one is listed under), then delete the Job: the next scheduled start creates a new one from the template.',
    );
  else if (stuck)
    parts.push(
      `The run has no pod: the job controller could not create one (its events say why), and a Job without a deadline (activeDeadlineSeconds) waits for that forever, with the schedule stopped behind it.`,
      'Fix what keeps the pod from being created, then delete the Job: the next scheduled start creates a new one from the template.',
    );
  else {
    const running = pods.find((p) => p.running)!;
    parts.push(
      `Its pod ${running.pod.metadata.name} is running. If a run normally ends within the schedule's interval, this one hangs (a call without a timeout, a lock): its logs say where (\`kubectl logs ${running.pod.metadata.name}${nsFlag(job.metadata.namespace)}\`). If runs really take this long, the schedule is too frequent for them.`,
    );
  }
  if (job.spec?.activeDeadlineSeconds === undefined)
    parts.push(
      'An activeDeadlineSeconds in the jobTemplate ends a run that hangs, so it cannot stop the schedule again.',
    );

  const evidence: Evidence[] = [
    ...eventsEvidence(skips, 1),
    fieldEvidence(cronJob, 'spec.concurrencyPolicy', 'Forbid', 'spec'),
    fieldEvidence(cronJob, 'status.active', (cronJob.status?.active ?? []).map((a) => a?.name).join(', ') || '(none)'),
    fieldEvidence(job, 'status.startTime', job.status?.startTime ?? '(not set)'),
  ];
  for (const p of pods.slice(0, MAX_PODS))
    evidence.push({ source: 'status', ref: podRef(p.pod), path: 'status', text: p.text });
  if (pods.length > MAX_PODS)
    evidence.push({ source: 'status', ref: refOf(job, 'Job'), text: `${pods.length - MAX_PODS} more pods` });
  if (pods.length === 0) {
    const jobEvents = ctx.snapshot
      .eventsFor('Job', job.metadata.namespace, jobName)
      .filter((e) => e.type === 'Warning');
    evidence.push(...eventsEvidence(jobEvents, 2));
  }

  return {
    severity: stuck ? 'critical' : 'warning',
    title,
    explanation: parts.join(' '),
    evidence,
    // What holds the run (its pod's image pull, the Job's FailedCreate) is this finding's cause.
    dependsOn: [refOf(job, 'Job'), ...pods.map((p) => podRef(p.pod))],
  };
}

function deletePlan(c: BlockedCase): FixPlan {
  const ref = refOf(c.job, 'Job');
  const ns = c.job.metadata.namespace;
  const name = c.job.metadata.name;
  return {
    id: 'delete-blocking-job',
    title: c.stuck
      ? `Delete the stuck job/${name} so cronjob/${c.cronJob.metadata.name} runs again`
      : `Stop the run: delete job/${name} so cronjob/${c.cronJob.metadata.name} runs again`,
    explanation: `Deletes the Job and its pods (as \`kubectl delete\` does: what the Job owns goes with it). The CronJob's next scheduled start creates a new Job from its template. Fix what held this run first, or the new one is held the same way. A delete cannot be undone: the pods' logs go with them.`,
    commands: [`kubectl delete job ${name}${nsFlag(ns)}`],
    steps: [
      {
        action: 'delete',
        ref,
        description: `Delete Job ${name} and its pods; CronJob ${c.cronJob.metadata.name} starts a new one at its next scheduled time.`,
      },
    ],
    mutates: true,
  };
}

function deadlinePlan(c: BlockedCase): FixPlan {
  const cj = c.cronJob.metadata.name;
  const patch = shellQuote(JSON.stringify({ spec: { jobTemplate: { spec: { activeDeadlineSeconds: '<seconds>' } } } }));
  return manualPlan({
    id: 'bound-each-run',
    title: `Bound every run of cronjob/${cj} with activeDeadlineSeconds`,
    explanation:
      'The job controller fails a Job that has been active longer than activeDeadlineSeconds (DeadlineExceeded) and stops its pods, so a run that hangs ends and the next start runs. Choose a bound above the longest normal run and below the interval of the schedule. Jobs created before the change keep the template they were created with.',
    commands: [`kubectl patch cronjob ${cj}${nsFlag(c.cronJob.metadata.namespace)} --type=merge -p ${patch}`],
  });
}

function plans(group: CaseGroup<BlockedCase>): FixPlan[] {
  const c = group.lead;
  const bounded = c.cronJob.spec?.jobTemplate?.spec?.activeDeadlineSeconds !== undefined;
  const bound = bounded ? [] : [deadlinePlan(c)];
  // A stuck run is ended first; a running one may be doing work: its bound comes first.
  return c.stuck ? [deletePlan(c), ...bound] : [...bound, deletePlan(c)];
}

export const rule = defineRule<BlockedCase>({
  id: RULE_IDS.cronJobBlocked,
  title: 'CronJobs whose runs are skipped: concurrencyPolicy Forbid waits for a run that does not end',
  needs: ['cronjobs', 'jobs', 'events'],
  classify,
  explain,
  plans,
});
