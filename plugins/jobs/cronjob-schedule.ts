// A CronJob that does not start its Jobs when its schedule says. Either the CronJob controller
// cannot parse the schedule, so it starts none and nothing tells you (today's API servers
// reject such a schedule on create, but CronJobs created before that validation, or restored
// from a backup, still carry one); or it misses its starts: `startingDeadlineSeconds` is
// shorter than the controller's delay (`MissSchedule`), or more than 100 start times passed
// unstarted (`TooManyMissedTimes`; the controller before Kubernetes 1.21 said `FailedNeedsStart`
// and then started nothing at all). A miss counts only while no Job has started since.
// A suspended CronJob is quiet: it is meant not to run.
import type { CronJob, Job, KubeEvent } from '../../src/model/k8s.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import type { Evidence, FixPlan } from '../../src/diagnose/types.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { eventsEvidence, fieldEvidence, kubectlName, refOf } from '../../src/diagnose/evidence.js';
import { durationWords } from '../../src/util/duration.js';
import { manualPlan, nsFlag, shellQuote } from '../../src/diagnose/plans.js';
import type { RuleContext } from '../../src/diagnose/types.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';
import { scheduleProblem, type ScheduleProblem } from './lib/cron-schedule.js';

/** The CronJob controller's event for a schedule it cannot parse. */
const CONTROLLER_REASONS = new Set(['UnparseableSchedule', 'InvalidSchedule']);

/** What the controller writes when it lets a start go by (pkg/controller/cronjob). */
function missKind(e: KubeEvent): 'deadline' | 'too-many' | undefined {
  if (e.reason === 'MissSchedule') return 'deadline';
  if (e.reason === 'TooManyMissedTimes') return 'too-many';
  if (e.reason === 'FailedNeedsStart' && /too many missed start time/i.test(e.message ?? '')) return 'too-many';
  return undefined;
}

/** A deadline the kube-controller-manager keeps even when it is busy or restarting. */
const SAFE_DEADLINE_SECONDS = 300;

type ScheduleCase = Case & { cronJob: CronJob } & (
    | { kind: 'unparseable'; problem: ScheduleProblem }
    | { kind: 'missed'; misses: KubeEvent[]; why: 'deadline' | 'too-many' }
  );

const eventTime = (e: KubeEvent): number => Date.parse(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? '');

/** Whether a Job started at or after `t` (second precision, as the API server stamps objects). */
function startedSince(snapshot: Snapshot, cronJob: CronJob, t: number): boolean {
  const second = Math.floor(t / 1000) * 1000;
  const last = Date.parse(cronJob.status?.lastScheduleTime ?? '');
  if (last >= second) return true;
  return (snapshot.childrenOf(cronJob) as Job[]).some(
    (j) => snapshot.jobs.includes(j) && Date.parse(j.metadata.creationTimestamp ?? '') >= second,
  );
}

function missedStarts(snapshot: Snapshot, cronJob: CronJob): ScheduleCase | undefined {
  const misses = snapshot
    .eventsFor('CronJob', cronJob.metadata.namespace, cronJob.metadata.name)
    .filter((e) => missKind(e) !== undefined && Number.isFinite(eventTime(e)));
  const newest = misses[misses.length - 1];
  if (!newest || startedSince(snapshot, cronJob, eventTime(newest))) return undefined;
  return {
    subject: refOf(cronJob, 'CronJob'),
    detail: 'missed-starts',
    cronJob,
    kind: 'missed',
    misses,
    why: missKind(newest)!,
  };
}

function* classify(ctx: RuleContext): Iterable<ScheduleCase> {
  for (const cronJob of ctx.snapshot.cronJobs) {
    if (!cronJob?.metadata?.name || cronJob.spec?.suspend === true) continue;
    const problem = scheduleProblem(cronJob.spec?.schedule);
    if (problem) yield { subject: refOf(cronJob, 'CronJob'), cronJob, kind: 'unparseable', problem };
    else {
      const missed = missedStarts(ctx.snapshot, cronJob);
      if (missed) yield missed;
    }
  }
}

