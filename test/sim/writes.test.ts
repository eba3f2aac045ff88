import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Workload } from '../../src/model/k8s.js';
import type { SimServer } from '../../src/sim/server.js';
import { call, startScenario } from './helpers.js';

let srv: SimServer;
beforeEach(async () => {
  srv = await startScenario('s1-jaeger');
});
afterEach(() => srv.close());

const SA = '/api/v1/namespaces/observability/serviceaccounts/jaeger-op-jaeger-operator';
const MERGE = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';

function dockerSecret(name: string, server = 'https://index.docker.io/v1/') {
  const auth = Buffer.from('me:token').toString('base64');
  const config = { auths: { [server]: { username: 'me', password: 'token', auth } } };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(JSON.stringify(config)).toString('base64') },
  };
}

const podBody = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: {
    serviceAccountName: 'jaeger-op-jaeger-operator',
    containers: [{ name: 'main', image: 'busybox:1.36' }],
    ...extra,
  },
});

describe('dry run', () => {
  it('validates and answers what would be stored, but stores nothing', async () => {
    const rv = srv.state.resourceVersion;
    const created = await call(srv, '/api/v1/namespaces/observability/secrets?dryRun=All', {
      method: 'POST',
      body: dockerSecret('regcred'),
    });
    expect(created.status).toBe(201);
    expect(created.json()['metadata']).toMatchObject({ name: 'regcred', namespace: 'observability' });
    expect(created.json()['metadata']).not.toHaveProperty('resourceVersion');
    expect((await call(srv, '/api/v1/namespaces/observability/secrets/regcred')).status).toBe(404);

    const patched = await call(srv, `${SA}?dryRun=All`, {
      method: 'PATCH',
      contentType: MERGE,
      body: { imagePullSecrets: [{ name: 'regcred' }] },
    });
    expect(patched.json()['imagePullSecrets']).toEqual([{ name: 'regcred' }]);
    expect((await call(srv, SA)).json()['imagePullSecrets']).toBeUndefined();

    const deleted = await call(srv, '/api/v1/namespaces/observability/pods/elasticsearch-master-0?dryRun=All', {
      method: 'DELETE',
    });
    expect(deleted.status).toBe(200);
    expect((await call(srv, '/api/v1/namespaces/observability/pods/elasticsearch-master-0')).status).toBe(200);

    const invalid = await call(srv, '/api/v1/namespaces/observability/pods?dryRun=All', {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: {} },
    });
    expect(invalid.status).toBe(422);
    expect(srv.state.resourceVersion).toBe(rv);
  });
});

