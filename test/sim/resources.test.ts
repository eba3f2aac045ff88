// Every kind the simulator serves answers in the Table form a real server gives, CRDs come
// and go at run time with discovery following, and metrics.k8s.io is there or not per
// scenario. The reference is the captured samples: the objects of a real server's
// `includeObject=Object` Table are loaded into the simulator, which must print them the same.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/model/k8s.js';
import { loadScenario } from '../../src/sim/scenario.js';
import type { SimServer } from '../../src/sim/server.js';
import { call, events, sample, sampleText, startScenario, stream, TABLE_ACCEPT } from './helpers.js';

type Column = { name: string; type: string; format: string; description: string; priority: number };
type Table = {
  kind: string;
  metadata: Record<string, unknown>;
  columnDefinitions: Column[];
  rows: { cells: unknown[]; object: Record<string, any> | null }[];
};

/** The objects a real server printed, without what only the server sets. */
function objectsOf(file: string): KubeObject[] {
  return (sample(file) as Table).rows.map((r) => {
    const { managedFields: _m, resourceVersion: _r, uid: _u, ...metadata } = r.object!['metadata'];
    return { ...r.object, metadata } as KubeObject;
  });
}

const SAMPLED = ['configmaps', 'secrets', 'jobs', 'cronjobs', 'ingresses'] as const;
const PATHS: Record<(typeof SAMPLED)[number], string> = {
  configmaps: '/api/v1/namespaces/samples/configmaps',
  secrets: '/api/v1/namespaces/samples/secrets',
  jobs: '/apis/batch/v1/namespaces/samples/jobs',
  cronjobs: '/apis/batch/v1/namespaces/samples/cronjobs',
  ingresses: '/apis/networking.k8s.io/v1/namespaces/samples/ingresses',
};
/** Columns whose cells depend on when the test runs. */
const TIME_COLUMNS = new Set(['Age', 'Duration', 'Last Schedule']);

let sampled: SimServer;
let s1: SimServer;
let noMetrics: SimServer;
let cacheDir: string;
beforeAll(async () => {
  const scenario = loadScenario('healthy');
  scenario.objects.push(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'samples' } },
    ...SAMPLED.flatMap((r) => objectsOf(`table-${r}-includeObject-Object.json`)),
  );
  const off = loadScenario('s1-jaeger');
  off.metricsServer = false;
  [sampled, s1, noMetrics] = await Promise.all([
    startScenario('healthy', { scenario }),
    startScenario('s1-jaeger'),
    startScenario('s1-jaeger', { scenario: off }),
  ]);
  cacheDir = mkdtempSync(join(tmpdir(), 'kcockpit-kubectl-cache-'));
});
afterAll(async () => {
  await Promise.all([sampled.close(), s1.close(), noMetrics.close()]);
  rmSync(cacheDir, { recursive: true, force: true });
});

const table = (srv: SimServer, path: string) => call(srv, path, { accept: TABLE_ACCEPT }).then((r) => r.json<Table>());

function withoutTimes(t: Table): unknown[][] {
  const keep = t.columnDefinitions.map((c) => !TIME_COLUMNS.has(c.name));
  return t.rows.map((r) => r.cells.filter((_, i) => keep[i]));
}

