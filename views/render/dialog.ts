// What a dialog shows, as data: a title, body lines that scroll, footer lines that stay put
// (the question being asked, an error), and a hint line. The render functions of each
// dialog produce this; components/Dialog.tsx draws it, windowed.
import type { RowStyle } from './row.js';
import { inert } from '../../src/format/inert.js';
import { wrapText } from './text.js';

export interface DialogLine {
  text: string;
  style?: RowStyle;
  bold?: boolean;
  /** The line under the dialog's cursor. */
  selected?: boolean;
}

export interface DialogView {
  title: string;
  body: DialogLine[];
  /** The first body line shown; `end` shows the last lines. */
  top: number | 'end';
  /** A body line that must be on screen (the chosen item of a list). */
  focus?: number;
  footer: DialogLine[];
  hints: string;
}

/** `text` word-wrapped to `width`, every line indented by `indent`. */
export function wrapped(text: string, width: number, indent = '', extra: Omit<DialogLine, 'text'> = {}): DialogLine[] {
  return wrapText(text, Math.max(1, width - indent.length)).map((t) => ({ text: indent + t, ...extra }));
}

/**
 * One line of a unified diff, coloured as `git diff` does: additions green, removals red,
 * hunk headers blue. Diff lines are cut, not wrapped, so a line of the diff stays one line.
 */
export function diffLine(line: string, indent = ''): DialogLine {
  const text = indent + inert(line);
  if (line.startsWith('+++') || line.startsWith('---')) return { text, bold: true };
  if (line.startsWith('+')) return { text, style: 'ok' };
  if (line.startsWith('-')) return { text, style: 'critical' };
  if (line.startsWith('@@')) return { text, style: 'info' };
  return { text };
}
