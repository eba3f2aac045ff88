// Any table of objects, marked as the pods table is: the worst finding about a row's object
// puts its severity glyph in the first column, and `x` on the row fixes that finding. A
// CronJob that skips its runs, a claim that stays Pending or a cordoned node then stands
// out in its own list, not only under `:findings`.
import { MARK_COLUMN } from './render/columns.js';
import { markCell } from './render/row.js';
import type { TableViewDef, ViewContext } from './view-def.js';

export function withFindingMarks<R>(def: TableViewDef<R>): TableViewDef<R> {
  const finding = (row: R, ctx: ViewContext) => {
    const ref = def.target?.(row, ctx);
    return ref ? ctx.findings.about([ref])[0] : undefined;
  };
  return {
    ...def,
    keys: { ...def.keys, fix: true },
    columns: (ctx) => [MARK_COLUMN, ...def.columns(ctx)],
    render(row, ctx) {
      const view = def.render(row, ctx);
      const ref = def.target?.(row, ctx);
      return { ...view, cells: [markCell(ref ? ctx.findings.severity([ref]) : undefined), ...view.cells] };
    },
    finding,
  };
}
