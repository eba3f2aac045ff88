import { afterEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/kube/client.js';
import type { KubeObject, Pod } from '../../src/model/k8s.js';
import { LiveStore } from '../../src/store/live.js';
import { POD_SHAPE, project } from '../../src/store/projection.js';
import { listBody, sendJson, startFakeApi, until, type FakeApi } from '../kube/fake-api.js';
import { clusterHandler, type Watches } from '../kube/fake-cluster.js';
import { collectorLog, collectorPod, s1Objects } from '../kube/s1-objects.js';
import { compareText } from '../../src/util/order.js';

let api: FakeApi | undefined;
let conn: Connection | undefined;
let store: LiveStore | undefined;
afterEach(async () => {
  store?.stop();
  conn?.close();
  await api?.close();
  api = conn = store = undefined;
});

async function liveCluster(objects: Record<string, KubeObject[]> = s1Objects(), port?: number): Promise<Watches> {
  const { handler, watches } = clusterHandler({
    objects,
    logs: { 'observability/jaeger-collector-6d9c7b8f5-x2k8q/jaeger-collector': collectorLog },
  });
  api = await startFakeApi(handler, port !== undefined ? { port } : {});
  return watches;
}

function startStore(extra: Partial<ConstructorParameters<typeof LiveStore>[0]> = {}) {
  conn ??= api!.connect();
  store = new LiveStore({ conn, namespace: 'observability', backoffInitialMs: 50, backoffMaxMs: 200, ...extra });
  let notified = 0;
  store.subscribe(() => notified++);
  store.start();
  return { notified: () => notified };
}

describe('LiveStore', () => {
  it('publishes the cluster, goes live, and fetches crashed containers’ logs', async () => {
    await liveCluster();
    startStore();
    await until(() => store!.connection().state === 'live', 5000, 'live');
    await until(
      () => store!.current().logs.length === 1 && store!.current().apiGroups.size > 0,
      5000,
      'crash log and discovery',
    );
    const snap = store!.current();
    expect(snap.pods.map((p) => p.metadata.name).sort()).toEqual([
      'elasticsearch-master-1',
      'jaeger-collector-6d9c7b8f5-x2k8q',
    ]);
    expect(snap.nodes).toHaveLength(1);
    expect(snap.helmReleases.map((r) => r.name)).toEqual(['jaeger']);
    expect(snap.secrets.map((s) => s.metadata.name)).toEqual(['ghcr-pull']);
    expect(snap.hasGroup('cert-manager.io')).toBe(false);
    expect(snap.hasGroup('apps')).toBe(true);
    expect(
      snap.logTail('observability', 'jaeger-collector-6d9c7b8f5-x2k8q', 'jaeger-collector', true)?.lines.at(-1),
    ).toContain('connection refused');
    expect(snap.namespace).toBe('observability');
  });

  it('says pods/log is forbidden when RBAC refuses the crash logs, and goes on without them', async () => {
    const { handler } = clusterHandler({ objects: s1Objects() });
    api = await startFakeApi((req, res, url) =>
      url.pathname.endsWith('/log')
        ? sendJson(res, 403, {
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Failure',
            message: `pods "${url.pathname.split('/').at(-2)}" is forbidden: User "viewer" cannot get resource "pods/log" in API group "" in the namespace "observability"`,
            reason: 'Forbidden',
            details: { name: url.pathname.split('/').at(-2), kind: 'pods' },
            code: 403,
          })
        : handler(req, res, url),
    );
    startStore();
    await until(() => store!.current().forbidden.has('pods/log'), 5000, 'pods/log forbidden');
    expect(store!.current().logs).toEqual([]);
    expect(store!.current().forbidden.has('pods')).toBe(false);
  });

  it('coalesces a storm of 1,000 watch events into a handful of snapshots', async () => {
    const watches = await liveCluster();
    const counter = startStore({ coalesceMs: 75 });
    await until(() => store!.connection().state === 'live' && watches.open('pods') === 1, 5000, 'pods watched');
    await new Promise((r) => setTimeout(r, 200));
    const before = counter.notified();
    const versionBefore = store!.current().version;
    for (let i = 1; i <= 1000; i++) {
      const pod = structuredClone(collectorPod) as Pod;
      pod.metadata.resourceVersion = String(2000 + i);
      pod.status!.containerStatuses![0]!.restartCount = 212 + i;
      watches.push('pods', 'MODIFIED', pod);
    }
    await until(
      () => store!.current().pods.some((p) => p.status?.containerStatuses?.[0]?.restartCount === 1212),
      5000,
      'the last event',
    );
    await new Promise((r) => setTimeout(r, 200));
    const rebuilds = store!.current().version - versionBefore;
    expect(rebuilds).toBeGreaterThanOrEqual(1);
    expect(rebuilds).toBeLessThanOrEqual(10);
    expect(counter.notified() - before).toBeLessThanOrEqual(12);
    expect(store!.current().pods).toHaveLength(2);
  });

  it('shows the first page of a long pod list before the list has finished', async () => {
    const pods = Array.from({ length: 1200 }, (_, i) => {
      const p = structuredClone(collectorPod) as Pod;
      p.metadata.name = `load-${i}`;
      p.metadata.uid = `uid-load-${i}`;
      p.status = { phase: 'Running' };
      return p;
    });
    const { handler } = clusterHandler({ objects: { ...s1Objects(), pods } });
    let releaseLastPages!: () => void;
    const gate = new Promise<void>((r) => (releaseLastPages = r));
    api = await startFakeApi(async (req, res, url) => {
      if (url.pathname === '/api/v1/namespaces/observability/pods' && !url.searchParams.get('watch')) {
        const start = Number(url.searchParams.get('continue') ?? 0);
        if (start > 0) await gate;
        const end = Math.min(pods.length, start + Number(url.searchParams.get('limit')));
        const more = end < pods.length ? { continue: String(end), remainingItemCount: pods.length - end } : {};
        return sendJson(res, 200, listBody('Pod', pods.slice(start, end), '5000', more));
      }
      return handler(req, res, url);
    });
    startStore();
    await until(() => store!.current().pods.length === 200, 5000, 'the first page');
    expect(store!.connection().state).toBe('connecting');
    releaseLastPages();
    await until(() => store!.current().pods.length === 1200, 5000, 'the whole list');
    await until(() => store!.connection().state === 'live');
  });

  it('shows the whole pod list as soon as it is in, without waiting for the loading pace', async () => {
    const pods = Array.from({ length: 800 }, (_, i) => {
      const p = structuredClone(collectorPod) as Pod;
      p.metadata.name = `load-${i}`;
      p.metadata.uid = `uid-load-${i}`;
      return p;
    });
    const { handler } = clusterHandler({ objects: { ...s1Objects(), pods } });
    let lastPageSent = 0;
    api = await startFakeApi(async (req, res, url) => {
      if (url.pathname === '/api/v1/namespaces/observability/pods' && !url.searchParams.get('watch')) {
        const start = Number(url.searchParams.get('continue') ?? 0);
        // The last page comes just after the first was shown: inside the 400 ms loading pace.
        if (start > 0) await new Promise((r) => setTimeout(r, 50));
        const end = Math.min(pods.length, start + Number(url.searchParams.get('limit')));
        const more = end < pods.length ? { continue: String(end), remainingItemCount: pods.length - end } : {};
        if (!more.continue) lastPageSent = Date.now();
        return sendJson(res, 200, listBody('Pod', pods.slice(start, end), '5000', more));
      }
      return handler(req, res, url);
    });
    startStore();
    await until(() => store!.current().pods.length === 800, 5000, 'the whole list');
    expect(Date.now() - lastPageSent).toBeLessThan(250);
  });

  it('records lists the user may not read and stays live', async () => {
    const { handler } = clusterHandler({ objects: s1Objects(), viewerNamespace: 'observability' });
    api = await startFakeApi(handler);
    startStore();
    await until(
      () => store!.connection().state === 'live' && store!.current().forbidden.size === 7,
      5000,
      'forbidden lists',
    );
    expect([...store!.current().forbidden].sort()).toEqual([
      'ingressclasses',
      'mutatingwebhookconfigurations',
      'namespaces',
      'nodes',
      'persistentvolumes',
      'storageclasses',
      'validatingwebhookconfigurations',
    ]);
    expect(store!.current().pods).toHaveLength(2);
  });

  it('stays live when the server does not serve a resource (404)', async () => {
    const { handler } = clusterHandler({ objects: s1Objects(), unserved: ['validatingwebhookconfigurations'] });
    api = await startFakeApi(handler);
    startStore();
    await until(() => store!.connection().state === 'live' && store!.current().webhooks.length === 1, 5000, 'live');
    await new Promise((r) => setTimeout(r, 200));
    expect(store!.connection()).toEqual({ state: 'live' });
  });

  it('says forbidden when pods cannot be read at all', async () => {
    const { handler } = clusterHandler({ objects: s1Objects(), forbidden: ['pods'] });
    api = await startFakeApi(handler);
    startStore({ authRetryMs: 60_000 });
    await until(() => store!.connection().state === 'forbidden');
    expect(store!.connection()).toMatchObject({ reason: expect.stringContaining('pods is forbidden') });
  });

  it('reconnects after the API server restarts and picks up what changed meanwhile', async () => {
    await liveCluster();
    const port = api!.port;
    startStore();
    await until(() => store!.connection().state === 'live', 5000, 'live');
    await api!.close();
    const reason = () => {
      const c = store!.connection();
      return c.state === 'reconnecting' ? c.reason : '';
    };
    await until(() => reason().includes('connection refused'), 5000, 'reconnecting');
    expect(reason()).toMatch(
      /^cannot reach the API server at http:\/\/127\.0\.0\.1:\d+ \(connection refused\): is the cluster running\?/,
    );

    const objects = s1Objects();
    objects['pods'] = objects['pods']!.filter((p) => p.metadata.name !== 'elasticsearch-master-1');
    const { handler } = clusterHandler({ objects, resourceVersion: '1', logs: {} });
    let watchedOnce = false;
    // The restarted server forgot old resourceVersions: the first watch gets 410 and the store relists.
    api = await startFakeApi(
      (req, res, url) => {
        if (url.searchParams.get('watch') && url.pathname.endsWith('/pods') && !watchedOnce) {
          watchedOnce = true;
          return sendJson(res, 410, {
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Failure',
            message: 'too old resource version: 1000 (1)',
            reason: 'Expired',
            code: 410,
          });
        }
        return handler(req, res, url);
      },
      { port },
    );
    await until(() => store!.connection().state === 'live', 10_000, 'live again');
    await until(() => store!.current().pods.length === 1, 5000, 'the relisted pods');
    expect(store!.current().pods[0]?.metadata.name).toBe('jaeger-collector-6d9c7b8f5-x2k8q');
  });

  it('stop() ends every loop and publishes nothing more', async () => {
    const watches = await liveCluster();
    const counter = startStore();
    await until(() => store!.connection().state === 'live' && watches.open('pods') === 1);
    store!.stop();
    const n = counter.notified();
    watches.push('pods', 'DELETED', collectorPod);
    await new Promise((r) => setTimeout(r, 150));
    expect(counter.notified()).toBe(n);
    await until(() => watches.open('pods') === 0, 2000, 'watches closed');
  });
});

describe('LiveStore load order', () => {
  it('lists pods first, with a small first page, and the other lists only once the pods are in', async () => {
    const { handler } = clusterHandler({ objects: s1Objects(), logs: {} });
    const lists: { path: string; limit: string | null; at: number }[] = [];
    let podsDoneAt = Number.POSITIVE_INFINITY;
    api = await startFakeApi((req, res, url) => {
      const isWatch = ['true', '1'].includes(url.searchParams.get('watch') ?? '');
      if (!isWatch && url.searchParams.has('limit')) {
        lists.push({ path: url.pathname, limit: url.searchParams.get('limit'), at: performance.now() });
        if (url.pathname.endsWith('/pods'))
          res.once('finish', () => (podsDoneAt = Math.min(podsDoneAt, performance.now())));
      }
      return handler(req, res, url);
    });
    startStore();
    await until(() => store!.connection().state === 'live', 5000, 'live');
    expect(lists[0]).toMatchObject({ path: '/api/v1/namespaces/observability/pods', limit: '200' });
    const others = lists.filter((l) => !l.path.endsWith('/pods'));
    expect(others.length).toBeGreaterThan(5);
    for (const l of others) expect(l.at).toBeGreaterThanOrEqual(podsDoneAt);
  });

  it('says the pods are listed while the other lists still load', async () => {
    const { handler } = clusterHandler({ objects: s1Objects(), logs: {} });
    let release: () => void = () => undefined;
    const eventsHeld = new Promise<void>((resolve) => (release = resolve));
    api = await startFakeApi(async (req, res, url) => {
      const isWatch = ['true', '1'].includes(url.searchParams.get('watch') ?? '');
      if (!isWatch && url.pathname.endsWith('/events')) await eventsHeld;
      return handler(req, res, url);
    });
    startStore();
    await until(
      () => {
        const c = store!.connection();
        return c.state === 'connecting' && c.podsListed === true;
      },
      5000,
      'the pods listed',
    );
    expect(store!.current().pods.length).toBeGreaterThan(0);
    expect(store!.current().events).toEqual([]);
    release();
    await until(() => store!.connection().state === 'live', 5000, 'live');
  });
});

const COLLECTOR_LOG = 'observability/jaeger-collector-6d9c7b8f5-x2k8q/jaeger-collector';

async function liveStore(logs: Record<string, string>): Promise<Watches> {
  const { handler, watches } = clusterHandler({ objects: s1Objects(), logs });
  api = await startFakeApi(handler);
  conn = api.connect();
  store = new LiveStore({ conn, namespace: 'observability', backoffInitialMs: 50, backoffMaxMs: 200 });
  store.start();
  await until(() => store!.connection().state === 'live' && watches.open('pods') === 1, 5000, 'live');
  return watches;
}

const lastLogLine = () =>
  store!
    .current()
    .logTail('observability', 'jaeger-collector-6d9c7b8f5-x2k8q', 'jaeger-collector', true)
    ?.lines.at(-1) ?? '';

/** The collector pod as the API server sends it after the kubelet's next status update. */
function collectorUpdate(resourceVersion: string, restartCount: number): Pod {
  const pod = structuredClone(collectorPod) as Pod;
  pod.metadata.resourceVersion = resourceVersion;
  pod.status!.containerStatuses![0]!.restartCount = restartCount;
  return pod;
}

describe('LiveStore ingest', () => {
  it('fetches a crashed container’s log again after its next restart, and not after other changes', async () => {
    const logs = { [COLLECTOR_LOG]: collectorLog };
    const watches = await liveStore(logs);
    await until(() => lastLogLine().includes('connection refused'), 5000, 'the first crash log');

    // The same crash seen again (a status update without a new restart): nothing is fetched.
    logs[COLLECTOR_LOG] =
      '{"level":"fatal","msg":"Failed to init storage factory","error":"no space left on device"}\n';
    watches.push('pods', 'MODIFIED', collectorUpdate('2001', 212));
    await new Promise((r) => setTimeout(r, 300));
    expect(lastLogLine()).toContain('connection refused');

    // Restart 213: the new previous log is fetched.
    watches.push('pods', 'MODIFIED', collectorUpdate('2002', 213));
    await until(() => lastLogLine().includes('no space left on device'), 5000, 'the log of the new crash');
  });

  it('keeps one copy of what a watched pod did not change: its spec is the one kept before', async () => {
    const watches = await liveStore({ [COLLECTOR_LOG]: collectorLog });
    const name = collectorPod.metadata.name;
    const kept = () => store!.current().pods.find((p) => p.metadata.name === name)!;
    const before = kept();
    // A replica of the same controller, watched since, with another image: the family's last,
    // but not the updated pod's earlier self.
    const owned = (p: Pod): Pod => {
      p.metadata.ownerReferences = [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'jaeger-collector-6d9c7b8f5',
          uid: 'rs-1',
          controller: true,
        },
      ];
      return p;
    };
    const sibling = owned(collectorUpdate('2000', 0));
    sibling.metadata = { ...sibling.metadata, name: `${name}-b`, uid: 'sibling' };
    sibling.spec.containers[0]!.image = 'jaegertracing/jaeger-collector:next';
    watches.push('pods', 'ADDED', sibling);
    await until(() => store!.current().pods.some((p) => p.metadata.uid === 'sibling'), 5000, 'the sibling');
    watches.push('pods', 'MODIFIED', owned(collectorUpdate('2001', 213)));
    await until(() => kept().metadata.resourceVersion === '2001', 5000, 'the update');
    const after = kept();
    expect(after).not.toBe(before);
    expect(after.status!.containerStatuses![0]!.restartCount).toBe(213);
    expect(after.spec).toBe(before.spec);
    expect(after.metadata.labels).toBe(before.metadata.labels);
  });

  it('keeps listed and watched pods and events as the projection of what the server sent', async () => {
    const watches = await liveStore({ [COLLECTOR_LOG]: collectorLog });
    const updated = collectorUpdate('2001', 213);
    watches.push('pods', 'MODIFIED', updated);
    await until(() => store!.current().pods.some((p) => p.metadata.resourceVersion === '2001'), 5000, 'the update');
    // Listed pods are projected and share their strings in the background once the store is live.
    await new Promise((r) => setTimeout(r, 100));
    const withoutManagedFields = (o: KubeObject) => {
      const { managedFields: _managedFields, ...metadata } = o.metadata;
      return { ...o, metadata };
    };
    const byName = (a: KubeObject, b: KubeObject) => compareText(a.metadata.name, b.metadata.name);
    const sent = s1Objects()
      ['pods']!.map((p) => (p.metadata.name === updated.metadata.name ? updated : p))
      .map(withoutManagedFields)
      .map((p) => project(structuredClone(p), POD_SHAPE))
      .sort(byName);
    expect(JSON.stringify(sent)).not.toContain('lastProbeTime');
    expect([...store!.current().pods].sort(byName)).toStrictEqual(sent);
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'jaeger-collector.17f0', namespace: 'observability', uid: 'ev-1', resourceVersion: '2002' },
      involvedObject: { kind: 'Pod', namespace: 'observability', name: updated.metadata.name, apiVersion: 'v1' },
      reason: 'BackOff',
      message: 'Back-off restarting failed container jaeger-collector',
      type: 'Warning',
      reportingComponent: 'kubelet',
      reportingInstance: 'minikube',
    };
    watches.push('events', 'ADDED', event);
    await until(() => store!.current().events.length === 1, 5000, 'the event');
    const { reportingInstance: _instance, ...kept } = event;
    expect(store!.current().events).toStrictEqual([
      { ...kept, involvedObject: { kind: 'Pod', namespace: 'observability', name: updated.metadata.name } },
    ]);
  });
});
