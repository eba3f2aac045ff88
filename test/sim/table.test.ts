import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../src/model/k8s.js';
import type { SimServer } from '../../src/sim/server.js';
import { podRow } from '../../src/sim/table.js';
import { call, sample, startScenario, TABLE_ACCEPT } from './helpers.js';

type Table = {
  kind: string;
  apiVersion: string;
  metadata: Record<string, unknown>;
  columnDefinitions: { name: string; priority: number }[];
  rows: { cells: (string | number)[]; object: Record<string, unknown> | null }[];
};

let s1: SimServer;
let s2: SimServer;
beforeAll(async () => {
  [s1, s2] = await Promise.all([startScenario('s1-jaeger'), startScenario('s2-pending')]);
});
afterAll(async () => {
  await Promise.all([s1.close(), s2.close()]);
});

const table = (srv: SimServer, path: string) => call(srv, path, { accept: TABLE_ACCEPT }).then((r) => r.json<Table>());
const byName = (t: Table) => new Map(t.rows.map((r) => [r.cells[0], r.cells]));

describe('Table form', () => {
  it('has the real pod columns and PartialObjectMetadata rows, like the sample', async () => {
    const t = await table(s1, '/api/v1/namespaces/observability/pods');
    const real = sample('table-pods.json') as Table;
    expect(t.kind).toBe('Table');
    expect(t.apiVersion).toBe('meta.k8s.io/v1');
    expect(t.columnDefinitions).toEqual(real.columnDefinitions);
    expect(Object.keys(t.rows[0] ?? {})).toEqual(['cells', 'object']);
    expect(t.rows[0]?.object).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1' });
    expect(t.metadata['resourceVersion']).toBe(String(s1.state.resourceVersion));
  });

  it('computes STATUS, READY and RESTARTS like kubectl', async () => {
    const rows = byName(await table(s1, '/api/v1/namespaces/observability/pods'));
    expect(rows.get('jaeger-op-jaeger-operator-7d7b58d48b-89p9p')?.slice(1, 4)).toEqual([
      '0/1',
      'ImagePullBackOff',
      '0',
    ]);
    // Ages are relative to when the scenario loaded: allow for the seconds the test takes.
    expect(rows.get('jaeger-collector-6b8f9d7c5f-2xk4q')?.slice(1, 4)).toEqual([
      '0/1',
      'CrashLoopBackOff',
      expect.stringMatching(/^212 \(4m\ds ago\)$/),
    ]);
    expect(rows.get('jaeger-query-5c9b7d8f4d-7mhtn')?.slice(1, 3)).toEqual(['1/2', 'CrashLoopBackOff']);
    expect(rows.get('elasticsearch-master-0')?.slice(1, 3)).toEqual(['0/1', 'Running']);
    expect(rows.get('elasticsearch-master-1')?.slice(1, 9)).toEqual([
      '0/1',
      'Pending',
      '0',
      '120m',
      '<none>',
      '<none>',
      '<none>',
      '<none>',
    ]);
    expect(rows.get('elasticsearch-master-0')?.slice(5, 7)).toEqual(['10.244.0.12', 'minikube']);
    const s2rows = byName(await table(s2, '/api/v1/namespaces/shop/pods'));
    expect(s2rows.get('checkout-7d4f8b9c6-w2hjs')?.[2]).toBe('CreateContainerConfigError');
    expect(s2rows.get('orders-api-6c5d4b8f9-x7kzp')?.slice(1, 4)).toEqual([
      '1/1',
      'Running',
      expect.stringMatching(/^14 \(2m1\ds ago\)$/),
    ]);
  });

  it('prints init, completed and terminating pods the way kubectl does', () => {
    const now = Date.parse('2026-11-21T12:00:00Z');
    const base = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', creationTimestamp: '2026-11-21T11:00:00Z' },
      spec: { containers: [{ name: 'c' }], initContainers: [{ name: 'i' }] },
    };
    const init = podRow(
      {
        ...base,
        status: {
          phase: 'Pending',
          initContainerStatuses: [
            { name: 'i', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } },
          ],
        },
      } as Pod,
      now,
    );
    expect(init.cells.slice(1, 5)).toEqual(['0/1', 'Init:CrashLoopBackOff', '3', '60m']);
    const done = podRow(
      {
        ...base,
        status: {
          phase: 'Succeeded',
          containerStatuses: [
            { name: 'c', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
          ],
        },
      } as Pod,
      now,
    );
    expect(done.cells[2]).toBe('Completed');
    expect(done.conditions).toEqual([
      { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
    ]);
    const exit = podRow(
      {
        ...base,
        spec: { containers: [{ name: 'c' }] },
        status: {
          phase: 'Running',
          containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { terminated: { exitCode: 2 } } }],
        },
      } as Pod,
      now,
    );
    expect(exit.cells[2]).toBe('ExitCode:2');
    const going = podRow(
      {
        ...base,
        metadata: { ...base.metadata, deletionTimestamp: '2026-11-21T12:00:30Z' },
        spec: { containers: [{ name: 'c' }] },
        status: { phase: 'Running' },
      } as Pod,
      now,
    );
    expect(going.cells[2]).toBe('Terminating');
  });

  it('honours includeObject=Object and None', async () => {
    const full = await table(s1, '/api/v1/namespaces/observability/pods?includeObject=Object');
    expect(full.rows[0]?.object).toMatchObject({ kind: 'Pod', apiVersion: 'v1', spec: expect.any(Object) });
    const none = await table(s1, '/api/v1/namespaces/observability/pods?includeObject=None');
    expect(none.rows[0]?.object).toBeNull();
  });

  it('has the events columns of `kubectl get events`', async () => {
    const t = await table(s1, '/api/v1/namespaces/observability/events');
    expect(t.columnDefinitions.map((c) => `${c.name}/${c.priority}`)).toEqual([
      'Last Seen/0',
      'Type/0',
      'Reason/0',
      'Object/0',
      'Subobject/1',
      'Source/1',
      'Message/0',
      'First Seen/1',
      'Count/1',
      'Name/1',
    ]);
    const failed = t.rows.find((r) => r.cells[2] === 'FailedScheduling' && r.cells[3] === 'pod/elasticsearch-master-1');
    expect(failed?.cells.slice(0, 2)).toEqual([expect.stringMatching(/^2m4\ds$/), 'Warning']);
    expect(failed?.cells[5]).toBe('default-scheduler, default-scheduler-minikube');
    expect(failed?.cells[8]).toBe(24);
    const pulled = t.rows.find((r) => r.cells[2] === 'Failed' && String(r.cells[6]).startsWith('Failed to pull image'));
    expect(pulled?.cells.slice(3, 6)).toEqual([
      'pod/jaeger-op-jaeger-operator-7d7b58d48b-89p9p',
      'spec.containers{jaeger-operator}',
      'kubelet, minikube',
    ]);
  });

  it('has the columns kubectl shows for secrets, deployments and nodes', async () => {
    const secrets = await table(s1, '/api/v1/namespaces/observability/secrets');
    expect(secrets.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Type', 'Data', 'Age']);
    expect(secrets.rows.map((r) => r.cells.slice(0, 3))).toEqual([
      ['sh.helm.release.v1.jaeger-op.v1', 'helm.sh/release.v1', 1],
      ['sh.helm.release.v1.jaeger.v1', 'helm.sh/release.v1', 1],
    ]);
    const deploys = byName(await table(s1, '/apis/apps/v1/namespaces/observability/deployments'));
    expect(deploys.get('jaeger-query')?.slice(1, 4)).toEqual(['0/1', 1, 0]);
    const nodes = byName(await table(s2, '/api/v1/nodes'));
    expect(nodes.get('cp-1')?.slice(1, 3)).toEqual(['Ready', 'control-plane']);
    expect(nodes.get('worker-1')?.[2]).toBe('<none>');
  });

  it('prints a single object as a one-row table', async () => {
    const t = await table(s1, '/api/v1/namespaces/observability/pods/elasticsearch-master-0');
    expect(t.rows).toHaveLength(1);
    expect(t.metadata['resourceVersion']).toBe(
      s1.state.find('Pod', 'observability', 'elasticsearch-master-0')?.metadata.resourceVersion,
    );
  });
});
