import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeEvent, Pod, Workload } from '../../src/model/k8s.js';
import type { SimServer } from '../../src/sim/server.js';
import { call, startScenario } from './helpers.js';

let srv: SimServer;
beforeEach(async () => {
  srv = await startScenario('s1-jaeger');
});
afterEach(() => srv.close());

const NS = '/api/v1/namespaces/observability';
const OPERATOR_RS = 'jaeger-op-jaeger-operator-7d7b58d48b';

async function pods(selector: string): Promise<Pod[]> {
  await srv.settle();
  return (await call(srv, `${NS}/pods?labelSelector=${encodeURIComponent(selector)}`)).json<{ items: Pod[] }>().items;
}

async function eventsFor(pod: string): Promise<KubeEvent[]> {
  return (await call(srv, `${NS}/events?fieldSelector=involvedObject.name%3D${pod}`)).json<{ items: KubeEvent[] }>()
    .items;
}

function dockerHubSecret(name: string) {
  const config = {
    auths: {
      'https://index.docker.io/v1/': {
        username: 'me',
        password: 'token',
        auth: Buffer.from('me:token').toString('base64'),
      },
    },
  };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(JSON.stringify(config)).toString('base64') },
  };
}

const waiting = (p: Pod | undefined) => p?.status?.containerStatuses?.[0]?.state?.waiting?.reason;

