import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/diagnose/types.js';
import { collectorFinding, esFinding, findings, pullFinding } from '../testing/fixtures.js';
import { findingRow, findingRows } from './findings.js';

describe('finding rows', () => {
  it('folds symptoms under their root cause', () => {
    const rows = findingRows([collectorFinding, pullFinding, esFinding]);
    expect(rows.map((r) => [r.finding.id, r.depth])).toEqual([
      [esFinding.id, 0],
      [collectorFinding.id, 1],
      [pullFinding.id, 0],
    ]);
  });

  it('draws the tree in the SUBJECT column: ├ for a middle child, └ for the last', () => {
    const second: Finding = {
      ...collectorFinding,
      id: 'pods/crashloop:observability/Deployment/jaeger-query#jaeger-query/dependency',
      subject: { kind: 'Deployment', namespace: 'observability', name: 'jaeger-query' },
    };
    const rows = findingRows([esFinding, collectorFinding, second]);
    const subjects = rows.map((r) => findingRow(r, { allNamespaces: false }).cells[2]);
    expect(subjects).toEqual([
      'statefulset/elasticsearch-master',
      '├ deployment/jaeger-collector',
      '└ deployment/jaeger-query',
    ]);
  });

  it('renders SEVERITY with its marker and word, and the severity style', () => {
    const [root] = findingRows(findings);
    const row = findingRow(root!, { allNamespaces: true });
    expect(row.cells).toEqual([
      '● critical',
      'workloads/anti-affinity-replicas',
      'observability/statefulset/elasticsearch-master',
      '3 replicas with hard anti-affinity cannot fit on 1 node',
    ]);
    expect(row.style).toBe('critical');
  });
});
