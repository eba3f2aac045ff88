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

// What Ink 6.8's log-update writes: erase the previous frame's lines, then the new frame.
const eraseLines = (n: number) => (n === 0 ? '' : `${'\u001b[2K\u001b[1A'.repeat(n - 1)}\u001b[2K\u001b[G`);

describe('FrameWriter', () => {
  it('draws the first frame line by line at absolute positions', () => {
    const term = new FakeTerminal();
    const w = new FrameWriter(term);
    w.write('header\nrow 1\nrow 2');
    expect(term.out).toBe('\u001b[1;1H\u001b[0mheader\u001b[0m\u001b[K\u001b[2;1H\u001b[0mrow 1\u001b[0m\u001b[K\u001b[3;1H\u001b[0mrow 2\u001b[0m\u001b[K');
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
});
