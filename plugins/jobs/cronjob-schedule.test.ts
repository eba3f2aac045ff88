import { describe, expect, it } from 'vitest';
import type { CronJob, Job, KubeEvent } from '../../src/model/k8s.js';
import type { RawFinding } from '../../src/diagnose/types.js';
import { Snapshot, type SnapshotInput } from '../../src/store/snapshot.js';
import { NOW, cronJob } from '../../test/fixtures/jobs/load.js';
import { rule } from './cronjob-schedule.js';

function diagnose(cronJobs: CronJob[], more: Partial<SnapshotInput> = {}): RawFinding[] {
  return rule.diagnose({ snapshot: new Snapshot({ cronJobs, ...more }), now: NOW });
}

/** An event of the CronJob controller about nightly-report, as core/v1 shows it. */
function cronEvent(reason: string, message: string, at: string, count = 1, type = 'Warning'): KubeEvent {
  return {
    metadata: {
      name: `nightly-report.18edb3${reason.length}f0c2a1b7`,
      namespace: 'samples',
      uid: `uid-${reason}`,
      resourceVersion: '31200',
      creationTimestamp: at,
    },
    involvedObject: {
      kind: 'CronJob',
      namespace: 'samples',
      name: 'nightly-report',
      uid: '5d0b7c61-2f7e-4d5c-a7a4-3f0c5f1f9e21',
      apiVersion: 'batch/v1',
      resourceVersion: '31180',
    },
    reason,
    message,
    source: { component: 'cronjob-controller' },
    firstTimestamp: at,
    lastTimestamp: at,
    count,
    type,
    eventTime: null,
    reportingComponent: '',
    reportingInstance: '',
  } as KubeEvent;
}

function withDeadline(seconds: number | undefined): CronJob {
  const cj = cronJob('*/5 * * * *');
  if (seconds !== undefined) cj.spec.startingDeadlineSeconds = seconds;
  return cj;
}

