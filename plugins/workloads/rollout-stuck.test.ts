import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rule } from './rollout-stuck.js';
import { rule as failedCreate } from './failed-create.js';
import { runRules } from '../../src/diagnose/engine.js';
import { Snapshot, type SnapshotInput } from '../../src/store/snapshot.js';
import type { KubeEvent, Pod, ResourceQuota, Workload } from '../../src/model/k8s.js';
import type { RawFinding } from '../../src/diagnose/types.js';

const fixture = <T>(path: string): T =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/${path}`, import.meta.url), 'utf8')) as T;

const NOW = Date.parse('2026-12-03T09:00:00Z');

/** shop-web: revision 2 (one pod, not ready) past its deadline while revision 1 serves three pods. */
function shop(): SnapshotInput {
  const f = fixture<{ deployment: Workload; replicaSets: Workload[]; pods: Pod[] }>(
    'workloads/rollout-stuck-shop-web.json',
  );
  return { deployments: [f.deployment], replicaSets: f.replicaSets, pods: f.pods };
}

function diagnose(input: SnapshotInput): RawFinding[] {
  return rule.diagnose({ snapshot: new Snapshot(input), now: NOW });
}

describe('workloads/rollout-stuck', () => {
  it('reports the stalled rollout while the old ReplicaSet serves, as a warning', () => {
    const findings = diagnose(shop());
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f.id).toBe('workloads/rollout-stuck:samples/Deployment/shop-web');
    expect(f.severity).toBe('warning');
    expect(f.title).toBe('deployment/shop-web: rollout stuck past its progress deadline, the old version still serves');
    expect(f.explanation).toContain(
      'Its new ReplicaSet shop-web-6d8f9c7b5 made no progress for 600 seconds (spec.progressDeadlineSeconds): 0 of its 1 pod is ready.',
    );
    expect(f.explanation).toContain('The previous ReplicaSet (shop-web-5b7c6d9f8) still serves 3 available pods');
    expect(f.evidence![0]).toEqual({
      source: 'status',
      ref: { kind: 'Deployment', name: 'shop-web', namespace: 'samples' },
      path: 'status.conditions[type=Progressing].message',
      text: 'ReplicaSet "shop-web-6d8f9c7b5" has timed out progressing.',
    });
    expect(f.evidence![1]!.text).toBe('3 desired, 1 updated, 3 available, 1 unavailable');
  });

  it('depends on the new ReplicaSet and its pods, whose findings say why', () => {
    const [f] = diagnose(shop());
    expect(f!.dependsOn).toEqual([
      { kind: 'ReplicaSet', name: 'shop-web-6d8f9c7b5', namespace: 'samples' },
      { kind: 'Pod', name: 'shop-web-6d8f9c7b5-q7x2m', namespace: 'samples' },
    ]);
  });

  it('offers the rollback and the commands to watch it recover', () => {
    const [f] = diagnose(shop());
    expect(f!.fixes!.map((p) => p.id)).toEqual(['rollout-undo', 'watch-rollout']);
    expect(f!.fixes![0]!.commands).toEqual([
      'kubectl rollout history deployment/shop-web -n samples',
      'kubectl rollout undo deployment/shop-web -n samples',
    ]);
  });

  it('is critical with nothing to fall back on', () => {
    const input = shop();
    input.replicaSets = input.replicaSets!.slice(0, 1);
    input.deployments![0]!.status = { ...input.deployments![0]!.status, availableReplicas: 0 };
    const [f] = diagnose(input);
    expect(f!.severity).toBe('critical');
    expect(f!.fixes!.map((p) => p.id)).toEqual(['watch-rollout']);
  });

  it('is quiet within the deadline (Progressing=True) and while paused', () => {
    for (const reason of ['ReplicaSetUpdated', 'DeploymentPaused']) {
      const input = shop();
      const d = input.deployments![0]!;
      d.status!.conditions = d.status!.conditions!.map((c) =>
        c.type === 'Progressing'
          ? {
              ...c,
              status: reason === 'DeploymentPaused' ? 'Unknown' : 'True',
              reason,
              message: 'ReplicaSet "shop-web-6d8f9c7b5" is progressing.',
            }
          : c,
      );
      expect(diagnose(input)).toEqual([]);
    }
  });

  it('nests under workloads/failed-create when the new pods are refused (the quota story)', () => {
    const d = fixture<Workload>('workloads/deployment-quota-status.json');
    d.status!.conditions = d.status!.conditions!.map((c) =>
      c.type === 'Progressing'
        ? {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: 'ReplicaSet "quota-web-9f565c8c7" has timed out progressing.',
          }
        : c,
    );
    const snapshot = new Snapshot({
      deployments: [d],
      replicaSets: [fixture<Workload>('workloads/replicaset-quota-replicafailure.json')],
      events: fixture<{ items: KubeEvent[] }>('workloads/events-quota-failedcreate.json').items,
      resourceQuotas: [fixture<ResourceQuota>('workloads/resourcequota-used.json')],
    });
    const { findings } = runRules([failedCreate, rule], snapshot, { now: NOW });
    const stuck = findings.find((f) => f.ruleId === 'workloads/rollout-stuck')!;
    expect(stuck.severity).toBe('critical');
    expect(stuck.causedBy).toEqual(['workloads/failed-create:samples/Deployment/quota-web']);
    expect(findings.find((f) => f.ruleId === 'workloads/failed-create')!.causedBy).toEqual([]);
  });
});