describe('patches', () => {
  it('a merge patch REPLACES ServiceAccount.imagePullSecrets (no merge key)', async () => {
    await call(srv, SA, { method: 'PATCH', contentType: MERGE, body: { imagePullSecrets: [{ name: 'first' }] } });
    const res = await call(srv, SA, {
      method: 'PATCH',
      contentType: MERGE,
      body: { imagePullSecrets: [{ name: 'regcred' }] },
    });
    expect(res.json()['imagePullSecrets']).toEqual([{ name: 'regcred' }]);
  });

  it('a strategic merge patch replaces it too, while merging pod containers by name', async () => {
    await call(srv, SA, { method: 'PATCH', contentType: MERGE, body: { imagePullSecrets: [{ name: 'first' }] } });
    const sa = await call(srv, SA, {
      method: 'PATCH',
      contentType: STRATEGIC,
      body: { imagePullSecrets: [{ name: 'regcred' }] },
    });
    expect(sa.json()['imagePullSecrets']).toEqual([{ name: 'regcred' }]);

    const deploy = await call(srv, '/apis/apps/v1/namespaces/observability/deployments/jaeger-query', {
      method: 'PATCH',
      contentType: STRATEGIC,
      body: {
        spec: {
          template: { spec: { containers: [{ name: 'jaeger-query', env: [{ name: 'LOG_LEVEL', value: 'debug' }] }] } },
        },
      },
    });
    const containers = deploy.json<{
      spec: { template: { spec: { containers: { name: string; image: string; env: { name: string }[] }[] } } };
    }>().spec.template.spec.containers;
    expect(containers.map((c) => c.name)).toEqual(['jaeger-query', 'jaeger-agent-sidecar']);
    expect(containers[0]?.image).toBe('jaegertracing/jaeger-query:1.39.0');
    expect(containers[0]?.env.map((e) => e.name)).toEqual([
      'SPAN_STORAGE_TYPE',
      'ES_SERVER_URLS',
      'QUERY_BASE_PATH',
      'LOG_LEVEL',
    ]);
  });

  it('a JSON patch add at /imagePullSecrets/- appends, and fails when the list does not exist yet', async () => {
    const missing = await call(srv, SA, {
      method: 'PATCH',
      contentType: JSON_PATCH,
      body: [{ op: 'add', path: '/imagePullSecrets/-', value: { name: 'regcred' } }],
    });
    expect(missing.status).toBe(422);
    expect(missing.json()['message']).toBe(
      'jsonpatch add operation does not apply: doc is missing path: "/imagePullSecrets/-": missing value',
    );
    await call(srv, SA, {
      method: 'PATCH',
      contentType: JSON_PATCH,
      body: [{ op: 'add', path: '/imagePullSecrets', value: [{ name: 'first' }] }],
    });
    const res = await call(srv, SA, {
      method: 'PATCH',
      contentType: JSON_PATCH,
      body: [{ op: 'add', path: '/imagePullSecrets/-', value: { name: 'regcred' } }],
    });
    expect(res.json()['imagePullSecrets']).toEqual([{ name: 'first' }, { name: 'regcred' }]);
  });

  it('a patch with a stale resourceVersion is a 409 Conflict', async () => {
    const res = await call(srv, SA, {
      method: 'PATCH',
      contentType: MERGE,
      body: { metadata: { resourceVersion: '1' }, imagePullSecrets: [] },
    });
    expect(res.status).toBe(409);
  });

  it('a pod spec cannot be changed after creation (only images and a few fields)', async () => {
    const res = await call(srv, '/api/v1/namespaces/observability/pods/jaeger-op-jaeger-operator-7d7b58d48b-89p9p', {
      method: 'PATCH',
      contentType: MERGE,
      body: { spec: { imagePullSecrets: [{ name: 'regcred' }] } },
    });
    expect(res.status).toBe(422);
    expect(res.json()['message']).toMatch(
      /^Pod "jaeger-op-jaeger-operator-7d7b58d48b-89p9p" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\]\.image`/,
    );
  });
});

describe('ServiceAccount admission on pod create', () => {
  it('copies the ServiceAccount imagePullSecrets into a pod that lists none, and defaults the account', async () => {
    await call(srv, SA, { method: 'PATCH', contentType: MERGE, body: { imagePullSecrets: [{ name: 'regcred' }] } });
    const pod = (
      await call(srv, '/api/v1/namespaces/observability/pods', { method: 'POST', body: podBody('copied') })
    ).json<{ spec: Record<string, unknown>; metadata: Record<string, unknown>; status: Record<string, unknown> }>();
    expect(pod.spec['imagePullSecrets']).toEqual([{ name: 'regcred' }]);
    expect(pod.metadata['uid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(pod.metadata['creationTimestamp']).toMatch(/Z$/);
    expect(pod.metadata['generation']).toBe(1);
    expect(pod.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
    const plain = (
      await call(srv, '/api/v1/namespaces/observability/pods', {
        method: 'POST',
        body: { ...podBody('plain'), spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] } },
      })
    ).json<{ spec: Record<string, unknown> }>();
    expect(plain.spec['serviceAccountName']).toBe('default');
    expect(plain.spec['imagePullSecrets']).toBeUndefined();
  });

  it('keeps a pod’s own imagePullSecrets', async () => {
    await call(srv, SA, { method: 'PATCH', contentType: MERGE, body: { imagePullSecrets: [{ name: 'regcred' }] } });
    const pod = (
      await call(srv, '/api/v1/namespaces/observability/pods', {
        method: 'POST',
        body: podBody('own', { imagePullSecrets: [{ name: 'mine' }] }),
      })
    ).json<{ spec: Record<string, unknown> }>();
    expect(pod.spec['imagePullSecrets']).toEqual([{ name: 'mine' }]);
  });

  it('refuses a pod whose ServiceAccount does not exist', async () => {
    const res = await call(srv, '/api/v1/namespaces/observability/pods', {
      method: 'POST',
      body: podBody('orphan', { serviceAccountName: 'ghost' }),
    });
    expect(res.status).toBe(403);
    expect(res.json()['message']).toBe(
      'pods "orphan" is forbidden: error looking up service account observability/ghost: serviceaccount "ghost" not found',
    );
  });
});

describe('subresources', () => {
  it('status: PUT changes only the status; a main-resource update cannot change it', async () => {
    const path = '/api/v1/namespaces/observability/pods/elasticsearch-master-0';
    const pod = (await call(srv, path)).json<{ metadata: Record<string, unknown>; status: Record<string, unknown> }>();
    const viaMain = await call(srv, path, {
      method: 'PUT',
      body: {
        ...pod,
        metadata: { ...pod.metadata, labels: { ...(pod.metadata['labels'] as object), x: '1' } },
        status: { phase: 'Failed' },
      },
    });
    expect(viaMain.json<{ status: { phase: string } }>().status.phase).toBe('Running');
    const viaStatus = await call(srv, `${path}/status`, {
      method: 'PATCH',
      contentType: MERGE,
      body: { status: { phase: 'Failed' }, metadata: { labels: { y: '2' } } },
    });
    const after = viaStatus.json<{ status: { phase: string }; metadata: { labels: Record<string, string> } }>();
    expect(after.status.phase).toBe('Failed');
    expect(after.metadata.labels['y']).toBeUndefined();
  });

  it('scale: GET answers a Scale; PATCH changes the replicas', async () => {
    const path = '/apis/apps/v1/namespaces/observability/statefulsets/elasticsearch-master/scale';
    expect((await call(srv, path)).json()).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 3 },
      status: { replicas: 3, selector: 'app=elasticsearch-master' },
    });
    const res = await call(srv, path, { method: 'PATCH', contentType: MERGE, body: { spec: { replicas: 1 } } });
    expect(res.json()).toMatchObject({ spec: { replicas: 1 } });
    expect(
      (srv.state.find('StatefulSet', 'observability', 'elasticsearch-master') as Workload | undefined)?.spec.replicas,
    ).toBe(1);
    const bad = await call(srv, path, { method: 'PATCH', contentType: MERGE, body: { spec: { replicas: -1 } } });
    expect(bad.status).toBe(422);
  });
});

describe('delete', () => {
  it('emits DELETED for namespaced objects and answers a Success Status (pods: the object)', async () => {
    const cm = await call(srv, '/api/v1/namespaces/observability/configmaps/kube-root-ca.crt', { method: 'DELETE' });
    expect(cm.json()).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'kube-root-ca.crt', kind: 'configmaps' },
    });
    const seen: string[] = [];
    const off = srv.state.subscribe((ev) => seen.push(`${ev.type} ${ev.entry.def.kind}/${ev.entry.obj.metadata.name}`));
    const pod = await call(srv, '/api/v1/namespaces/observability/pods/elasticsearch-master-1', { method: 'DELETE' });
    off();
    expect(pod.json()).toMatchObject({
      kind: 'Pod',
      metadata: { name: 'elasticsearch-master-1', deletionGracePeriodSeconds: 30 },
    });
    expect(seen).toContain('DELETED Pod/elasticsearch-master-1');
  });
});
