// The live store against the simulated API server (HTTPS, the S1 scenario): it goes live
// with the whole cluster and its watches follow writes. Restarts are tested against the
// small fake server (test/store/live.test.ts), where the moment of failure is controlled.
import { CoreV1Api } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Connection } from '../../src/kube/client.js';
import { loadScenario } from '../../src/sim/scenario.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { LiveStore } from '../../src/store/live.js';
import { until } from '../kube/fake-api.js';

let sim: SimServer | undefined;
let conn: Connection | undefined;
let store: LiveStore | undefined;
afterEach(async () => {
  store?.stop();
  conn?.close();
  await sim?.close();
  sim = conn = store = undefined;
});

function podCount(s: SimServer): number {
  return s.state.list(s.state.registry.forKind('Pod')!).length;
}

describe('LiveStore against the simulator (s1-jaeger)', () => {
  it('goes live with the whole cluster and follows a deletion', async () => {
    sim = await startSimServer({ scenario: loadScenario('s1-jaeger') });
    conn = connect({ kubeconfig: sim.kubeconfigPath });
    store = new LiveStore({ conn });
    store.start();
    await until(
      () =>
        store!.connection().state === 'live' &&
        store!.current().pods.length === podCount(sim!) &&
        store!.current().helmReleases.length > 0,
      10_000,
      'live',
    );
    expect(store.current().hasGroup('cert-manager.io')).toBe(false);

    const victim = store.current().pods.find((p) => p.metadata.name.startsWith('jaeger-query-'))!;
    await conn
      .api(CoreV1Api)
      .deleteNamespacedPod({ name: victim.metadata.name, namespace: 'observability', gracePeriodSeconds: 0 });
    await until(
      () => !store!.current().pods.some((p) => p.metadata.uid === victim.metadata.uid),
      10_000,
      'the deletion',
    );
  });

  it('reads discovery again when a CRD is installed, long before its periodic refresh', async () => {
    sim = await startSimServer({ scenario: loadScenario('s1-jaeger') });
    conn = connect({ kubeconfig: sim.kubeconfigPath });
    store = new LiveStore({ conn, discoveryIntervalMs: 600_000, crdDebounceMs: 50 });
    store.start();
    await until(() => store!.current().apiResources.length > 0, 10_000, 'discovery');
    expect(store.current().catalog.resolve('cert').ok).toBe(false);
    const crdDef = sim.state.registry.forKind('CustomResourceDefinition')!;
    sim.api.create(crdDef, undefined, {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'certificates.cert-manager.io' },
      spec: {
        group: 'cert-manager.io',
        names: { plural: 'certificates', kind: 'Certificate', shortNames: ['cert', 'certs'] },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true }],
      },
    });
    await until(() => store!.current().catalog.resolve('cert').ok, 10_000, 'the new CRD in discovery');
    expect(store.current().hasGroup('cert-manager.io')).toBe(true);
  });
});