describe('Tables of built-in kinds, compared with a real server', () => {
  it.each(SAMPLED)('%s: the same columns and the same cells for the same objects', async (resource) => {
    const real = sample(`table-${resource}.json`) as Table;
    const ours = await table(sampled, PATHS[resource]);
    expect(ours.columnDefinitions).toEqual(real.columnDefinitions);
    expect(withoutTimes(ours)).toEqual(withoutTimes(real));
  });

  it('includeObject=Object sends whole objects, None sends null, the default PartialObjectMetadata', async () => {
    const path = PATHS.ingresses;
    const full = await call(sampled, `${path}?includeObject=Object`, { accept: TABLE_ACCEPT }).then((r) =>
      r.json<Table>(),
    );
    expect(full.rows[0]?.object).toMatchObject({ kind: 'Ingress', apiVersion: 'networking.k8s.io/v1' });
    expect(full.rows[0]?.object?.['spec']).toEqual(
      objectsOf('table-ingresses-includeObject-Object.json')[0]!['spec' as never],
    );
    const none = await call(sampled, `${path}?includeObject=None`, { accept: TABLE_ACCEPT }).then((r) =>
      r.json<Table>(),
    );
    expect(none.rows.map((r) => r.object)).toEqual([null]);
    expect((await table(sampled, path)).rows[0]?.object?.['kind']).toBe('PartialObjectMetadata');
  });

  it('kinds without a printer of their own get Name and Age; CRDs the default convertor (Created At)', async () => {
    const roles = await table(s1, '/apis/rbac.authorization.k8s.io/v1/clusterroles');
    expect(roles.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Age']);
    const crds = await table(sampled, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
    const real = sample('table-customresourcedefinitions.json') as Table;
    expect(crds.columnDefinitions).toEqual(real.columnDefinitions);
    expect(crds.rows.map((r) => r.cells[0])).toContain('certificates.cert-manager.io');
    expect(crds.rows[0]?.cells[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it("a CRD's additionalPrinterColumns become its Table's columns (cert-manager's Certificate)", async () => {
    const certs = await table(sampled, '/apis/cert-manager.io/v1/namespaces/observability/certificates');
    expect(certs.columnDefinitions.map((c) => [c.name, c.type, c.priority])).toEqual([
      ['Name', 'string', 0],
      ['Ready', 'string', 0],
      ['Secret', 'string', 0],
      ['Issuer', 'string', 1],
      ['Status', 'string', 1],
      ['Age', 'date', 0],
    ]);
    expect(certs.rows[0]?.cells.slice(0, 5)).toEqual([
      'jaeger-op-jaeger-operator-serving-cert',
      'True',
      'jaeger-operator-service-cert',
      'selfsigned-issuer',
      'Certificate is up to date and has not expired',
    ]);
    expect(certs.rows[0]?.cells[5]).toMatch(/^(59m|60m|61m)/);
  });
});

/** The sample CRD as a user would write it: no server fields, no status. */
function widgetCrd(): KubeObject {
  const crd = sample('crd-samples-widgets.json') as Record<string, any>;
  return {
    apiVersion: crd['apiVersion'],
    kind: crd['kind'],
    metadata: { name: crd['metadata'].name },
    spec: { ...crd['spec'], conversion: undefined },
  } as KubeObject;
}

describe('Table watches', () => {
  it('send one-row Tables, columns only in the first event, like the captured watch', async () => {
    const real = events(sampleText('watch-table-configmaps.jsonl').trim().split('\n'));
    const watch = await stream(sampled, `${PATHS.configmaps}?watch=1&allowWatchBookmarks=true`, {
      accept: TABLE_ACCEPT,
    });
    try {
      const cmDef = sampled.state.registry.forKind('ConfigMap')!;
      await watch.waitFor(1);
      sampled.api.create(cmDef, 'samples', { metadata: { name: 'watched' }, data: { a: '1' } });
      sampled.state.patch('ConfigMap', 'samples', 'watched', { data: { b: '2' } });
      sampled.api.delete(cmDef, 'samples', 'watched', undefined);
      const ours = events(await watch.waitFor(real.length));
      expect(ours.map((e) => e.type)).toEqual(real.map((e) => e.type));
      expect(ours[0]?.object['columnDefinitions']).toEqual(real[0]?.object['columnDefinitions']);
      for (const [i, e] of ours.entries()) {
        expect(Object.keys(e.object)).toEqual(Object.keys(real[i]!.object));
        if (i > 0) expect(e.object['columnDefinitions']).toBeNull();
        expect(e.object['rows']).toHaveLength(1);
        expect(e.object['metadata']).toEqual({ resourceVersion: e.object['rows'][0].object.metadata.resourceVersion });
      }
      expect(ours.slice(-3).map((e) => e.object['rows'][0].cells.slice(0, 2))).toEqual([
        ['watched', 1],
        ['watched', 2],
        ['watched', 2],
      ]);
    } finally {
      watch.close();
    }
  });

  it('send bookmarks as Tables too, carrying the resourceVersion', async () => {
    const srv = await startScenario('healthy', { bookmarkIntervalMs: 50 });
    const watch = await stream(
      srv,
      '/api/v1/namespaces/observability/configmaps?watch=1&allowWatchBookmarks=true&resourceVersion=0',
      {
        accept: TABLE_ACCEPT,
      },
    );
    try {
      const [bookmark] = events(await watch.waitFor(1));
      expect(bookmark).toEqual({
        type: 'BOOKMARK',
        object: {
          kind: 'Table',
          apiVersion: 'meta.k8s.io/v1',
          metadata: { resourceVersion: String(srv.state.resourceVersion) },
          columnDefinitions: null,
          rows: [],
        },
      });
    } finally {
      watch.close();
      await srv.close();
    }
  });
});

describe('CustomResourceDefinitions at run time', () => {
  const WIDGETS = '/apis/samples.example.com/v1/namespaces/observability/samples-widgets';

  it('a created CRD is Established, and its group is served like the real one; deleting it stops that', async () => {
    expect((await call(s1, '/apis/samples.example.com')).status).toBe(404);
    const created = await call(s1, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      method: 'POST',
      body: widgetCrd(),
    });
    expect(created.status).toBe(201);
    await s1.settle();

    const stored = (
      await call(s1, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/samples-widgets.samples.example.com')
    ).json<Record<string, any>>();
    const real = sample('crd-samples-widgets.json') as Record<string, any>;
    expect(stored['spec']).toEqual(real['spec']);
    expect(stored['status'].conditions.map((c: { type: string; reason: string }) => [c.type, c.reason])).toEqual([
      ['NamesAccepted', 'NoConflicts'],
      ['Established', 'InitialNamesAccepted'],
    ]);
    expect(stored['status'].acceptedNames).toEqual(real['status'].acceptedNames);

    const groups = (await call(s1, '/apis')).json<{ groups: { name: string }[] }>().groups.map((g) => g.name);
    expect(groups).toContain('samples.example.com');
    expect(groups.indexOf('samples.example.com')).toBeLessThan(groups.indexOf('metrics.k8s.io'));
    const { apiVersion: _a, kind: _k, ...group } = (await call(s1, '/apis/samples.example.com')).json();
    expect({ kind: 'APIGroup', apiVersion: 'v1', ...group }).toEqual(sample('discovery_apis_samples.example.com.json'));
    expect((await call(s1, '/apis/samples.example.com/v1')).json()).toEqual(
      sample('discovery_apis_samples.example.com_v1.json'),
    );

    for (const w of objectsOf('table-samples-widgets-includeObject-Object.json')) {
      const body = { ...w, metadata: { ...w.metadata, namespace: 'observability' } };
      expect((await call(s1, WIDGETS, { method: 'POST', body })).status).toBe(201);
    }
    const widgets = await table(s1, WIDGETS);
    const realTable = sample('table-samples-widgets.json') as Table;
    expect(widgets.columnDefinitions).toEqual(realTable.columnDefinitions);
    expect(widgets.rows.map((r) => r.cells)).toEqual(realTable.rows.map((r) => r.cells));

    const deleted = await call(
      s1,
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/samples-widgets.samples.example.com',
      {
        method: 'DELETE',
      },
    );
    expect(deleted.status).toBe(200);
    await s1.settle();
    expect((await call(s1, '/apis/samples.example.com/v1')).status).toBe(404);
    expect((await call(s1, WIDGETS)).status).toBe(404);
  });

  it('refuses a CRD whose name is not plural.group, in the Invalid form', async () => {
    const bad = { ...widgetCrd(), metadata: { name: 'widgets.example.com' } };
    const res = await call(s1, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      method: 'POST',
      body: bad,
    });
    expect(res.status).toBe(422);
    expect(res.json()['message']).toBe(
      'CustomResourceDefinition.apiextensions.k8s.io "widgets.example.com" is invalid: metadata.name: Invalid value: "widgets.example.com": must be spec.names.plural+"."+spec.group',
    );
  });
});

describe('metrics.k8s.io', () => {
  const kubectlPath = (() => {
    try {
      return execFileSync('which', ['kubectl'], { encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  })();
  const kubectl = async (srv: SimServer, ...args: string[]) => {
    if (!kubectlPath) throw new Error('kubectl is not installed (not on PATH): these tests run the real kubectl');
    try {
      const r = await promisify(execFile)(kubectlPath, [
        '--kubeconfig',
        srv.kubeconfigPath,
        '--cache-dir',
        cacheDir,
        ...args,
      ]);
      return { ...r, code: 0 };
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string; code?: number };
      return { stdout: err.stdout ?? '', stderr: err.stderr ?? '', code: err.code ?? 1 };
    }
  };

  it('serves PodMetrics and NodeMetrics like metrics-server, stable from one read to the next', async () => {
    const raw = await kubectl(s1, 'get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/kube-system/pods');
    expect(raw.code, raw.stderr).toBe(0);
    const list = JSON.parse(raw.stdout) as {
      kind: string;
      items: {
        metadata: { name: string };
        window: string;
        containers: { name: string; usage: Record<string, string> }[];
      }[];
    };
    expect(list.kind).toBe('PodMetricsList');
    const etcd = list.items.find((i) => i.metadata.name === 'etcd-minikube');
    expect(etcd?.window).toBe('15s');
    expect(etcd?.containers[0]?.usage['cpu']).toMatch(/^\d+n$/);
    expect(etcd?.containers[0]?.usage['memory']).toMatch(/^\d+Ki$/);
    const again = JSON.parse(
      (await kubectl(s1, 'get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/kube-system/pods')).stdout,
    );
    expect(again.items.map((i: { containers: unknown }) => i.containers)).toEqual(list.items.map((i) => i.containers));

    const nodes = JSON.parse((await kubectl(s1, 'get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes/minikube')).stdout);
    expect(nodes).toMatchObject({
      kind: 'NodeMetrics',
      apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: { name: 'minikube' },
    });
    const top = await kubectl(s1, 'top', 'node');
    expect(top.stdout).toMatch(
      /^NAME\s+CPU\(cores\)\s+CPU\(%\)\s+MEMORY\(bytes\)\s+MEMORY\(%\)\s*\nminikube\s+\d+m\s+\d+%/,
    );
  });

  it('pods without a running container have no metrics; the APIService names metrics-server', async () => {
    const pending = await call(s1, '/apis/metrics.k8s.io/v1beta1/namespaces/observability/pods/elasticsearch-master-1');
    expect(pending.status).toBe(404);
    const svc = (await call(s1, '/apis/apiregistration.k8s.io/v1/apiservices/v1beta1.metrics.k8s.io')).json<
      Record<string, any>
    >();
    expect(svc['spec'].service).toEqual({ namespace: 'kube-system', name: 'metrics-server', port: 443 });
  });

  it('is absent when the scenario has no metrics-server: no group in discovery, 404 on its paths', async () => {
    const groups = (await call(noMetrics, '/apis')).json<{ groups: { name: string }[] }>().groups.map((g) => g.name);
    expect(groups).not.toContain('metrics.k8s.io');
    const raw = await kubectl(noMetrics, 'get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes');
    expect(raw.code).toBe(1);
    expect(raw.stderr).toContain('the server could not find the requested resource');
    expect((await kubectl(noMetrics, 'top', 'pod', '-n', 'observability')).stderr).toContain(
      'Metrics API not available',
    );
  });
});
