// The cockpit keeps pods and events projected to what the rules and views read
// (src/store/projection.ts, decisions/0020). The projection must not change a single
// finding: every built-in rule gives the same findings on projected pods and events as on the
// whole objects, over every shipped scenario and a generated cluster with every breakage.
import { afterEach, describe, expect, it } from 'vitest';
import { builtinRules } from '../../plugins/index.js';
import { runRules } from '../../src/diagnose/engine.js';
import { ROUTINE_EVENT_REASONS } from '../../src/diagnose/registry.js';
import { connect, type Connection } from '../../src/kube/client.js';
import { SNAPSHOT_RESOURCES } from '../../src/kube/resources.js';
import { StringPool } from '../../src/kube/string-pool.js';
import type { KubeEvent, KubeObject, Pod } from '../../src/model/k8s.js';
import { resolveScenario } from '../../src/sim/main.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { loadClusterSnapshot } from '../../src/store/load.js';
import { EVENT_SHAPE, POD_SHAPE, project, Twins, twinsPerList } from '../../src/store/projection.js';
import type { Snapshot } from '../../src/store/snapshot.js';

const pod = (): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'api-7d4b9c-x1', generateName: 'api-7d4b9c-', namespace: 'shop', uid: 'u1' },
    spec: {
      containers: [
        {
          name: 'api',
          image: 'ghcr.io/acme/api:1.2.3',
          terminationMessagePath: '/dev/termination-log',
          env: [
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api-token', key: 'token' } } },
          ],
          resources: { limits: { memory: '512Mi' } },
        },
      ],
      volumes: [
        { name: 'tmp', emptyDir: {} },
        {
          name: 'kube-api-access',
          projected: {
            sources: [{ serviceAccountToken: { path: 'token' } }, { configMap: { name: 'kube-root-ca.crt' } }],
          },
        },
      ],
      dnsPolicy: 'ClusterFirst',
    },
    status: {
      phase: 'Running',
      qosClass: 'Burstable',
      containerStatuses: [
        { name: 'api', ready: true, restartCount: 0, containerID: 'containerd://abc', state: { running: {} } },
      ],
    },
  }) as unknown as Pod;

