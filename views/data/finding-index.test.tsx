import { describe, expect, it } from 'vitest';
import { collectorFinding, esFinding, findings, pullFinding } from '../testing/fixtures.js';
import { indexFindings } from './finding-index.js';

describe('indexFindings', () => {
  const index = indexFindings(findings);

  it('finds the findings about an object or its owners, most severe first', () => {
    expect(index.about([{ kind: 'Pod', namespace: 'observability', name: 'elasticsearch-master-1' }])).toEqual([
      esFinding,
    ]);
    expect(
      index.about([
        { kind: 'Pod', namespace: 'observability', name: 'x' },
        { kind: 'Deployment', namespace: 'observability', name: 'jaeger-collector' },
        { kind: 'StatefulSet', namespace: 'observability', name: 'elasticsearch-master' },
      ]),
    ).toEqual([esFinding, collectorFinding]);
    expect(index.about([{ kind: 'Pod', namespace: 'kube-system', name: 'coredns' }])).toEqual([]);
  });

  it('puts findings about the object before findings that only cover it', () => {
    const crd = {
      ...esFinding,
      id: 'crds/missing-api-group:/APIGroup/cert-manager.io',
      ruleId: 'crds/missing-api-group',
      subject: { kind: 'APIGroup', name: 'cert-manager.io' },
      objects: [...pullFinding.objects],
    };
    const both = indexFindings([crd, pullFinding]);
    expect(both.about([pullFinding.subject]).map((f) => f.id)).toEqual([pullFinding.id, crd.id]);
  });

  it('puts a finding before the ones it causes about the same object, however severe they are', () => {
    // workloads/rollout-stuck follows from the collector's crash: `x` on the Deployment fixes the crash.
    const stuck = {
      ...collectorFinding,
      id: 'workloads/rollout-stuck:observability/Deployment/jaeger-collector',
      ruleId: 'workloads/rollout-stuck',
      severity: 'critical' as const,
      causedBy: [collectorFinding.id],
    };
    const both = indexFindings([stuck, collectorFinding]);
    expect(both.about([collectorFinding.subject]).map((f) => f.id)).toEqual([collectorFinding.id, stuck.id]);
    // The row's marker stays the worst of them.
    expect(both.severity([collectorFinding.subject])).toBe('critical');
    expect(both.severity([{ kind: 'Pod', namespace: 'kube-system', name: 'coredns' }])).toBeUndefined();
  });

  it('counts by severity, overall and per namespace, and looks findings up by id', () => {
    expect(index.counts).toEqual({ critical: 2, warning: 1, info: 0 });
    expect(index.countsIn('observability')).toEqual({ critical: 2, warning: 1, info: 0 });
    expect(index.countsIn('default')).toEqual({ critical: 0, warning: 0, info: 0 });
    expect(index.get(pullFinding.id)).toBe(pullFinding);
  });
});
