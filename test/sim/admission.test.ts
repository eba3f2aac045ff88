// Admission refusals and what the controllers make of them, checked against the answers a real
// kube-apiserver and controller-manager gave for the same requests (api-samples, second capture).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeEvent, KubeObject, ResourceQuota, Workload } from '../../src/model/k8s.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { captureScenario, comparable } from './capture-cluster.js';
import { call, sample } from './helpers.js';

let srv: SimServer;
beforeEach(async () => {
  srv = await startSimServer({
    scenario: captureScenario({
      objects: [
        {
          apiVersion: 'v1',
          kind: 'ResourceQuota',
          metadata: { name: 'samples-quota', namespace: 'samples' },
          spec: { hard: { 'requests.cpu': '100m' } },
        } as KubeObject,
      ],
    }),
  });
});
afterEach(async () => {
  await srv.close();
});

const podBody = (name: string, extra: Record<string, unknown> = {}, cpu: string | null = '40m') => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: {
    nodeSelector: { 'samples-node': 'true' },
    containers: [{ name: 'c', image: 'nginx:1.25', ...(cpu ? { resources: { requests: { cpu } } } : {}) }],
    ...extra,
  },
});

const deployment = (name: string, template: Record<string, unknown>, replicas = 3) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: template },
  },
});

const webTemplate = { nodeSelector: { 'samples-node': 'true' }, containers: [{ name: 'web', image: 'nginx:1.25' }] };

async function createDeployment(ns: string, body: unknown): Promise<void> {
  const res = await call(srv, `/apis/apps/v1/namespaces/${ns}/deployments`, { method: 'POST', body });
  expect(res.status, res.text).toBe(201);
  await srv.settle();
}

const eventsAbout = (kind: string, name: RegExp): KubeEvent[] =>
  srv.state
    .objectsOf<KubeEvent>('Event')
    .filter((e) => e.involvedObject.kind === kind && name.test(e.involvedObject.name ?? ''));

const POD_NAME: [RegExp, string] = [/pods "([a-z-]+)-[a-z0-9]+-[a-z0-9]{5}"/g, 'pods "$1-<hash>-<rand>"'];

describe('ResourceQuota admission', () => {
  it('refuses a pod over the quota with the real 403', async () => {
    await createDeployment(
      'samples',
      deployment('quota-web', {
        ...webTemplate,
        containers: [{ name: 'web', image: 'nginx:1.25', resources: { requests: { cpu: '40m' } } }],
      }),
    );
    const res = await call(srv, '/api/v1/namespaces/samples/pods', { method: 'POST', body: podBody('quota-direct') });
    expect(res.status).toBe(403);
    expect(res.json()).toEqual(sample('status-403-exceeded-quota.json'));
  });

  it('refuses a pod that states no cpu request under a cpu quota', async () => {
    const res = await call(srv, '/api/v1/namespaces/samples/pods', {
      method: 'POST',
      body: podBody('quota-norequests', {}, null),
    });
    expect(res.status).toBe(403);
    expect(res.json()).toEqual(sample('status-403-quota-must-specify.json'));
  });

  it('stops a Deployment at the quota: FailedCreate, ReplicaFailure on the ReplicaSet and the Deployment, usage in the quota', async () => {
    await createDeployment(
      'samples',
      deployment('quota-web', {
        ...webTemplate,
        containers: [{ name: 'web', image: 'nginx:1.25', resources: { requests: { cpu: '40m' } } }],
      }),
    );
    const [rs] = srv.state.objectsOf<Workload>('ReplicaSet', 'samples');
    const real = sample('replicaset-quota-replicafailure.json') as Workload;
    expect(rs?.status?.replicas).toBe(2);
    expect(comparable(rs?.status?.conditions, [POD_NAME])).toEqual(comparable(real.status?.conditions, [POD_NAME]));

    const deploy = srv.state.find('Deployment', 'samples', 'quota-web') as Workload;
    const realDeploy = sample('deployment-quota-status.json') as Workload;
    const names: [RegExp, string][] = [POD_NAME, [/"quota-web-[a-z0-9]+"/g, '"quota-web-<hash>"']];
    expect(comparable(deploy.status?.conditions, names)).toEqual(comparable(realDeploy.status?.conditions, names));

    const quota = srv.state.find('ResourceQuota', 'samples', 'samples-quota') as ResourceQuota;
    expect(quota.status).toEqual((sample('resourcequota-used.json') as ResourceQuota).status);

    const failed = eventsAbout('ReplicaSet', /^quota-web-/).filter((e) => e.reason === 'FailedCreate');
    const realFailed = (sample('events-quota-failedcreate.json') as { items: KubeEvent[] }).items.filter(
      (e) => e.reason === 'FailedCreate',
    );
    expect(failed.length).toBeGreaterThan(0);
    // Same fields in the same order, same source, and the same message but for the generated names.
    const real0 = realFailed[0] as KubeEvent;
    const pick = (e: KubeEvent) =>
      comparable({ type: e.type, reason: e.reason, source: e.source, message: e.message }, [POD_NAME]);
    for (const e of failed) {
      expect(Object.keys(e)).toEqual(['kind', 'apiVersion', ...Object.keys(real0)]);
      expect(Object.keys(e.involvedObject)).toEqual(Object.keys(real0.involvedObject));
      expect(pick(e)).toEqual(pick(real0));
    }
  });

  it('folds the tenth different FailedCreate into one "(combined from similar events)" event whose count grows', async () => {
    await createDeployment(
      'samples',
      deployment('quota-web', {
        ...webTemplate,
        containers: [{ name: 'web', image: 'nginx:1.25', resources: { requests: { cpu: '40m' } } }],
      }),
    );
    // Each change of the quota makes the ReplicaSet try again, as its rate-limited retries do.
    for (let i = 0; i < 12; i++) {
      srv.state.patch('ResourceQuota', 'samples', 'samples-quota', { metadata: { annotations: { retry: String(i) } } });
      await srv.settle();
    }
    const failed = eventsAbout('ReplicaSet', /^quota-web-/).filter((e) => e.reason === 'FailedCreate');
    const single = failed.filter((e) => !e.message?.startsWith('(combined'));
    const combined = failed.filter((e) =>
      e.message?.startsWith('(combined from similar events): Error creating: pods "quota-web-'),
    );
    // The capture: nine single events, then one combined event with a growing count.
    expect(single).toHaveLength(9);
    expect(combined).toHaveLength(1);
    expect(combined[0]?.count).toBeGreaterThan(1);
  });
});

