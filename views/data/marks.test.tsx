import { describe, expect, it } from 'vitest';
import { objectKey, spanMarks, toggleMark } from './marks.js';

describe('marks', () => {
  it('keys an object by kind, namespace and name', () => {
    expect(objectKey({ kind: 'Pod', namespace: 'ns', name: 'a' })).toBe('Pod/ns/a');
    expect(objectKey({ kind: 'Node', name: 'n1' })).toBe('Node//n1');
  });

  it('toggles one key', () => {
    expect(toggleMark([], 'a')).toEqual(['a']);
    expect(toggleMark(['a', 'b'], 'a')).toEqual(['b']);
  });

  it('spans from the last mark to the cursor, either way, without doubles', () => {
    const rows = ['a', 'b', 'c', 'd', 'e'];
    expect(spanMarks(['b'], rows, 3)).toEqual(['b', 'c', 'd']);
    expect(spanMarks(['e', 'c'], rows, 0)).toEqual(['e', 'c', 'a', 'b']);
    // Without a mark, or with the last one filtered away: the cursor's row alone.
    expect(spanMarks([], rows, 2)).toEqual(['c']);
    expect(spanMarks(['z'], rows, 1)).toEqual(['z', 'b']);
  });
});
