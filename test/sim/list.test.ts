import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/sim/scenario.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { call, sample, startScenario } from './helpers.js';

type List = {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: { kind?: string; metadata: { name: string; namespace?: string } }[];
};

let srv: SimServer;
beforeAll(async () => {
  srv = await startScenario('s1-jaeger');
});
afterAll(() => srv.close());

const names = (l: List) => l.items.map((i) => i.metadata.name);

describe('list', () => {
  it('answers a PodList whose items carry no kind/apiVersion and whose resourceVersion is the current one', async () => {
    const list = (await call(srv, '/api/v1/namespaces/observability/pods')).json<List>();
    expect(list.kind).toBe('PodList');
    expect(list.apiVersion).toBe('v1');
    expect(list.metadata.resourceVersion).toBe(String(srv.state.resourceVersion));
    expect(list.items.every((i) => i.kind === undefined)).toBe(true);
    expect(names(list)).toEqual([...names(list)].sort());
    expect(Object.keys(list.items[0] ?? {}).slice(0, 3)).toEqual(['metadata', 'spec', 'status']);
  });

  it('lists across namespaces in namespace order, and only one namespace when asked', async () => {
    const all = (await call(srv, '/api/v1/pods')).json<List>();
    const ns = all.items.map((i) => i.metadata.namespace);
    expect(ns).toEqual([...ns].sort());
    expect(new Set(ns)).toEqual(new Set(['kube-system', 'observability']));
    const one = (await call(srv, '/api/v1/namespaces/kube-system/pods')).json<List>();
    expect(one.items.every((i) => i.metadata.namespace === 'kube-system')).toBe(true);
  });

  it('filters by label selector (=, !=, in, exists)', async () => {
    const q = (sel: string) =>
      call(srv, `/api/v1/namespaces/observability/pods?labelSelector=${encodeURIComponent(sel)}`).then((r) =>
        names(r.json<List>()),
      );
    expect(await q('app=elasticsearch-master')).toEqual([
      'elasticsearch-master-0',
      'elasticsearch-master-1',
      'elasticsearch-master-2',
    ]);
    expect(await q('app.kubernetes.io/component in (collector,query)')).toEqual([
      'jaeger-collector-6b8f9d7c5f-2xk4q',
      'jaeger-query-5c9b7d8f4d-7mhtn',
    ]);
    expect(await q('statefulset.kubernetes.io/pod-name')).toHaveLength(3);
    expect(await q('!statefulset.kubernetes.io/pod-name,app.kubernetes.io/component!=query')).toEqual([
      'jaeger-collector-6b8f9d7c5f-2xk4q',
      'jaeger-op-jaeger-operator-7d7b58d48b-89p9p',
    ]);
  });

  it('filters by the field selectors kubectl and kubelets use', async () => {
    const q = (path: string, sel: string) =>
      call(srv, `${path}?fieldSelector=${encodeURIComponent(sel)}`).then((r) => r.json<List>().items);
    expect((await q('/api/v1/pods', 'status.phase=Pending')).map((p) => p.metadata.name).sort()).toEqual([
      'elasticsearch-master-1',
      'elasticsearch-master-2',
      'jaeger-op-jaeger-operator-7d7b58d48b-89p9p',
    ]);
    expect(await q('/api/v1/pods', 'spec.nodeName=minikube,metadata.namespace=observability')).toHaveLength(4);
    const described = await q(
      '/api/v1/namespaces/observability/events',
      'involvedObject.name=elasticsearch-master-1,involvedObject.namespace=observability,involvedObject.kind=Pod',
    );
    expect(described.map((e) => (e as unknown as { reason: string }).reason)).toEqual(['FailedScheduling']);
    const uid = srv.state.find('Pod', 'observability', 'elasticsearch-master-0')?.metadata.uid as string;
    expect(await q('/api/v1/events', `involvedObject.uid=${uid}`)).toHaveLength(1);
    expect(await q('/api/v1/namespaces/observability/secrets', 'type=helm.sh/release.v1')).toHaveLength(2);
    expect(await q('/api/v1/namespaces/observability/secrets', 'type=kubernetes.io/dockerconfigjson')).toHaveLength(0);
  });

  it('pages with limit/continue like the sample (continue token, remainingItemCount) and reassembles the full list', async () => {
    const first = (await call(srv, '/api/v1/namespaces/observability/pods?limit=1')).json<List>();
    const real = sample('list-paged-limit1.json') as List;
    expect(Object.keys(first.metadata)).toEqual(Object.keys(real.metadata));
    expect(first.items).toHaveLength(1);
    expect(first.metadata.remainingItemCount).toBe(5);
    expect(JSON.parse(Buffer.from(first.metadata.continue as string, 'base64url').toString())).toEqual({
      v: 'meta.k8s.io/v1',
      rv: Number(first.metadata.resourceVersion),
      start: `${first.items[0]?.metadata.name}\u0000`,
    });
    const seen = [...names(first)];
    let cont = first.metadata.continue;
    while (cont) {
      const page = (await call(srv, `/api/v1/namespaces/observability/pods?limit=2&continue=${cont}`)).json<List>();
      expect(page.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
      seen.push(...names(page));
      cont = page.metadata.continue;
    }
    expect(seen).toEqual(names((await call(srv, '/api/v1/namespaces/observability/pods')).json<List>()));
  });

  it('a continue token from before a compaction answers 410 Expired with a token to go on inconsistently', async () => {
    const first = (await call(srv, '/api/v1/pods?limit=2')).json<List>();
    await call(srv, '/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bump' } },
    });
    srv.state.compact();
    const res = await call(srv, `/api/v1/pods?limit=2&continue=${first.metadata.continue}`);
    expect(res.status).toBe(410);
    const status = res.json<{ reason: string; code: number; message: string; metadata: { continue: string } }>();
    expect(status.reason).toBe('Expired');
    expect(status.message).toMatch(/^The provided continue parameter is too old to display a consistent list result\./);
    const next = (await call(srv, `/api/v1/pods?limit=2&continue=${status.metadata.continue}`)).json<List>();
    expect(next.items.map((i) => i.metadata.name)).not.toContain(first.items[0]?.metadata.name);
    expect(next.metadata.resourceVersion).toBe(String(srv.state.resourceVersion));
  });

  it('an undecodable continue token is a 400', async () => {
    const res = await call(srv, '/api/v1/pods?limit=2&continue=not-a-token');
    expect(res.status).toBe(400);
    expect(res.json()['reason']).toBe('BadRequest');
  });

  it('gets one object with its kind and apiVersion', async () => {
    const pod = (await call(srv, '/api/v1/namespaces/observability/pods/elasticsearch-master-0')).json();
    expect(pod['kind']).toBe('Pod');
    expect(pod['apiVersion']).toBe('v1');
    const sts = (await call(srv, '/apis/apps/v1/namespaces/observability/statefulsets/elasticsearch-master')).json();
    expect(sts['apiVersion']).toBe('apps/v1');
  });
});

describe('list at a serving rate', () => {
  it('writes a list no faster than listBytesPerSecond, as a real API server encodes it', async () => {
    const size = (await call(srv, '/api/v1/pods')).text.length;
    // The whole list in about 400 ms.
    const slow = await startSimServer({ scenario: loadScenario('s1-jaeger'), listBytesPerSecond: size / 0.4 });
    try {
      const started = performance.now();
      const answer = await call(slow, '/api/v1/pods');
      expect(answer.json<List>().items.length).toBeGreaterThan(0);
      expect(performance.now() - started).toBeGreaterThanOrEqual(350);
    } finally {
      await slow.close();
    }
  });
});
