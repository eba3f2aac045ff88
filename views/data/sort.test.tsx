import { describe, expect, it } from 'vitest';
import { durationSeconds, sortKey, sortRows } from './sort.js';

describe('sortKey', () => {
  it('reads cells as people read them', () => {
    expect(sortKey('412 (5m ago)', 'RESTARTS')).toBe(412);
    expect(sortKey('0', 'RESTARTS')).toBe(0);
    expect(sortKey('250m', 'CPU')).toBeCloseTo(0.25);
    expect(sortKey('128Mi', 'MEM')).toBe(128 * 2 ** 20);
    expect(sortKey('3d4h', 'AGE')).toBe(3 * 86_400 + 4 * 3_600);
    // In the AGE column `5m` is five minutes; elsewhere five millicores.
    expect(sortKey('5m', 'AGE')).toBe(300);
    expect(sortKey('Running', 'STATUS')).toBe('Running');
    expect(sortKey('<none>', 'IP')).toBeUndefined();
    expect(sortKey('n/a', 'CPU')).toBeUndefined();
  });

  it('orders READY by the share ready, then by how many', () => {
    const keys = ['2/2', '0/1', '1/2', '2/4'].map((t) => sortKey(t, 'READY') as number);
    expect([...keys].sort((a, b) => a - b)).toEqual([keys[1], keys[2], keys[3], keys[0]]);
  });

  it('knows kubectl ages and nothing else', () => {
    expect(durationSeconds('2y3d')).toBe(2 * 31_536_000 + 3 * 86_400);
    expect(durationSeconds('45s')).toBe(45);
    expect(durationSeconds('')).toBeUndefined();
    expect(durationSeconds('Running')).toBeUndefined();
  });
});

describe('sortRows', () => {
  const rows = ['b:2', 'a:10', 'c:2', 'd:<none>'];
  const key = (r: string) => sortKey(r.split(':')[1]!, 'RESTARTS');

  it('puts numbers before text and keeps ties in the view’s order', () => {
    const mixed = ['b:2', 'x:Unknown', 'a:10', 'c:2'];
    expect(sortRows(mixed, { column: 'RESTARTS', descending: false }, key)).toEqual([
      'b:2',
      'c:2',
      'a:10',
      'x:Unknown',
    ]);
  });

  it('reverses the keys but not the ties, and leaves rows without a value last', () => {
    expect(sortRows(rows, { column: 'RESTARTS', descending: false }, key)).toEqual(['b:2', 'c:2', 'a:10', 'd:<none>']);
    expect(sortRows(rows, { column: 'RESTARTS', descending: true }, key)).toEqual(['a:10', 'b:2', 'c:2', 'd:<none>']);
  });
});
