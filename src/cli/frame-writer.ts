// Ink 6.8 repaints the whole frame on every change: it erases every line it drew and writes
// them all again (its incremental mode is broken in 6.7–6.8). Over SSH on a slow link that
// is ~6 KB per keypress for a 60-row screen. The cockpit owns the alternate screen, so this
// stream sits between Ink and the terminal: it takes each frame Ink writes, compares it with
// the previous one line by line, and sends only the lines that changed, each to its absolute
// position. A one-row change costs that one row. When a block of rows has moved up or down
// (the table scrolled by a row), the terminal is told to scroll that block instead, and only
// the rows that are really new are sent: a held-down j at the bottom of a 60-row table costs
// a few rows a step, not the whole table.
import { EventEmitter } from 'node:events';

// What Ink writes before a frame: erase-line and cursor-movement sequences.
const LEADING_CURSOR_CONTROL = /^(?:\u001b\[(?:\d+(?:;\d+)?)?[A-HJK]|\u001b\[2K)+/;
// Mode switches Ink writes on their own: cursor visibility, synchronized-update brackets.
const PRIVATE_MODES = /^(?:\u001b\[\?\d+[hl])+$/;

/** Scrolling pays only over a block of at least this many rows... */
const MIN_SCROLL_ROWS = 4;
/** ...by one of these steps (positive: the content moves up, as when j scrolls the table)... */
const SCROLL_STEPS = [1, -1, 2, -2, 3, -3];
/** ...and only when it sends at most this share of the bytes a plain repaint would. */
const SCROLL_WORTH = 0.75;
/** Cursor position, attribute reset and erase around each line sent. */
const LINE_OVERHEAD = 16;
/** Scroll region, scroll, region reset. */
const SCROLL_OVERHEAD = 20;

export interface Terminal {
  write(data: string): boolean;
  readonly columns: number;
  readonly rows: number;
  on(event: 'resize', listener: () => void): unknown;
  off(event: 'resize', listener: () => void): unknown;
}

export class FrameWriter extends EventEmitter {
  readonly isTTY = true;
  /** Bytes sent to the terminal, for benchmarks. */
  bytesWritten = 0;
  private previous: string[] = [];
  private held = false;
  /** The newest frame Ink wrote, to repaint after a hold. */
  private lastFrame: string | undefined;
  private readonly onResize = () => {
    // The terminal may have reflowed what was on it: start from a clean screen. Not while
    // another program has it (an editor resized under the user must not be wiped): release
    // clears and repaints anyway.
    this.previous = [];
    if (!this.held) this.send('\u001b[2J');
    this.emit('resize');
  };

  constructor(private readonly terminal: Terminal) {
    super();
    terminal.on('resize', this.onResize);
  }

  get columns(): number {
    return this.terminal.columns;
  }

  get rows(): number {
    return this.terminal.rows;
  }

  /** The frame as the terminal now shows it (with styling codes), one string per line. */
  lines(): readonly string[] {
    return this.previous;
  }

  /** Stop following the terminal's resizes. */
  dispose(): void {
    this.terminal.off('resize', this.onResize);
  }

  /**
   * While another program has the terminal ($EDITOR, a shell in a container), frames are
   * kept, not sent; `release` repaints the newest one whole, since the screen is not ours.
   */
  hold(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
    this.previous = [];
    this.send('\u001b[2J');
    if (this.lastFrame !== undefined) this.write(this.lastFrame);
  }

  write(data: string | Uint8Array): boolean {
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    if (this.held) {
      if (!PRIVATE_MODES.test(text)) this.lastFrame = text;
      return true;
    }
    if (!PRIVATE_MODES.test(text)) this.lastFrame = text;
    if (PRIVATE_MODES.test(text)) return this.send(text);
    const frame = text.replace(LEADING_CURSOR_CONTROL, '');
    // Ink's clear (on unmount, or before a console.log it patches): erase what we drew.
    if (frame === '') return this.send(this.clearAll());
    return this.send(this.diff(frame.endsWith('\n') ? frame.slice(0, -1).split('\n') : frame.split('\n')));
  }

  private diff(lines: string[]): string {
    let out = this.scroll(lines);
    const rows = Math.max(lines.length, this.previous.length);
    for (let i = 0; i < rows; i++) {
      const line = lines[i];
      if (line === this.previous[i]) continue;
      // Absolute position, the line, then erase whatever the old line had beyond it.
      out += `\u001b[${i + 1};1H\u001b[0m${line ?? ''}\u001b[0m\u001b[K`;
    }
    this.previous = lines;
    return out;
  }

  /**
   * If scrolling part of the screen by a few rows makes the previous frame cheaper to turn
   * into this one, scroll it (DECSTBM scroll region, then SU/SD) and take the scrolled
   * picture as what the terminal now shows; the line diff then sends what is left.
   */
  private scroll(lines: string[]): string {
    const prev = this.previous;
    const n = Math.min(lines.length, prev.length);
    let top = 0;
    while (top < n && lines[top] === prev[top]) top++;
    let bottom = n - 1;
    while (bottom > top && lines[bottom] === prev[bottom]) bottom--;
    if (bottom - top < MIN_SCROLL_ROWS) return '';
    const cost = (shown: (i: number) => string | undefined) => {
      let bytes = 0;
      for (let i = top; i <= bottom; i++) if (lines[i] !== shown(i)) bytes += lines[i]!.length + LINE_OVERHEAD;
      return bytes;
    };
    const plain = cost((i) => prev[i]);
    let best: { by: number; bytes: number } | undefined;
    for (const by of SCROLL_STEPS) {
      const bytes = cost((i) => (i + by >= top && i + by <= bottom ? prev[i + by] : '')) + SCROLL_OVERHEAD;
      if (bytes < (best?.bytes ?? plain * SCROLL_WORTH)) best = { by, bytes };
    }
    if (!best) return '';
    const { by } = best;
    const scrolled = [...prev];
    for (let i = top; i <= bottom; i++) scrolled[i] = i + by >= top && i + by <= bottom ? prev[i + by]! : '';
    this.previous = scrolled;
    // Reset attributes first: the rows scrolled in are blank in the current background.
    return `\u001b[0m\u001b[${top + 1};${bottom + 1}r${by > 0 ? `\u001b[${by}S` : `\u001b[${-by}T`}\u001b[r`;
  }

  private clearAll(): string {
    const out = this.previous.map((_, i) => `\u001b[${i + 1};1H\u001b[2K`).join('');
    this.previous = [];
    return out;
  }

  private send(data: string): boolean {
    if (data === '') return true;
    this.bytesWritten += Buffer.byteLength(data);
    return this.terminal.write(data);
  }
}
