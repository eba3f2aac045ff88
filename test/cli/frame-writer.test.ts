import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FrameWriter } from '../../src/cli/frame-writer.js';

class FakeTerminal extends EventEmitter {
  columns = 80;
  rows = 24;
  out = '';
  write(data: string): boolean {
    this.out += data;
    return true;
  }
}

/**
 * Just enough of a terminal to check what the writer sends: absolute cursor moves to column
 * 1, whole lines ended by erase-to-end, clear line/screen, scroll region, scroll up/down.
 */
class ScreenModel {
  rows: string[];
  private region: [number, number];
  constructor(private readonly height: number) {
    this.rows = Array.from({ length: height }, () => '');
    this.region = [0, height - 1];
  }
  apply(out: string): void {
    const re =
      /\u001b\[(\d+);1H\u001b\[0m([\s\S]*?)\u001b\[0m\u001b\[K|\u001b\[(\d+);1H\u001b\[2K|\u001b\[(\d+);(\d+)r|\u001b\[r|\u001b\[(\d+)([ST])|\u001b\[0m|\u001b\[2J/y;
    let i = 0;
    while (i < out.length) {
      re.lastIndex = i;
      const m = re.exec(out);
      if (!m) throw new Error(`unexpected output at ${i}: ${JSON.stringify(out.slice(i, i + 30))}`);
      i = re.lastIndex;
      if (m[1]) this.rows[Number(m[1]) - 1] = m[2]!;
      else if (m[3]) this.rows[Number(m[3]) - 1] = '';
      else if (m[4]) this.region = [Number(m[4]) - 1, Number(m[5]) - 1];
      else if (m[0] === '\u001b[r') this.region = [0, this.height - 1];
      else if (m[6]) this.scroll(m[7] === 'S' ? Number(m[6]) : -Number(m[6]));
      else if (m[0] === '\u001b[2J') this.rows = this.rows.map(() => '');
    }
  }
  private scroll(by: number): void {
    const [top, bottom] = this.region;
    const before = [...this.rows];
    for (let r = top; r <= bottom; r++) this.rows[r] = r + by >= top && r + by <= bottom ? before[r + by]! : '';
  }
}

// What Ink 6.8's log-update writes: erase the previous frame's lines, then the new frame.
const eraseLines = (n: number) => (n === 0 ? '' : `${'\u001b[2K\u001b[1A'.repeat(n - 1)}\u001b[2K\u001b[G`);

describe('FrameWriter', () => {
  it('draws the first frame line by line at absolute positions', () => {
    const term = new FakeTerminal();
    const w = new FrameWriter(term);
    w.write('header\nrow 1\nrow 2');
    expect(term.out).toBe(
      '\u001b[1;1H\u001b[0mheader\u001b[0m\u001b[K\u001b[2;1H\u001b[0mrow 1\u001b[0m\u001b[K\u001b[3;1H\u001b[0mrow 2\u001b[0m\u001b[K',
    );
  });

  it('sends only the lines that changed', () => {
    const term = new FakeTerminal();
    const w = new FrameWriter(term);
    const rows = Array.from({ length: 60 }, (_, i) => `pod-${i}  Running  0  2h`.padEnd(120));
    w.write(rows.join('\n'));
    term.out = '';
    const before = w.bytesWritten;
    const changed = [...rows];
    changed[30] = 'pod-30  ImagePullBackOff  0  2h'.padEnd(120);
    w.write(eraseLines(60) + changed.join('\n'));
    expect(term.out).toBe(`\u001b[31;1H\u001b[0m${changed[30]}\u001b[0m\u001b[K`);
    expect(w.bytesWritten - before).toBeLessThan(200);
  });

  it('clears lines a shorter frame no longer has, and everything on clear', () => {
    const term = new FakeTerminal();
    const w = new FrameWriter(term);
    w.write('a\nb\nc');
    term.out = '';
    w.write(`${eraseLines(3)}a`);
    expect(term.out).toBe('\u001b[2;1H\u001b[0m\u001b[0m\u001b[K\u001b[3;1H\u001b[0m\u001b[0m\u001b[K');
    term.out = '';
    w.write(eraseLines(1));
    expect(term.out).toBe('\u001b[1;1H\u001b[2K');
  });

  it('passes mode switches (cursor, synchronized update) through and repaints everything after a resize', () => {
    const term = new FakeTerminal();
    const w = new FrameWriter(term);
    let resized = false;
    w.on('resize', () => (resized = true));
    w.write('\u001b[?25l');
    w.write('\u001b[?2026h');
    expect(term.out).toBe('\u001b[?25l\u001b[?2026h');
    w.write('a\nb');
    term.emit('resize');
    expect(resized).toBe(true);
    term.out = '';
    w.write(`${eraseLines(2)}a\nb`);
    expect(term.out).toContain('\u001b[1;1H');
    expect(term.out).toContain('\u001b[2;1H');
  });

  it('while held, sends nothing, not even on a resize; release repaints the newest frame whole', () => {
    const term = new FakeTerminal();
    const w = new FrameWriter(term);
    w.write('a\nb');
    w.hold();
    term.out = '';
    w.write(`${eraseLines(2)}a\nc`);
    w.write('\u001b[?25h');
    term.emit('resize');
    w.write(`${eraseLines(2)}a\nd`);
    expect(term.out).toBe('');
    w.release();
    const screen = new ScreenModel(24);
    screen.apply(term.out);
    expect(term.out.startsWith('\u001b[2J')).toBe(true);
    expect(screen.rows.slice(0, 2)).toEqual(['a', 'd']);
  });

  it('scrolls a moved block of rows instead of sending it again', () => {
    const term = new FakeTerminal();
    const w = new FrameWriter(term);
    const row = (i: number, selected = false) =>
      `${selected ? '>' : ' '} ns-1  pod-${String(i).padStart(5, '0')}  1/1  Running  0  2h  10.244.0.${i}  minikube`.padEnd(
        150,
      );
    const frame = (first: number, cursor: number) => [
      'kcockpit 0.1.0',
      `pods(all) [${cursor + 1}/10000]`,
      ...Array.from({ length: 58 }, (_, k) => row(first + k, first + k === cursor)),
      '<?> help',
    ];
    w.write(frame(0, 57).join('\n'));
    term.out = '';
    // j at the bottom row: the window moves down by one.
    const next = frame(1, 58);
    w.write(eraseLines(61) + next.join('\n'));
    expect(term.out).toContain('\u001b[2;60r\u001b[1S\u001b[r');
    // The counter, the row that lost the cursor, and the new last row: not the 55 others.
    expect(term.out.match(/;1H/g)).toHaveLength(3);
    expect(w.lines()).toEqual(next);
  });

  it('leaves the terminal showing exactly each frame, through scrolls and changes', () => {
    const term = new FakeTerminal();
    const w = new FrameWriter(term);
    const screen = new ScreenModel(40);
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let first = 0;
    for (let step = 0; step < 300; step++) {
      const r = rand();
      // Mostly scrolls by a few rows either way, sometimes a jump, sometimes one row changes.
      first = Math.max(0, r < 0.7 ? first + Math.floor(rand() * 7) - 3 : r < 0.85 ? Math.floor(rand() * 1000) : first);
      const frame = [
        'header',
        ...Array.from({ length: 37 }, (_, k) => `row ${first + k} ${rand() < 0.05 ? 'CHANGED' : 'Running'}`),
        'status',
      ];
      term.out = '';
      w.write(eraseLines(40) + frame.join('\n'));
      screen.apply(term.out);
      expect(screen.rows.slice(0, frame.length), `step ${step}`).toEqual(frame);
    }
  });
});