function explainUnparseable(cronJob: CronJob, problem: ScheduleProblem, ctx: RuleContext): Explained {
  const name = cronJob.metadata.name;
  const schedule = String(cronJob.spec?.schedule ?? '');
  const events = ctx.snapshot
    .eventsFor('CronJob', cronJob.metadata.namespace, name)
    .filter((e) => CONTROLLER_REASONS.has(e.reason ?? ''));
  return {
    severity: 'critical',
    title: `cronjob/${name} never runs: its schedule "${schedule}" does not parse (${problem.message})`,
    explanation:
      `The CronJob controller reads spec.schedule to decide when to start a Job; it cannot read "${schedule}" (${problem.message}), so it starts none and nothing tells you. ` +
      `A schedule is a macro (@hourly, @daily, @weekly, @monthly, @yearly, @every 1h) or exactly 5 fields: minute (0-59), hour (0-23), day of month (1-31), month (1-12 or JAN-DEC), day of week (0-6 or SUN-SAT), each \`*\`, a number, a range \`a-b\` or a list \`a,b\`, optionally \`/step\`` +
      (problem.field ? `; the ${problem.field} field is the one that is wrong` : '') +
      '. Set a valid schedule and the next start follows it.',
    evidence: [
      fieldEvidence(cronJob, 'spec.schedule', schedule, 'spec'),
      { source: 'spec', ref: refOf(cronJob, 'CronJob'), path: 'spec.schedule', text: problem.message },
      ...eventsEvidence(events, 1),
    ],
  };
}

function explainMissed(c: Extract<ScheduleCase, { kind: 'missed' }>, ctx: RuleContext): Explained {
  const { cronJob, misses, why } = c;
  const name = cronJob.metadata.name;
  const deadline = cronJob.spec?.startingDeadlineSeconds;
  const last = Date.parse(cronJob.status?.lastScheduleTime ?? '');
  const lastStart = Number.isFinite(last)
    ? `Its last Job was scheduled ${durationWords(ctx.now - last)} ago (status.lastScheduleTime)`
    : 'It has not started a Job yet (no status.lastScheduleTime)';
  const count = misses.reduce((n, e) => n + (typeof e.count === 'number' && e.count > 0 ? e.count : 1), 0);
  const evidence: Evidence[] = [
    ...eventsEvidence([...misses].reverse(), 2),
    fieldEvidence(cronJob, 'spec.schedule', String(cronJob.spec?.schedule ?? ''), 'spec'),
    fieldEvidence(
      cronJob,
      'spec.startingDeadlineSeconds',
      typeof deadline === 'number' ? String(deadline) : '(not set)',
      'spec',
    ),
    fieldEvidence(cronJob, 'status.lastScheduleTime', cronJob.status?.lastScheduleTime ?? '(not set)'),
  ];
  if (why === 'deadline')
    return {
      severity: 'critical',
      title: `${kubectlName(c.subject)} skips its runs: the controller reaches each start later than startingDeadlineSeconds (${deadline ?? '?'}) allows`,
      explanation:
        `The CronJob controller lets a start go by when it gets to it more than startingDeadlineSeconds (${deadline ?? '?'}s) after the scheduled time, and says "Missed scheduled time to start a job" (${count} time${count === 1 ? '' : 's'} in the events). ${lastStart}, and no Job has started since the last miss. ` +
        `The controller checks each CronJob at its scheduled time, but a busy or restarting kube-controller-manager is often tens of seconds late, so a deadline of a few seconds loses runs. ` +
        `Give it room: ${SAFE_DEADLINE_SECONDS} seconds still keeps a late start from running long after its time.`,
      evidence,
    };
  return {
    severity: 'critical',
    title: `${kubectlName(c.subject)} missed more than 100 starts`,
    explanation:
      `The CronJob controller counted more than 100 start times since the last one it saw (status.lastScheduleTime, else the CronJob's creation) and said "too many missed start times" (${count} time${count === 1 ? '' : 's'} in the events). ${lastStart}, and no Job has started since. ` +
      `That many misses mean the controller was not running for a long time, or the clocks of the control plane disagree (check the kube-controller-manager and clock skew). ` +
      `Before Kubernetes 1.21 the controller then starts nothing at all until startingDeadlineSeconds bounds how far back it looks; newer ones start only the latest run. ` +
      (typeof deadline === 'number'
        ? `startingDeadlineSeconds is ${deadline}, so the count should have stayed small: the clock is the suspect.`
        : `Set startingDeadlineSeconds (${SAFE_DEADLINE_SECONDS} seconds, say) so the controller looks back no further than that.`),
    evidence,
  };
}

