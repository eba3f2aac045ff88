import { describe, expect, it } from 'vitest';
import type { Job, KubeEvent, Pod } from '../../src/model/k8s.js';
import type { RawFinding } from '../../src/diagnose/types.js';
import { runRules } from '../../src/diagnose/engine.js';
import { Snapshot, type SnapshotInput } from '../../src/store/snapshot.js';
import { NOW, blockedCronJob } from '../../test/fixtures/jobs/load.js';
import { builtinRules } from '../index.js';
import { rule } from './cronjob-blocked.js';

function diagnose(input: SnapshotInput): RawFinding[] {
  return rule.diagnose({ snapshot: new Snapshot(input), now: NOW });
}

function edited(edit: (input: SnapshotInput & { jobs: Job[]; pods: Pod[]; events: KubeEvent[] }) => void) {
  const input = blockedCronJob() as SnapshotInput & { jobs: Job[]; pods: Pod[]; events: KubeEvent[] };
  edit(input);
  return input;
}

const skipEvent = (input: { events: KubeEvent[] }) => input.events.find((e) => e.reason === 'JobAlreadyActive')!;

/** The pod as the kubelet reports it once the image is pulled and the container runs. */
function running(pod: Pod): void {
  pod.status!.phase = 'Running';
  pod.status!.containerStatuses = [
    {
      name: 'report',
      state: { running: { startedAt: '2026-12-03T06:00:04Z' } },
      lastState: {},
      ready: true,
      restartCount: 0,
      image: 'ghcr.io/acme/nightly-report:1.8.0',
      imageID: 'ghcr.io/acme/nightly-report@sha256:5f0c3e1d9b7a',
      started: true,
    },
  ];
}

describe('jobs/cronjob-blocked — a run that cannot start', () => {
  it('reports the CronJob: the skipped starts, the stuck Job and why its pod does not run', () => {
    const [f, ...rest] = diagnose(blockedCronJob());
    expect(rest).toEqual([]);
    expect(f!.id).toBe('jobs/cronjob-blocked:samples/CronJob/nightly-report');
    expect(f!.severity).toBe('critical');
    expect(f!.title).toBe(
      'cronjob/nightly-report has skipped 41 starts: its run job/nightly-report-29937960 is stuck (ImagePullBackOff), and concurrencyPolicy Forbid waits for it',
    );
    expect(f!.evidence[0]).toMatchObject({
      source: 'event',
      reason: 'JobAlreadyActive',
      text: 'Not starting job because prior execution is running and concurrency policy is Forbid',
    });
    expect(f!.evidence).toContainEqual({
      source: 'status',
      ref: { kind: 'Pod', namespace: 'samples', name: 'nightly-report-29937960-x7k2p' },
      path: 'status',
      text: 'Pending: container report waiting, ImagePullBackOff (Back-off pulling image "ghcr.io/acme/nightly-report:1.8.0")',
    });
    expect(f!.explanation).toContain('started 3 hours ago and is still active');
    expect(f!.explanation).toContain('activeDeadlineSeconds in the jobTemplate');
    expect(f!.objects.map((o) => o.kind)).toEqual(['CronJob', 'Job', 'Pod']);
    expect(f!.dependsOn).toEqual([
      { kind: 'Job', namespace: 'samples', name: 'nightly-report-29937960' },
      { kind: 'Pod', namespace: 'samples', name: 'nightly-report-29937960-x7k2p' },
    ]);
  });

  it('offers to delete the stuck Job (with its pods), then to bound every run', () => {
    const [f] = diagnose(blockedCronJob());
    expect(f!.fixes.map((p) => p.id)).toEqual(['delete-blocking-job', 'bound-each-run']);
    const [del, bound] = f!.fixes;
    expect(del!.mutates).toBe(true);
    expect(del!.commands).toEqual(['kubectl delete job nightly-report-29937960 -n samples']);
    expect(del!.steps).toEqual([
      expect.objectContaining({
        action: 'delete',
        ref: { kind: 'Job', namespace: 'samples', name: 'nightly-report-29937960' },
      }),
    ]);
    expect(bound!.mutates).toBe(false);
    expect(bound!.commands).toEqual([
      `kubectl patch cronjob nightly-report -n samples --type=merge -p '{"spec":{"jobTemplate":{"spec":{"activeDeadlineSeconds":"<seconds>"}}}}'`,
    ]);
  });

  it('is listed under the pod’s image pull finding, its cause', () => {
    const snapshot = new Snapshot(blockedCronJob());
    const { findings } = runRules(builtinRules, snapshot, { now: NOW });
    const blocked = findings.find((f) => f.ruleId === 'jobs/cronjob-blocked')!;
    const pull = findings.find((f) => f.ruleId === 'pods/image-pull')!;
    expect(pull).toBeDefined();
    expect(blocked.causedBy).toContain(pull.id);
  });

  it('counts a pod that crash-loops under restartPolicy OnFailure as stuck too, though Running', () => {
    const input = edited((i) => {
      running(i.pods[0]!);
      const status = i.pods[0]!.status!.containerStatuses![0]!;
      status.ready = false;
      status.started = false;
      status.restartCount = 38;
      status.state = {
        waiting: {
          reason: 'CrashLoopBackOff',
          message:
            'back-off 5m0s restarting failed container=report pod=nightly-report-29937960-x7k2p_samples(3e1f8a90-6b2c-4d7e-9f15-0a4c2b8d6e71)',
        },
      };
      status.lastState = {
        terminated: {
          exitCode: 1,
          reason: 'Error',
          startedAt: '2026-12-03T09:24:51Z',
          finishedAt: '2026-12-03T09:24:52Z',
          containerID: 'containerd://4b0e6f1c2d3a',
        },
      };
    });
    const [f] = diagnose(input);
    expect(f!.severity).toBe('critical');
    expect(f!.title).toContain('is stuck (CrashLoopBackOff)');
  });

  it('says so when the Job has no pod at all, with the Job’s own warnings', () => {
    const input = edited((i) => {
      i.pods = [];
      i.events.push({
        ...skipEvent(i),
        metadata: { ...skipEvent(i).metadata, name: 'nightly-report-29937960.187d9a1c0e5b0001' },
        involvedObject: {
          kind: 'Job',
          namespace: 'samples',
          name: 'nightly-report-29937960',
          uid: '9c6b1f3e-4a57-4e0b-8d2f-61b0d1c7a8e4',
          apiVersion: 'batch/v1',
        },
        reason: 'FailedCreate',
        type: 'Warning',
        source: { component: 'job-controller' },
        count: 12,
        message:
          'Error creating: pods "nightly-report-29937960-" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=2, limited: requests.cpu=2',
      });
    });
    const [f] = diagnose(input);
    expect(f!.title).toContain('is stuck (no pod)');
    expect(f!.explanation).toContain('The run has no pod');
    expect(f!.evidence.map((e) => e.reason)).toContain('FailedCreate');
  });

  it('leaves out the bound when the jobTemplate has one already', () => {
    const input = edited((i) => {
      i.cronJobs![0]!.spec.jobTemplate.spec.activeDeadlineSeconds = 3600;
    });
    expect(diagnose(input)[0]!.fixes.map((p) => p.id)).toEqual(['delete-blocking-job']);
  });
});

