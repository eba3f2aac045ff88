import { afterEach, describe, expect, it } from 'vitest';
import { loadClusterSnapshot } from '../../src/store/load.js';
import { trimObject } from '../../src/kube/trim.js';
import type { KubeObject, Pod } from '../../src/model/k8s.js';
import { POD_SHAPE, project } from '../../src/store/projection.js';
import type { Connection } from '../../src/kube/client.js';
import { listBody, sendJson, startFakeApi, type FakeApi } from '../kube/fake-api.js';
import { clusterHandler, type FakeCluster } from '../kube/fake-cluster.js';
import { collectorLog, OPAQUE_VALUE, s1Objects } from '../kube/s1-objects.js';

let api: FakeApi | undefined;
let conn: Connection | undefined;
afterEach(async () => {
  conn?.close();
  await api?.close();
  api = conn = undefined;
});

async function cluster(extra: Partial<FakeCluster> = {}) {
  const { handler } = clusterHandler({
    objects: s1Objects(),
    logs: { 'observability/jaeger-collector-6d9c7b8f5-x2k8q/jaeger-collector': collectorLog },
    ...extra,
  });
  api = await startFakeApi(handler);
  conn = api.connect();
  return conn;
}

describe('loadClusterSnapshot (small fake API server)', () => {
  it('reads a crash-looping container’s log while the rest of the pods are still being listed', async () => {
    const { handler } = clusterHandler({
      objects: s1Objects(),
      logs: { 'observability/jaeger-collector-6d9c7b8f5-x2k8q/jaeger-collector': collectorLog },
    });
    const order: string[] = [];
    let logAsked: () => void = () => undefined;
    const logSeen = new Promise<void>((resolve) => (logAsked = resolve));
    api = await startFakeApi(async (req, res, url) => {
      if (url.pathname.endsWith('/log')) {
        order.push('log');
        logAsked();
      }
      if (url.pathname !== '/api/v1/namespaces/observability/pods' || url.searchParams.get('watch'))
        return handler(req, res, url);
      // Two pages: the crash-looping collector, then the rest, which a real server of 10,000
      // pods would still be writing. The second waits (2 s at most) for the collector's log to be asked.
      const pods = s1Objects().pods!.filter((p) => p.metadata.namespace === 'observability');
      if (!url.searchParams.get('continue'))
        return sendJson(res, 200, listBody('Pod', pods.slice(0, 1), '1000', { continue: 'page-2' }));
      await Promise.race([logSeen, new Promise((r) => setTimeout(r, 2000))]);
      order.push('last page');
      sendJson(res, 200, listBody('Pod', pods.slice(1), '1000'));
    });
    conn = api.connect();
    const snap = await loadClusterSnapshot(conn, { namespace: 'observability' });
    expect(order).toEqual(['log', 'last page']);
    expect(snap.pods).toHaveLength(2);
    expect(snap.logTail('observability', 'jaeger-collector-6d9c7b8f5-x2k8q', 'jaeger-collector', true)?.lines).toEqual(
      expect.arrayContaining([expect.stringContaining('elasticsearch')]),
    );
  });

  it('reads every list, trimmed and stamped, with crashed containers’ previous logs', async () => {
    const warnings: string[] = [];
    const snap = await loadClusterSnapshot(await cluster(), {
      namespace: 'observability',
      onWarning: (w) => warnings.push(w),
    });
    expect(snap.namespace).toBe('observability');
    expect(snap.pods.map((p) => p.metadata.name)).toEqual([
      'jaeger-collector-6d9c7b8f5-x2k8q',
      'elasticsearch-master-1',
    ]);
    expect(
      snap.pods.every((p) => p.kind === 'Pod' && p.apiVersion === 'v1' && p.metadata.managedFields === undefined),
    ).toBe(true);
    expect(snap.nodes.map((n) => n.metadata.name)).toEqual(['minikube']);
    expect(snap.namespaces).toHaveLength(3);
    expect(snap.webhooks[0]).toMatchObject({
      kind: 'MutatingWebhookConfiguration',
      apiVersion: 'admissionregistration.k8s.io/v1',
    });
    expect(snap.configMaps[0]).toMatchObject({ metadata: { name: 'jaeger-sampling' }, keys: ['sampling.json'] });
    expect(JSON.stringify(snap.configMaps)).not.toContain('probabilistic');

    // Only pull Secrets are read, selected by the server; no value is kept.
    expect(snap.secrets.map((s) => [s.metadata.name, s.registries])).toEqual([['ghcr-pull', ['ghcr.io']]]);
    const secretLists = api!.requests
      .filter((u) => u.pathname.endsWith('/secrets'))
      .map((u) => [u.searchParams.get('fieldSelector'), u.searchParams.get('labelSelector')]);
    expect(secretLists).toEqual(
      expect.arrayContaining([
        ['type=kubernetes.io/dockerconfigjson', null],
        [null, 'owner=helm'],
      ]),
    );
    expect(secretLists).toHaveLength(2);
    const text = JSON.stringify(snap);
    for (const s of [OPAQUE_VALUE, 'ghp_pullsecret', Buffer.from('bot:ghp_pullsecret').toString('base64')])
      expect(text).not.toContain(s);

    // Helm: the good release decoded, the corrupt one skipped with a note.
    expect(snap.helmReleases.map((r) => `${r.name}@${r.chartName}-${r.chartVersion}`)).toEqual([
      'jaeger@jaeger-0.65.4',
    ]);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^Helm release Secret observability\/sh\.helm\.release\.v1\.broken\.v1 could not be decoded/,
      ),
    ]);

    expect(
      snap.logTail('observability', 'jaeger-collector-6d9c7b8f5-x2k8q', 'jaeger-collector', true)?.lines.at(-1),
    ).toContain('no Elasticsearch node available');
    const logRequest = api!.requests.find((u) => u.pathname.endsWith('/log'));
    expect(Object.fromEntries(logRequest!.searchParams)).toMatchObject({
      container: 'jaeger-collector',
      previous: 'true',
      tailLines: '30',
    });

    expect(snap.hasGroup('apps')).toBe(true);
    expect(snap.hasGroup('cert-manager.io')).toBe(false);
    expect(snap.forbidden.size).toBe(0);
    // Namespaced lists stay in the namespace; cluster-scoped ones cannot.
    expect(api!.requests.map((u) => u.pathname)).toEqual(
      expect.arrayContaining([
        '/api/v1/namespaces/observability/pods',
        '/api/v1/nodes',
        '/apis/apps/v1/namespaces/observability/deployments',
      ]),
    );
  });

  it('keeps what the cockpit keeps: pods and events as projections, other lists whole', async () => {
    const objects = s1Objects();
    // Fields every real pod and event carries that no rule or view reads.
    const pod = objects['pods']![0]! as Pod & { spec: Record<string, unknown>; status: Record<string, unknown> };
    Object.assign(pod.spec, { dnsPolicy: 'ClusterFirst', enableServiceLinks: true, securityContext: {} });
    pod.status['qosClass'] = 'BestEffort';
    objects['events'] = [
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${pod.metadata.name}.1872a7c1d2e3f4a5`, namespace: 'observability', uid: 'ev-1' },
        involvedObject: { kind: 'Pod', namespace: 'observability', name: pod.metadata.name, apiVersion: 'v1' },
        reason: 'BackOff',
        message: 'Back-off restarting failed container jaeger-collector in pod jaeger-collector-6d9c7b8f5-x2k8q',
        type: 'Warning',
        count: 212,
        source: { component: 'kubelet', host: 'minikube' },
        reportingComponent: 'kubelet',
        reportingInstance: 'minikube',
      } as KubeObject,
    ];
    const { handler } = clusterHandler({ objects: structuredClone(objects), logs: {} });
    api = await startFakeApi(handler);
    conn = api.connect();
    const snap = await loadClusterSnapshot(conn, { namespace: 'observability', logsFor: 'none' });

    const kept = snap.pods.find((p) => p.metadata.name === pod.metadata.name)!;
    expect(kept).toEqual(project(trimObject(structuredClone(pod)), POD_SHAPE));
    expect(kept.spec).not.toHaveProperty('dnsPolicy');
    expect(kept.status).not.toHaveProperty('qosClass');
    expect(kept.status?.containerStatuses?.[0]?.lastState).toEqual(pod.status?.containerStatuses?.[0]?.lastState);
    expect(snap.events).toHaveLength(1);
    expect(snap.events[0]).not.toHaveProperty('reportingInstance');
    expect(snap.events[0]).toMatchObject({ reason: 'BackOff', count: 212, source: { component: 'kubelet' } });
    expect(snap.nodes[0]).toEqual(trimObject(structuredClone(objects['nodes']![0]!)));
  });

  it('a namespace-only user: cluster-wide lists are recorded as forbidden and the rest still loads', async () => {
    const snap = await loadClusterSnapshot(await cluster({ viewerNamespace: 'observability' }), {
      namespace: 'observability',
      logsFor: 'none',
    });
    expect([...snap.forbidden].sort()).toEqual([
      'ingressclasses',
      'mutatingwebhookconfigurations',
      'namespaces',
      'nodes',
      'persistentvolumes',
      'storageclasses',
      'validatingwebhookconfigurations',
    ]);
    expect(snap.pods).toHaveLength(2);
    expect(snap.logs).toEqual([]);
  });

  it('fails with the Status message when pods themselves are forbidden', async () => {
    await expect(loadClusterSnapshot(await cluster({ viewerNamespace: 'observability' }))).rejects.toMatchObject({
      kind: 'forbidden',
      message:
        'forbidden: pods is forbidden: User "viewer" cannot list resource "pods" in API group "" at the cluster scope (try -n <namespace>)',
    });
  });

  it('keeps going when one list fails on the server, with a warning', async () => {
    const warnings: string[] = [];
    const { handler } = clusterHandler({ objects: s1Objects() });
    api = await startFakeApi((req, res, url) => {
      if (url.pathname.endsWith('/persistentvolumeclaims')) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Failure',
            message: 'etcdserver: leader changed',
            code: 500,
          }),
        );
        return;
      }
      return handler(req, res, url);
    });
    conn = api.connect();
    const snap = await loadClusterSnapshot(conn, { onWarning: (w) => warnings.push(w) });
    expect(snap.pods).toHaveLength(2);
    expect(warnings).toContainEqual(
      expect.stringMatching(
        /^persistentvolumeclaims could not be listed: the API server failed while trying to list persistentvolumeclaims \(500 Internal Server Error: etcdserver: leader changed\)/,
      ),
    );
  });
});
