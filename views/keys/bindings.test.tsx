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
    expect(viewCommand('shift-f', 'pods')).toBe('portForward');
    expect(viewCommand('ctrl-d', 'pods')).toBe('delete');
    expect(viewCommand('p', 'pods')).toBe('logs.previous');
  });

  it('makes commands available only in the views they work in', () => {
    expect(viewCommand('l', 'pods')).toBe('logs');
    expect(viewCommand('l', 'events')).toBeUndefined();
    expect(viewCommand('enter', 'events')).toBeUndefined();
    expect(viewCommand('0', 'namespaces')).toBeUndefined();
    expect(viewCommand('0', 'pods')).toBe('namespace.all');
  });

  it('keeps `f` free for k9s habits and binds fix to x', () => {
    const all = Object.values(BINDINGS).flatMap((b) => b.keys);
    expect(all).not.toContain('f');
    expect(BINDINGS.fix.keys).toEqual(['x']);
  });

  it('never binds one key to two commands that can meet in the same view', () => {
    const views = [
      'pods',
      'events',
      'helm',
      'findings',
      'namespaces',
      'contexts',
      'portforwards',
      'deployments',
      'statefulsets',
      'services',
      'describe',
      'yaml',
      'logs',
      'finding',
      'help',
    ] as const;
    for (const view of views) {
      const keys = helpFor(view).flatMap((h) => h.keys.map(canonicalKey));
      expect(new Set(keys).size, view).toBe(keys.length);
    }
  });

  it('lists for help every key of a view with its view-specific wording', () => {
    const help = helpFor('namespaces');
    expect(help.find((h) => h.command === 'drill')?.description).toBe('Show the pods of the namespace');
    expect(help.some((h) => h.command === 'logs')).toBe(false);
    expect(help.some((h) => h.command === 'quit')).toBe(true);
  });

  it('lets a view binding shadow a global one', () => {
    const table: BindingTable = { ...BINDINGS, delete: { keys: ['q'], description: 'test', views: ['pods'] } };
    expect(viewCommand('q', 'pods', table)).toBe('delete');
    expect(globalCommand('q', table)).toBe('quit');
  });

  it('writes hints from the first key of each available command', () => {
    expect(hintsFor('events', ['prompt.command', 'logs', 'help'])).toBe('<:> command <?> help');
  });

  it('opens dialogs from the views that have something to act on', () => {
    expect(viewCommand('shift-f', 'services')).toBe('portForward');
    expect(viewCommand('shift-f', 'deployments')).toBe('portForward');
    expect(viewCommand('ctrl-d', 'portforwards')).toBe('delete');
    expect(helpFor('portforwards').find((h) => h.command === 'delete')?.description).toBe(
      'Stop the selected port-forward (asks first)',
    );
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
    const pods = dialogHelpFor('pods');
    expect(new Set(pods.map((h) => h.dialog))).toEqual(new Set(['confirm', 'fix', 'portForward']));
    expect(pods.find((h) => h.dialog === 'portForward' && h.command === 'dialog.enter')?.description).toBe(
      'Start forwarding the selected ports',
    );
    expect(new Set(dialogHelpFor('services').map((h) => h.dialog))).toEqual(new Set(['portForward']));
    expect(dialogHelpFor('events')).toEqual([]);
  });

  it('writes dialog hints from the first key, with the word for the moment', () => {
    expect(dialogHints(['dialog.yes', 'dialog.no', ['dialog.enter', 'apply'], 'dialog.close'])).toBe(
      '<y> yes <n> no <enter> apply <escape> close',
    );
  });
});
