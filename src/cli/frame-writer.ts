// Ink 6.8 repaints the whole frame on every change: it erases every line it drew and writes
// them all again (its incremental mode is broken in 6.7–6.8). Over SSH on a slow link that
// is ~6 KB per keypress for a 60-row screen. The cockpit owns the alternate screen, so this
// stream sits between Ink and the terminal: it takes each frame Ink writes, compares it with
// the previous one line by line, and sends only the lines that changed, each to its absolute
// position. A one-row change costs that one row.
import { EventEmitter } from 'node:events';

// What Ink writes before a frame: erase-line and cursor-movement sequences.
const LEADING_CURSOR_CONTROL = /^(?:\u001b\[(?:\d+(?:;\d+)?)?[A-HJK]|\u001b\[2K)+/;
// Mode switches Ink writes on their own: cursor visibility, synchronized-update brackets.
const PRIVATE_MODES = /^(?:\u001b\[\?\d+[hl])+$/;

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
  private readonly onResize = () => {
    // The terminal may have reflowed what was on it: start from a clean screen.
    this.previous = [];
    this.send('\u001b[2J');
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

  write(data: string | Uint8Array): boolean {
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    if (PRIVATE_MODES.test(text)) return this.send(text);
    const frame = text.replace(LEADING_CURSOR_CONTROL, '');
    // Ink's clear (on unmount, or before a console.log it patches): erase what we drew.
    if (frame === '') return this.send(this.clearAll());
    return this.send(this.diff(frame.endsWith('\n') ? frame.slice(0, -1).split('\n') : frame.split('\n')));
  }

  private diff(lines: string[]): string {
    let out = '';
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
