import { describe, expect, it } from 'vitest';
import { activeEntry, entry, initialState, moveCursor, reduce } from './state.js';

describe('UI state', () => {
  it('pushes views and pops them with back', () => {
    let s = initialState('observability');
    s = reduce(s, { type: 'push', entry: entry('describe', { subject: { kind: 'Pod', name: 'p' } }) });
    expect(activeEntry(s).view).toBe('describe');
    s = reduce(s, { type: 'back' });
    expect(activeEntry(s).view).toBe('pods');
    expect(reduce(s, { type: 'back' })).toBe(s);
  });

  it('clears the filter before leaving the view', () => {
    let s = reduce(initialState(undefined), { type: 'push', entry: entry('events') });
    s = reduce(s, { type: 'prompt.open', kind: 'filter' });
    s = reduce(s, { type: 'prompt.text', text: 'fail' });
    expect(activeEntry(s).filter).toBe('fail');
    s = reduce(reduce(s, { type: 'prompt.close' }), { type: 'back' });
    expect(activeEntry(s)).toMatchObject({ view: 'events', filter: '' });
    expect(activeEntry(reduce(s, { type: 'back' })).view).toBe('pods');
  });

  it('filters as the user types and puts the cursor on the first match', () => {
    let s = reduce(initialState(undefined), { type: 'cursor', cursor: 7 });
    s = reduce(reduce(s, { type: 'prompt.open', kind: 'filter' }), { type: 'prompt.text', text: 'j' });
    expect(activeEntry(s)).toMatchObject({ filter: 'j', cursor: 0 });
  });

  it('opens the filter prompt on the current filter, the command prompt empty', () => {
    let s = reduce(initialState(undefined), { type: 'prompt.open', kind: 'filter' });
    s = reduce(reduce(s, { type: 'prompt.text', text: 'crash' }), { type: 'prompt.close' });
    expect(reduce(s, { type: 'prompt.open', kind: 'filter' }).prompt).toEqual({ kind: 'filter', text: 'crash' });
    expect(reduce(s, { type: 'prompt.open', kind: 'command' }).prompt).toEqual({ kind: 'command', text: '' });
  });

  it('starts a new stack for `:` commands and resets the cursor when the namespace changes', () => {
    let s = reduce(initialState(undefined), { type: 'push', entry: entry('events') });
    s = reduce(s, { type: 'reset', entry: entry('helm') });
    expect(s.stack.map((e) => e.view)).toEqual(['helm']);
    s = reduce(reduce(s, { type: 'cursor', cursor: 3 }), { type: 'namespace', namespace: 'observability' });
    expect(s.namespace).toBe('observability');
    expect(activeEntry(s).cursor).toBe(0);
  });
});

describe('moveCursor', () => {
  it('moves by row and page and stops at both ends', () => {
    expect(moveCursor('cursor.down', 0, 9, 5)).toBe(1);
    expect(moveCursor('cursor.down', 9, 9, 5)).toBe(9);
    expect(moveCursor('cursor.up', 0, 9, 5)).toBe(0);
    expect(moveCursor('cursor.pageDown', 2, 9, 5)).toBe(7);
    expect(moveCursor('cursor.pageDown', 7, 9, 5)).toBe(9);
    expect(moveCursor('cursor.pageUp', 3, 9, 5)).toBe(0);
    expect(moveCursor('cursor.bottom', 0, 9_999, 20)).toBe(9_999);
    expect(moveCursor('cursor.top', 500, 9_999, 20)).toBe(0);
    expect(moveCursor('cursor.bottom', 0, -1, 20)).toBe(0);
  });
});
