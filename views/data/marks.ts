// Marked rows (space, as in k9s) are remembered by their object, not their position, so a
// mark stays on its object while the rows move (a sort, a live update) and goes with it.
import type { ObjectRef } from '../../src/diagnose/types.js';

/** One object's key among a view's rows: kind, namespace and name. */
export function objectKey(ref: ObjectRef): string {
  return `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

/** Space: the row's key added to the marks, or taken out when it is there. */
export function toggleMark(marks: readonly string[], key: string): string[] {
  return marks.includes(key) ? marks.filter((m) => m !== key) : [...marks, key];
}

/**
 * ctrl-space, k9s's span: every row from the last one marked to the cursor (either way)
 * joins the marks. Without a mark, only the cursor's row.
 */
export function spanMarks(
  marks: readonly string[],
  rowKeys: readonly (string | undefined)[],
  cursor: number,
): string[] {
  const last = marks[marks.length - 1];
  const from = last === undefined ? -1 : rowKeys.indexOf(last);
  const [lo, hi] = from < 0 ? [cursor, cursor] : [Math.min(from, cursor), Math.max(from, cursor)];
  const out = [...marks];
  const seen = new Set(marks);
  for (let i = lo; i <= hi; i++) {
    const key = rowKeys[i];
    if (key !== undefined && !seen.has(key)) {
      out.push(key);
      seen.add(key);
    }
  }
  return out;
}
