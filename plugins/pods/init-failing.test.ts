import { describe, expect, it } from 'vitest';
import type { Pod, Service } from '../../src/model/k8s.js';
import type { RawFinding } from '../../src/diagnose/types.js';
import { runRules } from '../../src/diagnose/engine.js';
import { Snapshot, type SnapshotInput } from '../../src/store/snapshot.js';
import { NOW } from '../../test/fixtures/pods/load.js';
import { NS, condition, container, deployment, kubeletEvent, podOf } from '../../test/fixtures/pods/containers.js';
import { rule } from './init-failing.js';
import { rule as crashloop } from './crashloop.js';

const web = deployment('web', '6d9f7c8b5d', {
  initContainers: [
    container('wait-for-config', 'busybox:1.36', { command: ['sh', '-c', 'test -f /config/app.yaml'] }),
    container('migrate', 'ghcr.io/acme/web:3.2.0', {
      command: ['/app/web', 'migrate', '--database-url=$(DATABASE_URL)'],
      resources: { limits: { memory: '128Mi' }, requests: { memory: '64Mi' } },
    }),
  ],
  containers: [
    container('web', 'ghcr.io/acme/web:3.2.0', { ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }] }),
  ],
});

/** The pod the kubelet reports while init container migrate crash-loops: `Init:CrashLoopBackOff` in kubectl get pods. */
function crashingPod(): Pod {
  const pod = podOf(web, 'x7k2p', {
    phase: 'Pending',
    conditions: [
      condition('PodReadyToStartContainers', 'True', '2026-11-21T09:50:02Z'),
      condition(
        'Initialized',
        'False',
        '2026-11-21T09:50:00Z',
        'ContainersNotInitialized',
        'containers with incomplete status: [migrate]',
      ),
      condition(
        'Ready',
        'False',
        '2026-11-21T09:50:00Z',
        'ContainersNotReady',
        'containers with unready status: [web]',
      ),
      condition(
        'ContainersReady',
        'False',
        '2026-11-21T09:50:00Z',
        'ContainersNotReady',
        'containers with unready status: [web]',
      ),
      condition('PodScheduled', 'True', '2026-11-21T09:50:00Z'),
    ],
    initContainerStatuses: [
      {
        name: 'wait-for-config',
        image: 'docker.io/library/busybox:1.36',
        imageID: 'docker.io/library/busybox@sha256:768e5c6f5cb6db0794eec98dc7a967f40631746c32232b78a3105fb946f3ab83',
        ready: true,
        restartCount: 0,
        started: false,
        state: {
          terminated: {
            exitCode: 0,
            reason: 'Completed',
            startedAt: '2026-11-21T09:50:03Z',
            finishedAt: '2026-11-21T09:50:03Z',
          },
        },
        lastState: {},
      },
      {
        name: 'migrate',
        image: 'ghcr.io/acme/web:3.2.0',
        imageID: 'ghcr.io/acme/web@sha256:0f1e3b4a5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f',
        ready: false,
        restartCount: 7,
        started: false,
        state: {
          waiting: {
            reason: 'CrashLoopBackOff',
            message:
              'back-off 5m0s restarting failed container=migrate pod=web-6d9f7c8b5d-x7k2p_shop(x7k2p-pod-0000-4000-8000-000000000003)',
          },
        },
        lastState: {
          terminated: {
            exitCode: 1,
            reason: 'Error',
            startedAt: '2026-11-21T10:24:41Z',
            finishedAt: '2026-11-21T10:24:43Z',
          },
        },
      },
    ],
    containerStatuses: [
      {
        name: 'web',
        image: 'ghcr.io/acme/web:3.2.0',
        imageID: '',
        ready: false,
        restartCount: 0,
        started: false,
        state: { waiting: { reason: 'PodInitializing' } },
        lastState: {},
      },
    ],
  });
  return pod;
}

