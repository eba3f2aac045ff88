import { describe, expect, it } from 'vitest';
import {
  BINDINGS,
  DIALOG_BINDINGS,
  canonicalKey,
  dialogCommand,
  dialogHelpFor,
  dialogHints,
  globalCommand,
  helpFor,
  hintsFor,
  viewCommand,
  type BindingTable,
  type DialogKind,
  type ViewKeys,
} from './bindings.js';

describe('bindings', () => {
  it('accepts G for shift-g', () => {
    expect(canonicalKey('G')).toBe('shift-g');
    expect(canonicalKey('ctrl-d')).toBe('ctrl-d');
  });

  it('maps k9s keys to commands', () => {
    expect(globalCommand('j')).toBe('cursor.down');
    expect(globalCommand('down')).toBe('cursor.down');
    expect(globalCommand('ctrl-f')).toBe('cursor.pageDown');
    expect(globalCommand('shift-g')).toBe('cursor.bottom');
    expect(globalCommand('escape')).toBe('view.back');
    expect(globalCommand(':')).toBe('prompt.command');
    expect(globalCommand('ctrl-c')).toBe('quit');
    const pods: ViewKeys = { portForward: true, delete: true, 'logs.previous': true };
    expect(viewCommand('shift-f', pods)).toBe('portForward');
    expect(viewCommand('ctrl-d', pods)).toBe('delete');
    expect(viewCommand('p', pods)).toBe('logs.previous');
  });

  it('makes a view command available only in views that offer it, and a global one everywhere', () => {
    expect(viewCommand('l', { logs: true })).toBe('logs');
    expect(viewCommand('l', { describe: true })).toBeUndefined();
    expect(viewCommand('enter', {})).toBeUndefined();
    // A global key is the global layer's, even when a view names it for its wording.
    expect(viewCommand('j', { 'cursor.down': 'Scroll one line' })).toBeUndefined();
    expect(globalCommand('l')).toBeUndefined();
  });

  it('keeps `f` free for k9s habits and binds fix to x', () => {
    const all = Object.values(BINDINGS).flatMap((b) => b.keys);
    expect(all).not.toContain('f');
    expect(BINDINGS.fix.keys).toEqual(['x']);
  });

  it("lists for help the global keys and the view's own, in its wording", () => {
    const help = helpFor({ drill: 'Show the pods of the namespace', describe: true });
    expect(help.find((h) => h.command === 'drill')?.description).toBe('Show the pods of the namespace');
    expect(help.find((h) => h.command === 'describe')?.description).toBe(BINDINGS.describe.description);
    expect(help.some((h) => h.command === 'logs')).toBe(false);
    expect(help.some((h) => h.command === 'quit')).toBe(true);
    // The table's order, whatever order the view lists its keys in.
    expect(help.map((h) => h.command).indexOf('drill')).toBeLessThan(help.map((h) => h.command).indexOf('describe'));
  });

  it('lets a view binding shadow a global one', () => {
    const table: BindingTable = { ...BINDINGS, delete: { keys: ['q'], description: 'test' } };
    expect(viewCommand('q', { delete: true }, undefined, table)).toBe('delete');
    expect(globalCommand('q', table)).toBe('quit');
  });

  it('writes hints from the first key of each available command', () => {
    expect(hintsFor({ describe: true }, ['prompt.command', 'logs', 'help'])).toBe('<:> command <?> help');
    expect(hintsFor({ logs: true }, ['prompt.command', 'logs'])).toBe('<:> command <l> logs');
  });

  it('maps dialog keys per dialog, and never one key to two commands in the same dialog', () => {
    expect(dialogCommand('space', 'portForward')).toBe('portForward.toggle');
    expect(dialogCommand('space', 'fix')).toBeUndefined();
    expect(dialogCommand('shift-g', 'fix')).toBe('dialog.bottom');
    expect(dialogCommand('y', 'confirm')).toBe('dialog.yes');
    expect(dialogCommand('enter', 'confirm')).toBeUndefined();
    for (const dialog of ['confirm', 'fix', 'portForward'] as DialogKind[]) {
      const keys = Object.values(DIALOG_BINDINGS)
        .filter((b) => b.dialogs.includes(dialog))
        .flatMap((b) => b.keys.map(canonicalKey));
      expect(new Set(keys).size, dialog).toBe(keys.length);
    }
  });

  it('lists for help the keys of the dialogs a view opens', () => {
    const pods = dialogHelpFor({ fix: true, portForward: true, delete: true, logs: true });
    expect(new Set(pods.map((h) => h.dialog))).toEqual(new Set(['confirm', 'fix', 'portForward']));
    expect(pods.find((h) => h.dialog === 'portForward' && h.command === 'dialog.enter')?.description).toBe(
      'Start forwarding the selected ports',
    );
    expect(new Set(dialogHelpFor({ portForward: 'Port-forward to the service' }).map((h) => h.dialog))).toEqual(
      new Set(['portForward']),
    );
    expect(dialogHelpFor({ describe: true, yaml: true })).toEqual([]);
  });

  it('leaves out dialogs whose opener fits none of the rows’ kinds', () => {
    const keys = { decode: true, shell: true } as const;
    const kindsOf = (kinds: string[]) =>
      new Set(dialogHelpFor(keys, undefined, undefined, new Set(kinds)).map((h) => h.dialog));
    expect(kindsOf(['Pod'])).toEqual(new Set(['choose']));
    expect(kindsOf(['Secret'])).toEqual(new Set(['reveal']));
    expect(new Set(dialogHelpFor(keys).map((h) => h.dialog))).toEqual(new Set(['choose', 'reveal']));
  });

  it('writes dialog hints from the first key, with the word for the moment', () => {
    expect(dialogHints(['dialog.yes', 'dialog.no', ['dialog.enter', 'apply'], 'dialog.close'])).toBe(
      '<y> yes <n> no <enter> apply <escape> close',
    );
  });
});
