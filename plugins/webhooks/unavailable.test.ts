import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rule } from './unavailable.js';
import { rule as failedCreate } from '../workloads/failed-create.js';
import { runRules } from '../../src/diagnose/engine.js';
import { Snapshot, type SnapshotInput } from '../../src/store/snapshot.js';
import type { EndpointSlice, KubeEvent, Pod, Service, WebhookConfiguration, Workload } from '../../src/model/k8s.js';
import type { RawFinding } from '../../src/diagnose/types.js';

const fixture = <T>(path: string): T =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/${path}`, import.meta.url), 'utf8')) as T;

const NOW = Date.parse('2026-12-03T09:00:00Z');

interface Story {
  webhook: WebhookConfiguration;
  service: Service;
  endpointSlice: EndpointSlice;
  pod?: Pod;
}

/** The captured samples-webhook: failurePolicy Fail, its Service selects no pod. */
function samples(overrides: Partial<SnapshotInput> = {}): SnapshotInput {
  const s = fixture<Story>('webhooks/samples-webhook-no-endpoints.json');
  return {
    webhooks: [s.webhook],
    services: [s.service],
    endpointSlices: [s.endpointSlice],
    ...overrides,
  };
}

/** cert-manager's webhook whose only pod runs but is not ready yet. */
function certManager(): SnapshotInput {
  const s = fixture<Story>('webhooks/cert-manager-webhook-not-ready.json');
  return { webhooks: [s.webhook], services: [s.service], endpointSlices: [s.endpointSlice], pods: [s.pod!] };
}

function diagnose(input: SnapshotInput): RawFinding[] {
  return rule.diagnose({ snapshot: new Snapshot(input), now: NOW });
}

describe('webhooks/unavailable', () => {
  it('finds a fail-closed webhook whose Service selects no pod', () => {
    const findings = diagnose(samples());
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f.id).toBe(
      'webhooks/unavailable:/ValidatingWebhookConfiguration/samples-webhook#validate.samples.example.com',
    );
    expect(f.severity).toBe('critical');
    expect(f.title).toBe(
      'validatingwebhookconfiguration/samples-webhook: webhook validate.samples.example.com cannot be called — its Service samples/samples-webhook-svc selects no pod',
    );
    expect(f.explanation).toContain('is called by the API server for CREATE configmaps, pods');
    expect(f.evidence![0]).toEqual({
      source: 'spec',
      ref: { kind: 'ValidatingWebhookConfiguration', name: 'samples-webhook' },
      path: 'webhooks[0]',
      text: 'validate.samples.example.com: failurePolicy Fail, service samples/samples-webhook-svc/validate, intercepts CREATE configmaps, pods',
    });
    expect(f.dependsOn).toEqual([{ kind: 'Service', name: 'samples-webhook-svc', namespace: 'samples' }]);
  });

  it("cert-manager: the webhook's pod is not ready, and the finding depends on it", () => {
    const [f] = diagnose(certManager());
    expect(f!.title).toBe(
      'validatingwebhookconfiguration/cert-manager-webhook: webhook webhook.cert-manager.io cannot be called — none of the 1 pod behind its Service cert-manager/cert-manager-webhook is ready',
    );
    expect(f!.evidence![1]).toEqual({
      source: 'status',
      ref: { kind: 'Service', name: 'cert-manager-webhook', namespace: 'cert-manager' },
      text: '0 ready endpoints, 1 not ready; pods: cert-manager-webhook-7f9c8d6b5-x4k2p (Running)',
    });
  });

  it('a Service that does not exist: says so, with the closest name and a plan to point at it', () => {
    const input = samples();
    input.services![0]!.metadata.name = 'samples-webhook-svc2';
    const [f] = diagnose(input);
    expect(f!.title).toContain('its Service samples/samples-webhook-svc does not exist');
    expect(f!.explanation).toContain('did you mean samples-webhook-svc2, which does exist?');
    expect(f!.dependsOn).toBeUndefined();
    expect(f!.fixes!.map((p) => p.id)).toEqual([
      'point-at-existing-service',
      'restore-webhook-backend',
      'remove-stale-webhook',
    ]);
    expect(f!.fixes![0]!.commands).toEqual([
      `kubectl patch validatingwebhookconfiguration samples-webhook --type=json -p '[{"op":"test","path":"/webhooks/0/name","value":"validate.samples.example.com"},{"op":"replace","path":"/webhooks/0/clientConfig/service/name","value":"samples-webhook-svc2"}]'`,
    ]);
  });

  it('links the FailedCreate of the Deployments it blocks under it, and counts them', () => {
    const d = fixture<Workload>('workloads/deployment-quota-status.json');
    const rs = fixture<Workload>('workloads/replicaset-quota-replicafailure.json');
    d.metadata = { ...d.metadata, name: 'webhook-web', uid: 'webhook-web-uid' };
    rs.metadata = {
      ...rs.metadata,
      name: 'webhook-web-d7c7d7b7d',
      uid: 'rs-uid',
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'webhook-web', uid: 'webhook-web-uid', controller: true },
      ],
    };
    rs.status = { replicas: 0 };
    const events = fixture<{ items: KubeEvent[] }>('workloads/events-webhook-failedcreate.json').items;
    const snapshot = new Snapshot(samples({ deployments: [d], replicaSets: [rs], events }));
    const { findings } = runRules([rule, failedCreate], snapshot, { now: NOW });
    const hook = findings.find((f) => f.ruleId === 'webhooks/unavailable')!;
    const refused = findings.find((f) => f.ruleId === 'workloads/failed-create')!;
    expect(refused.causedBy).toEqual([hook.id]);
    expect(hook.explanation).toContain('already 1 object in the events (ReplicaSet/samples/webhook-web-d7c7d7b7d)');
    expect(hook.evidence).toContainEqual(expect.objectContaining({ reason: 'FailedCreate', count: 11 }));
  });

  it('is quiet for a webhook that fails open, one with ready endpoints, and one in a namespace not diagnosed', () => {
    const open = samples();
    open.webhooks![0]!.webhooks![0]!.failurePolicy = 'Ignore';
    expect(diagnose(open)).toEqual([]);
    expect(
      diagnose({ webhooks: [fixture<WebhookConfiguration>('crds/mutating-webhook-jaeger-operator.json')] }),
    ).toEqual([]);

    const ready = samples();
    ready.endpointSlices![0]!.endpoints = [{ addresses: ['10.244.9.12'], conditions: { ready: true } }];
    expect(diagnose(ready)).toEqual([]);

    expect(diagnose({ ...samples(), services: [], namespace: 'shop' })).toEqual([]);
  });

  it('says nothing it cannot check: Services not readable', () => {
    expect(diagnose({ ...samples(), services: [], forbidden: ['services'] })).toEqual([]);
  });
});
