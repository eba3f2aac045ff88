import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rule } from './pdb.js';
import { Snapshot, type SnapshotInput } from '../../src/store/snapshot.js';
import type { Pod, PodDisruptionBudget } from '../../src/model/k8s.js';
import type { RawFinding } from '../../src/diagnose/types.js';

const fixture = <T>(path: string): T =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/${path}`, import.meta.url), 'utf8')) as T;

const NOW = Date.parse('2026-12-03T09:00:00Z');
/** Captured: minAvailable 1 over one Running+Ready pod labelled pdb=one. */
const pdb = () => fixture<PodDisruptionBudget>('disruption/pdb-minavailable-1-no-disruptions.json');

function pod(name: string, ready: boolean, labels: Record<string, string> = { pdb: 'one' }): Pod {
  const p = fixture<Pod>('disruption/pod-running-not-ready.json');
  p.metadata = { ...p.metadata, name, labels };
  p.status!.conditions = p.status!.conditions!.map((c) =>
    c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, status: ready ? 'True' : 'False' } : c,
  );
  return p;
}

function diagnose(input: SnapshotInput): RawFinding[] {
  return rule.diagnose({ snapshot: new Snapshot(input), now: NOW });
}

describe('disruption/pdb', () => {
  it('a budget that allows no disruption with every pod healthy blocks drains', () => {
    const findings = diagnose({ podDisruptionBudgets: [pdb()], pods: [pod('web-ready', true)] });
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f.id).toBe('disruption/pdb:samples/PodDisruptionBudget/samples-pdb#blocks');
    expect(f.severity).toBe('warning');
    expect(f.title).toBe('poddisruptionbudget/samples-pdb allows no disruption: node drains and upgrades will hang');
    expect(f.evidence).toEqual([
      expect.objectContaining({ source: 'spec', text: 'minAvailable 1, selector pdb=one' }),
      expect.objectContaining({
        source: 'status',
        text: 'disruptionsAllowed 0, currentHealthy 1, desiredHealthy 1, expectedPods 1',
      }),
    ]);
    expect(f.fixes![0]!.commands).toEqual([
      `kubectl patch pdb samples-pdb -n samples --type=merge -p '{"spec":{"minAvailable":null,"maxUnavailable":1}}'`,
    ]);
  });

  it('allowing none because pods are unhealthy is a symptom of those pods', () => {
    const p = pdb();
    p.status = { ...p.status, currentHealthy: 0 };
    const [f] = diagnose({ podDisruptionBudgets: [p], pods: [pod('web-1', false)] });
    expect(f!.id).toBe('disruption/pdb:samples/PodDisruptionBudget/samples-pdb#unhealthy');
    expect(f!.dependsOn).toEqual([{ kind: 'Pod', name: 'web-1', namespace: 'samples' }]);
  });

  it('a selector that matches no pod protects nothing', () => {
    const p = pdb();
    p.status = { ...p.status, disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
    const [f] = diagnose({ podDisruptionBudgets: [p], pods: [pod('web-1', true, { app: 'web' })] });
    expect(f!.title).toBe('poddisruptionbudget/samples-pdb selects no pod: it protects nothing');
    expect(f!.fixes!.map((x) => x.id)).toEqual(['fix-pdb-selector']);
  });

  it('is quiet for a budget that allows a disruption', () => {
    const p = pdb();
    p.status = { ...p.status, disruptionsAllowed: 1, currentHealthy: 2, expectedPods: 2 };
    expect(diagnose({ podDisruptionBudgets: [p], pods: [pod('web-1', true), pod('web-2', true)] })).toEqual([]);
  });
});
