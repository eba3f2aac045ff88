// The generic Table list+watch (src/kube/resource-table.ts through the one loop) and the live
// rows a view reads (src/store/resource-table.ts), against the simulator: any kind, its
// server columns, its changes as they happen, cluster scope, 403 with the missing verb,
// polling where there is no watch, and one whole object by name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Connection } from '../../src/kube/client.js';
import { discover } from '../../src/kube/discovery.js';
import type { LoopState } from '../../src/kube/listwatch.js';
import { getObject, watchResourceTable } from '../../src/kube/resource-table.js';
import type { TableColumn, TableRow } from '../../src/model/k8s.js';
import { ResourceCatalog } from '../../src/model/resource-catalog.js';
import { loadScenario } from '../../src/sim/scenario.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { LiveResourceTable, type ResourceTableView } from '../../src/store/resource-table.js';

let sim: SimServer;
let admin: Connection;
let viewer: Connection;
let catalog: ResourceCatalog;
const NS = 'observability';

beforeAll(async () => {
  sim = await startSimServer({ scenario: loadScenario('healthy') });
  admin = connect({ kubeconfig: sim.kubeconfigPath });
  viewer = connect({ kubeconfig: sim.kubeconfigPath, context: 'sim-viewer' });
  catalog = new ResourceCatalog((await discover(admin)).resources);
});
afterAll(async () => {
  admin.close();
  viewer.close();
  await sim.close();
});

const resource = (name: string) => {
  const r = catalog.resolve(name);
  if (!r.ok) throw new Error(r.message);
  return r.resource;
};

/** Resolves with the view once `check` holds (rejects after 5 s with the last view). */
function until(table: LiveResourceTable, check: (v: ResourceTableView) => boolean): Promise<ResourceTableView> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(
        new Error(
          `timed out; last view: ${JSON.stringify({ ...table.view, rows: table.view.rows.map((r) => r.cells) })}`,
        ),
      );
    }, 5000);
    const test = () => {
      if (!check(table.view)) return;
      clearTimeout(timer);
      off();
      resolve(table.view);
    };
    const off = table.subscribe(test);
    test();
  });
}

const names = (v: ResourceTableView) => v.rows.map((r) => r.object.metadata.name);
const cellOf = (v: ResourceTableView, name: string, column: string) =>
  v.rows.find((r) => r.object.metadata.name === name)?.cells[v.columns.findIndex((c) => c.name === column)];

