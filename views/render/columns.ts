// Columns several resource tables share, so they look and size the same everywhere.
import type { Column } from '../components/table-layout.js';

export const NAMESPACE_COLUMN: Column = { key: 'namespace', title: 'NAMESPACE', minWidth: 13, flex: 1 };
/** The finding marker: a glyph per severity, coloured, so a broken object stands out. */
export const MARK_COLUMN: Column = { key: 'mark', title: '', width: 1 };
/** Ages are at most four characters (`119m`, `47h`, `364d`). */
export const AGE_COLUMN: Column = { key: 'age', title: 'AGE', width: 4 };

/**
 * Prefix the NAMESPACE column when rows from every namespace are listed, as kubectl -A does.
 * `priority` lets a table whose other columns matter more drop it on a narrow terminal.
 */
export function withNamespaceColumn(
  columns: readonly Column[],
  allNamespaces: boolean,
  priority = 0,
): readonly Column[] {
  return allNamespaces ? [{ ...NAMESPACE_COLUMN, priority }, ...columns] : columns;
}

/** The matching cells: the namespace goes first when the column is there. */
export function withNamespaceCell<T>(
  cells: readonly T[],
  namespace: string | undefined,
  allNamespaces: boolean,
): readonly (T | string)[] {
  return allNamespaces ? [namespace ?? '', ...cells] : cells;
}
