import { describe, expect, it } from 'vitest';
import { NOW, deployments, statefulSets } from '../testing/fixtures.js';
import { workloadColumns, workloadRow } from './workloads.js';

describe('workload rows', () => {
  it('renders deployments like kubectl get deploy, not-ready ones as warnings', () => {
    expect(workloadColumns('deployments', false).map((c) => c.title)).toEqual([
      'NAME',
      'READY',
      'UP-TO-DATE',
      'AVAILABLE',
      'AGE',
    ]);
    expect(workloadRow(deployments[0]!, 'deployments', { now: NOW, allNamespaces: false })).toEqual({
      cells: ['jaeger-op-jaeger-operator', '0/1', '1', '0', '27m'],
      style: 'warning',
    });
  });

  it('renders statefulsets like kubectl get sts', () => {
    expect(workloadColumns('statefulsets', true).map((c) => c.title)).toEqual(['NAMESPACE', 'NAME', 'READY', 'AGE']);
    expect(workloadRow(statefulSets[0]!, 'statefulsets', { now: NOW, allNamespaces: true }).cells).toEqual([
      'observability',
      'elasticsearch-master',
      '0/3',
      '27m',
    ]);
  });
});