describe('a live Table of any resource', () => {
  it('configmaps: the server columns, then rows that follow creates, changes and deletes', async () => {
    const table = new LiveResourceTable({ conn: admin, resource: resource('cm'), namespace: NS, coalesceMs: 10 });
    table.start();
    try {
      const first = await until(table, (v) => v.loaded && v.state.state === 'watching');
      expect(first.columns.map((c) => c.name)).toEqual(['Name', 'Data', 'Age']);
      const before = names(first);

      const cmDef = sim.state.registry.forKind('ConfigMap')!;
      sim.api.create(cmDef, NS, { metadata: { name: 'watched' }, data: { a: '1' } });
      sim.api.create(cmDef, NS, { metadata: { name: 'also-watched' } });
      const added = await until(table, (v) => names(v).includes('watched') && names(v).includes('also-watched'));
      expect(names(added)).toEqual([...names(added)].sort());
      expect(added.rows[0]?.object).toMatchObject({ kind: 'PartialObjectMetadata' });
      sim.api.delete(cmDef, NS, 'also-watched', undefined);
      expect(cellOf(await until(table, (v) => names(v).includes('watched')), 'watched', 'Data')).toBe(1);
      sim.state.patch('ConfigMap', NS, 'watched', { data: { b: '2' } });
      await until(table, (v) => cellOf(v, 'watched', 'Data') === 2);
      sim.api.delete(cmDef, NS, 'watched', undefined);
      const after = await until(table, (v) => !names(v).includes('watched'));
      expect(names(after)).toEqual(before);
    } finally {
      table.stop();
    }
  });

  it("a custom resource shows its CRD's printer columns", async () => {
    const table = new LiveResourceTable({ conn: admin, resource: resource('cert'), namespace: NS, coalesceMs: 10 });
    table.start();
    try {
      const v = await until(table, (x) => x.loaded && x.columns.length > 0);
      expect(v.columns.map((c) => c.name)).toEqual(['Name', 'Ready', 'Secret', 'Issuer', 'Status', 'Age']);
      expect(cellOf(v, 'jaeger-op-jaeger-operator-serving-cert', 'Ready')).toBe('True');
    } finally {
      table.stop();
    }
  });

  it('keeps what `keep` makes of each row, listed or watched, under the key of the row as sent', async () => {
    const keep = (r: TableRow): TableRow => ({
      cells: [r.cells[0] ?? null],
      object: { metadata: { name: r.object.metadata.name, uid: r.object.metadata.uid } } as TableRow['object'],
    });
    const cmDef = sim.state.registry.forKind('ConfigMap')!;
    sim.api.create(cmDef, NS, { metadata: { name: 'listed' }, data: { a: '1' } });
    const table = new LiveResourceTable({ conn: admin, resource: resource('cm'), namespace: NS, coalesceMs: 10, keep });
    const kept = (v: ResourceTableView, name: string) => v.rows.find((r) => r.object.metadata.name === name);
    table.start();
    try {
      const first = await until(table, (v) => v.loaded && v.state.state === 'watching');
      expect(kept(first, 'listed')).toEqual({
        cells: ['listed'],
        object: { metadata: { name: 'listed', uid: expect.any(String) } },
      });
      sim.api.create(cmDef, NS, { metadata: { name: 'watched' }, data: { a: '1' } });
      const added = await until(table, (v) => names(v).includes('watched'));
      expect(kept(added, 'watched')).toEqual({
        cells: ['watched'],
        object: { metadata: { name: 'watched', uid: expect.any(String) } },
      });
      sim.state.patch('ConfigMap', NS, 'watched', { data: { b: '2' } });
      sim.api.delete(cmDef, NS, 'watched', undefined);
      const after = await until(table, (v) => !names(v).includes('watched'));
      expect(after.rows.length).toBe(first.rows.length);
    } finally {
      table.stop();
      sim.api.delete(cmDef, NS, 'listed', undefined);
    }
  });

  it('a cluster-scoped kind ignores the namespace; includeObject=Object brings whole objects', async () => {
    const table = new LiveResourceTable({
      conn: admin,
      resource: resource('no'),
      namespace: NS,
      includeObject: 'Object',
      coalesceMs: 10,
    });
    expect(table.view.namespace).toBeUndefined();
    table.start();
    try {
      const v = await until(table, (x) => x.loaded);
      expect(names(v)).toEqual(['minikube']);
      expect(v.rows[0]?.object).toMatchObject({ kind: 'Node', status: { nodeInfo: expect.any(Object) } });
    } finally {
      table.stop();
    }
  });

  it('a list the user may not make is one state with the missing RBAC verb, never rows', async () => {
    const table = new LiveResourceTable({ conn: viewer, resource: resource('secrets'), coalesceMs: 10 });
    table.start();
    try {
      const v = await until(table, (x) => x.state.state === 'forbidden');
      expect(v.state).toMatchObject({ state: 'forbidden', verb: 'list' });
      expect((v.state as { reason: string }).reason).toContain(
        'User "viewer" cannot list resource "secrets" in API group "" at the cluster scope',
      );
      expect(v.rows).toEqual([]);
      expect(v.loaded).toBe(false);
    } finally {
      table.stop();
    }
  });

  it('a resource without watch (metrics.k8s.io) is polled, its rows refreshed', async () => {
    const states: LoopState[] = [];
    let columns: TableColumn[] = [];
    let rows: TableRow[] = [];
    const loop = watchResourceTable({
      conn: admin,
      resource: resource('pods.metrics.k8s.io'),
      namespace: 'kube-system',
      pollIntervalMs: 50,
      onColumns: (c) => (columns = c),
      onReplace: (items) => (rows = items),
      onEvent: () => undefined,
      onState: (s) => states.push(s),
    });
    loop.start();
    await new Promise((r) => setTimeout(r, 400));
    loop.stop();
    expect(states.filter((s) => s.state === 'polling').length).toBeGreaterThan(1);
    expect(states.some((s) => s.state === 'watching')).toBe(false);
    expect(columns.map((c) => c.name)).toEqual(['Name', 'cpu', 'memory', 'Window']);
    expect(rows.map((r) => r.object.metadata.name)).toContain('etcd-minikube');
  });
});

describe('objects only', () => {
  it('reads the plain list: rows of whole objects, no cells, no Table asked for', async () => {
    let columns: TableColumn[] | undefined;
    let rows: TableRow[] = [];
    const loop = watchResourceTable({
      conn: admin,
      resource: resource('pods.metrics.k8s.io'),
      namespace: 'kube-system',
      objectsOnly: true,
      pollIntervalMs: 50,
      onColumns: (c) => (columns = c),
      onReplace: (items) => (rows = items),
      onEvent: () => undefined,
      onState: () => undefined,
    });
    loop.start();
    await new Promise((r) => setTimeout(r, 300));
    loop.stop();
    const etcd = rows.find((r) => r.object.metadata.name === 'etcd-minikube');
    expect(etcd?.cells).toEqual([]);
    expect(etcd?.object).toMatchObject({ kind: 'PodMetrics', containers: [{ usage: { cpu: expect.any(String) } }] });
    expect(columns).toBeUndefined();
  });
});

describe('one whole object', () => {
  it('is read as `kubectl get -o yaml` shows it: no managedFields, the resourceVersion an edit needs', async () => {
    const deploy = await getObject(admin, resource('deploy'), NS, 'jaeger-query');
    expect(deploy).toMatchObject({ kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'jaeger-query' } });
    expect(deploy.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(deploy.metadata.managedFields).toBeUndefined();
    const node = await getObject(admin, resource('node'), undefined, 'minikube');
    expect(node.kind).toBe('Node');
    await expect(getObject(admin, resource('cm'), NS, 'nope')).rejects.toMatchObject({ kind: 'notfound' });
  });
});
