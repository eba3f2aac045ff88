// Integration against the simulated API server (src/sim) playing scenario S1: the whole
// read path — kubeconfig contexts, discovery, paged lists, Helm Secrets, previous logs,
// RBAC — as `kcockpit diagnose` and the cockpit use it.
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Connection } from '../../src/kube/client.js';
import { KubeError } from '../../src/kube/errors.js';
import { loadClusterSnapshot } from '../../src/store/load.js';
import { loadScenario } from '../../src/sim/scenario.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import type { Snapshot } from '../../src/store/snapshot.js';

let sim: SimServer;
let admin: Connection;
let snap: Snapshot;
const warnings: string[] = [];

beforeAll(async () => {
  sim = await startSimServer({ scenario: loadScenario('s1-jaeger') });
  await sim.settle();
  admin = connect({ kubeconfig: sim.kubeconfigPath });
  // A write through the generated API (sharing the connection's agent), as `kubectl apply`
  // would make it: the server records managedFields and the last-applied annotation.
  await admin.api(CoreV1Api).createNamespacedConfigMap({
    namespace: 'observability',
    body: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'jaeger-sampling',
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration':
            '{"apiVersion":"v1","kind":"ConfigMap","data":{"sampling.json":"{}"}}',
        },
      },
      data: { 'sampling.json': '{"default_strategy":{"type":"probabilistic","param":1}}' },
    },
  });
  await sim.settle();
  snap = await loadClusterSnapshot(admin, { onWarning: (w) => warnings.push(w) });
});

afterAll(async () => {
  admin?.close();
  await sim?.close();
});

/** What the simulator itself holds, by kind (optionally in one namespace). */
function simCount(kind: string, namespace?: string): number {
  const def = sim.state.registry.forKind(kind);
  if (!def) throw new Error(`the simulator does not serve ${kind}`);
  return sim.state.list(def, namespace).length;
}

