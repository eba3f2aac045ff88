// The cockpit keeps pods and events projected to what the rules and views read
// (src/store/projection.ts, decisions/0020). The projection must not change a single
// finding: every built-in rule gives the same findings on projected pods and events as on the
// whole objects, over every shipped scenario and a generated cluster with every breakage.
import { afterEach, describe, expect, it } from 'vitest';
import { builtinRules } from '../../plugins/index.js';
import { runRules } from '../../src/diagnose/engine.js';
import { connect, type Connection } from '../../src/kube/client.js';
import { SNAPSHOT_RESOURCES } from '../../src/kube/resources.js';
import { StringPool } from '../../src/kube/string-pool.js';
import type { KubeEvent, Pod } from '../../src/model/k8s.js';
import { resolveScenario } from '../../src/sim/main.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { loadClusterSnapshot } from '../../src/store/load.js';
import { EVENT_SHAPE, POD_SHAPE, project } from '../../src/store/projection.js';
import { Snapshot, type SnapshotInput } from '../../src/store/snapshot.js';

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

let sim: SimServer | undefined;
let conn: Connection | undefined;
afterEach(async () => {
  conn?.close();
  await sim?.close();
  sim = conn = undefined;
});

/** The same snapshot with its pods and events as the live store keeps them. */
function projected(s: Snapshot): Snapshot {
  const pool = new StringPool();
  const input: SnapshotInput = {
    version: s.version,
    takenAt: s.takenAt,
    apiResources: [...s.apiResources],
    apiGroups: [...s.apiGroups],
    logs: [...s.logs],
    forbidden: [...s.forbidden],
  };
  if (s.namespace !== undefined) input.namespace = s.namespace;
  for (const { into } of SNAPSHOT_RESOURCES) (input as Record<string, unknown>)[into] = [...s[into]];
  input.pods = s.pods.map((p) => project(structuredClone(p), POD_SHAPE, pool));
  input.events = s.events.map((e) => project(structuredClone(e), EVENT_SHAPE, pool));
  return new Snapshot(input);
}

const findingsOf = (s: Snapshot) => JSON.stringify(runRules(builtinRules, s).findings);

describe('the projection changes no finding', () => {
  for (const scenario of ['s1-jaeger', 's2-pending', 'shop', 'large:400']) {
    it(`on ${scenario}`, async () => {
      sim = await startSimServer({ scenario: resolveScenario(scenario) });
      conn = connect({ kubeconfig: sim.kubeconfigPath });
      const whole = await loadClusterSnapshot(conn);
      const before = findingsOf(whole);
      expect(before.length).toBeGreaterThan(2);
      expect(findingsOf(projected(whole))).toBe(before);
    }, 60_000);
  }
});