function input(pods: Pod[], extra: Partial<SnapshotInput> = {}): SnapshotInput {
  return {
    deployments: [web.deployment],
    replicaSets: [web.replicaSet],
    pods,
    events: [],
    logs: [
      {
        namespace: NS,
        pod: 'web-6d9f7c8b5d-x7k2p',
        container: 'migrate',
        previous: true,
        lines: [
          '2026-11-21T10:24:42.118Z INFO  migrate: 41 migrations applied, 1 pending',
          '2026-11-21T10:24:42.907Z ERROR migrate: 20261120_add_orders_index: pq: column "placed_at" does not exist',
        ],
      },
    ],
    ...extra,
  };
}

function run(i: SnapshotInput): RawFinding[] {
  return rule.diagnose({ snapshot: new Snapshot(i), now: NOW });
}

describe('pods/init-failing — Init:CrashLoopBackOff', () => {
  const findings = run(input([crashingPod()]));
  const f = findings[0]!;

  it('is one critical finding on the Deployment, for the init container and its cause', () => {
    expect(findings.map((x) => x.id)).toEqual(['pods/init-failing:shop/Deployment/web#migrate/exit-code']);
    expect(f.severity).toBe('critical');
    expect(f.title).toBe(
      'init container migrate keeps crashing: exit code 1 (application error) — app container web never starts',
    );
  });

  it('says which step is failing, that it blocks the app, and why it fails', () => {
    expect(f.explanation).toContain(
      'Init container migrate (step 2 of 2) of pod web-6d9f7c8b5d-x7k2p keeps failing (Init:CrashLoopBackOff, 7 restarts so far',
    );
    expect(f.explanation).toContain('so app container web never starts: the pod stays Pending and serves nothing.');
    expect(f.explanation).toContain(
      'The last run ended with exit code 1: the program stopped itself with a general error',
    );
  });

  it('shows the exit code, the last log lines, the Initialized condition and the waiting app container', () => {
    expect(f.evidence[0]).toMatchObject({
      path: 'status.initContainerStatuses[1].lastState.terminated',
      text: expect.stringContaining('exitCode 1, reason Error'),
    });
    expect(f.evidence).toContainEqual(
      expect.objectContaining({
        source: 'log',
        text: '2026-11-21T10:24:42.907Z ERROR migrate: 20261120_add_orders_index: pq: column "placed_at" does not exist',
      }),
    );
    expect(f.evidence).toContainEqual(
      expect.objectContaining({
        path: 'status.conditions[1]',
        text: 'Initialized=False: containers with incomplete status: [migrate]',
      }),
    );
    expect(f.evidence).toContainEqual(
      expect.objectContaining({ path: 'status.containerStatuses[0].state.waiting.reason', text: 'PodInitializing' }),
    );
  });

  it('plans: read the crashed run of the init container', () => {
    expect(f.fixes[0]).toMatchObject({
      id: 'fix-crash-cause',
      commands: ['kubectl logs web-6d9f7c8b5d-x7k2p -c migrate -n shop --previous'],
    });
  });

  it('pods/crashloop leaves init containers to this rule', () => {
    expect(crashloop.diagnose({ snapshot: new Snapshot(input([crashingPod()])), now: NOW })).toEqual([]);
  });
});