describe('jobs/cronjob-blocked — a run that does not end', () => {
  it('warns when a running Job has cost several starts, its bound first', () => {
    const [f] = diagnose(edited((i) => running(i.pods[0]!)));
    expect(f!.severity).toBe('warning');
    expect(f!.title).toBe(
      'cronjob/nightly-report has skipped 41 starts: its run job/nightly-report-29937960 has been running for 3 hours, and concurrencyPolicy Forbid waits for it',
    );
    expect(f!.explanation).toContain('kubectl logs nightly-report-29937960-x7k2p -n samples');
    expect(f!.fixes.map((p) => p.id)).toEqual(['bound-each-run', 'delete-blocking-job']);
  });

  it('stays quiet while a running Job has skipped fewer starts: that is what Forbid is for', () => {
    const input = edited((i) => {
      running(i.pods[0]!);
      skipEvent(i).count = 2;
    });
    expect(diagnose(input)).toEqual([]);
  });
});

describe('jobs/cronjob-blocked — healthy variants give nothing', () => {
  it('a Job that has finished since (status.active not yet updated)', () => {
    const input = edited((i) => {
      i.jobs[0]!.status = {
        ...i.jobs[0]!.status,
        active: 0,
        succeeded: 1,
        completionTime: '2026-12-03T09:27:10Z',
        conditions: [
          {
            type: 'Complete',
            status: 'True',
            lastProbeTime: '2026-12-03T09:27:10Z',
            lastTransitionTime: '2026-12-03T09:27:10Z',
          },
        ],
      };
    });
    expect(diagnose(input)).toEqual([]);
  });

  it('skips that were an earlier run’s: the active Job started after them', () => {
    const input = edited((i) => {
      i.jobs[0]!.metadata.creationTimestamp = '2026-12-03T09:26:00Z';
      i.jobs[0]!.status!.startTime = '2026-12-03T09:26:00Z';
    });
    expect(diagnose(input)).toEqual([]);
  });

  it('a CronJob that allows concurrent runs, or is suspended', () => {
    expect(diagnose(edited((i) => (i.cronJobs![0]!.spec.concurrencyPolicy = 'Allow')))).toEqual([]);
    expect(diagnose(edited((i) => (i.cronJobs![0]!.spec.suspend = true)))).toEqual([]);
  });

  it('no skipped start in the events', () => {
    expect(diagnose(edited((i) => (i.events = i.events.filter((e) => e.reason !== 'JobAlreadyActive'))))).toEqual([]);
  });
});
