import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../../src/model/k8s.js';
import type { RawFinding } from '../../src/diagnose/types.js';
import { runRules } from '../../src/diagnose/engine.js';
import { Snapshot, type SnapshotInput } from '../../src/store/snapshot.js';
import { NOW } from '../../test/fixtures/pods/load.js';
import {
  condition,
  container,
  deployment,
  kubeletEvent,
  podOf,
  type Workload,
} from '../../test/fixtures/pods/containers.js';
import { rule } from './evicted.js';
import { rule as pressure } from '../nodes/pressure.js';
import { parseEviction } from './lib/eviction.js';

const LIMIT_MSG = 'Container thumbnailer exceeded its local ephemeral storage limit "1Gi". ';
const NODE_MSG =
  'The node was low on resource: ephemeral-storage. Threshold quantity: 9418749348, available: 8795644Ki. Container reports was using 20537684Ki, which exceeds its request of 0. ';

const thumbnailer = deployment('thumbnailer', '7c5d8f9b6c', {
  containers: [
    container('thumbnailer', 'ghcr.io/acme/thumbnailer:1.4.0', {
      resources: {
        limits: { 'ephemeral-storage': '1Gi', memory: '256Mi' },
        requests: { 'ephemeral-storage': '512Mi', memory: '128Mi' },
      },
    }),
  ],
});
const reports = deployment('reports', '5b8c9d7f4e', {
  containers: [container('reports', 'ghcr.io/acme/reports:2.0.1')],
});

/** A pod as the kubelet leaves it after evicting it at `at`. */
function evictedPod(w: Workload, suffix: string, message: string, at: string): Pod {
  const name = w.deployment.metadata.name;
  return podOf(
    w,
    suffix,
    {
      phase: 'Failed',
      reason: 'Evicted',
      message,
      conditions: [
        condition('DisruptionTarget', 'True', at, 'TerminationByKubelet', message),
        condition('PodReadyToStartContainers', 'False', at),
        condition('Initialized', 'True', '2026-11-21T08:00:02Z'),
        condition('Ready', 'False', at, 'PodFailed'),
        condition('ContainersReady', 'False', at, 'PodFailed'),
        condition('PodScheduled', 'True', '2026-11-21T08:00:00Z'),
      ],
      containerStatuses: [
        {
          name,
          image: w.deployment.spec.template.spec.containers[0]!.image!,
          imageID: '',
          ready: false,
          restartCount: 0,
          started: false,
          state: {
            terminated: {
              exitCode: 137,
              reason: 'ContainerStatusUnknown',
              message: 'The container could not be located when the pod was terminated',
              startedAt: '2026-11-21T08:00:03Z',
              finishedAt: at,
            },
          },
          lastState: {},
        },
      ],
    },
    '2026-11-21T08:00:00Z',
  );
}

function readyPod(w: Workload, suffix: string): Pod {
  const name = w.deployment.metadata.name;
  return podOf(w, suffix, {
    phase: 'Running',
    conditions: [
      condition('Ready', 'True', '2026-11-21T09:41:10Z'),
      condition('PodScheduled', 'True', '2026-11-21T09:41:00Z'),
    ],
    containerStatuses: [
      {
        name,
        image: w.deployment.spec.template.spec.containers[0]!.image!,
        imageID: '',
        ready: true,
        restartCount: 0,
        started: true,
        state: { running: { startedAt: '2026-11-21T09:41:05Z' } },
        lastState: {},
      },
    ],
  });
}

function evictionEvents(pods: Pod[]) {
  return pods.map((p) =>
    kubeletEvent(p, 'Evicted', p.status!.message!.trim(), p.status!.conditions![0]!.lastTransitionTime!),
  );
}

function snapshot(pods: Pod[], extra: Partial<SnapshotInput> = {}): Snapshot {
  return new Snapshot({
    deployments: [thumbnailer.deployment, reports.deployment],
    replicaSets: [thumbnailer.replicaSet, reports.replicaSet],
    pods,
    events: evictionEvents(pods.filter((p) => p.status?.reason === 'Evicted')),
    ...extra,
  });
}

