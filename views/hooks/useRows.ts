// What the active view shows: a table's rows (derived, sorted, then filtered by `/`) with the
// selected one, or a text view's lines wrapped to the width with the window on screen. Rows
// are derived again only when the data or the entry's subject changes, never for the clock
// or a cursor move: 10,000 pods must not be re-sorted every tick.
import { useMemo, useRef } from 'react';
import { lastTop, wrapLines } from '../components/ScrollText.js';
import { CellWidthCache, clampCursor, fitToContent, longestCells, type Column } from '../components/table-layout.js';
import { inert } from '../../src/format/inert.js';
import { displayWidth } from '../render/text.js';
import { filterRows, RowTextCache } from '../render/filter.js';
import { cellText, rowText } from '../render/row.js';
import type { ViewEntry } from '../state.js';
import type { Layout } from './useLayout.js';
import type { TableViewDef, TextViewDef, ViewContext, ViewData, ViewDef } from '../view-def.js';

export interface TableRows {
  type: 'table';
  def: TableViewDef<unknown>;
  /** Every row of the view, before the filter. */
  all: readonly unknown[];
  /** The rows the filter lets through: the table. */
  rows: readonly unknown[];
  /** The view's columns, text columns as wide as their longest cell in `all`. */
  columns: readonly Column[];
  cursor: number;
  selected: unknown;
}

export interface TextRows {
  type: 'text';
  def: TextViewDef;
  /** Wrapped to the width, after the filter. */
  lines: readonly string[];
  /** The first line on screen, and the last line that can be first. */
  top: number;
  maxTop: number;
}

export type ViewRows = TableRows | TextRows;

/**
 * Where a view moves: the cursor's row in a table, the first line in a text view; a page is
 * what is on screen (a table's title and column headings take two lines).
 */
export function position(rows: ViewRows, layout: Layout): { at: number; last: number; page: number } {
  return rows.type === 'table'
    ? { at: rows.cursor, last: rows.rows.length - 1, page: Math.max(1, layout.table.height - 2) }
    : { at: rows.top, last: rows.maxTop, page: layout.textLines };
}

/** What an entry's rows depend on is the same: only the cursor, the filter or following moved. */
export function sameSubject(a: ViewEntry, b: ViewEntry): boolean {
  const moving = new Set<string>(['cursor', 'filter', 'follow']);
  const keys = new Set([...Object.keys(a), ...Object.keys(b)].filter((k) => !moving.has(k)));
  for (const k of keys) if (a[k as keyof ViewEntry] !== b[k as keyof ViewEntry]) return false;
  return true;
}

/** The rows a table shows under a `/` filter, matched against each row's cells as shown. */
export function filterTable(
  def: TableViewDef<unknown>,
  rows: readonly unknown[],
  filter: string,
  texts: RowTextCache,
  ctx: ViewContext,
): readonly unknown[] {
  return filterRows(rows, filter, {
    searchText: (r) => texts.text(r, (row) => rowText(def.render(row, ctx))),
    labels: (r) => def.labels?.(r),
  });
}

/** A text view's lines under a `/` filter, wrapped to the width. */
export function filterText(lines: readonly string[], filter: string, width: number): string[] {
  return wrapLines(filterRows(lines, filter, { searchText: (l) => l.toLowerCase() }), width);
}

/** The window of a text view: at the end while following (logs), else where the user scrolled. */
export function textWindow(lineCount: number, entry: ViewEntry, height: number): { top: number; maxTop: number } {
  const maxTop = lastTop(lineCount, height);
  return { top: entry.follow ? maxTop : Math.min(entry.cursor, maxTop), maxTop };
}

const NO_ROWS: readonly unknown[] = [];
const NO_LINES: readonly string[] = [];
const NO_COLUMNS: readonly Column[] = [];

/** The entry as rows see it: the same object while only its cursor, filter or following changes. */
function useSubject(entry: ViewEntry): ViewEntry {
  const ref = useRef(entry);
  if (!sameSubject(ref.current, entry)) ref.current = entry;
  return ref.current;
}

/**
 * The active view's rows. `data` is what `ctx` holds apart from the clock and the log: the
 * table's rows follow it, the text view's lines follow `ctx`.
 */
export function useRows(
  def: ViewDef,
  ctx: ViewContext,
  data: ViewData,
  entry: ViewEntry,
  size: { width: number; textLines: number },
): ViewRows {
  const subject = useSubject(entry);
  const tableDef = def.type === 'table' ? def : undefined;
  const textDef = def.type === 'text' ? def : undefined;
  const all = useMemo(
    () => (tableDef ? tableDef.rows(ctx, subject) : NO_ROWS),
    // Not `ctx`: it changes with the clock.
    [tableDef, data, subject],
  );
  // One text cache per view: the same object reads differently in another view's columns.
  const texts = useMemo(() => new RowTextCache(), [tableDef]);
  const rows = useMemo(
    () => (tableDef ? filterTable(tableDef, all, entry.filter, texts, ctx) : NO_ROWS),
    // Not `ctx` either: a row's remembered text expires on its own (RowTextCache).
    [tableDef, all, entry.filter, texts],
  );
  // Measured when the rows change (not per frame, not per filter key), over every row so the
  // columns do not jump while filtering.
  // A new namespace can add or drop the NAMESPACE column: the remembered widths are per layout.
  const widths = useMemo(() => new CellWidthCache(), [tableDef, data.namespace]);
  const columns = useMemo(() => {
    if (!tableDef) return NO_COLUMNS;
    const own = tableDef.columns(ctx);
    const measure = (r: unknown) => tableDef.render(r, ctx).cells.map((c) => displayWidth(inert(cellText(c))));
    return fitToContent(
      own,
      longestCells(
        all.map((r) => widths.of(r, measure)),
        own.length,
      ),
    );
    // Not `ctx`: it changes with the clock; ages have fixed widths.
  }, [tableDef, all, data, widths]);
  const raw = useMemo(() => (textDef ? textDef.lines(ctx, subject) : NO_LINES), [textDef, ctx, subject]);
  const lines = useMemo(() => filterText(raw, entry.filter, size.width), [raw, entry.filter, size.width]);

  if (def.type === 'text') return { type: 'text', def, lines, ...textWindow(lines.length, entry, size.textLines) };
  const cursor = clampCursor(entry.cursor, rows.length);
  return { type: 'table', def, all, rows, columns, cursor, selected: rows[cursor] };
}
