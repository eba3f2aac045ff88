// A short list to choose from, as dialog lines; the cursor's line is marked.
import type { ChooseState } from '../dialogs/choose-session.js';
import { dialogHints } from '../keys/bindings.js';
import type { DialogView } from './dialog.js';

export function chooseDialogView(s: ChooseState): DialogView {
  return {
    title: s.title,
    body: s.options.map((o, i) => (i === s.cursor ? { text: `> ${o}`, bold: true } : { text: `  ${o}` })),
    top: 0,
    focus: s.cursor,
    footer: [],
    hints: dialogHints(['dialog.down', 'dialog.up', 'dialog.enter', 'dialog.close']),
  };
}
