// Keys to commands to changes: the key layers name the command (keys/layers.ts), runCommand
// says what it does (commands/run-command.ts), and this applies the outcome — reducer
// actions to the UI state, effects to their owners (quit, switch context, open a dialog).
import { useMemo } from 'react';
import { knownNamespaces } from '../data/objects.js';
import { completeCommand, type CompletionSource } from '../keys/commands.js';
import { useKeyDispatcher } from '../keys/dispatcher.js';
import { keyLayers } from '../keys/layers.js';
import { runCommand, type Command, type CommandPorts, type CommandState } from '../commands/run-command.js';
import type { StateStore } from './useStateStore.js';
import { activeEntry, type Flash, type UiAction, type UiState } from '../state.js';
import { sameSubject } from './useRows.js';
import { edit, terminal } from './suspended-actions.js';
import { keysOf } from '../view-def.js';
import type { Dialogs } from './useDialogs.js';

export interface CommandKeysInput {
  store: StateStore<UiState, UiAction>;
  /** The cockpit as this render shows it. */
  at: CommandState;
  ports: CommandPorts;
  dialogs: Dialogs;
  onExit(): void;
  flash(flash: Flash): void;
  /** Told of every key as it arrives, before it is handled. */
  onInput: (() => void) | undefined;
}

/**
 * Where the cursor is for a movement key: as rendered, unless a key since that render moved it
 * (keys can come faster than frames on a busy machine, and a `j` computed from the frame
 * before would be lost).
 */
export function livePosition(at: CommandState, now: UiState): CommandState['position'] {
  const rendered = activeEntry(at.ui);
  const live = activeEntry(now);
  if (live === rendered || live.view !== rendered.view || !sameSubject(live, rendered)) return at.position;
  return { ...at.position, at: Math.max(0, Math.min(live.cursor, at.position.last)) };
}

/** Returns Tab's completion for a `:` line, which the command bar shows as it is typed. */
export function useCommandKeys(input: CommandKeysInput): (text: string) => string | undefined {
  const { store, at, ports, dialogs, onExit, onInput, flash } = input;
  const { snapshot, contexts, views } = at.ctx;
  const source: CompletionSource = useMemo(
    () => ({
      namespaces: knownNamespaces(snapshot),
      contexts: contexts.map((k) => k.name),
      // Names the server serves complete only where the cockpit can list them.
      ...(ports.resources ? { catalog: snapshot.catalog } : {}),
    }),
    [snapshot, contexts, ports.resources],
  );
  const complete = (text: string) => completeCommand(text, source, views);
  const rowKind =
    at.view.type === 'table' && at.selected !== undefined ? at.view.target?.(at.selected, at.ctx)?.kind : undefined;
  const run = (command: Command) => {
    const result = runCommand(command, { ...at, position: livePosition(at, store.get()) }, ports);
    for (const action of result.actions) store.dispatch(action);
    for (const effect of result.effects) {
      if (effect.type === 'exit') onExit();
      else if (effect.type === 'switchContext') effect.switchContext(effect.name);
      else if (effect.type === 'dialog') dialogs.open(effect.dialog);
      else if (effect.type === 'choose') {
        const { title, options, cursor, then } = effect;
        dialogs.open({
          kind: 'choose',
          title,
          options,
          cursor,
          choose: (option) => then(option).forEach((a) => store.dispatch(a)),
        });
      } else if (effect.type === 'edit') void edit(effect, dialogs, flash);
      else void terminal(effect, dialogs, flash);
    }
  };
  const layers = keyLayers({
    dialog: dialogs.current,
    // The prompt as it is now: the key before this one may have opened it.
    prompt: () => store.get().prompt,
    dispatch: store.dispatch,
    complete,
    run,
    viewKeys: keysOf(at.view),
    ...(rowKind ? { rowKind } : {}),
  });
  useKeyDispatcher(layers, onInput);
  return complete;
}
