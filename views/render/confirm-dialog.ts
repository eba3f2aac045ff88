// A y/n question as dialog lines.
import type { ConfirmState } from '../dialogs/confirm-session.js';
import { dialogHints } from '../keys/bindings.js';
import type { DialogView } from './dialog.js';

export function confirmDialogView(s: ConfirmState): DialogView {
  return {
    title: s.title,
    body: [{ text: `${s.question} [y/n]`, bold: true }],
    top: 0,
    footer: [],
    hints: dialogHints(['dialog.yes', 'dialog.no', 'dialog.close']),
  };
}