describe('ResourceQuota admission under a StatefulSet', () => {
  it('the StatefulSet controller says it in its own words', async () => {
    const sts = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'quota-sts' },
      spec: {
        replicas: 3,
        serviceName: 'quota-sts',
        selector: { matchLabels: { app: 'quota-sts' } },
        template: {
          metadata: { labels: { app: 'quota-sts' } },
          spec: {
            ...webTemplate,
            containers: [{ name: 'web', image: 'nginx:1.25', resources: { requests: { cpu: '40m' } } }],
          },
        },
      },
    };
    const res = await call(srv, '/apis/apps/v1/namespaces/samples/statefulsets', { method: 'POST', body: sts });
    expect(res.status, res.text).toBe(201);
    await srv.settle();
    const messages = eventsAbout('StatefulSet', /^quota-sts$/).map((e) => `${e.type} ${e.reason}: ${e.message}`);
    expect(messages.sort()).toEqual([
      'Normal SuccessfulCreate: create Pod quota-sts-0 in StatefulSet quota-sts successful',
      'Normal SuccessfulCreate: create Pod quota-sts-1 in StatefulSet quota-sts successful',
      'Warning FailedCreate: create Pod quota-sts-2 in StatefulSet quota-sts failed error: pods "quota-sts-2" is forbidden: exceeded quota: samples-quota, requested: requests.cpu=40m, used: requests.cpu=80m, limited: requests.cpu=100m',
    ]);
  });
});

describe('ServiceAccount admission', () => {
  it('refuses a pod whose ServiceAccount does not exist with the real 403', async () => {
    const res = await call(srv, '/api/v1/namespaces/samples/pods', {
      method: 'POST',
      body: podBody('nosa-direct', { serviceAccountName: 'nope' }),
    });
    expect(res.status).toBe(403);
    expect(res.json()).toEqual(sample('status-403-serviceaccount-missing.json'));
  });

  it('a ReplicaSet without its ServiceAccount quotes the bare generateName prefix, in one event whose count grows', async () => {
    await createDeployment('samples', deployment('nosa-web', { ...webTemplate, serviceAccountName: 'nope' }, 1));
    srv.state.patch('ResourceQuota', 'samples', 'samples-quota', { metadata: { annotations: { retry: '1' } } });
    await srv.settle();
    const [event] = eventsAbout('ReplicaSet', /^nosa-web-/).filter((e) => e.reason === 'FailedCreate');
    const [real] = (sample('events-serviceaccount-missing-failedcreate.json') as { items: KubeEvent[] }).items;
    const names: [RegExp, string][] = [[/nosa-web-[a-z0-9]+-"/g, 'nosa-web-<hash>-"']];
    expect(comparable(event?.message, names)).toBe(comparable(real?.message, names));
    expect(event?.count).toBeGreaterThan(1);
  });
});

describe('Pod Security admission', () => {
  const privileged = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'privileged' },
    spec: { containers: [{ name: 'c', image: 'nginx:1.25', securityContext: { privileged: true } }] },
  };

  it('refuses a privileged pod in a restricted namespace with every failed check, in order', async () => {
    const res = await call(srv, '/api/v1/namespaces/samples-psa/pods', { method: 'POST', body: privileged });
    expect(res.status).toBe(403);
    expect(res.json()).toEqual(sample('status-403-podsecurity-restricted.json'));
  });

  it('lets a pod that meets the restricted level through', async () => {
    const ok = {
      ...privileged,
      metadata: { name: 'hardened' },
      spec: {
        securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          {
            name: 'c',
            image: 'nginx:1.25',
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          },
        ],
      },
    };
    expect((await call(srv, '/api/v1/namespaces/samples-psa/pods', { method: 'POST', body: ok })).status).toBe(201);
  });

  it('a Deployment is admitted but its ReplicaSet cannot create pods', async () => {
    const template = {
      containers: [{ name: 'web', image: 'nginx:1.25', securityContext: { privileged: true } }],
    };
    await createDeployment('samples-psa', deployment('psa-web', template, 1));
    const [event] = eventsAbout('ReplicaSet', /^psa-web-/).filter((e) => e.reason === 'FailedCreate');
    const [real] = (sample('events-podsecurity-failedcreate.json') as { items: KubeEvent[] }).items;
    expect(comparable(event?.message, [POD_NAME])).toBe(comparable(real?.message, [POD_NAME]));
  });
});