describe('loadClusterSnapshot against the simulator (s1-jaeger, all namespaces)', () => {
  it('reads every object the cluster holds', () => {
    expect(snap.namespace).toBeUndefined();
    const counts: [string, readonly unknown[]][] = [
      ['Pod', snap.pods],
      ['Node', snap.nodes],
      ['Namespace', snap.namespaces],
      ['Deployment', snap.deployments],
      ['StatefulSet', snap.statefulSets],
      ['ReplicaSet', snap.replicaSets],
      ['DaemonSet', snap.daemonSets],
      ['Service', snap.services],
      ['ServiceAccount', snap.serviceAccounts],
      ['Event', snap.events],
      ['PersistentVolumeClaim', snap.pvcs],
      ['ConfigMap', snap.configMaps],
    ];
    for (const [kind, items] of counts) expect([kind, items.length]).toEqual([kind, simCount(kind)]);
    expect(snap.webhooks).toHaveLength(
      simCount('MutatingWebhookConfiguration') + simCount('ValidatingWebhookConfiguration'),
    );
    expect(snap.nodes.map((n) => n.metadata.name)).toEqual(['minikube']);
    expect(snap.podsIn('observability').length).toBeGreaterThanOrEqual(6);
    expect(snap.forbidden.size).toBe(0);
    expect(warnings).toEqual([]);
  });

  it('stamps kind and apiVersion on list items and drops managedFields and last-applied', () => {
    // The simulator serves them, as a real API server does.
    const served = sim.state.find('ConfigMap', 'observability', 'jaeger-sampling');
    expect(served?.metadata.managedFields).toBeDefined();
    expect(served?.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toBeDefined();
    const cm = snap.get('ConfigMap', 'observability', 'jaeger-sampling');
    expect(cm).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1', keys: ['sampling.json'] });
    expect(cm?.metadata.managedFields).toBeUndefined();
    expect(cm?.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toBeUndefined();
    expect(snap.pods.every((p) => p.kind === 'Pod' && p.apiVersion === 'v1')).toBe(true);
    expect(snap.deployments.every((d) => d.kind === 'Deployment' && d.apiVersion === 'apps/v1')).toBe(true);
    expect(snap.webhooks.map((w) => w.apiVersion)).toEqual(snap.webhooks.map(() => 'admissionregistration.k8s.io/v1'));
    const text = JSON.stringify({
      pods: snap.pods,
      deployments: snap.deployments,
      events: snap.events,
      services: snap.services,
      configMaps: snap.configMaps,
    });
    expect(text).not.toContain('"managedFields"');
    expect(text).not.toContain('kubectl.kubernetes.io/last-applied-configuration');
  });

  it('decodes the Helm releases', () => {
    const releases = snap.latestReleases().map((r) => [r.name, r.namespace, r.chartName, r.chartVersion]);
    expect(releases).toEqual(
      expect.arrayContaining([
        ['jaeger-op', 'observability', 'jaeger-operator', '2.38.0'],
        ['jaeger', 'observability', 'jaeger', '0.65.4'],
      ]),
    );
    const es = snap.statefulSets.find((s) => s.metadata.name === 'elasticsearch-master');
    expect(es && snap.helmReleaseOf(es)?.name).toBe('jaeger');
  });

  it('fetched the previous logs of the crash-looping collector and query', () => {
    const collector = snap.pods.find((p) => p.metadata.name.startsWith('jaeger-collector-'));
    const query = snap.pods.find((p) => p.metadata.name.startsWith('jaeger-query-'));
    expect(collector?.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('CrashLoopBackOff');
    const collectorLog = snap.logTail('observability', collector!.metadata.name, 'jaeger-collector', true);
    const queryLog = snap.logTail('observability', query!.metadata.name, 'jaeger-query', true);
    expect(collectorLog?.lines.at(-1)).toContain('no Elasticsearch node available');
    expect(queryLog?.lines.at(-1)).toContain('no Elasticsearch node available');
    expect(collectorLog!.lines.length).toBeLessThanOrEqual(30);
  });

  it('knows from discovery that cert-manager.io is not served', () => {
    expect(snap.hasGroup('')).toBe(true);
    expect(snap.hasGroup('apps')).toBe(true);
    expect(snap.hasKind('apps', 'StatefulSet')).toBe(true);
    expect(snap.hasGroup('cert-manager.io')).toBe(false);
  });

  it('has no pull Secret in observability, and no Secret value anywhere', () => {
    expect(snap.secrets.filter((s) => s.metadata.namespace === 'observability')).toEqual([]);
    expect(JSON.stringify(snap)).not.toMatch(/"data":\{/);
  });
});

describe('the other simulator users', () => {
  it('sim-viewer: its namespace loads, cluster-wide lists are recorded as forbidden', async () => {
    const viewer = connect({ kubeconfig: sim.kubeconfigPath, context: 'sim-viewer' });
    try {
      const ns = viewer.namespace;
      const view = await loadClusterSnapshot(viewer, { namespace: ns });
      expect(view.pods).toHaveLength(simCount('Pod', ns));
      expect([...view.forbidden].sort()).toEqual([
        'ingressclasses',
        'mutatingwebhookconfigurations',
        'namespaces',
        'nodes',
        'persistentvolumes',
        'storageclasses',
        'validatingwebhookconfigurations',
      ]);
      expect(view.helmReleases.length).toBeGreaterThan(0);
    } finally {
      viewer.close();
    }
  });

  it('sim-viewer across all namespaces: one line saying so', async () => {
    const viewer = connect({ kubeconfig: sim.kubeconfigPath, context: 'sim-viewer' });
    try {
      const err = await loadClusterSnapshot(viewer).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KubeError);
      expect((err as KubeError).message).toBe(
        'forbidden: pods is forbidden: User "viewer" cannot list resource "pods" in API group "" at the cluster scope (try -n <namespace>)',
      );
    } finally {
      viewer.close();
    }
  });

  it('sim-expired: rejected credentials', async () => {
    const expired = connect({ kubeconfig: sim.kubeconfigPath, context: 'sim-expired' });
    try {
      await expect(loadClusterSnapshot(expired)).rejects.toMatchObject({ kind: 'unauthorized', code: 401 });
    } finally {
      expired.close();
    }
  });
});
