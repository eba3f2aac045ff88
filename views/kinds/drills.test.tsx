// Enter where k9s drills, on kinds reached through `:`: a CronJob → its Jobs, an Ingress → the
// Services it routes to (every backend, in its namespace), a Job → its pods, a PVC → the pods
// mounting it. The rows come from a fake Table source, the pods and services from the store.
import { describe, expect, it } from 'vitest';
import type { KubeObject, Pod, Service, TableRow } from '../../src/model/k8s.js';
import type { ResourceTableView } from '../../src/store/resource-table.js';
import type { ResourceSource } from '../sources.js';
import { startApp } from '../testing/app.js';
import { apiResource as res, FixedSource, NOW, scenarioSnapshot } from '../testing/fixtures.js';
import { KEY, frame, press, waitForFrame } from '../testing/ink.js';

const CATALOG = [
  res({ name: 'pods', kind: 'Pod', shortNames: ['po'] }),
  res({ name: 'services', kind: 'Service', shortNames: ['svc'] }),
  res({ name: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', shortNames: ['pvc'] }),
  res({ name: 'jobs', kind: 'Job', group: 'batch' }),
  res({ name: 'cronjobs', kind: 'CronJob', group: 'batch', shortNames: ['cj'] }),
  res({ name: 'ingresses', kind: 'Ingress', group: 'networking.k8s.io', shortNames: ['ing'] }),
];

const NS = 'shop';
const created = new Date(NOW - 3_600_000).toISOString();
const meta = (name: string, extra: Partial<KubeObject['metadata']> = {}) => ({
  name,
  namespace: NS,
  uid: `uid-${name}`,
  creationTimestamp: created,
  ...extra,
});
const ownedBy = (kind: string, name: string) => ({
  ownerReferences: [{ apiVersion: 'batch/v1', kind, name, uid: `uid-${name}`, controller: true }],
});

const job = (name: string, owner?: string, namespace = NS): KubeObject =>
  ({
    metadata: { ...meta(name, owner ? ownedBy('CronJob', owner) : {}), namespace },
    spec: { completions: 1 },
    status: { succeeded: 1 },
  }) as KubeObject;

const OBJECTS: Record<string, KubeObject[]> = {
  cronjobs: [
    { metadata: meta('nightly-report'), spec: { schedule: '0 3 * * *' }, status: {} } as KubeObject,
    { metadata: meta('idle'), spec: { schedule: '0 4 * * *' }, status: {} } as KubeObject,
  ],
  jobs: [
    job('nightly-report-29412180', 'nightly-report'),
    job('nightly-report-manual-7xk2p', 'nightly-report'),
    job('db-migrate'),
    // Same owner name in another namespace: not this CronJob's.
    job('nightly-report-29412181', 'nightly-report', 'staging'),
  ],
  ingresses: [
    {
      metadata: meta('storefront'),
      spec: {
        defaultBackend: { service: { name: 'web', port: { number: 80 } } },
        rules: [
          {
            host: 'shop.example.com',
            http: {
              paths: [
                { path: '/api', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 8080 } } } },
                { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
              ],
            },
          },
        ],
      },
    } as KubeObject,
  ],
  persistentvolumeclaims: [
    {
      metadata: meta('data-postgres-0'),
      spec: { accessModes: ['ReadWriteOnce'] },
      status: { phase: 'Bound' },
    } as KubeObject,
  ],
};

const service = (name: string, namespace = NS): Service =>
  ({
    metadata: { ...meta(name), namespace },
    spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', ports: [{ port: 80, protocol: 'TCP' }] },
  }) as Service;

const pod = (name: string, spec: Partial<Pod['spec']>, extra: Partial<Pod['metadata']> = {}): Pod =>
  ({
    metadata: meta(name, extra),
    spec: { nodeName: 'minikube', containers: [{ name: 'main', image: 'busybox' }], ...spec },
    status: { phase: 'Running', containerStatuses: [{ name: 'main', ready: true, restartCount: 0 }] },
  }) as Pod;

