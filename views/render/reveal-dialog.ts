// A Secret value as dialog lines, under a title that says which key of which Secret it is.
import type { RevealState } from '../dialogs/reveal-session.js';
import { dialogHints } from '../keys/bindings.js';
import type { DialogView } from './dialog.js';

export function revealDialogView(s: RevealState): DialogView {
  return {
    title: s.title,
    body: s.lines.map((text) => ({ text })),
    top: s.top,
    footer: [{ text: 'Shown here only: never logged, audited or printed. Close it when done.', style: 'dim' }],
    hints: dialogHints(['dialog.down', 'dialog.up', ['dialog.close', 'close (forget it)']]),
  };
}
