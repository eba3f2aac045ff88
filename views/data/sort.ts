// Sorting a table by one of its columns (k9s's shift-N, shift-A…), for any view: the key of a
// row is the text its cell shows, read the way a person reads it — `3 (5m ago)` restarts as
// 3, `1/2` ready as a half, `250m` CPU and `128Mi` memory as quantities, `3d4h` ages as
// durations — so a column of the server's Table sorts as well as one of ours. Ages sort by the
// object's creation time where the row carries one, since the cell is rounded.
import { parseQuantity } from '../../src/diagnose/quantity.js';
import { compareText } from '../../src/util/order.js';
import type { Column } from '../components/table-layout.js';
import type { SortOrder } from '../state.js';

/** A number sorts before text; text compares in code-unit order; no value (undefined) is last either way. */
export type SortKey = number | string | undefined;

/** A view's answer for a column it has no key of its own for: sort by the cell as shown. */
export const BY_CELL: unique symbol = Symbol('by cell');

/** What kubectl and k9s print where there is no value. */
const NO_VALUE = new Set(['', 'n/a', '<none>', '<unknown>', '<unset>']);

const DURATION = /^(?:(\d+)y)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
const UNIT: Readonly<Record<string, number>> = { y: 31_536_000, d: 86_400, h: 3_600, m: 60, s: 1 };

/** `3d4h` → seconds; undefined when the text is not a kubectl age. */
export function durationSeconds(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m || text === '') return undefined;
  const [, y, d, h, min, s] = m;
  return (
    Number(y ?? 0) * UNIT.y! +
    Number(d ?? 0) * UNIT.d! +
    Number(h ?? 0) * UNIT.h! +
    Number(min ?? 0) * UNIT.m! +
    Number(s ?? 0)
  );
}

const RATIO = /^(\d+)\/(\d+)$/;
const LEADING_NUMBER = /^(-?\d+(?:\.\d+)?)\s/;

/** Columns whose cells are ages (`5m` is five minutes there, five millicores in CPU). */
const AGE_COLUMNS = new Set(['AGE', 'LAST SEEN', 'CREATED AT', 'DURATION', 'LAST SCHEDULE']);

/** READY `1/2`: the share of containers ready, then how many are. */
export function readyKey(ready: number, total: number): number {
  return ready / Math.max(1, total) + ready * 1e-6;
}

/** The key of one cell's text in the column titled `column`. */
export function sortKey(text: string, column: string): SortKey {
  const t = text.trim();
  if (NO_VALUE.has(t)) return undefined;
  if (AGE_COLUMNS.has(column)) {
    const s = durationSeconds(t);
    if (s !== undefined) return s;
  }
  const ratio = RATIO.exec(t);
  if (ratio) return readyKey(Number(ratio[1]), Number(ratio[2]));
  const q = parseQuantity(t.endsWith('%') ? t.slice(0, -1) : t);
  if (q !== undefined) return q;
  const lead = LEADING_NUMBER.exec(t);
  if (lead) return Number(lead[1]);
  return t;
}

function compareKeys(a: string | number, b: string | number): number {
  if (typeof a === 'number') return typeof b === 'number' ? a - b : -1;
  return typeof b === 'number' ? 1 : compareText(a, b);
}

/** The index of the column a sort names, among the columns on screen. */
export function sortColumn(columns: readonly Column[], order: SortOrder | undefined): number {
  return order ? columns.findIndex((c) => c.title === order.column) : -1;
}

/**
 * The rows in the order of the column at `index`, each key computed once (not per
 * comparison). Equal keys keep the view's own order, so ties stay by namespace and name;
 * rows without a value (`<none>`, `n/a`) stay at the end whichever way the sort goes.
 */
export function sortRows<R>(rows: readonly R[], order: SortOrder, key: (row: R) => SortKey): readonly R[] {
  const keyed = rows.map((row, i) => ({ row, i, k: key(row) }));
  const sign = order.descending ? -1 : 1;
  keyed.sort((a, b) => {
    if (a.k === undefined || b.k === undefined) return a.k === b.k ? a.i - b.i : a.k === undefined ? 1 : -1;
    return sign * compareKeys(a.k, b.k) || a.i - b.i;
  });
  return keyed.map((k) => k.row);
}

/** When an object was created, for rows that are objects (a Pod) or carry one (a server Table row). */
export function createdAt(row: unknown): string | undefined {
  if (typeof row !== 'object' || row === null) return undefined;
  const r = row as {
    metadata?: { creationTimestamp?: unknown };
    object?: { metadata?: { creationTimestamp?: unknown } };
  };
  const ts = r.metadata?.creationTimestamp ?? r.object?.metadata?.creationTimestamp;
  return typeof ts === 'string' ? ts : undefined;
}

/** A column title with the sort's arrow: `NAME↑` ascending, `AGE↓` descending. */
export function sortedTitle(title: string, order: SortOrder): string {
  return `${title}${order.descending ? '↓' : '↑'}`;
}
