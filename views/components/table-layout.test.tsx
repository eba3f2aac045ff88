import { describe, expect, it } from 'vitest';
import {
  allocateWidths,
  CellWidthCache,
  clampCursor,
  fitToContent,
  longestCells,
  scrollIndicator,
  windowOffset,
  type Column,
} from './table-layout.js';

describe('windowOffset', () => {
  it('shows everything from the top when the rows fit', () => {
    expect(windowOffset({ cursor: 4, offset: 3, height: 10, total: 8 })).toBe(0);
  });

  it('keeps the window still while the cursor moves inside it', () => {
    expect(windowOffset({ cursor: 12, offset: 10, height: 5, total: 100 })).toBe(10);
    expect(windowOffset({ cursor: 14, offset: 10, height: 5, total: 100 })).toBe(10);
  });

  it('scrolls by the least amount when the cursor leaves the window', () => {
    expect(windowOffset({ cursor: 15, offset: 10, height: 5, total: 100 })).toBe(11);
    expect(windowOffset({ cursor: 9, offset: 10, height: 5, total: 100 })).toBe(9);
  });

  it('jumps with the cursor to the end and to the start', () => {
    expect(windowOffset({ cursor: 9_999, offset: 0, height: 20, total: 10_000 })).toBe(9_980);
    expect(windowOffset({ cursor: 0, offset: 9_980, height: 20, total: 10_000 })).toBe(0);
  });

  it('clamps a stale offset after the list shrank or the terminal grew', () => {
    expect(windowOffset({ cursor: 40, offset: 90, height: 10, total: 50 })).toBe(40);
    expect(windowOffset({ cursor: 49, offset: 45, height: 20, total: 50 })).toBe(30);
  });

  it('clamps a cursor beyond the last row', () => {
    expect(windowOffset({ cursor: 500, offset: 0, height: 10, total: 50 })).toBe(40);
  });
});

describe('clampCursor and scrollIndicator', () => {
  it('keeps the cursor on a row', () => {
    expect(clampCursor(7, 5)).toBe(4);
    expect(clampCursor(-1, 5)).toBe(0);
    expect(clampCursor(3, 0)).toBe(0);
  });

  it('reads [position/total], 1-based', () => {
    expect(scrollIndicator(122, 10_000)).toBe('[123/10000]');
    expect(scrollIndicator(0, 0)).toBe('[0/0]');
  });
});

describe('allocateWidths', () => {
  const columns: Column[] = [
    { key: 'name', title: 'NAME', minWidth: 20, flex: 2 },
    { key: 'status', title: 'STATUS', width: 10 },
    { key: 'node', title: 'NODE', minWidth: 10, flex: 1, priority: 1 },
    { key: 'ip', title: 'IP', width: 15, priority: 2 },
  ];
  const total = (slots: { width: number }[]) => slots.reduce((s, x) => s + x.width, 0) + slots.length - 1;

  it('gives the free space to flex columns by weight', () => {
    const slots = allocateWidths(columns, 100);
    expect(slots.map((s) => s.index)).toEqual([0, 1, 2, 3]);
    expect(total(slots)).toBe(100);
    const [name, , node] = slots;
    // 42 free columns, split 2:1.
    expect(name?.width).toBe(48);
    expect(node?.width).toBe(24);
  });

  it('hides the highest-priority columns first on a narrow terminal', () => {
    expect(allocateWidths(columns, 45).map((s) => s.index)).toEqual([0, 1, 2]);
    expect(allocateWidths(columns, 35).map((s) => s.index)).toEqual([0, 1]);
  });

  it('shrinks flexible columns before fixed ones when even the required columns do not fit', () => {
    const slots = allocateWidths(columns, 25);
    expect(slots.map((s) => s.index)).toEqual([0, 1]);
    expect(slots[1]?.width).toBe(10);
    expect(total(slots)).toBe(25);
  });

  it('never makes a column narrower than one cell', () => {
    const slots = allocateWidths(columns, 3);
    expect(slots.every((s) => s.width >= 1)).toBe(true);
  });

  it('uses the title as the natural width of a column without sizes', () => {
    expect(allocateWidths([{ key: 'a', title: 'RESTARTS' }], 50)).toEqual([{ index: 0, width: 8 }]);
  });
});

describe('fitToContent', () => {
  const columns: Column[] = [
    { key: 'name', title: 'NAME', minWidth: 20, flex: 1, truncate: 'middle' },
    { key: 'status', title: 'STATUS', minWidth: 6 },
    { key: 'message', title: 'MESSAGE', minWidth: 10, flex: 3 },
  ];

  it('gives a name column its longest cell when there is room; free text keeps the rest', () => {
    const fitted = fitToContent(columns, [44, 16, 200]);
    const [name, status, message] = allocateWidths(fitted, 100, 1);
    expect(name?.width).toBeGreaterThanOrEqual(44);
    expect(status?.width).toBe(16);
    // The message column is not widened to its 200 characters: it shares what is left.
    expect(message?.width).toBe(100 - (name?.width ?? 0) - 16 - 2);
  });

  it('lets the name give way when the terminal is too narrow', () => {
    const widths = allocateWidths(fitToContent(columns, [44, 6, 5]), 40, 1).map((s) => s.width);
    expect(widths.reduce((a, b) => a + b, 0) + 2).toBe(40);
    expect(widths[0]).toBeLessThan(44);
  });

  it('remembers widths per row object and finds the widest cell per column', () => {
    const cache = new CellWidthCache();
    const row = { a: 1 };
    let measured = 0;
    const measure = () => (measured++, [3, 9]);
    cache.of(row, measure);
    cache.of(row, measure);
    expect(measured).toBe(1);
    expect(longestCells([[3, 9], [7, 2], [1]], 2)).toEqual([7, 9]);
  });
});
