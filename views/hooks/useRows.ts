// What the active view shows: a table's rows (derived, sorted, then filtered by `/`) with the
// selected one, or a text view's lines wrapped to the width with the window on screen. Rows
// are derived again only when the data or the entry's subject changes, never for the clock
// or a cursor move: 10,000 pods must not be re-sorted every tick. When the rows change under
// the cursor (a live update, a new sort order), the cursor stays on the object it was on.
import { useLayoutEffect, useMemo, useRef } from 'react';
import type { ObjectRef } from '../../src/diagnose/types.js';
import { lastTop, wrapLines } from '../components/ScrollText.js';
import { CellWidthCache, clampCursor, fitToContent, longestCells, type Column } from '../components/table-layout.js';
import { inert } from '../../src/format/inert.js';
import { displayWidth } from '../render/text.js';
import { filterRows, RowTextCache } from '../render/filter.js';
import { cellText, rowText } from '../render/row.js';
import { objectKey } from '../data/marks.js';
import { BY_CELL, createdAt, sortColumn, sortedTitle, sortKey, sortRows, type SortKey } from '../data/sort.js';
import type { UiAction, ViewEntry } from '../state.js';
import type { Layout } from './useLayout.js';
import type { TableViewDef, TextViewDef, ViewContext, ViewData, ViewDef } from '../view-def.js';

export interface TableRows {
  type: 'table';
  def: TableViewDef<unknown>;
  /** Every row of the view, before the filter. */
  all: readonly unknown[];
  /** The rows the filter lets through: the table. */
  rows: readonly unknown[];
  /** The view's columns, text columns as wide as their longest cell in `all`; the sorted one carries ↑ or ↓. */
  columns: readonly Column[];
  cursor: number;
  selected: unknown;
  /** The marked rows' objects that are still listed (marks of objects gone are dropped), in row order. */
  marked: readonly ObjectRef[];
  /** Whether a row is marked, for the table's gutter. */
  isMarked(row: unknown): boolean;
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
  // A new sort order re-sorts the rows derived, without deriving them again.
  const moving = new Set<string>(['cursor', 'filter', 'follow', 'sort', 'marks']);
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
const NO_REFS: readonly ObjectRef[] = [];
const NO_MARKS: ReadonlySet<string> = new Set();

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
  const derived = useMemo(
    () => (tableDef ? tableDef.rows(ctx, subject) : NO_ROWS),
    // Not `ctx`: it changes with the clock.
    [tableDef, data, subject],
  );
  const own = useMemo(() => (tableDef ? tableDef.columns(ctx) : NO_COLUMNS), [tableDef, data]);
  const sortIndex = sortColumn(own, entry.sort);
  const descending = entry.sort?.descending ?? false;
  const all = useMemo(() => {
    if (!tableDef || sortIndex < 0) return derived;
    const title = own[sortIndex]!.title;
    // Ages by creation time where the row has one: the cell is rounded (`3d`), the time is not.
    const key = (r: unknown): SortKey => {
      const own = tableDef.sortKey ? tableDef.sortKey(r, title, ctx) : BY_CELL;
      if (own !== BY_CELL) return own;
      const created = title === 'AGE' ? createdAt(r) : undefined;
      if (created) return -Date.parse(created);
      const cell = tableDef.render(r, ctx).cells[sortIndex];
      return sortKey(cell === undefined ? '' : cellText(cell), title);
    };
    return sortRows(derived, { column: title, descending }, key);
    // Sorted when the rows or the order change, not for the clock.
  }, [tableDef, derived, own, sortIndex, descending]);
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
    const measure = (r: unknown) => tableDef.render(r, ctx).cells.map((c) => displayWidth(inert(cellText(c))));
    const fitted = fitToContent(
      own,
      longestCells(
        all.map((r) => widths.of(r, measure)),
        own.length,
      ),
    );
    return sortIndex < 0
      ? fitted
      : fitted.map((c, i) =>
          i === sortIndex ? { ...c, title: sortedTitle(c.title, { column: c.title, descending }) } : c,
        );
    // Not `ctx`: it changes with the clock; ages have fixed widths.
  }, [tableDef, own, all, widths, sortIndex, descending]);
  const keyOf = (r: unknown): string | undefined => {
    const ref = r === undefined ? undefined : tableDef?.target?.(r, ctx);
    return ref ? objectKey(ref) : undefined;
  };
  // Marks of objects no longer listed are dropped; looked up when the rows or the marks change.
  const marks = entry.marks;
  const { marked, markedKeys } = useMemo(() => {
    if (!tableDef || !marks || marks.length === 0) return { marked: NO_REFS, markedKeys: NO_MARKS };
    const wanted = new Set(marks);
    const refs: ObjectRef[] = [];
    const keys = new Set<string>();
    for (const r of all) {
      const ref = tableDef.target?.(r, ctx);
      const key = ref && objectKey(ref);
      // Several rows can name one object (its events, its findings): it is marked once.
      if (ref && key && wanted.has(key) && !keys.has(key)) {
        refs.push(ref);
        keys.add(key);
      }
    }
    return { marked: refs, markedKeys: keys };
  }, [tableDef, all, marks]);
  const raw = useMemo(() => (textDef ? textDef.lines(ctx, subject) : NO_LINES), [textDef, ctx, subject]);
  const lines = useMemo(() => filterText(raw, entry.filter, size.width), [raw, entry.filter, size.width]);
  const cursor = useAnchoredCursor(rows, entry, subject, data.namespace, keyOf);

  if (def.type === 'text') return { type: 'text', def, lines, ...textWindow(lines.length, entry, size.textLines) };
  return {
    type: 'table',
    def,
    all,
    rows,
    columns,
    cursor,
    selected: rows[cursor],
    marked,
    isMarked: (r) => {
      if (markedKeys.size === 0) return false;
      const key = keyOf(r);
      return key !== undefined && markedKeys.has(key);
    },
  };
}

