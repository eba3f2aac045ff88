// Pure layout for the windowed table: which rows are on screen and how wide each column is.
// Kept apart from the component so both can be tested without Ink.
import type { TruncateMode } from '../render/text.js';

export interface Column {
  key: string;
  title: string;
  /** Fixed width in columns. */
  width?: number;
  /** Width the column starts from before free space is shared out (default: the title's). */
  minWidth?: number;
  /** Share of the free space this column takes (like CSS flex-grow). */
  flex?: number;
  align?: 'left' | 'right';
  /** How an overflowing cell is cut; `middle` keeps the end of names visible. Default `end`. */
  truncate?: TruncateMode;
  /**
   * 0 (default) = always shown. Higher numbers are hidden first when the terminal is too
   * narrow, like kubectl's `-o wide` columns.
   */
  priority?: number;
}

export interface ColumnSlot {
  /** Index of the column in the table's column list (and of its cell in a row). */
  index: number;
  width: number;
}

export interface WindowInput {
  cursor: number;
  /** The first visible row of the previous frame. */
  offset: number;
  /** Rows that fit on screen. */
  height: number;
  total: number;
}

/**
 * The first row to show so the cursor stays visible with as little movement as possible:
 * the window only scrolls when the cursor leaves it (as in k9s and less), and is clamped
 * so a shrinking list or a taller terminal never leaves blank rows under the last item.
 */
export function windowOffset({ cursor, offset, height, total }: WindowInput): number {
  if (height <= 0 || total <= height) return 0;
  const c = Math.min(Math.max(cursor, 0), total - 1);
  let start = Math.min(Math.max(offset, 0), total - height);
  if (c < start) start = c;
  else if (c >= start + height) start = c - height + 1;
  return start;
}

/** Clamp a cursor into a list of `total` rows (0 when empty). */
export function clampCursor(cursor: number, total: number): number {
  return total === 0 ? 0 : Math.min(Math.max(cursor, 0), total - 1);
}

function naturalWidth(c: Column): number {
  return c.width ?? Math.max(c.minWidth ?? 0, c.title.length);
}

/**
 * Column widths for a terminal `total` columns wide, with `gap` spaces between columns.
 * Priority columns are dropped (highest priority number first) until the rest fit; free
 * space goes to flex columns; if even the required columns do not fit, the widest flexible
 * columns give way first (cells are then cut with '…').
 */
export function allocateWidths(columns: readonly Column[], total: number, gap = 1): ColumnSlot[] {
  const visible = columns.map((c, index) => ({ c, index, width: naturalWidth(c) }));
  const used = () => visible.reduce((sum, v) => sum + v.width, 0) + gap * Math.max(0, visible.length - 1);

  while (used() > total) {
    let drop = -1;
    visible.forEach((v, i) => {
      const p = v.c.priority ?? 0;
      if (p > 0 && (drop < 0 || p >= (visible[drop]?.c.priority ?? 0))) drop = i;
    });
    if (drop < 0) break;
    visible.splice(drop, 1);
  }

  let free = total - used();
  if (free > 0) {
    const flexes = visible.filter((v) => (v.c.flex ?? 0) > 0);
    const weight = flexes.reduce((sum, v) => sum + (v.c.flex ?? 0), 0);
    let given = 0;
    for (const v of flexes) {
      const share = Math.floor((free * (v.c.flex ?? 0)) / weight);
      v.width += share;
      given += share;
    }
    // Rounding leftovers go to the first flex columns, one each.
    for (let i = 0; given < free && flexes.length > 0; i = (i + 1) % flexes.length, given++) {
      const v = flexes[i];
      if (v) v.width++;
    }
  }

  free = total - used();
  while (free < 0) {
    // Flexible columns (no fixed width) shrink before fixed ones; within a group, the widest.
    const candidates = visible.filter((v) => v.width > 1);
    if (candidates.length === 0) break;
    const flexible = candidates.filter((v) => v.c.width === undefined);
    const pool = flexible.length > 0 ? flexible : candidates;
    const widest = pool.reduce((a, b) => (b.width > a.width ? b : a));
    widest.width--;
    free++;
  }

  return visible.map(({ index, width }) => ({ index, width }));
}

/** `[123/10000]`: the cursor's position (1-based) in the filtered list. */
export function scrollIndicator(cursor: number, total: number): string {
  return `[${total === 0 ? 0 : clampCursor(cursor, total) + 1}/${total}]`;
}

/**
 * Each row's cell widths, remembered per row object: rows only change when their object does
 * (snapshots and Table views are immutable), so measuring a list after an update costs a
 * lookup per unchanged row, not a render.
 */
export class CellWidthCache {
  private readonly widths = new WeakMap<object, readonly number[]>();

  of<R>(row: R, measure: (row: R) => readonly number[]): readonly number[] {
    if (typeof row !== 'object' || row === null) return measure(row);
    let w = this.widths.get(row);
    if (!w) {
      w = measure(row);
      this.widths.set(row, w);
    }
    return w;
  }
}

/** The widest cell of each column over every row. */
export function longestCells(rows: readonly (readonly number[])[], columns: number): number[] {
  const longest = new Array<number>(columns).fill(0);
  for (const row of rows)
    for (let i = 0; i < columns; i++) {
      const w = row[i] ?? 0;
      if (w > (longest[i] ?? 0)) longest[i] = w;
    }
  return longest;
}

/**
 * Names (columns cut in the middle) and short text columns (no fixed width, no share of the
 * free space) start from their longest cell, so whole names show whenever the terminal has
 * room, as kubectl and k9s show them; allocateWidths cuts them only when it has not. Free-text
 * columns (messages, titles: flex without a middle cut) keep taking what is left.
 */
export function fitToContent(columns: readonly Column[], longest: readonly number[]): readonly Column[] {
  return columns.map((c, i) =>
    c.width !== undefined || (c.flex !== undefined && c.truncate !== 'middle')
      ? c
      : { ...c, minWidth: Math.max(c.minWidth ?? 0, c.title.length, longest[i] ?? 0) },
  );
}