describe('pods/init-failing — other ways an init container holds the pod', () => {
  it('OOMKilled: raises the init container memory limit with a JSON patch (kubectl set resources does not reach init containers)', () => {
    const pod = crashingPod();
    pod.status!.initContainerStatuses![1]!.lastState!.terminated = {
      exitCode: 137,
      reason: 'OOMKilled',
      startedAt: '2026-11-21T10:24:41Z',
      finishedAt: '2026-11-21T10:24:58Z',
    };
    const [f] = run(input([pod]));
    expect(f!.id).toBe('pods/init-failing:shop/Deployment/web#migrate/oom');
    expect(f!.title).toBe(
      'init container migrate keeps crashing: killed for using more than its 128Mi memory limit (OOMKilled) — app container web never starts',
    );
    expect(f!.fixes[0]!.steps[0]).toMatchObject({
      action: 'json-patch',
      patch: [
        { op: 'test', path: '/spec/template/spec/initContainers/1/name', value: 'migrate' },
        { op: 'add', path: '/spec/template/spec/initContainers/1/resources/limits/memory', value: '256Mi' },
      ],
    });
    expect(f!.fixes[0]!.commands[0]).toContain('kubectl patch deployment web -n shop --type=json');
  });

  it('Init:Error under restartPolicy Never: a bare pod that failed for good', () => {
    const pod = crashingPod();
    delete pod.metadata.ownerReferences;
    pod.metadata.name = 'db-seed';
    pod.spec.restartPolicy = 'Never';
    pod.status!.phase = 'Failed';
    const st = pod.status!.initContainerStatuses![1]!;
    st.restartCount = 0;
    st.state = {
      terminated: {
        exitCode: 2,
        reason: 'Error',
        startedAt: '2026-11-21T10:24:41Z',
        finishedAt: '2026-11-21T10:24:42Z',
      },
    };
    st.lastState = {};
    const [f] = run(input([pod], { logs: [] }));
    expect(f!.id).toBe('pods/init-failing:shop/Pod/db-seed#migrate/exit-code');
    expect(f!.title).toBe('init container migrate failed: exit code 2 (usage error) — app container web never starts');
    expect(f!.explanation).toContain(
      'failed (Init:Error) and, with restartPolicy Never, is not retried, so app container web never starts: the pod stays Failed',
    );
  });

  it('stuck waiting for a Service with no ready pod: a symptom hung under that Service', () => {
    const pod = crashingPod();
    const init = pod.spec.initContainers![1]!;
    init.env = [{ name: 'DB_HOST', value: 'orders-db' }];
    const st = pod.status!.initContainerStatuses![1]!;
    st.restartCount = 0;
    st.state = { running: { startedAt: '2026-11-21T10:05:00Z' } };
    st.lastState = {};
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'orders-db', namespace: NS },
      spec: {
        selector: { app: 'orders-db' },
        ports: [{ port: 5432, targetPort: 5432, protocol: 'TCP' }],
        clusterIP: '10.96.14.2',
      },
    } as Service;
    const db = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'orders-db-0', namespace: NS, labels: { app: 'orders-db' } },
      spec: { containers: [container('postgres', 'postgres:16')] },
      status: {
        phase: 'Pending',
        conditions: [
          condition(
            'PodScheduled',
            'False',
            '2026-11-21T10:00:00Z',
            'Unschedulable',
            '0/3 nodes are available: 3 Insufficient memory.',
          ),
        ],
      },
    } as Pod;
    const i = input([pod, db], { services: [svc], logs: [] });
    const [f] = run(i);
    expect(f!.id).toBe('pods/init-failing:shop/Deployment/web#migrate/waiting-dependency');
    expect(f!.severity).toBe('warning');
    expect(f!.title).toBe(
      'init container migrate has run for 25 minutes without finishing, waiting for orders-db: app container web never starts',
    );
    expect(f!.explanation).toContain(
      'Its configuration names orders-db (spec.initContainers[1].env[0]: "DB_HOST=orders-db"): Service orders-db, which has 0 of 1 pods ready.',
    );
    expect(f!.dependsOn).toEqual([{ kind: 'Service', name: 'orders-db', namespace: NS }]);
    expect(f!.fixes[0]!.id).toBe('find-what-init-waits-for');
    const { findings } = runRules([rule], new Snapshot(i), { now: NOW });
    expect(findings[0]!.id).toBe(f!.id);
  });

  it('stuck with nothing to say what for: critical, read its log', () => {
    const pod = crashingPod();
    const st = pod.status!.initContainerStatuses![1]!;
    st.restartCount = 0;
    st.state = { running: { startedAt: '2026-11-21T09:55:00Z' } };
    st.lastState = {};
    const [f] = run(input([pod], { logs: [] }));
    expect(f!.id).toBe('pods/init-failing:shop/Deployment/web#migrate/stuck');
    expect(f!.severity).toBe('critical');
    expect(f!.explanation).toContain('(Init:1/2)');
  });
});