/** A Job the CronJob created at `at`. */
function run(at: string): Job {
  return {
    kind: 'Job',
    apiVersion: 'batch/v1',
    metadata: {
      name: `nightly-report-${Date.parse(at) / 60_000}`,
      namespace: 'samples',
      uid: `uid-job-${at}`,
      creationTimestamp: at,
      ownerReferences: [
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          name: 'nightly-report',
          uid: '5d0b7c61-2f7e-4d5c-a7a4-3f0c5f1f9e21',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: { template: { spec: { containers: [] } } },
    status: {},
  } as unknown as Job;
}

describe('jobs/cronjob-schedule', () => {
  it("reports a schedule that does not parse, in the parser's words", () => {
    const [f, ...rest] = diagnose([cronJob('61 * * * *')]);
    expect(rest).toEqual([]);
    expect(f!.id).toBe('jobs/cronjob-schedule:samples/CronJob/nightly-report');
    expect(f!.severity).toBe('critical');
    expect(f!.title).toBe(
      'cronjob/nightly-report never runs: its schedule "61 * * * *" does not parse (end of range (61) above maximum (59): 61)',
    );
    expect(f!.evidence).toEqual([
      {
        source: 'spec',
        ref: { kind: 'CronJob', name: 'nightly-report', namespace: 'samples' },
        path: 'spec.schedule',
        text: '61 * * * *',
      },
      {
        source: 'spec',
        ref: { kind: 'CronJob', name: 'nightly-report', namespace: 'samples' },
        path: 'spec.schedule',
        text: 'end of range (61) above maximum (59): 61',
      },
    ]);
    expect(f!.explanation).toContain('the minute field is the one that is wrong');
    expect(f!.fixes[0]!.commands).toEqual([
      `kubectl patch cronjob nightly-report -n samples --type=merge -p '{"spec":{"schedule":"<minute> <hour> <day-of-month> <month> <day-of-week>"}}'`,
    ]);
  });

  it('reports words where fields belong', () => {
    const [f] = diagnose([cronJob('every minute')]);
    expect(f!.evidence[1]!.text).toBe('expected exactly 5 fields, found 2: [every minute]');
  });

  it('is quiet for a valid schedule and for a suspended CronJob, whatever its schedule', () => {
    const suspended = cronJob('61 * * * *');
    suspended.spec.suspend = true;
    expect(diagnose([cronJob('*/5 * * * *'), cronJob('@daily'), suspended])).toEqual([]);
  });

  describe('missed starts', () => {
    const missed = (at: string, count = 1) =>
      cronEvent(
        'MissSchedule',
        `Missed scheduled time to start a job: ${new Date(at).toUTCString().replace('GMT', '+0000')}`,
        at,
        count,
      );

    it('a startingDeadlineSeconds shorter than the controller is late: MissSchedule, no Job since, raise the deadline', () => {
      const [f, ...rest] = diagnose([withDeadline(5)], { events: [missed('2026-12-03T09:25:12Z', 6)] });
      expect(rest).toEqual([]);
      expect(f!.id).toBe('jobs/cronjob-schedule:samples/CronJob/nightly-report#missed-starts');
      expect(f!.severity).toBe('critical');
      expect(f!.title).toBe(
        'cronjob/nightly-report skips its runs: the controller reaches each start later than startingDeadlineSeconds (5) allows',
      );
      expect(f!.explanation).toContain('says "Missed scheduled time to start a job" (6 times in the events)');
      expect(f!.explanation).toContain('Its last Job was scheduled 35 minutes ago (status.lastScheduleTime)');
      expect(f!.evidence[0]).toMatchObject({
        source: 'event',
        reason: 'MissSchedule',
        text: 'Missed scheduled time to start a job: Thu, 03 Dec 2026 09:25:12 +0000',
      });
      expect(f!.evidence).toContainEqual(expect.objectContaining({ path: 'spec.startingDeadlineSeconds', text: '5' }));
      const plan = f!.fixes[0]!;
      expect(plan).toMatchObject({ id: 'set-starting-deadline', mutates: true });
      expect(plan.steps).toEqual([
        {
          action: 'merge-patch',
          ref: { kind: 'CronJob', name: 'nightly-report', namespace: 'samples' },
          patch: { spec: { startingDeadlineSeconds: 300 } },
          description: 'Set startingDeadlineSeconds of CronJob nightly-report to 300.',
        },
      ]);
      expect(plan.commands).toEqual([
        `kubectl patch cronjob nightly-report -n samples --type=merge -p '{"spec":{"startingDeadlineSeconds":300}}'`,
      ]);
    });

    it("more than 100 missed starts, in the words of today's controller and of the one before 1.21", () => {
      const today = cronEvent(
        'TooManyMissedTimes',
        'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
        '2026-12-03T09:20:00Z',
      );
      const old = cronEvent(
        'FailedNeedsStart',
        'Cannot determine if job needs to be started: Too many missed start time (> 100). Set or decrease .spec.startingDeadlineSeconds or check clock skew.',
        '2026-12-03T09:20:00Z',
        40,
      );
      for (const e of [today, old]) {
        const [f] = diagnose([withDeadline(undefined)], { events: [e] });
        expect(f!.title).toBe('cronjob/nightly-report missed more than 100 starts');
        expect(f!.explanation).toContain(
          'the controller was not running for a long time, or the clocks of the control plane disagree',
        );
        expect(f!.explanation).toContain('Set startingDeadlineSeconds (300 seconds, say)');
        expect(f!.evidence[0]).toMatchObject({ reason: e.reason, text: e.message });
        expect(f!.fixes.map((p) => p.id)).toEqual(['set-starting-deadline']);
      }
      // A generous deadline already: the clock is the suspect, and there is nothing to patch.
      const [f] = diagnose([withDeadline(600)], { events: [today] });
      expect(f!.explanation).toContain('the clock is the suspect');
      expect(f!.fixes).toEqual([]);
    });

    it('is quiet once a Job has started since the miss, for other controller events, and when suspended', () => {
      const miss = missed('2026-12-03T09:10:00Z', 3);
      const caughtUp = withDeadline(5);
      caughtUp.status = { lastScheduleTime: '2026-12-03T09:15:00Z' };
      expect(diagnose([caughtUp], { events: [miss] })).toEqual([]);
      // The last schedule time is older, but a Job was created after the miss (history limits may drop it later).
      expect(diagnose([withDeadline(5)], { events: [miss], jobs: [run('2026-12-03T09:15:01Z')] })).toEqual([]);
      // TooManyMissedTimes is written in the same pass that starts the latest run.
      const tooMany = cronEvent(
        'TooManyMissedTimes',
        'too many missed start times: 101. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
        '2026-12-03T09:20:00Z',
      );
      expect(diagnose([withDeadline(undefined)], { events: [tooMany], jobs: [run('2026-12-03T09:20:00Z')] })).toEqual(
        [],
      );
      const others = [
        cronEvent('SuccessfulCreate', 'Created job nightly-report-29410165', '2026-12-03T09:25:00Z', 1, 'Normal'),
        cronEvent(
          'FailedNeedsStart',
          'Cannot determine if job needs to be started: the server is currently unable to handle the request',
          '2026-12-03T09:25:00Z',
        ),
      ];
      expect(diagnose([withDeadline(5)], { events: others })).toEqual([]);
      const suspended = withDeadline(5);
      suspended.spec.suspend = true;
      expect(diagnose([suspended], { events: [missed('2026-12-03T09:25:12Z')] })).toEqual([]);
    });
  });
});
