// A CronJob whose schedule the CronJob controller cannot parse never starts a Job: nothing
// runs, and no Job or pod exists to show an error. Today's API servers reject such a schedule
// on create, but CronJobs created before that validation (or restored from a backup) still
// carry one. A suspended CronJob is quiet: it is meant not to run.
import type { CronJob } from '../../src/model/k8s.js';
import type { FixPlan } from '../../src/diagnose/types.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { eventsEvidence, fieldEvidence, refOf } from '../../src/diagnose/evidence.js';
import { manualPlan, nsFlag, shellQuote } from '../../src/diagnose/plans.js';
import type { RuleContext } from '../../src/diagnose/types.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';
import { scheduleProblem, type ScheduleProblem } from './lib/cron-schedule.js';

/** The CronJob controller's event for a schedule it cannot parse. */
const CONTROLLER_REASONS = new Set(['UnparseableSchedule', 'InvalidSchedule']);

interface ScheduleCase extends Case {
  cronJob: CronJob;
  problem: ScheduleProblem;
}

function* classify(ctx: RuleContext): Iterable<ScheduleCase> {
  for (const cronJob of ctx.snapshot.cronJobs) {
    if (!cronJob?.metadata?.name || cronJob.spec?.suspend === true) continue;
    const problem = scheduleProblem(cronJob.spec?.schedule);
    if (problem) yield { subject: refOf(cronJob, 'CronJob'), cronJob, problem };
  }
}

function explain(group: CaseGroup<ScheduleCase>, ctx: RuleContext): Explained {
  const { cronJob, problem } = group.lead;
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

function plans(group: CaseGroup<ScheduleCase>): FixPlan[] {
  const { cronJob } = group.lead;
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
  title: 'CronJobs whose schedule does not parse',
  classify,
  explain,
  plans,
});