function run(s: Snapshot): RawFinding[] {
  return rule.diagnose({ snapshot: s, now: NOW });
}

const thumbEvicted = [
  evictedPod(thumbnailer, 'a1b2c', LIMIT_MSG, '2026-11-21T09:12:40Z'),
  evictedPod(thumbnailer, 'd3e4f', LIMIT_MSG, '2026-11-21T09:27:05Z'),
  evictedPod(thumbnailer, 'g5h6j', LIMIT_MSG, '2026-11-21T09:40:51Z'),
];

describe('pods/evicted — a container over its own ephemeral-storage limit, replaced by a ready pod', () => {
  const findings = run(snapshot([...thumbEvicted, readyPod(thumbnailer, 'k7m8n')]));
  const f = findings[0]!;

  it('is one warning for the workload, not one critical per pod', () => {
    expect(findings.map((x) => x.id)).toEqual(['pods/evicted:shop/Deployment/thumbnailer#storage-limit']);
    expect(f.severity).toBe('warning');
    expect(f.title).toBe(
      '3 pods of Deployment thumbnailer evicted: container thumbnailer went over its ephemeral-storage limit of 1Gi (replaced, 1 ready)',
    );
    expect(f.objects).toHaveLength(4);
  });

  it('explains from the latest eviction and says the replacements will fill up the same way', () => {
    expect(f.explanation).toContain('evicted 3 pods (the last 49 minutes ago)');
    expect(f.explanation).toContain('Deployment thumbnailer has replaced them: 1 pod ready now.');
    expect(f.explanation).toContain('its replacements are evicted again when they reach it');
    expect(f.evidence[0]).toMatchObject({
      path: 'status.message',
      text: LIMIT_MSG,
      ref: { name: 'thumbnailer-7c5d8f9b6c-g5h6j' },
    });
    expect(f.evidence).toContainEqual(
      expect.objectContaining({ path: 'spec.containers[0].resources.limits.ephemeral-storage', text: '1Gi' }),
    );
  });

  it('plans: raise the limit in the template (guarded), then clean up the evicted pods', () => {
    expect(f.fixes.map((p) => p.id)).toEqual(['raise-ephemeral-storage-limit', 'delete-evicted-pods']);
    expect(f.fixes[0]!.steps[0]).toMatchObject({
      action: 'json-patch',
      patch: [
        { op: 'test', path: '/spec/template/spec/containers/0/name', value: 'thumbnailer' },
        { op: 'test', path: '/spec/template/spec/containers/0/resources/limits/ephemeral-storage', value: '1Gi' },
        { op: 'replace', path: '/spec/template/spec/containers/0/resources/limits/ephemeral-storage', value: '2Gi' },
      ],
    });
    expect(f.fixes[0]!.commands[0]).toBe(
      'kubectl set resources deployment/thumbnailer -c thumbnailer --limits=ephemeral-storage=2Gi -n shop',
    );
    expect(f.fixes[1]!.commands).toEqual([
      'kubectl delete pod thumbnailer-7c5d8f9b6c-a1b2c thumbnailer-7c5d8f9b6c-d3e4f thumbnailer-7c5d8f9b6c-g5h6j -n shop',
    ]);
    expect(f.fixes[1]!.steps.map((s) => s.action)).toEqual(['delete', 'delete', 'delete']);
  });
});

