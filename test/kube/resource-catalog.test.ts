// What `:` resolves to: the catalogue built from real discovery of the simulator (built-in
// groups, cert-manager's CRDs, metrics.k8s.io, and a Knative-style CRD added at run time that
// also calls itself `services`), resolved the way kubectl resolves `kubectl get <name>`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Connection } from '../../src/kube/client.js';
import { discover, watchApiChanges } from '../../src/kube/discovery.js';
import type { ApiResourceInfo } from '../../src/model/k8s.js';
import { ResourceCatalog } from '../../src/model/resource-catalog.js';
import { loadScenario } from '../../src/sim/scenario.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';

let sim: SimServer;
let conn: Connection;
let catalog: ResourceCatalog;

/** A CRD like Knative Serving's Service: its plural collides with core `services`. */
const KNATIVE_SERVICE = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'services.serving.knative.dev' },
  spec: {
    group: 'serving.knative.dev',
    names: { plural: 'services', singular: 'service', kind: 'Service', shortNames: ['kservice', 'ksvc'] },
    scope: 'Namespaced',
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
  },
};

beforeAll(async () => {
  sim = await startSimServer({ scenario: loadScenario('healthy') });
  conn = connect({ kubeconfig: sim.kubeconfigPath });
  const def = sim.state.registry.forKind('CustomResourceDefinition')!;
  sim.api.create(def, undefined, KNATIVE_SERVICE);
  await sim.settle();
  catalog = new ResourceCatalog((await discover(conn)).resources);
});
afterAll(async () => {
  conn.close();
  await sim.close();
});

const target = (r: ApiResourceInfo) => `${r.group || 'core'}/${r.version}/${r.name}`;

describe('resolving what follows `:`', () => {
  it.each([
    // kubectl's short names
    ['cm', 'core/v1/configmaps'],
    ['no', 'core/v1/nodes'],
    ['ns', 'core/v1/namespaces'],
    ['pvc', 'core/v1/persistentvolumeclaims'],
    ['pv', 'core/v1/persistentvolumes'],
    ['sa', 'core/v1/serviceaccounts'],
    ['ev', 'core/v1/events'],
    ['ing', 'networking.k8s.io/v1/ingresses'],
    ['netpol', 'networking.k8s.io/v1/networkpolicies'],
    ['deploy', 'apps/v1/deployments'],
    ['sts', 'apps/v1/statefulsets'],
    ['rs', 'apps/v1/replicasets'],
    ['ds', 'apps/v1/daemonsets'],
    ['cj', 'batch/v1/cronjobs'],
    ['hpa', 'autoscaling/v2/horizontalpodautoscalers'],
    ['pdb', 'policy/v1/poddisruptionbudgets'],
    ['sc', 'storage.k8s.io/v1/storageclasses'],
    ['crd', 'apiextensions.k8s.io/v1/customresourcedefinitions'],
    ['crds', 'apiextensions.k8s.io/v1/customresourcedefinitions'],
    // k9s's aliases, for kinds kubectl has no short name for
    ['sec', 'core/v1/secrets'],
    ['jo', 'batch/v1/jobs'],
    ['crb', 'rbac.authorization.k8s.io/v1/clusterrolebindings'],
    ['np', 'networking.k8s.io/v1/networkpolicies'],
    // plural, singular (empty singularName on built-ins: the lower-case kind), kind in any case
    ['configmaps', 'core/v1/configmaps'],
    ['configmap', 'core/v1/configmaps'],
    ['ConfigMap', 'core/v1/configmaps'],
    ['JOBS', 'batch/v1/jobs'],
    ['Deployment', 'apps/v1/deployments'],
    ['secret', 'core/v1/secrets'],
    ['  pods ', 'core/v1/pods'],
    // CRDs by every name
    ['certificates', 'cert-manager.io/v1/certificates'],
    ['certificate', 'cert-manager.io/v1/certificates'],
    ['Certificate', 'cert-manager.io/v1/certificates'],
    ['cert', 'cert-manager.io/v1/certificates'],
    ['ciss', 'cert-manager.io/v1/clusterissuers'],
    ['challenges', 'acme.cert-manager.io/v1/challenges'],
    ['ksvc', 'serving.knative.dev/v1/services'],
    // plural.group and plural.version.group
    ['deployments.apps', 'apps/v1/deployments'],
    ['deployment.apps', 'apps/v1/deployments'],
    ['certificates.cert-manager.io', 'cert-manager.io/v1/certificates'],
    ['services.serving.knative.dev', 'serving.knative.dev/v1/services'],
    ['horizontalpodautoscalers.v2.autoscaling', 'autoscaling/v2/horizontalpodautoscalers'],
    // aggregated APIs are reachable too
    ['pods.metrics.k8s.io', 'metrics.k8s.io/v1beta1/pods'],
  ])('%s → %s', (input, expected) => {
    const r = catalog.resolve(input);
    expect(r.ok && target(r.resource)).toBe(expected);
  });

  it('two groups serving one name: core first, as kubectl picks, and the other named', () => {
    const svc = catalog.resolve('services');
    expect(svc).toEqual({
      ok: true,
      resource: expect.objectContaining({ group: '', name: 'services' }),
      alternatives: ['services.serving.knative.dev'],
    });
    // A short name is not ambiguous: svc is core's alone.
    expect(catalog.resolve('svc')).toMatchObject({ ok: true, alternatives: [] });
    // metrics.k8s.io's pods and nodes never shadow the core ones.
    expect(catalog.resolve('pods')).toMatchObject({ resource: { group: '' }, alternatives: ['pods.metrics.k8s.io'] });
  });

  it('names the server does not serve get kubectl’s message', () => {
    expect(catalog.resolve('nope')).toEqual({ ok: false, message: `the server doesn't have a resource type "nope"` });
    expect(catalog.resolve('deployments.nope.io').ok).toBe(false);
    expect(catalog.resolve('issuers.v9.cert-manager.io').ok).toBe(false);
    expect(catalog.resolve('')).toMatchObject({ ok: false });
  });

  it('completes plurals, singulars, short names and plural.group, one entry per text', () => {
    const texts = catalog.complete('ce').map((c) => c.text);
    expect(texts).toEqual([
      'cert',
      'certificate',
      'certificaterequest',
      'certificaterequests',
      'certificaterequests.cert-manager.io',
      'certificates',
      'certificates.cert-manager.io',
      'certs',
    ]);
    expect(catalog.complete('cm')[0]).toMatchObject({ text: 'cm', resource: { name: 'configmaps' } });
    const services = catalog.complete('services').map((c) => [c.text, c.resource.group]);
    expect(services).toEqual([
      ['services', ''],
      ['services.serving.knative.dev', 'serving.knative.dev'],
    ]);
    expect(catalog.complete('', 5)).toHaveLength(5);
  });

  it('finds the resource a CRD serves (enter on a CRD lists its objects)', () => {
    expect(catalog.byGroupResource('cert-manager.io', 'issuers')).toMatchObject({ kind: 'Issuer', namespaced: true });
    expect(catalog.byGroupResource('cert-manager.io', 'nope')).toBeUndefined();
  });
});

