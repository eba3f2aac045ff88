import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/fixes/diff.js';

const labels = { from: 'a', to: 'b' };
const lines = (n: number, f = (i: number) => `line ${i}`): string =>
  Array.from({ length: n }, (_, i) => f(i + 1)).join('\n') + '\n';

describe('unifiedDiff', () => {
  it('is empty when nothing changed', () => {
    expect(unifiedDiff('x\ny\n', 'x\ny\n', labels)).toBe('');
  });

  it('shows one change with three lines of context, as diff -u does', () => {
    const before = lines(10);
    const after = before.replace('line 5\n', 'line five\n');
    expect(unifiedDiff(before, after, labels)).toBe(
      [
        '--- a',
        '+++ b',
        '@@ -2,7 +2,7 @@',
        ' line 2',
        ' line 3',
        ' line 4',
        '-line 5',
        '+line five',
        ' line 6',
        ' line 7',
        ' line 8',
        '',
      ].join('\n'),
    );
  });

  it('keeps changes far apart in separate hunks and joins close ones', () => {
    const before = lines(30);
    const far = before.replace('line 3\n', 'three\n').replace('line 25\n', 'twenty-five\n');
    expect(unifiedDiff(before, far, labels).match(/^@@/gm)).toHaveLength(2);
    const close = before.replace('line 3\n', 'three\n').replace('line 8\n', 'eight\n');
    expect(unifiedDiff(before, close, labels).match(/^@@/gm)).toHaveLength(1);
  });

  it('numbers pure additions like diff -u (an object that gains a list)', () => {
    const before = 'kind: ServiceAccount\nmetadata:\n  name: default\n';
    const after = `${before}imagePullSecrets:\n  - name: regcred\n`;
    expect(unifiedDiff(before, after, labels)).toBe(
      [
        '--- a',
        '+++ b',
        '@@ -1,3 +1,5 @@',
        ' kind: ServiceAccount',
        ' metadata:',
        '   name: default',
        '+imagePullSecrets:',
        '+  - name: regcred',
        '',
      ].join('\n'),
    );
    expect(unifiedDiff('', 'a\n', labels)).toContain('@@ -0,0 +1 @@');
  });

  it('stays fast on large objects by not comparing an oversized middle line by line', () => {
    const before = lines(5000, (i) => `a${i}`);
    const after = lines(5000, (i) => `b${i}`);
    const started = Date.now();
    const diff = unifiedDiff(before, after, labels);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(diff.split('\n').filter((l) => l.startsWith('-a')).length).toBe(5000);
  });
});