describe('pods/evicted — the node ran low on disk', () => {
  it('critical while nothing replaced the pod, naming the container that used the most', () => {
    const s = snapshot([evictedPod(reports, 'p9q8r', NODE_MSG, '2026-11-21T10:20:00Z')]);
    const [f] = run(s);
    expect(f!.id).toBe('pods/evicted:shop/Deployment/reports#node-disk');
    expect(f!.severity).toBe('critical');
    expect(f!.title).toBe('1 pod of Deployment reports evicted: node shop-node-1 ran low on disk (ephemeral-storage)');
    expect(f!.explanation).toContain('Container reports was using 20537684Ki against a request of 0');
    expect(f!.fixes.map((p) => p.id)).toEqual(['size-ephemeral-storage']);
    expect(f!.fixes[0]!.commands).toContain(
      'kubectl set resources deployment/reports -c reports --requests=ephemeral-storage=<size> --limits=ephemeral-storage=<size> -n shop',
    );
  });

  it('hangs under the node while the node is still under DiskPressure', () => {
    const node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'shop-node-1' },
      spec: {},
      status: {
        conditions: [
          {
            type: 'DiskPressure',
            status: 'True',
            reason: 'KubeletHasDiskPressure',
            message: 'kubelet has disk pressure',
            lastHeartbeatTime: '2026-11-21T10:29:40Z',
            lastTransitionTime: '2026-11-21T10:19:30Z',
          },
        ],
      },
    } as Node;
    const s = snapshot([evictedPod(reports, 'p9q8r', NODE_MSG, '2026-11-21T10:20:00Z')], { nodes: [node] });
    const { findings } = runRules([pressure, rule], s, { now: NOW });
    const evicted = findings.find((x) => x.ruleId === 'pods/evicted')!;
    expect(evicted.causedBy).toEqual(['nodes/pressure:/Node/shop-node-1#DiskPressure']);
  });

  it('a bare pod that was evicted is gone for good: critical, no clean-up plan', () => {
    const pod = evictedPod(reports, 'p9q8r', NODE_MSG, '2026-11-21T10:20:00Z');
    delete pod.metadata.ownerReferences;
    pod.metadata.name = 'debug-shell';
    const [f] = run(snapshot([pod]));
    expect(f!.id).toBe('pods/evicted:shop/Pod/debug-shell#node-disk');
    expect(f!.severity).toBe('critical');
    expect(f!.explanation).toContain('A bare pod has no controller to recreate it');
    expect(f!.fixes.map((p) => p.id)).not.toContain('delete-evicted-pods');
  });
});

describe('pods/evicted — healthy and old', () => {
  it('no evicted pods: nothing (failed Job pods and running pods are not evictions)', () => {
    const done = readyPod(reports, 'z1y2x');
    done.status!.phase = 'Failed';
    done.status!.reason = 'DeadlineExceeded';
    expect(run(snapshot([readyPod(thumbnailer, 'k7m8n'), done]))).toEqual([]);
  });

  it('an eviction days ago, long since replaced: info, not a warning', () => {
    const old = evictedPod(thumbnailer, 'a1b2c', LIMIT_MSG, '2026-11-18T09:12:40Z');
    const [f] = run(snapshot([old, readyPod(thumbnailer, 'k7m8n')]));
    expect(f!.severity).toBe('info');
  });
});

describe('parseEviction — the kubelet eviction manager messages', () => {
  it.each([
    [NODE_MSG, { kind: 'node-low', resource: 'ephemeral-storage', threshold: '9418749348', available: '8795644Ki' }],
    [
      'The node was low on resource: memory. Container app was using 1890Mi, request is 512Mi, has larger consumption of memory. ',
      { kind: 'node-low', resource: 'memory', users: [{ container: 'app', using: '1890Mi', request: '512Mi' }] },
    ],
    [
      'Pod ephemeral local storage usage exceeds the total limit of containers 2Gi. ',
      { kind: 'pod-limit', limit: '2Gi' },
    ],
    [
      'Usage of EmptyDir volume "cache" exceeds the limit "500Mi". ',
      { kind: 'emptydir-limit', volume: 'cache', limit: '500Mi' },
    ],
    ['The node had condition: [DiskPressure]. ', { kind: 'node-condition', condition: 'DiskPressure' }],
  ])('%s', (message, expected) => {
    expect(parseEviction(message)).toMatchObject(expected);
  });
});