function explain(group: CaseGroup<ScheduleCase>, ctx: RuleContext): Explained {
  const c = group.lead;
  return c.kind === 'unparseable' ? explainUnparseable(c.cronJob, c.problem, ctx) : explainMissed(c, ctx);
}

function deadlinePlan(cronJob: CronJob): FixPlan {
  const ref = refOf(cronJob, 'CronJob');
  const patch = { spec: { startingDeadlineSeconds: SAFE_DEADLINE_SECONDS } };
  return {
    id: 'set-starting-deadline',
    title: `Let cronjob/${cronJob.metadata.name} start up to ${SAFE_DEADLINE_SECONDS} seconds late`,
    explanation: `Sets spec.startingDeadlineSeconds to ${SAFE_DEADLINE_SECONDS}: a start the controller reaches within 5 minutes of its time still runs, and one later than that is skipped rather than run long after it was due. The next scheduled start follows it; start one now with \`kubectl create job --from=cronjob/${cronJob.metadata.name}\` if the missed run matters.`,
    commands: [
      `kubectl patch cronjob ${cronJob.metadata.name}${nsFlag(cronJob.metadata.namespace)} --type=merge -p ${shellQuote(JSON.stringify(patch))}`,
    ],
    steps: [
      {
        action: 'merge-patch',
        ref,
        patch,
        description: `Set startingDeadlineSeconds of CronJob ${cronJob.metadata.name} to ${SAFE_DEADLINE_SECONDS}.`,
      },
    ],
    mutates: true,
  };
}

function plans(group: CaseGroup<ScheduleCase>): FixPlan[] {
  const c = group.lead;
  const { cronJob } = c;
  if (c.kind === 'missed') {
    const deadline = cronJob.spec?.startingDeadlineSeconds;
    // Raising a short deadline is the fix; a deadline already this long points at the clock, not the spec.
    return typeof deadline === 'number' && deadline >= SAFE_DEADLINE_SECONDS ? [] : [deadlinePlan(cronJob)];
  }
  const patch = shellQuote(
    JSON.stringify({ spec: { schedule: '<minute> <hour> <day-of-month> <month> <day-of-week>' } }),
  );
  return [
    manualPlan({
      id: 'set-valid-schedule',
      title: `Give cronjob/${cronJob.metadata.name} a schedule in the 5-field cron syntax`,
      explanation:
        'Only you know when it should run: write that as a cron schedule (for example "0 3 * * *" for every day at 03:00, "*/15 * * * *" for every 15 minutes) and patch it in. The API server validates the new value, so a mistake is refused instead of silently never running.',
      commands: [
        `kubectl patch cronjob ${cronJob.metadata.name}${nsFlag(cronJob.metadata.namespace)} --type=merge -p ${patch}`,
      ],
    }),
  ];
}

export const rule = defineRule<ScheduleCase>({
  id: RULE_IDS.cronJobSchedule,
  title: 'CronJobs that do not start on schedule',
  classify,
  explain,
  plans,
});
