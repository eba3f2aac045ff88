import { describe, expect, it } from 'vitest';
import type { Job, Pod } from '../../src/model/k8s.js';
import type { RawFinding } from '../../src/diagnose/types.js';
import { Snapshot, type SnapshotInput } from '../../src/store/snapshot.js';
import { NOW, cronJob, failedJob, failedJobEvents, failedJobPods } from '../../test/fixtures/jobs/load.js';
import { rule } from './failed.js';

function diagnose(input: SnapshotInput): RawFinding[] {
  return rule.diagnose({ snapshot: new Snapshot(input), now: NOW });
}

function failed(extra: Partial<SnapshotInput> = {}): SnapshotInput {
  return { jobs: [failedJob()], pods: failedJobPods(), events: failedJobEvents(), ...extra };
}

/** The same Job after a retry that succeeded: the controller's Complete condition, no Failed one. */
function succeededAfterFailures(): Job {
  const job = failedJob();
  job.status = {
    conditions: [
      {
        type: 'Complete',
        status: 'True',
        lastProbeTime: '2026-12-03T08:56:52Z',
        lastTransitionTime: '2026-12-03T08:56:52Z',
      },
    ],
    startTime: '2026-12-03T08:56:44Z',
    completionTime: '2026-12-03T08:56:52Z',
    succeeded: 1,
    failed: 1,
  };
  return job;
}

function ownedBy(job: Job, name: string, uid: string, created: string): Job {
  job.metadata.name = name;
  job.metadata.uid = `${uid}-job`;
  job.metadata.creationTimestamp = created;
  job.metadata.ownerReferences = [
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      name: 'nightly-report',
      uid,
      controller: true,
      blockOwnerDeletion: true,
    },
  ];
  return job;
}

describe('jobs/failed — BackoffLimitExceeded', () => {
  it('reports the Job with its condition, event and the failed pods’ exit codes, as written', () => {
    const [f, ...rest] = diagnose(failed());
    expect(rest).toEqual([]);
    expect(f!.id).toBe('jobs/failed:samples/Job/fail-job');
    expect(f!.severity).toBe('critical');
    expect(f!.title).toBe('job/fail-job failed: its pods failed 2 times, over its backoff limit (1) — exit code 1');
    expect(f!.evidence[0]).toEqual({
      source: 'status',
      ref: { kind: 'Job', name: 'fail-job', namespace: 'samples' },
      path: 'status.conditions[0]',
      text: 'BackoffLimitExceeded: Job has reached the specified backoff limit',
    });
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({
        source: 'event',
        reason: 'BackoffLimitExceeded',
        text: 'Job has reached the specified backoff limit',
      }),
    );
    expect(f!.evidence).toContainEqual({
      source: 'status',
      ref: { kind: 'Pod', name: 'fail-job-g28f5', namespace: 'samples' },
      path: 'status.containerStatuses[0].state.terminated',
      text: 'main: exit code 1 (Error)',
    });
    expect(f!.objects).toEqual([
      { kind: 'Job', name: 'fail-job', namespace: 'samples' },
      { kind: 'Pod', name: 'fail-job-vqvnn', namespace: 'samples' },
      { kind: 'Pod', name: 'fail-job-g28f5', namespace: 'samples' },
    ]);
    expect(f!.explanation).toContain('exit code 1: the program stopped itself with a general error');
    expect(f!.explanation).toContain('read them with `kubectl logs fail-job-vqvnn -c main -n samples`');
    expect(f!.fixes[0]!.id).toBe('fix-and-rerun-job');
    expect(f!.fixes[0]!.commands).toContain('kubectl replace --force -f fail-job.yaml');
  });

  it('quotes the last log lines when the snapshot has them', () => {
    const [f] = diagnose(
      failed({
        logs: [
          {
            namespace: 'samples',
            pod: 'fail-job-g28f5',
            container: 'main',
            previous: false,
            lines: ['starting export', 'psql: error: connection to server at "db" (10.96.0.12), port 5432 failed'],
          },
        ],
      }),
    );
    expect(f!.evidence).toContainEqual({
      source: 'log',
      ref: { kind: 'Pod', name: 'fail-job-g28f5', namespace: 'samples' },
      path: 'containers.main',
      text: 'psql: error: connection to server at "db" (10.96.0.12), port 5432 failed',
    });
  });

  it('reports DeadlineExceeded with the deadline', () => {
    const job = failedJob();
    job.spec.activeDeadlineSeconds = 60;
    job.status!.conditions![0] = {
      type: 'Failed',
      status: 'True',
      reason: 'DeadlineExceeded',
      message: 'Job was active longer than specified deadline',
      lastTransitionTime: '2026-12-03T08:57:44Z',
    };
    const [f] = diagnose({ jobs: [job], pods: [] });
    expect(f!.title).toBe('job/fail-job ran past its deadline (activeDeadlineSeconds 60) and was stopped');
    expect(f!.evidence[0]!.text).toBe('DeadlineExceeded: Job was active longer than specified deadline');
  });

  it('reports a Job a CronJob created on the CronJob, when it is its newest finished run', () => {
    const cj = cronJob();
    const old = ownedBy(succeededAfterFailures(), 'nightly-report-29410000', cj.metadata.uid!, '2026-12-03T08:50:00Z');
    const last = ownedBy(failedJob(), 'nightly-report-29410005', cj.metadata.uid!, '2026-12-03T08:55:00Z');
    const [f, ...rest] = diagnose({ cronJobs: [cj], jobs: [old, last] });
    expect(rest).toEqual([]);
    expect(f!.subject).toEqual({ kind: 'CronJob', name: 'nightly-report', namespace: 'samples' });
    expect(f!.title).toContain('cronjob/nightly-report: its last run job/nightly-report-29410005 failed');
    expect(f!.fixes[0]!.commands).toContain(
      'kubectl create job nightly-report-manual --from=cronjob/nightly-report -n samples',
    );
  });
});

describe('jobs/failed — not a finding', () => {
  it('is quiet for a completed Job and its pods, even when some pods failed before it succeeded', () => {
    const ok: Pod = { ...failedJobPods()[0]!, status: { phase: 'Succeeded' } };
    expect(diagnose({ jobs: [succeededAfterFailures()], pods: [...failedJobPods(), ok] })).toEqual([]);
  });

  it('is quiet for a running Job, and for a CronJob whose newest run succeeded after an old failure', () => {
    const running = failedJob();
    running.status = { active: 1, startTime: '2026-12-03T08:56:44Z' };
    expect(diagnose({ jobs: [running] })).toEqual([]);
    const cj = cronJob();
    const old = ownedBy(failedJob(), 'nightly-report-29410000', cj.metadata.uid!, '2026-12-03T08:50:00Z');
    const last = ownedBy(succeededAfterFailures(), 'nightly-report-29410005', cj.metadata.uid!, '2026-12-03T08:55:00Z');
    expect(diagnose({ cronJobs: [cj], jobs: [old, last] })).toEqual([]);
  });
});
