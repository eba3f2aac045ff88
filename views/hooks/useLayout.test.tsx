import { describe, expect, it } from 'vitest';
import { layout } from './useLayout.js';

const base = { prompt: false, questionLines: 0, pane: true };

describe('layout', () => {
  it('keeps the root one line shorter than the terminal, and gives the body what the bars leave', () => {
    const l = layout({ ...base, columns: 80, rows: 24 });
    expect(l.root).toEqual({ width: 80, height: 23 });
    // Header (2) and status line (1).
    expect(l.body).toEqual({ width: 80, height: 20 });
    expect(l.textLines).toBe(19);
  });

  it('puts the pane under the table on a narrow terminal and beside it from 120 columns', () => {
    const narrow = layout({ ...base, columns: 80, rows: 24 });
    expect(narrow.wide).toBe(false);
    expect(narrow.pane).toEqual({ width: 80, height: 9 });
    expect(narrow.table).toEqual({ width: 80, height: 11 });
    const wide = layout({ ...base, columns: 160, rows: 40 });
    expect(wide.wide).toBe(true);
    expect(wide.pane).toEqual({ width: 64, height: 36 });
    expect(wide.table).toEqual({ width: 96, height: 36 });
  });

  it('gives a view without a pane the whole body', () => {
    const l = layout({ ...base, pane: false, columns: 160, rows: 40 });
    expect(l.table).toEqual(l.body);
  });

  it('takes a line for an open prompt and the lines of a y/n question from the body', () => {
    expect(layout({ ...base, prompt: true, columns: 80, rows: 24 }).body.height).toBe(19);
    expect(layout({ ...base, prompt: true, questionLines: 5, columns: 80, rows: 24 }).body.height).toBe(14);
  });

  it('never goes below one body line on a tiny terminal', () => {
    const l = layout({ ...base, prompt: true, questionLines: 5, columns: 20, rows: 3 });
    expect(l.root.height).toBe(4);
    expect(l.body.height).toBe(1);
    expect(l.textLines).toBe(0);
  });
});
