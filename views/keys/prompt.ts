// Line editing for the `:` and `/` prompts. While a prompt is open it takes every key, so
// typing `j` or `q` writes the letter instead of moving or quitting.
import type { KeyPress } from './dispatcher.js';
import { inert } from '../../src/format/inert.js';

export type PromptOutcome =
  | { type: 'edit'; text: string }
  | { type: 'submit'; text: string }
  | { type: 'complete' }
  | { type: 'cancel' }
  /** A key with no meaning in a prompt (arrows, ctrl keys): swallowed, nothing changes. */
  | { type: 'ignore' };

export function editPrompt(text: string, press: KeyPress): PromptOutcome {
  switch (press.name) {
    case 'escape':
      return { type: 'cancel' };
    case 'enter':
      return { type: 'submit', text };
    case 'tab':
      return { type: 'complete' };
    case 'backspace':
    case 'delete':
      return { type: 'edit', text: [...text].slice(0, -1).join('') };
    case 'ctrl-u':
      return { type: 'edit', text: '' };
    case 'ctrl-w':
      return { type: 'edit', text: text.replace(/\S*\s*$/, '') };
  }
  if (press.name.startsWith('ctrl-') || press.name.startsWith('alt-') || !press.input) return { type: 'ignore' };
  // A paste arrives as one string; newlines in it must not end up inside the prompt.
  return { type: 'edit', text: text + inert(press.input) };
}
