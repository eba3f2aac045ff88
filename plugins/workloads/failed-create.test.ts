import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rule } from './failed-create.js';
import { parseCreateError } from './lib/create-error.js';
import { Snapshot, type SnapshotInput } from '../../src/store/snapshot.js';
import type {
  Job,
  KubeEvent,
  ResourceQuota,
  ServiceAccount,
  WebhookConfiguration,
  Workload,
} from '../../src/model/k8s.js';
import type { RawFinding } from '../../src/diagnose/types.js';

const fixture = <T>(path: string): T =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/${path}`, import.meta.url), 'utf8')) as T;

const NOW = Date.parse('2026-12-03T09:00:00Z');
const events = (name: string) => fixture<{ items: KubeEvent[] }>(`workloads/${name}.json`).items;
const quota = () => fixture<ResourceQuota>('workloads/resourcequota-used.json');

/**
 * The captured quota-web Deployment and its ReplicaSet, renamed for the other captures (their
 * events name ReplicaSets that were made from the same kind of Deployment).
 */
function deployment(name = 'quota-web', rs = 'quota-web-9f565c8c7'): { deployment: Workload; replicaSet: Workload } {
  const d = fixture<Workload>('workloads/deployment-quota-status.json');
  const r = fixture<Workload>('workloads/replicaset-quota-replicafailure.json');
  if (name !== 'quota-web') {
    d.metadata = { ...d.metadata, name, uid: `${name}-uid` };
    r.metadata = {
      ...r.metadata,
      name: rs,
      uid: `${rs}-uid`,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: `${name}-uid`, controller: true }],
    };
    // Events and (for the quota) the condition say why; the other captures did not keep a condition.
    r.status = { replicas: 0 };
    d.status = { replicas: 0, conditions: [] };
  }
  return { deployment: d, replicaSet: r };
}

function diagnose(input: SnapshotInput): RawFinding[] {
  return rule.diagnose({ snapshot: new Snapshot(input), now: NOW });
}

function one(input: SnapshotInput): RawFinding {
  const findings = diagnose(input);
  expect(findings).toHaveLength(1);
  return findings[0]!;
}

function quotaStory(overrides: Partial<SnapshotInput> = {}): SnapshotInput {
  const { deployment: d, replicaSet: r } = deployment();
  return {
    deployments: [d],
    replicaSets: [r],
    events: events('events-quota-failedcreate'),
    resourceQuotas: [quota()],
    ...overrides,
  };
}

describe('workloads/failed-create — ResourceQuota exceeded (captured from a real API server)', () => {
  it('makes one finding on the Deployment, explaining why its pods do not exist', () => {
    const f = one(quotaStory());
    expect(f.id).toBe('workloads/failed-create:samples/Deployment/quota-web');
    expect(f.severity).toBe('critical');
    expect(f.title).toBe('deployment/quota-web cannot create its pods: the ResourceQuota samples-quota is used up');
    expect(f.objects).toEqual([
      { kind: 'Deployment', name: 'quota-web', namespace: 'samples' },
      { kind: 'ReplicaSet', name: 'quota-web-9f565c8c7', namespace: 'samples' },
    ]);
    expect(f.explanation).toContain('is missing 1 pod, and they do not exist at all');
    expect(f.explanation).toContain('requests.cpu: each pod asks for 40m, 80m of 100m already used');
  });

  it('quotes the newest FailedCreate, the ReplicaSet condition and the quota object', () => {
    const f = one(quotaStory());
    expect(f.evidence![0]).toEqual({
      source: 'event',
      reason: 'FailedCreate',
      ref: { kind: 'ReplicaSet', name: 'quota-web-9f565c8c7', namespace: 'samples' },
      count: 3,
      at: '2026-12-03T08:55:51Z',
      text: '(combined from similar events): Error creating: pods "quota-web-9f565c8c7-lltzv" is forbidden: exceeded quota: samples-quota, requested: requests.cpu=40m, used: requests.cpu=80m, limited: requests.cpu=100m',
    });
    expect(f.evidence).toContainEqual(
      expect.objectContaining({
        path: 'status.conditions[type=ReplicaFailure].message',
        text: 'pods "quota-web-9f565c8c7-gk4fd" is forbidden: exceeded quota: samples-quota, requested: requests.cpu=40m, used: requests.cpu=80m, limited: requests.cpu=100m',
      }),
    );
    expect(f.evidence).toContainEqual({
      source: 'status',
      ref: { kind: 'ResourceQuota', name: 'samples-quota', namespace: 'samples' },
      path: 'status.used["requests.cpu"]',
      text: '80m of 100m',
    });
  });

  it('plans requests that fit all three replicas, or a raised quota (both left to the user)', () => {
    const f = one(quotaStory());
    expect(f.fixes!.map((p) => [p.id, p.mutates])).toEqual([
      ['fit-requests-to-quota', false],
      ['raise-quota', false],
    ]);
    expect(f.fixes![0]!.commands).toContain('kubectl set resources deployment/quota-web -n samples --requests=cpu=33m');
    expect(f.fixes![1]!.commands).toContain(
      `kubectl patch resourcequota samples-quota -n samples --type=merge -p '{"spec":{"hard":{"requests.cpu":"120m"}}}'`,
    );
  });

  it('as a namespace-only user who may not read quotas, gives the numbers the refusal quotes and says so', () => {
    const f = one(quotaStory({ resourceQuotas: [], forbidden: ['resourcequotas'] }));
    expect(f.explanation).toContain('requests.cpu: each pod asks for 40m, 80m of 100m already used');
    expect(f.explanation).toContain('kcockpit may not read ResourceQuotas here');
  });

  it('reads the ReplicaFailure condition when the events have expired', () => {
    const f = one(quotaStory({ events: [] }));
    expect(f.evidence![0]!.path).toBe('status.conditions[type=ReplicaFailure].message');
    expect(f.title).toContain('the ResourceQuota samples-quota is used up');
  });

  it('is quiet once the ReplicaSet has its pods, whatever old events say', () => {
    const story = quotaStory();
    const rs = story.replicaSets![0]!;
    rs.status = { replicas: 3, readyReplicas: 3, availableReplicas: 3 };
    expect(diagnose(story)).toEqual([]);
  });
});

describe('workloads/failed-create — a ServiceAccount that does not exist', () => {
  function story(accounts: string[], overrides: Partial<SnapshotInput> = {}): SnapshotInput {
    const { deployment: d, replicaSet: r } = deployment('nosa-web', 'nosa-web-9b6f7b7b9');
    d.spec.template.spec.serviceAccountName = 'nope';
    const serviceAccounts = accounts.map((name): ServiceAccount => ({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace: 'samples' },
    }));
    return {
      deployments: [d],
      replicaSets: [r],
      serviceAccounts,
      events: events('events-serviceaccount-missing-failedcreate'),
      ...overrides,
    };
  }

  it('names the missing account and the one that nearly matches, and offers to use it or create it', () => {
    const f = one(story(['default', 'nopes']));
    expect(f.title).toBe('deployment/nosa-web cannot create its pods: the ServiceAccount nope does not exist');
    expect(f.explanation).toContain('did you mean nopes, which does exist?');
    expect(f.evidence![0]).toMatchObject({
      reason: 'FailedCreate',
      count: 10,
      text: 'Error creating: pods "nosa-web-9b6f7b7b9-" is forbidden: error looking up service account samples/nope: serviceaccount "nope" not found',
    });
    expect(f.fixes!.map((p) => p.id)).toEqual(['use-existing-serviceaccount', 'create-serviceaccount']);
    expect(f.fixes![0]!.steps).toEqual([
      {
        action: 'json-patch',
        ref: { kind: 'Deployment', name: 'nosa-web', namespace: 'samples' },
        patch: [
          { op: 'test', path: '/spec/template/spec/serviceAccountName', value: 'nope' },
          { op: 'replace', path: '/spec/template/spec/serviceAccountName', value: 'nopes' },
        ],
        description: 'Set serviceAccountName of nosa-web to nopes.',
      },
    ]);
    expect(f.fixes![1]!.commands).toEqual(['kubectl create serviceaccount nope -n samples']);
    expect(f.fixes![1]!.steps[0]).toMatchObject({
      action: 'create',
      object: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'nope', namespace: 'samples' } },
    });
  });

  it('offers only to create it when no name is close', () => {
    const f = one(story(['default']));
    expect(f.explanation).not.toContain('did you mean');
    expect(f.fixes!.map((p) => p.id)).toEqual(['create-serviceaccount']);
  });

  it('as a namespace-only user who may not list ServiceAccounts, says it could not look for a similar name', () => {
    const f = one(story([], { forbidden: ['serviceaccounts'] }));
    expect(f.explanation).toContain('could not look for a similar name');
  });
});

describe('workloads/failed-create — PodSecurity', () => {
  it('lists every failed check of the enforced level', () => {
    const { deployment: d, replicaSet: r } = deployment('psa-web', 'psa-web-9b8df8876');
    d.metadata.namespace = r.metadata.namespace = 'samples-psa';
    const f = one({ deployments: [d], replicaSets: [r], events: events('events-podsecurity-failedcreate') });
    expect(f.title).toBe(
      'deployment/psa-web cannot create its pods: the pod template violates PodSecurity "restricted:latest"',
    );
    expect(f.explanation).toContain('fails 5 of its checks');
    expect(f.fixes!.map((p) => p.id)).toEqual(['meet-pod-security', 'relax-namespace-level']);
    expect(f.fixes![0]!.steps[0]!.description).toBe(
      'Fix: privileged (container "web" must not set securityContext.privileged=true)',
    );
    expect(f.fixes![1]!.commands).toEqual([
      'kubectl label namespace samples-psa pod-security.kubernetes.io/enforce=baseline --overwrite',
    ]);
  });
});

describe('workloads/failed-create — an admission webhook that cannot be called', () => {
  const webhook = (): WebhookConfiguration => ({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: 'samples-webhook' },
    webhooks: [
      {
        name: 'validate.samples.example.com',
        clientConfig: { service: { name: 'samples-webhook-svc', namespace: 'samples', path: '/validate', port: 443 } },
        failurePolicy: 'Fail',
        timeoutSeconds: 3,
        rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps', 'pods'] }],
      },
    ],
  });
  function story(overrides: Partial<SnapshotInput> = {}): SnapshotInput {
    const { deployment: d, replicaSet: r } = deployment('webhook-web', 'webhook-web-d7c7d7b7d');
    return { deployments: [d], replicaSets: [r], events: events('events-webhook-failedcreate'), ...overrides };
  }

  it('depends on the webhook configuration, so it nests under the webhook finding', () => {
    const f = one(story({ webhooks: [webhook()] }));
    expect(f.title).toBe(
      'deployment/webhook-web cannot create its pods: the admission webhook validate.samples.example.com cannot be called',
    );
    expect(f.dependsOn).toEqual([{ kind: 'ValidatingWebhookConfiguration', name: 'samples-webhook' }]);
    expect(f.explanation).toContain('dial tcp 10.0.0.77:443: connect: connection refused');
    expect(f.explanation).toContain('Its Service is samples/samples-webhook-svc.');
  });

  it('as a namespace-only user who may not read webhooks, derives the Service from the refusal', () => {
    const f = one(story({ forbidden: ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations'] }));
    expect(f.dependsOn).toEqual([{ kind: 'Service', name: 'samples-webhook-svc', namespace: 'samples' }]);
    expect(f.explanation).toContain('kcockpit may not read webhook configurations');
    expect(f.fixes![0]!.commands).toContain('kubectl get endpoints samples-webhook-svc -n samples');
  });
});

describe('workloads/failed-create — healthy variants give nothing', () => {
  it('a Deployment whose ReplicaSet has all its pods', () => {
    const { deployment: d, replicaSet: r } = deployment();
    r.status = { replicas: 3, readyReplicas: 3 };
    expect(diagnose({ deployments: [d], replicaSets: [r], events: [] })).toEqual([]);
  });

  it('a completed Job with an old FailedCreate from before the quota was raised', () => {
    const job: Job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'report', namespace: 'samples', uid: 'job-uid' },
      spec: { template: { spec: { containers: [{ name: 'r', image: 'busybox' }] } } },
      status: { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] },
    };
    const old = { ...events('events-quota-failedcreate').find((e) => e.reason === 'FailedCreate')! };
    old.involvedObject = { kind: 'Job', namespace: 'samples', name: 'report' };
    expect(diagnose({ jobs: [job], events: [old] })).toEqual([]);
  });
});

describe('admission refusals as data', () => {
  it('reads LimitRanger refusals, one or several', () => {
    expect(
      parseCreateError(
        'Error creating: pods "web-7d4b9c-x2x9q" is forbidden: [maximum cpu usage per Container is 500m, but limit is 1, minimum memory usage per Container is 100Mi, but request is 50Mi]',
      ),
    ).toEqual({
      kind: 'limit-range',
      violations: [
        'maximum cpu usage per Container is 500m, but limit is 1',
        'minimum memory usage per Container is 100Mi, but request is 50Mi',
      ],
    });
    expect(
      parseCreateError(
        'Error creating: pods "web-1" is forbidden: minimum cpu usage per Pod is 100m.  No request is specified',
      ),
    ).toEqual({ kind: 'limit-range', violations: ['minimum cpu usage per Pod is 100m.  No request is specified'] });
  });

  it('reads a quota that needs a request, and a webhook that says no', () => {
    expect(
      parseCreateError(
        'Error creating: pods "w-1" is forbidden: failed quota: samples-quota: must specify requests.cpu',
      ),
    ).toEqual({
      kind: 'quota-must-specify',
      quota: 'samples-quota',
      resources: ['requests.cpu'],
    });
    expect(
      parseCreateError(
        'Error creating: admission webhook "validation.gatekeeper.sh" denied the request: [must-have-owner] you must provide labels: {"owner"}',
      ),
    ).toEqual({
      kind: 'webhook-denied',
      webhook: 'validation.gatekeeper.sh',
      reason: '[must-have-owner] you must provide labels: {"owner"}',
    });
  });
});