interface Anchor {
  subject: ViewEntry;
  filter: string;
  namespace: string | undefined;
  /** The cursor as the entry held it, and the key of the object the cursor was shown on. */
  entryCursor: number;
  key: string | undefined;
}

/**
 * The cursor, kept on the same object when the rows change under it (a live update, a new
 * sort order): the row that object has now, until the entry is told (useRowsFollowUp). A
 * cursor move, a filter, another namespace or another view takes the entry's cursor as it
 * is, and so does an object that is gone.
 */
function useAnchoredCursor(
  rows: readonly unknown[],
  entry: ViewEntry,
  subject: ViewEntry,
  namespace: string | undefined,
  keyOf: (row: unknown) => string | undefined,
): number {
  const anchor = useRef<Anchor | undefined>(undefined);
  let cursor = clampCursor(entry.cursor, rows.length);
  const prev = anchor.current;
  if (
    prev?.key !== undefined &&
    prev.entryCursor === entry.cursor &&
    prev.filter === entry.filter &&
    prev.namespace === namespace &&
    prev.subject === subject &&
    keyOf(rows[cursor]) !== prev.key
  ) {
    const at = rows.findIndex((r) => keyOf(r) === prev.key);
    if (at >= 0) cursor = at;
  }
  anchor.current = { subject, filter: entry.filter, namespace, entryCursor: entry.cursor, key: keyOf(rows[cursor]) };
  return cursor;
}

/**
 * What the entry should be told after a render: the cursor where the anchor put it, and the
 * marks without the objects that went. The caller dispatches these in an effect, which may
 * run after a key the user pressed meanwhile: each applies only if the entry has not moved on.
 */
export function rowsFollowUp(rows: ViewRows, entry: ViewEntry): UiAction[] {
  if (rows.type !== 'table') return [];
  const out: UiAction[] = [];
  if (rows.rows.length > 0 && rows.cursor !== entry.cursor && entry.cursor < rows.rows.length)
    out.push({ type: 'cursor', cursor: rows.cursor, unless: { cursor: entry.cursor } });
  if (entry.marks && entry.marks.length > 0 && rows.marked.length !== entry.marks.length)
    out.push({ type: 'marks', marks: rows.marked.map(objectKey), unless: { marks: entry.marks } });
  return out;
}

/** Dispatches rowsFollowUp after each render that needs it, before keys can come in between. */
export function useRowsFollowUp(rows: ViewRows, entry: ViewEntry, dispatch: (action: UiAction) => void): void {
  useLayoutEffect(() => {
    for (const action of rowsFollowUp(rows, entry)) dispatch(action);
  });
}