describe('admission webhooks', () => {
  beforeEach(async () => {
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'samples-webhook-svc' },
      spec: { clusterIP: '10.0.0.77', selector: { app: 'samples-webhook' }, ports: [{ port: 443, targetPort: 8443 }] },
    };
    expect((await call(srv, '/api/v1/namespaces/samples/services', { method: 'POST', body: svc })).status).toBe(201);
    const hook = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'samples-webhook' },
      webhooks: [
        {
          name: 'validate.samples.example.com',
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          failurePolicy: 'Fail',
          timeoutSeconds: 3,
          namespaceSelector: { matchLabels: { 'samples-webhook-scope': 'yes' } },
          clientConfig: { service: { name: 'samples-webhook-svc', namespace: 'samples', path: '/validate' } },
          rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps', 'pods'] }],
        },
      ],
    };
    const res = await call(srv, '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', {
      method: 'POST',
      body: hook,
    });
    expect(res.status).toBe(201);
    await srv.settle();
  });

  it('fails what the webhook intercepts with the real 500 while its Service has no endpoints', async () => {
    const res = await call(srv, '/api/v1/namespaces/samples/configmaps', {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'blocked' }, data: { a: 'b' } },
    });
    expect(res.status).toBe(500);
    expect(res.json()).toEqual(sample('status-500-webhook-failed-calling.json'));
  });

  it('leaves namespaces outside its selector alone', async () => {
    const res = await call(srv, '/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'free' } },
    });
    expect(res.status).toBe(201);
  });

  it('a ReplicaSet behind it records the same error, folded into one event', async () => {
    await createDeployment('samples', deployment('webhook-web', webTemplate, 1));
    srv.state.patch('ResourceQuota', 'samples', 'samples-quota', { metadata: { annotations: { retry: '1' } } });
    await srv.settle();
    const [event] = eventsAbout('ReplicaSet', /^webhook-web-/).filter((e) => e.reason === 'FailedCreate');
    const [real] = (sample('events-webhook-failedcreate.json') as { items: KubeEvent[] }).items;
    expect(event?.message).toBe(real?.message);
    expect(event?.count).toBeGreaterThan(1);
  });

  it('says the Service is missing when there is none', async () => {
    await call(srv, '/api/v1/namespaces/samples/services/samples-webhook-svc', { method: 'DELETE' });
    const res = await call(srv, '/api/v1/namespaces/samples/configmaps', {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'blocked' } },
    });
    expect(res.json<{ message: string }>().message).toBe(
      'Internal error occurred: failed calling webhook "validate.samples.example.com": failed to call webhook: Post "https://samples-webhook-svc.samples.svc:443/validate?timeout=3s": service "samples-webhook-svc" not found',
    );
  });
});

describe('LimitRange admission', () => {
  beforeEach(async () => {
    const lr = {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'limits' },
      spec: {
        limits: [{ type: 'Container', max: { cpu: '500m' }, default: { cpu: '200m' }, defaultRequest: { cpu: '50m' } }],
      },
    };
    expect((await call(srv, '/api/v1/namespaces/samples/limitranges', { method: 'POST', body: lr })).status).toBe(201);
  });

  it('fills in default requests and limits and says so in the limit-ranger annotation', async () => {
    const res = await call(srv, '/api/v1/namespaces/samples/pods', {
      method: 'POST',
      body: podBody('defaulted', {}, null),
    });
    const pod = res.json<{
      metadata: { annotations: Record<string, string> };
      spec: { containers: { resources: unknown }[] };
    }>();
    expect(pod.spec.containers[0]?.resources).toEqual({ requests: { cpu: '50m' }, limits: { cpu: '200m' } });
    expect(pod.metadata.annotations['kubernetes.io/limit-ranger']).toBe(
      'LimitRanger plugin set: cpu request for container c; cpu limit for container c',
    );
  });

  it('refuses a container over the maximum with the plugin message', async () => {
    const body = podBody('too-big');
    (body.spec.containers[0] as Record<string, unknown>)['resources'] = { limits: { cpu: '1' } };
    const res = await call(srv, '/api/v1/namespaces/samples/pods', { method: 'POST', body });
    expect(res.status).toBe(403);
    expect(res.json<{ message: string }>().message).toBe(
      'pods "too-big" is forbidden: maximum cpu usage per Container is 500m, but limit is 1',
    );
  });
});
