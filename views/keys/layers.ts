// The cockpit's key layers, in the order the dispatcher (dispatcher.ts) offers a key: an open
// dialog, an open prompt, the view on screen, then global keys. Each layer only names what
// a key means; commands/run-command.ts decides what that does.
import type { Command } from '../commands/run-command.js';
import type { DialogSession } from '../dialogs/dialog.js';
import type { Prompt, UiAction } from '../state.js';
import { globalCommand, viewCommand, type ViewKeys } from './bindings.js';
import type { KeyLayer } from './dispatcher.js';
import { editPrompt } from './prompt.js';

export interface LayerHost {
  /** The dialog open now (read at the key, not at the last render). */
  dialog(): DialogSession | undefined;
  /** The prompt open now: the key before this one may have opened it. */
  prompt(): Prompt | undefined;
  dispatch(action: UiAction): void;
  /** Tab in the `:` prompt: the completed line, or undefined when there is nothing to add. */
  complete(text: string): string | undefined;
  run(command: Command): void;
  /** The keys of the view on screen besides the global ones. */
  viewKeys: ViewKeys;
  /** The kind of the object the selected row names: object actions fit some kinds only. */
  rowKind?: string;
}

function dialogLayer(host: LayerHost): KeyLayer {
  return { id: 'dialog', handle: (press) => host.dialog()?.handle(press) ?? false };
}

function promptLayer(host: LayerHost): KeyLayer {
  return {
    id: 'prompt',
    handle(press) {
      const prompt = host.prompt();
      if (!prompt) return false;
      const outcome = editPrompt(prompt.text, press);
      switch (outcome.type) {
        case 'edit':
          host.dispatch({ type: 'prompt.text', text: outcome.text });
          break;
        case 'complete': {
          const completed = prompt.kind === 'command' ? host.complete(prompt.text) : undefined;
          if (completed) host.dispatch({ type: 'prompt.text', text: completed });
          break;
        }
        case 'submit':
          host.dispatch({ type: 'prompt.close' });
          if (prompt.kind === 'command') host.run({ type: 'line', text: outcome.text });
          break;
        case 'cancel':
          if (prompt.kind === 'filter') host.dispatch({ type: 'prompt.text', text: '' });
          host.dispatch({ type: 'prompt.close' });
          break;
        case 'ignore':
          break;
      }
      // An open prompt takes every key: typing `q` must not quit.
      return true;
    },
  };
}

function viewLayer(host: LayerHost): KeyLayer {
  return {
    id: 'view',
    handle(press) {
      const command = viewCommand(press.name, host.viewKeys, host.rowKind);
      if (command) host.run(command);
      return command !== undefined;
    },
  };
}

function globalLayer(host: LayerHost): KeyLayer {
  return {
    id: 'global',
    handle(press) {
      const command = globalCommand(press.name);
      if (command) host.run(command);
      return command !== undefined;
    },
  };
}

/** All four, in the order keys are offered. */
export function keyLayers(host: LayerHost): KeyLayer[] {
  return [dialogLayer(host), promptLayer(host), viewLayer(host), globalLayer(host)];
}