const PODS = [
  pod('postgres-0', { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-postgres-0' } }] }),
  pod('db-migrate-q8w2n', {}, ownedBy('Job', 'db-migrate')),
  pod('web-5d8f7-abcde', {}),
];

function fakeResources(): ResourceSource {
  return {
    table(resource, namespace) {
      const rows: TableRow[] = (OBJECTS[resource.name] ?? [])
        .filter((o) => namespace === undefined || o.metadata.namespace === namespace)
        .map((object) => ({ cells: [object.metadata.name], object }));
      const view: ResourceTableView = {
        resource,
        namespace,
        columns: [{ name: 'Name', type: 'string', format: 'name', description: '', priority: 0 }],
        rows,
        state: { state: 'watching' },
        loaded: true,
        version: 1,
      };
      return { view, subscribe: () => () => {}, start() {}, stop() {} };
    },
    async get() {
      throw new Error('not read in these tests');
    },
  };
}

async function start() {
  const snapshot = scenarioSnapshot({
    apiResources: CATALOG,
    pods: PODS,
    services: [service('web'), service('api'), service('admin'), service('web', 'staging')],
  });
  return startApp({
    source: new FixedSource(snapshot),
    resources: fakeResources(),
    columns: 140,
    rows: 24,
    namespace: NS,
  });
}

const command = async (app: Awaited<ReturnType<typeof start>>['app'], text: string) => {
  await press(app, ':', ...text.split(''), KEY.enter);
};

describe('enter on kinds reached through `:`', () => {
  it('a CronJob shows the Jobs it owns, in its namespace, and not the others', async () => {
    const { app } = await start();
    await command(app, 'cj');
    await waitForFrame(app, (f) => /^>\s*nightly-report\s/m.test(f));
    await press(app, KEY.enter);
    const f = await waitForFrame(app, (x) => x.includes('jobs.batch(shop) › cronjob/nightly-report [1/2]'));
    expect(f).toContain('nightly-report-29412180');
    expect(f).toContain('nightly-report-manual-7xk2p');
    expect(f).not.toContain('db-migrate');
    expect(f).not.toContain('nightly-report-29412181');
    // esc goes back to the CronJobs.
    await press(app, KEY.escape);
    await waitForFrame(app, (x) => x.includes('cronjobs.batch(shop)'));
    await press(app, 'j', KEY.enter);
    await waitForFrame(app, (x) => x.includes('No jobs.batch for cronjob/idle.'));
  });

  it('an Ingress shows every Service it routes to, once each, and no other', async () => {
    const { app } = await start();
    await command(app, 'ing');
    await waitForFrame(app, (f) => /^>\s*storefront\s/m.test(f));
    await press(app, KEY.enter);
    const f = await waitForFrame(app, (x) => x.includes('services(shop) › ingress/storefront [1/2]'));
    expect(f).toMatch(/^>\s*api\s/m);
    expect(f).toMatch(/^\s+web\s/m);
    expect(f).not.toMatch(/^\s+admin\s/m);
  });

  it('a Job shows its pods', async () => {
    const { app } = await start();
    await command(app, 'jobs');
    await waitForFrame(app, (f) => f.includes('jobs.batch(shop) [1/3]'));
    await press(app, '/', ...'db-migrate'.split(''), KEY.enter);
    await waitForFrame(app, (f) => /^>\s*db-migrate\s/m.test(f));
    await press(app, KEY.enter);
    const f = await waitForFrame(app, (x) => x.includes('pods(shop) › job/db-migrate [1/1]'));
    expect(f).toContain('db-migrate-q8w2n');
    expect(f).not.toContain('postgres-0');
  });

  it('a PersistentVolumeClaim shows the pods mounting it', async () => {
    const { app } = await start();
    await command(app, 'pvc');
    await waitForFrame(app, (f) => /^>\s*data-postgres-0\s/m.test(f));
    await press(app, KEY.enter);
    const f = await waitForFrame(app, (x) => x.includes('pods(shop) › persistentvolumeclaim/data-postgres-0 [1/1]'));
    expect(f).toContain('postgres-0');
    expect(frame(app)).not.toContain('web-5d8f7-abcde');
  });
});
