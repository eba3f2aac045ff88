import { describe, expect, it } from 'vitest';
import { NOW, namespaces } from '../testing/fixtures.js';
import { findingCounts, namespaceRow } from './namespaces.js';

describe('namespace rows', () => {
  it('renders NAME, STATUS, AGE, PODS and FINDINGS with the worst severity as the cell style', () => {
    const row = namespaceRow(
      { name: 'observability', namespace: namespaces[2]!, pods: 5, findings: { critical: 2, warning: 1, info: 0 } },
      { now: NOW },
    );
    expect(row.cells).toEqual([
      'observability',
      'Active',
      '37h',
      '5',
      { text: '● 2 critical  ▲ 1 warning', style: 'critical' },
    ]);
  });

  it('leaves FINDINGS empty for a healthy namespace and works without the Namespace object', () => {
    expect(
      namespaceRow({ name: 'default', pods: 0, findings: { critical: 0, warning: 0, info: 0 } }, { now: NOW }).cells,
    ).toEqual(['default', '', '', '0', '']);
    expect(findingCounts({ critical: 0, warning: 0, info: 3 })).toBe('○ 3 info');
  });
});