describe('project', () => {
  it('keeps what the shape names, drops the rest, and keeps every array element in its place', () => {
    const kept = project(pod(), POD_SHAPE, new StringPool()) as unknown as Record<string, any>;
    expect(kept.metadata).toEqual({ name: 'api-7d4b9c-x1', namespace: 'shop', uid: 'u1' });
    const [c] = kept.spec.containers;
    expect(c).toEqual({
      name: 'api',
      image: 'ghcr.io/acme/api:1.2.3',
      env: [
        { name: 'POD_NAME', valueFrom: {} },
        { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api-token', key: 'token' } } },
      ],
      resources: { limits: { memory: '512Mi' } },
    });
    // `/spec/volumes/1/projected/sources/1/configMap` points at the same thing on the server's object.
    expect(kept.spec.volumes).toEqual([
      { name: 'tmp' },
      { name: 'kube-api-access', projected: { sources: [{}, { configMap: { name: 'kube-root-ca.crt' } }] } },
    ]);
    expect(kept.spec.dnsPolicy).toBeUndefined();
    expect(kept.status).toEqual({
      phase: 'Running',
      containerStatuses: [{ name: 'api', ready: true, restartCount: 0, state: { running: {} } }],
    });
  });

  it('keeps no key of the cluster’s that only an object prototype has', () => {
    const hostile = JSON.parse(
      '{"metadata":{"name":"p","__proto__":{"polluted":true}},"spec":{"containers":[],"toString":"x","constructor":{"a":1}}}',
    ) as Pod;
    const kept = project(hostile, POD_SHAPE, new StringPool());
    expect(Object.keys(kept.metadata)).toEqual(['name']);
    expect(Object.getPrototypeOf(kept.metadata)).toBe(Object.prototype);
    expect((kept.metadata as unknown as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.keys(kept.spec)).toEqual(['containers']);
  });

  it('keeps an object that loses nothing (changed in place), and copies one that does', () => {
    const whole = pod();
    const kept = project(whole, POD_SHAPE);
    expect(kept).toBe(whole);
    expect(kept.spec.containers[0]!.resources).toBe(whole.spec.containers[0]!.resources);
    const event = {
      metadata: { name: 'e1', namespace: 'shop' },
      involvedObject: { kind: 'Pod', name: 'api', apiVersion: 'v1', resourceVersion: '7' },
      reason: 'BackOff',
      reportingInstance: 'node-1',
    } as unknown as KubeEvent;
    const projected = project(event, EVENT_SHAPE);
    expect(projected).not.toBe(event);
    expect(projected).toEqual({
      metadata: { name: 'e1', namespace: 'shop' },
      involvedObject: { kind: 'Pod', name: 'api' },
      reason: 'BackOff',
    });
  });
});

/** `p` with a new name and uid, owned by `owner`, as its controller's next replica. */
function replica(name: string, uid: string, owner = 'rs-1'): Pod {
  const p = pod();
  p.metadata = {
    ...p.metadata,
    name,
    uid,
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api-7d4b9c', uid: owner, controller: true }],
  };
  return p;
}

describe('twins', () => {
  it('keep one copy of what replicas of one controller have in common, and nothing else is changed', () => {
    const twins = new Twins();
    const a = twins.project(replica('api-1', 'u1'), POD_SHAPE, undefined);
    const changed = () => {
      const p = replica('api-2', 'u2');
      p.spec.containers[0]!.image = 'ghcr.io/acme/api:1.2.4';
      return p;
    };
    const b = twins.project(changed(), POD_SHAPE, undefined);
    expect(b).toEqual(project(changed(), POD_SHAPE));
    expect(b.metadata.name).toBe('api-2');
    expect(b.metadata.ownerReferences).toBe(a.metadata.ownerReferences);
    expect(b.spec.volumes).toBe(a.spec.volumes);
    expect(b.status).toBe(a.status);
    // The container differs in its image: not shared, but its unchanged parts are.
    expect(b.spec.containers).not.toBe(a.spec.containers);
    expect(b.spec.containers[0]!.image).toBe('ghcr.io/acme/api:1.2.4');
    expect(b.spec.containers[0]!.env).toBe(a.spec.containers[0]!.env);
    expect(b.spec.containers[0]!.resources).toBe(a.spec.containers[0]!.resources);
    // What the twin holds is unchanged.
    expect(a.spec.containers[0]!.image).toBe('ghcr.io/acme/api:1.2.3');
  });

  it('give a changed object the parts of its earlier version, whatever its family', () => {
    const twins = new Twins();
    const before = twins.project(pod(), POD_SHAPE, undefined);
    const raw = pod();
    raw.status.containerStatuses![0]!.restartCount = 1;
    const after = twins.project(raw, POD_SHAPE, undefined, before);
    expect(after.spec).toBe(before.spec);
    expect(after.status).not.toBe(before.status);
    expect(after.status.containerStatuses![0]!.restartCount).toBe(1);
    expect(after.status.containerStatuses![0]!.state).toBe(before.status.containerStatuses![0]!.state);
  });

  it('share nothing between objects of different controllers, or an array of another length', () => {
    const twins = new Twins();
    const a = twins.project(replica('api-1', 'u1', 'rs-1'), POD_SHAPE, undefined);
    const b = twins.project(replica('web-1', 'u2', 'rs-2'), POD_SHAPE, undefined);
    expect(b.spec).not.toBe(a.spec);
    expect(b.spec.containers[0]!.env).not.toBe(a.spec.containers[0]!.env);
    const raw = replica('api-2', 'u3', 'rs-1');
    raw.spec.containers[0]!.env!.pop();
    const c = twins.project(raw, POD_SHAPE, undefined);
    expect(c.spec.containers[0]!.env).not.toBe(a.spec.containers[0]!.env);
    expect(c.spec.containers[0]!.env).toHaveLength(1);
    // A field fewer than the twin's: not the twin's, though every field it has is equal.
    const alone = new Twins();
    const whole = alone.project(replica('api-3', 'u4', 'rs-1'), POD_SHAPE, undefined);
    const fewer = replica('api-4', 'u5', 'rs-1');
    delete fewer.spec.containers[0]!.resources;
    const d = alone.project(fewer, POD_SHAPE, undefined);
    expect(d.spec.containers[0]!.resources).toBeUndefined();
    expect(d.spec.containers[0]!.env).toBe(whole.spec.containers[0]!.env);
    // Element by element all the same: its first element is still the twin's.
    expect(c.spec.containers[0]!.env![0]).toBe(a.spec.containers[0]!.env![0]);
  });

  it('make the events of one object share what they have in common', () => {
    const twins = new Twins();
    const event = (name: string, reason: string) =>
      ({
        metadata: { name, namespace: 'shop', uid: name },
        involvedObject: { kind: 'Pod', namespace: 'shop', name: 'api-1', uid: 'u1', fieldPath: 'spec.containers{api}' },
        reason,
        source: { component: 'kubelet', host: 'node-1' },
        type: 'Normal',
      }) as unknown as KubeEvent;
    const pulled = twins.project(event('api-1.1', 'Pulled'), EVENT_SHAPE, undefined);
    const started = twins.project(event('api-1.2', 'Started'), EVENT_SHAPE, undefined);
    expect(started.reason).toBe('Started');
    expect(started.involvedObject).toBe(pulled.involvedObject);
    expect(started.source).toBe(pulled.source);
  });

  it('give a ReplicaSet its Deployment’s pod template, whichever list comes first', () => {
    const template = () => ({ metadata: { labels: { app: 'api' } }, spec: structuredClone(pod().spec) });
    const deployment = () =>
      ({
        metadata: { name: 'api', namespace: 'shop', uid: 'd1' },
        spec: { replicas: 2, template: template() },
      }) as unknown as KubeObject;
    const replicaSet = () => {
      const t = template();
      t.metadata.labels = { ...t.metadata.labels, 'pod-template-hash': '7d4b9c' } as { app: string };
      return {
        metadata: {
          name: 'api-7d4b9c',
          namespace: 'shop',
          uid: 'rs-1',
          ownerReferences: [{ kind: 'Deployment', name: 'api', uid: 'd1', controller: true }],
        },
        spec: { replicas: 2, template: t },
      } as unknown as KubeObject;
    };
    const spec = (o: KubeObject) =>
      (o as unknown as { spec: { template: { spec: unknown; metadata: unknown } } }).spec.template;
    for (const order of [
      ['deployments', 'replicaSets'],
      ['replicaSets', 'deployments'],
    ] as const) {
      const twinsFor = twinsPerList();
      const [first, second] = order.map((list) =>
        twinsFor(list).project(list === 'deployments' ? deployment() : replicaSet(), true, undefined),
      );
      expect(spec(second!).spec).toBe(spec(first!).spec);
      expect(spec(second!).metadata).not.toBe(spec(first!).metadata);
    }
    // Other lists have twins of their own.
    const twinsFor = twinsPerList();
    expect(twinsFor('pods')).not.toBe(twinsFor('events'));
    expect(twinsFor('deployments')).toBe(twinsFor('replicaSets'));
  });

  it('forget a deleted object: it is nobody’s twin', () => {
    const twins = new Twins();
    const a = twins.project(replica('api-1', 'u1'), POD_SHAPE, undefined);
    twins.forget(replica('api-1', 'u1'));
    expect(twins.project(replica('api-2', 'u2'), POD_SHAPE, undefined).spec).toBe(a.spec);
    const b = twins.project(replica('api-3', 'u3'), POD_SHAPE, undefined);
    twins.forget(b);
    expect(twins.project(replica('api-4', 'u4'), POD_SHAPE, undefined).spec).not.toBe(b.spec);
  });

  it('forget their families once they know too many', () => {
    const twins = new Twins(2);
    const a = twins.project(replica('api-1', 'u1', 'rs-1'), POD_SHAPE, undefined);
    twins.project(replica('web-1', 'u2', 'rs-2'), POD_SHAPE, undefined);
    twins.project(replica('db-1', 'u3', 'rs-3'), POD_SHAPE, undefined);
    const b = twins.project(replica('api-2', 'u4', 'rs-1'), POD_SHAPE, undefined);
    expect(b.spec).not.toBe(a.spec);
  });
});

let sim: SimServer | undefined;
let conn: Connection | undefined;
afterEach(async () => {
  conn?.close();
  await sim?.close();
  sim = conn = undefined;
});

/** Frozen all the way down: a rule that writes into a kept object (shared with its twins) throws. */
function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
}

/** The findings, and the rules that failed (a rule that wrote into a frozen object). */
const findingsOf = (s: Snapshot) => {
  const { findings, failures } = runRules(builtinRules, s);
  return JSON.stringify({ findings, failures });
};

describe('what the stores keep changes no finding', () => {
  // Projections, shared strings and parts shared with twins, read as the cockpit and
  // diagnose keep them, and without the routine events diagnose leaves on the server, against
  // every object and every event as listed.
  // shop and large:400 have controllers at work, and their routine events.
  for (const [scenario, routineEvents] of [
    ['s1-jaeger', false],
    ['s2-pending', false],
    ['shop', true],
    ['large:400', true],
  ] as const) {
    it(`on ${scenario}`, async () => {
      sim = await startSimServer({ scenario: resolveScenario(scenario) });
      conn = connect({ kubeconfig: sim.kubeconfigPath });
      const whole = await loadClusterSnapshot(conn, { whole: true });
      const before = findingsOf(whole);
      expect(before.length).toBeGreaterThan(2);
      const kept = await loadClusterSnapshot(conn, { skipEventReasons: ROUTINE_EVENT_REASONS });
      // The two reads differ: one keeps what the other drops.
      expect(JSON.stringify(kept.pods).length).toBeLessThan(JSON.stringify(whole.pods).length);
      const routine = (s: Snapshot) => s.events.filter((e) => ROUTINE_EVENT_REASONS.includes(e.reason ?? ''));
      expect(routine(whole).length > 0).toBe(routineEvents);
      expect(routine(kept)).toEqual([]);
      expect(kept.events.length).toBeGreaterThan(0);
      for (const { into } of SNAPSHOT_RESOURCES) deepFreeze(kept[into]);
      expect(findingsOf(kept)).toBe(before);
    }, 60_000);
  }
});

// Last in the file: it fills the builders a process remembers, and the tests above should run with them.
describe('project, past the builders it remembers', () => {
  it('keeps the kept keys in the cluster’s order, however many orders a cluster writes', () => {
    // 7 kept keys in every order (5,040), and a key to drop: past the builders it remembers,
    // objects are still made right.
    const keys = ['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'labels', 'annotations'];
    const orders = (rest: string[]): string[][] =>
      rest.length === 0 ? [[]] : rest.flatMap((k) => orders(rest.filter((r) => r !== k)).map((o) => [k, ...o]));
    for (const order of orders(keys)) {
      const metadata = Object.fromEntries([['generateName', 'api-'], ...order.map((k) => [k, `${k}-value`])]);
      const kept = project({ kind: 'Pod', metadata } as unknown as Pod, POD_SHAPE).metadata;
      expect(Object.keys(kept)).toEqual(order);
      expect(Object.values(kept)).toEqual(order.map((k) => `${k}-value`));
    }
  });
});
