// What a row renderer returns: the cells in column order and how the row should look.
// Styles are names, not colours; views/theme.ts decides the colours (or none).
import type { Severity } from '../../src/diagnose/types.js';

export type RowStyle = Severity | 'dim' | 'marked' | 'ok';

export type Cell = string | { text: string; style: RowStyle };

export interface RowView {
  cells: readonly Cell[];
  style?: RowStyle;
}

export function cellText(cell: Cell): string {
  return typeof cell === 'string' ? cell : cell.text;
}

/** The row's text as one string, which the `/` filter searches. */
export function rowText(row: RowView): string {
  return row.cells.map(cellText).join(' ');
}

/**
 * A glyph per severity so meaning never depends on colour alone (NO_COLOR, colour-blind
 * users, a light theme that washes yellow out): the shapes differ, not only the hue.
 */
export const SEVERITY_MARK: Record<Severity, string> = { critical: '●', warning: '▲', info: '○' };

export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** The marker column's cell (render/columns.ts MARK_COLUMN): empty without a finding. */
export function markCell(severity: Severity | undefined): Cell {
  return severity ? { text: SEVERITY_MARK[severity], style: severity } : '';
}

export function worstSeverity(severities: Iterable<Severity>): Severity | undefined {
  let worst: Severity | undefined;
  for (const s of severities) if (worst === undefined || SEVERITY_RANK[s] < SEVERITY_RANK[worst]) worst = s;
  return worst;
}