describe('controllers', () => {
  it('a deleted ReplicaSet pod comes back under a new name, and without credentials it hits the pull rate limit again', async () => {
    await call(srv, `${NS}/pods/${OPERATOR_RS}-89p9p`, { method: 'DELETE' });
    const [replacement] = await pods('app.kubernetes.io/name=jaeger-operator');
    expect(replacement?.metadata.name).toMatch(new RegExp(`^${OPERATOR_RS}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
    expect(replacement?.metadata.name).not.toBe(`${OPERATOR_RS}-89p9p`);
    expect(replacement?.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'ReplicaSet',
      name: OPERATOR_RS,
      controller: true,
    });
    expect(waiting(replacement)).toBe('ImagePullBackOff');
    const reasons = (await eventsFor(replacement?.metadata.name as string)).map(
      (e) => `${e.type} ${e.reason}: ${e.message}`,
    );
    expect(reasons).toContain(
      'Warning Failed: Failed to pull image "jaegertracing/jaeger-operator:1.39.0": rpc error: code = Unknown desc = toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
    );
    expect(reasons).toContain('Warning Failed: Error: ErrImagePull');
    expect(reasons).toContain('Normal BackOff: Back-off pulling image "jaegertracing/jaeger-operator:1.39.0"');
    expect(reasons).toContain('Warning Failed: Error: ImagePullBackOff');
  });

  it('the pull-secret fix works end to end: regcred + ServiceAccount + recreate → Running and Ready', async () => {
    await call(srv, `${NS}/secrets`, { method: 'POST', body: dockerHubSecret('regcred') });
    await call(srv, `${NS}/serviceaccounts/jaeger-op-jaeger-operator`, {
      method: 'PATCH',
      contentType: 'application/json-patch+json',
      body: [{ op: 'add', path: '/imagePullSecrets', value: [{ name: 'regcred' }] }],
    });
    await call(srv, `${NS}/pods/${OPERATOR_RS}-89p9p`, { method: 'DELETE' });
    const [pod] = await pods('app.kubernetes.io/name=jaeger-operator');
    expect(pod?.spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    expect(pod?.status?.phase).toBe('Running');
    expect(pod?.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    const deploy = (
      await call(srv, '/apis/apps/v1/namespaces/observability/deployments/jaeger-op-jaeger-operator')
    ).json<Workload>();
    expect(deploy.status?.readyReplicas).toBe(1);
  });

  it('a secret for another registry does not help', async () => {
    const secret = dockerHubSecret('quay');
    const config = { auths: { 'quay.io': { auth: 'eDp5' } } };
    secret.data['.dockerconfigjson'] = Buffer.from(JSON.stringify(config)).toString('base64');
    await call(srv, `${NS}/secrets`, { method: 'POST', body: secret });
    await call(srv, `${NS}/serviceaccounts/jaeger-op-jaeger-operator`, {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { imagePullSecrets: [{ name: 'quay' }] },
    });
    await call(srv, `${NS}/pods/${OPERATOR_RS}-89p9p`, { method: 'DELETE' });
    expect(waiting((await pods('app.kubernetes.io/name=jaeger-operator'))[0])).toBe('ImagePullBackOff');
  });

  it('a deleted StatefulSet pod comes back under the same name, and stays Pending under anti-affinity', async () => {
    const before = srv.state.find('Pod', 'observability', 'elasticsearch-master-2')?.metadata.uid;
    await call(srv, `${NS}/pods/elasticsearch-master-2`, { method: 'DELETE' });
    const es = await pods('app=elasticsearch-master');
    const again = es.find((p) => p.metadata.name === 'elasticsearch-master-2');
    expect(again?.metadata.uid).toBeDefined();
    expect(again?.metadata.uid).not.toBe(before);
    expect(again?.status?.conditions?.[0]).toMatchObject({
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
      message:
        "0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
    });
  });

  it('scaling a StatefulSet down deletes the highest ordinals; scaling up creates them', async () => {
    await call(srv, '/apis/apps/v1/namespaces/observability/statefulsets/elasticsearch-master/scale', {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { spec: { replicas: 1 } },
    });
    expect((await pods('app=elasticsearch-master')).map((p) => p.metadata.name)).toEqual(['elasticsearch-master-0']);
    await call(srv, '/apis/apps/v1/namespaces/observability/statefulsets/elasticsearch-master', {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { spec: { replicas: 2 } },
    });
    expect((await pods('app=elasticsearch-master')).map((p) => p.metadata.name)).toEqual([
      'elasticsearch-master-0',
      'elasticsearch-master-1',
    ]);
  });

  it('kubectl rollout restart (template annotation patch) rolls the Deployment to a new ReplicaSet and new pods', async () => {
    const old = (await pods('app.kubernetes.io/component=collector'))[0]?.metadata.name;
    await call(srv, '/apis/apps/v1/namespaces/observability/deployments/jaeger-collector', {
      method: 'PATCH',
      contentType: 'application/strategic-merge-patch+json',
      body: {
        spec: {
          template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-21T22:00:00Z' } } },
        },
      },
    });
    const now = await pods('app.kubernetes.io/component=collector');
    expect(now).toHaveLength(1);
    expect(now[0]?.metadata.name).not.toBe(old);
    expect(now[0]?.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toBe('2026-11-21T22:00:00Z');
    expect(waiting(now[0])).toBe('CrashLoopBackOff');
    const sets = (await call(srv, '/apis/apps/v1/namespaces/observability/replicasets'))
      .json<{ items: Workload[] }>()
      .items.filter((r) => r.metadata.name.startsWith('jaeger-collector-'));
    expect(sets.map((r) => r.spec.replicas).sort()).toEqual([0, 1]);
    const deploy = (
      await call(srv, '/apis/apps/v1/namespaces/observability/deployments/jaeger-collector')
    ).json<Workload>();
    expect(deploy.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
  });

  it('scaling a Deployment creates and deletes pods', async () => {
    await call(srv, '/apis/apps/v1/namespaces/observability/deployments/jaeger-query/scale', {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { spec: { replicas: 3 } },
    });
    expect(await pods('app.kubernetes.io/component=query')).toHaveLength(3);
    await call(srv, '/apis/apps/v1/namespaces/observability/deployments/jaeger-query/scale', {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { spec: { replicas: 0 } },
    });
    expect(await pods('app.kubernetes.io/component=query')).toHaveLength(0);
  });

  it('deleting a Deployment deletes its ReplicaSets and pods', async () => {
    await call(srv, '/apis/apps/v1/namespaces/observability/deployments/jaeger-query', { method: 'DELETE' });
    expect(await pods('app.kubernetes.io/component=query')).toHaveLength(0);
    expect((await call(srv, '/apis/apps/v1/namespaces/observability/replicasets/jaeger-query-5c9b7d8f4d')).status).toBe(
      404,
    );
  });

  it('a pod created through the API is scheduled, started and described by events', async () => {
    await call(srv, `${NS}/pods`, {
      method: 'POST',
      body: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'hello' },
        spec: { containers: [{ name: 'hello', image: 'busybox:1.36' }] },
      },
    });
    await srv.settle();
    const pod = srv.state.find('Pod', 'observability', 'hello') as Pod;
    expect(pod.spec.nodeName).toBe('minikube');
    expect(pod.status?.phase).toBe('Running');
    expect((await eventsFor('hello')).map((e) => e.reason)).toEqual(
      expect.arrayContaining(['Scheduled', 'Pulled', 'Created', 'Started']),
    );
  });
});
