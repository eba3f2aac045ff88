// The four key layers without Ink: what each names, and which one a key stops at.
import { describe, expect, it, vi } from 'vitest';
import type { Command } from '../commands/run-command.js';
import type { DialogSession } from '../dialogs/dialog.js';
import type { Prompt, UiAction } from '../state.js';
import { dispatchKey, type KeyPress } from './dispatcher.js';
import { keyLayers, type LayerHost } from './layers.js';

const INPUT: Record<string, string> = { enter: '\r', escape: '\u001b', tab: '\t', backspace: '\u007f' };
const key = (name: string): KeyPress => ({ name, input: INPUT[name] ?? name });

function host(options: { prompt?: Prompt; dialog?: DialogSession; complete?: string } = {}) {
  const dispatched: UiAction[] = [];
  const ran: Command[] = [];
  const h: LayerHost = {
    dialog: () => options.dialog,
    prompt: () => options.prompt,
    dispatch: (a) => dispatched.push(a),
    complete: () => options.complete,
    run: (c) => ran.push(c),
    viewKeys: { logs: true },
  };
  return { layers: keyLayers(h), dispatched, ran };
}

describe('key layers', () => {
  it('offers a key to the view, then to global keys', () => {
    const { layers, ran } = host();
    expect(dispatchKey(key('l'), layers)).toBe('view');
    expect(dispatchKey(key('j'), layers)).toBe('global');
    // A key the view does not offer, and no global key has, goes nowhere.
    expect(dispatchKey(key('d'), layers)).toBeUndefined();
    expect(ran).toEqual(['logs', 'cursor.down']);
  });

  it('lets an open dialog take keys first', () => {
    const handle = vi.fn(() => true);
    const { layers, ran } = host({ dialog: { kind: 'confirm', handle } });
    expect(dispatchKey(key('l'), layers)).toBe('dialog');
    expect(handle).toHaveBeenCalledWith(key('l'));
    expect(ran).toEqual([]);
  });

  it('types into an open prompt, even keys bound elsewhere', () => {
    const { layers, dispatched, ran } = host({ prompt: { kind: 'filter', text: 'ja' } });
    expect(dispatchKey(key('q'), layers)).toBe('prompt');
    expect(dispatched).toEqual([{ type: 'prompt.text', text: 'jaq' }]);
    expect(ran).toEqual([]);
  });

  it('runs the `:` line on enter, after closing the prompt', () => {
    const { layers, dispatched, ran } = host({ prompt: { kind: 'command', text: 'pods kube-system' } });
    dispatchKey(key('enter'), layers);
    expect(dispatched).toEqual([{ type: 'prompt.close' }]);
    expect(ran).toEqual([{ type: 'line', text: 'pods kube-system' }]);
  });

  it('keeps a filter on enter, and clears it on escape', () => {
    const kept = host({ prompt: { kind: 'filter', text: 'crash' } });
    dispatchKey(key('enter'), kept.layers);
    expect(kept.dispatched).toEqual([{ type: 'prompt.close' }]);
    expect(kept.ran).toEqual([]);
    const cleared = host({ prompt: { kind: 'filter', text: 'crash' } });
    dispatchKey(key('escape'), cleared.layers);
    expect(cleared.dispatched).toEqual([{ type: 'prompt.text', text: '' }, { type: 'prompt.close' }]);
  });

  it('completes the `:` line on tab, and only that prompt', () => {
    const command = host({ prompt: { kind: 'command', text: 'de' }, complete: 'deployments' });
    dispatchKey(key('tab'), command.layers);
    expect(command.dispatched).toEqual([{ type: 'prompt.text', text: 'deployments' }]);
    const filter = host({ prompt: { kind: 'filter', text: 'de' }, complete: 'deployments' });
    dispatchKey(key('tab'), filter.layers);
    expect(filter.dispatched).toEqual([]);
  });
});
