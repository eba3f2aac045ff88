import { describe, expect, it } from 'vitest';
import type { CommandState } from '../commands/run-command.js';
import { entry, initialState, reduce } from '../state.js';
import { livePosition } from './useCommandKeys.js';

describe('livePosition', () => {
  const ui = initialState('default', entry('pods', { cursor: 3 }));
  const at = { ui, position: { at: 3, last: 10, page: 5 } } as CommandState;

  it('is the rendered position while nothing moved since the render', () => {
    expect(livePosition(at, ui)).toBe(at.position);
    // A flash changes the state, not the entry.
    expect(livePosition(at, reduce(ui, { type: 'flash', flash: { kind: 'info', text: 'x' } }))).toBe(at.position);
  });

  it('is where a key since the render put the cursor, so the next j is not lost', () => {
    const moved = reduce(ui, { type: 'cursor', cursor: 4 });
    expect(livePosition(at, moved)).toEqual({ at: 4, last: 10, page: 5 });
  });

  it('is the rendered one when another view came up meanwhile', () => {
    const other = reduce(ui, { type: 'push', entry: entry('events', { cursor: 7 }) });
    expect(livePosition(at, other)).toBe(at.position);
  });
});