describe('pods/init-failing — healthy variants give nothing', () => {
  it('init containers completed and the app running', () => {
    const pod = crashingPod();
    pod.status!.phase = 'Running';
    const st = pod.status!.initContainerStatuses![1]!;
    st.state = {
      terminated: {
        exitCode: 0,
        reason: 'Completed',
        startedAt: '2026-11-21T09:50:04Z',
        finishedAt: '2026-11-21T09:50:09Z',
      },
    };
    st.lastState = {};
    st.restartCount = 0;
    pod.status!.containerStatuses![0]!.state = { running: { startedAt: '2026-11-21T09:50:10Z' } };
    expect(run(input([pod]))).toEqual([]);
  });

  it('an init container that has run for only a few minutes (a migration takes its time)', () => {
    const pod = crashingPod();
    const st = pod.status!.initContainerStatuses![1]!;
    st.restartCount = 0;
    st.state = { running: { startedAt: '2026-11-21T10:26:00Z' } };
    st.lastState = {};
    expect(run(input([pod]))).toEqual([]);
  });

  it('a native sidecar (an init container with restartPolicy Always) running beside the app', () => {
    const pod = crashingPod();
    (pod.spec.initContainers![1] as { restartPolicy?: string }).restartPolicy = 'Always';
    const st = pod.status!.initContainerStatuses![1]!;
    st.restartCount = 0;
    st.state = { running: { startedAt: '2026-11-21T09:50:04Z' } };
    st.lastState = {};
    expect(run(input([pod]))).toEqual([]);
  });

  it("a Job's failed pod is the Job's story", () => {
    const pod = crashingPod();
    pod.metadata.ownerReferences = [{ apiVersion: 'batch/v1', kind: 'Job', name: 'seed', uid: 'j', controller: true }];
    pod.status!.phase = 'Failed';
    const st = pod.status!.initContainerStatuses![1]!;
    st.state = {
      terminated: {
        exitCode: 1,
        reason: 'Error',
        startedAt: '2026-11-21T10:24:41Z',
        finishedAt: '2026-11-21T10:24:42Z',
      },
    };
    expect(run(input([pod]))).toEqual([]);
  });
});

describe('native sidecars crash like app containers', () => {
  it('a crash-looping init container with restartPolicy Always is pods/crashloop’s, not this rule’s', () => {
    const pod = crashingPod();
    (pod.spec.initContainers![1] as { restartPolicy?: string }).restartPolicy = 'Always';
    pod.status!.phase = 'Running';
    const s = new Snapshot(input([pod]));
    expect(rule.diagnose({ snapshot: s, now: NOW })).toEqual([]);
    expect(crashloop.diagnose({ snapshot: s, now: NOW }).map((f) => f.id)).toEqual([
      'pods/crashloop:shop/Deployment/web#migrate/exit-code',
    ]);
  });
});

describe('pods/init-failing — malformed input', () => {
  it('survives statuses without state, a spec without init containers and odd times', () => {
    const pods = [
      {
        metadata: { name: 'a', namespace: 'x' },
        status: {
          phase: 'Pending',
          initContainerStatuses: [{ name: 'i', state: { waiting: { reason: 'CrashLoopBackOff' } } }],
        },
      },
      {
        metadata: { name: 'b', namespace: 'x' },
        spec: { initContainers: 'nope', containers: null },
        status: {
          phase: 'Pending',
          initContainerStatuses: [{ name: 'i', state: { running: { startedAt: 'soon' } } }, null],
        },
      },
      {
        metadata: { name: 'c', namespace: 'x' },
        spec: { initContainers: [{ name: 'i' }], containers: [{}] },
        status: { phase: 'Failed', initContainerStatuses: [{ name: 'i', state: { terminated: { exitCode: 3 } } }] },
      },
    ] as unknown as Pod[];
    const { findings: found } = runRules([rule], new Snapshot({ pods }), { now: NOW });
    expect(found.map((f) => f.id).sort()).toEqual([
      'pods/init-failing:x/Pod/a#i/unknown',
      'pods/init-failing:x/Pod/c#i/exit-code',
    ]);
    expect(found.every((f) => f.title.length > 0 && f.evidence.length > 0)).toBe(true);
  });
});
