// Text helpers for terminal cells. Rows are built as plain strings (one Ink <Text> per row),
// so widths must be known here: Ink's own measuring would cost a Yoga node per cell.
import { inert } from '../../src/format/inert.js';

/**
 * Columns a code point occupies. An approximation of Unicode East Asian Width, enough for
 * the names, messages and log lines a cluster produces: combining marks take none, wide
 * CJK and emoji take two, everything else one. Ink still truncates each row as a backstop.
 */
function codePointWidth(cp: number): number {
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 2;
  return 1;
}

const ASCII = /^[\u0020-\u007e]*$/;

export function displayWidth(text: string): number {
  if (ASCII.test(text)) return text.length;
  let width = 0;
  for (const ch of text) width += codePointWidth(ch.codePointAt(0) ?? 0);
  return width;
}

/** The longest prefix of `text` that fits in `width` columns. */
function fitStart(text: string, width: number): string {
  let used = 0;
  let out = '';
  for (const ch of text) {
    const w = codePointWidth(ch.codePointAt(0) ?? 0);
    if (used + w > width) break;
    used += w;
    out += ch;
  }
  return out;
}

/** The longest suffix of `text` that fits in `width` columns. */
function fitEnd(text: string, width: number): string {
  const chars = [...text];
  let used = 0;
  let i = chars.length;
  while (i > 0) {
    const w = codePointWidth(chars[i - 1]?.codePointAt(0) ?? 0);
    if (used + w > width) break;
    used += w;
    i--;
  }
  return chars.slice(i).join('');
}

export type TruncateMode = 'end' | 'middle';

/**
 * Cut `text` to `width` columns with '…'. `middle` keeps both ends, which is what matters in
 * pod names: `jaeger-op-jaeger-operator-7d7b58d48b-89p9p` must keep its unique suffix.
 */
export function truncate(text: string, width: number, mode: TruncateMode = 'end'): string {
  if (width <= 0) return '';
  if (displayWidth(text) <= width) return text;
  if (width === 1) return '…';
  if (mode === 'middle') {
    const tail = Math.floor((width - 1) / 2);
    return fitStart(text, width - 1 - tail) + '…' + fitEnd(text, tail);
  }
  return fitStart(text, width - 1) + '…';
}

/** Truncate and pad to exactly `width` columns. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left', mode: TruncateMode = 'end'): string {
  const cut = truncate(text, width, mode);
  const gap = ' '.repeat(Math.max(0, width - displayWidth(cut)));
  return align === 'right' ? gap + cut : cut + gap;
}

/**
 * Word-wrap to `width` columns; words longer than a line are broken. Newlines in the input
 * start new lines. Continuation lines hang under the text of the first: past its
 * indentation and past a leading bullet (`• `, `- `) or prompt (`$ `), so describe output,
 * evidence lists and commands keep their shape.
 */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const paragraph = inert(raw);
    if (displayWidth(paragraph) <= width) {
      out.push(paragraph);
      continue;
    }
    const lead = /^ *(?:[•$-] )?/.exec(paragraph)?.[0] ?? '';
    const hang = lead.length < width / 2 ? lead.length : 0;
    const w = Math.max(1, width - hang);
    const lines: string[] = [];
    let line = '';
    for (const word of paragraph.slice(hang).split(' ')) {
      let rest = word;
      while (displayWidth(rest) > w) {
        if (line) {
          lines.push(line);
          line = '';
        }
        const head = fitStart(rest, w);
        lines.push(head);
        rest = rest.slice(head.length);
      }
      if (!line) line = rest;
      else if (displayWidth(line) + 1 + displayWidth(rest) <= w) line += ' ' + rest;
      else {
        lines.push(line);
        line = rest;
      }
    }
    lines.push(line);
    lines.forEach((l, i) => out.push((i === 0 ? lead.slice(0, hang) : ' '.repeat(hang)) + l));
  }
  return out;
}