describe('a version other than the preferred one', () => {
  const hpa = (version: string, preferred: boolean): ApiResourceInfo => ({
    group: 'autoscaling',
    version,
    kind: 'HorizontalPodAutoscaler',
    name: 'horizontalpodautoscalers',
    namespaced: true,
    shortNames: ['hpa'],
    preferred,
  });
  const local = new ResourceCatalog([hpa('v2', true), hpa('v1', false)]);

  it('is reached only by plural.version.group; every other name means the preferred one', () => {
    expect(local.resolve('hpa')).toMatchObject({ ok: true, resource: { version: 'v2' }, alternatives: [] });
    expect(local.resolve('horizontalpodautoscalers.autoscaling')).toMatchObject({ resource: { version: 'v2' } });
    expect(local.resolve('horizontalpodautoscalers.v1.autoscaling')).toMatchObject({ resource: { version: 'v1' } });
    expect(local.complete('h').map((c) => c.text)).toEqual([
      'horizontalpodautoscaler',
      'horizontalpodautoscalers',
      'horizontalpodautoscalers.autoscaling',
      'hpa',
    ]);
  });
});

describe('discovery follows CRDs', () => {
  it('a CRD created while watching makes discovery run again, once, after the debounce', async () => {
    let runs = 0;
    const changed = new Promise<void>((resolve) => {
      const loop = watchApiChanges(conn, {
        debounceMs: 50,
        onChange: () => {
          runs++;
          loop.stop();
          resolve();
        },
        onState: (s) => {
          if (s.state !== 'watching') return;
          const def = sim.state.registry.forKind('CustomResourceDefinition')!;
          sim.api.create(def, undefined, {
            ...KNATIVE_SERVICE,
            metadata: { name: 'routes.serving.knative.dev' },
            spec: { ...KNATIVE_SERVICE.spec, names: { plural: 'routes', kind: 'Route', shortNames: ['rt'] } },
          });
        },
      });
      loop.start();
    });
    await changed;
    expect(runs).toBe(1);
    const again = new ResourceCatalog((await discover(conn)).resources);
    expect(again.resolve('rt')).toMatchObject({ ok: true, resource: { group: 'serving.knative.dev', name: 'routes' } });
  });
});