describe('pods/evicted — an emptyDir over its sizeLimit', () => {
  it('raises the sizeLimit in the template, guarded by the volume name and the current limit', () => {
    const cache = deployment('cache', '6f5e4d3c2b', {
      containers: [
        container('cache', 'ghcr.io/acme/cache:1.0.0', {
          volumeMounts: [{ name: 'tiles', mountPath: '/var/cache/tiles' }],
        }),
      ],
      volumes: [{ name: 'tiles', emptyDir: { sizeLimit: '500Mi' } }],
    });
    const pod = evictedPod(
      cache,
      'q1w2e',
      'Usage of EmptyDir volume "tiles" exceeds the limit "500Mi". ',
      '2026-11-21T10:10:00Z',
    );
    const s = new Snapshot({
      deployments: [cache.deployment],
      replicaSets: [cache.replicaSet],
      pods: [pod, readyPod(cache, 'r3t4y')],
      events: evictionEvents([pod]),
    });
    const [f] = run(s);
    expect(f!.title).toBe(
      '1 pod of Deployment cache evicted: emptyDir volume tiles went over its sizeLimit of 500Mi (replaced, 1 ready)',
    );
    expect(f!.fixes.map((p) => p.id)).toEqual(['raise-emptydir-size-limit', 'delete-evicted-pods']);
    expect(f!.fixes[0]!.steps[0]).toMatchObject({
      action: 'json-patch',
      patch: [
        { op: 'test', path: '/spec/template/spec/volumes/0/name', value: 'tiles' },
        { op: 'test', path: '/spec/template/spec/volumes/0/emptyDir/sizeLimit', value: '500Mi' },
        { op: 'replace', path: '/spec/template/spec/volumes/0/emptyDir/sizeLimit', value: '1000Mi' },
      ],
    });
    expect(f!.fixes[1]!.title).toBe('Delete the evicted pod of deployment/cache');
  });
});

describe('pods/evicted — Job pods', () => {
  function jobWithEvictedPod(conditions: { type: string; status: string }[]) {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'nightly-export', namespace: 'shop', uid: 'job-uid-1' },
      spec: {
        template: { spec: { containers: [container('export', 'ghcr.io/acme/export:1.0')], restartPolicy: 'Never' } },
      },
      status: { conditions },
    };
    const pod = evictedPod(reports, 'j1k2l', NODE_MSG, '2026-11-21T10:20:00Z');
    pod.metadata.name = 'nightly-export-j1k2l';
    pod.metadata.ownerReferences = [
      { apiVersion: 'batch/v1', kind: 'Job', name: 'nightly-export', uid: 'job-uid-1', controller: true },
    ];
    return new Snapshot({ jobs: [job] as SnapshotInput['jobs'], pods: [pod], events: evictionEvents([pod]) });
  }

  it('a Job that completed since: its evicted pod is history, not a finding', () => {
    expect(run(jobWithEvictedPod([{ type: 'Complete', status: 'True' }]))).toEqual([]);
  });

  it('a Job still running without a pod at work: reported on the Job', () => {
    const [f] = run(jobWithEvictedPod([]));
    expect(f!.id).toBe('pods/evicted:shop/Job/nightly-export#node-disk');
    expect(f!.severity).toBe('critical');
  });
});

describe('pods/evicted — malformed input', () => {
  it('survives pods without spec, odd conditions and messages that are not the kubelet’s', () => {
    const pods = [
      { metadata: { name: 'a', namespace: 'x' }, status: { phase: 'Failed', reason: 'Evicted' } },
      {
        metadata: { name: 'b', namespace: 'x' },
        spec: { containers: 'nope' },
        status: {
          phase: 'Failed',
          reason: 'Evicted',
          message: LIMIT_MSG,
          conditions: [null, 'x'],
          containerStatuses: {},
        },
      },
      {
        metadata: { name: 'c', namespace: 'x' },
        spec: { containers: [null] },
        status: { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory. Container ' },
      },
    ] as unknown as Pod[];
    const { findings: found } = runRules([rule], new Snapshot({ pods }), { now: NOW });
    expect(found.map((f) => f.id).sort()).toEqual([
      'pods/evicted:x/Pod/a#unknown',
      'pods/evicted:x/Pod/b#storage-limit',
      'pods/evicted:x/Pod/c#node-memory',
    ]);
  });
});
