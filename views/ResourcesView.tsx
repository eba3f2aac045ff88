// Any kind the server serves (`:cm`, `:no`, `:crd`, a CRD's short name): its rows live from a
// Table list+watch (ctx.table, wired by useResourceTable). Kinds with a renderer of their own
// (kinds/) get kubectl's columns from the whole object; the others the server's columns, so a
// CRD shows its additionalPrinterColumns. A list the user may not read is one line saying
// which RBAC verb is missing.
import type { TableColumn, TableRow } from '../src/model/k8s.js';
import type { ResourceTableView } from '../src/store/resource-table.js';
import { humanAge } from '../src/format/age.js';
import type { Column } from './components/table-layout.js';
import { inRowScope, rowScopeLabel } from './data/objects.js';
import { refOfRow, resourceKey } from './data/resources.js';
import { KIND_VIEWS } from './kinds/index.js';
import type { KindView } from './kinds/kind-view.js';
import { withNamespaceCell, withNamespaceColumn } from './render/columns.js';
import type { Cell } from './render/row.js';
import type { ViewEntry } from './state.js';
import type { ViewContext } from './view-def.js';
import { withFindingMarks } from './finding-marks.js';

/** The table on screen, when it is the entry's resource (the old one lingers for a moment after `:`). */
function tableOf(ctx: ViewContext, e: ViewEntry): ResourceTableView | undefined {
  const t = ctx.table;
  return t && e.resource === resourceKey(t.resource) ? t : undefined;
}

const kindOf = (t: ResourceTableView | undefined): KindView | undefined =>
  t ? KIND_VIEWS.get(resourceKey(t.resource)) : undefined;

const allNamespaces = (t: ResourceTableView) => t.resource.namespaced && t.namespace === undefined;

/** The server's columns, kubectl's way: the name column whole, `-o wide` ones (priority > 0) dropped first. */
export function serverColumns(columns: readonly TableColumn[]): Column[] {
  return columns.map((c, i) => ({
    key: `${i}:${c.name}`,
    title: c.name.toUpperCase(),
    minWidth: c.format === 'name' ? 16 : Math.min(c.name.length, 12),
    ...(c.format === 'name' ? { flex: 1, truncate: 'middle' as const } : {}),
    ...(c.type === 'integer' || c.type === 'number' ? { align: 'right' as const } : {}),
    ...(c.priority > 0 ? { priority: 1 } : {}),
  }));
}

/** One server cell as text: dates (a CRD's `Created At`, a date printer column) as kubectl's ages. */
export function serverCell(
  value: TableRow['cells'][number] | undefined,
  column: TableColumn | undefined,
  row: TableRow,
  now: number,
): string {
  if (value === null || value === undefined) return '<none>';
  // The server's Age was computed when it answered: kept live from the object instead.
  if (column?.name === 'Age' && row.object.metadata.creationTimestamp)
    return humanAge(row.object.metadata.creationTimestamp, now);
  if (column?.type === 'date' && typeof value === 'string') return humanAge(value, now) || value;
  return String(value);
}

function stateLine(t: ResourceTableView): string | undefined {
  const s = t.state;
  const what = resourceKey(t.resource);
  const where = t.namespace ? ` in namespace ${t.namespace}` : '';
  switch (s.state) {
    case 'forbidden':
      return `Forbidden: you may not ${s.verb ?? 'list'} ${what}${where} (RBAC verb "${s.verb ?? 'list'}" missing).`;
    case 'unavailable':
      return `The server no longer serves ${what}: ${s.reason}`;
    case 'reconnecting':
    case 'error':
      return `Cannot list ${what}${where}: ${s.reason} (retrying).`;
    default:
      return undefined;
  }
}

export const resourcesView = withFindingMarks<TableRow>({
  type: 'table',
  name: 'resource',
  namespaced: true,
  keys: {
    drill: 'Open what the row holds (a node’s or job’s pods, a CRD’s objects…)',
    describe: true,
    yaml: true,
    delete: true,
  },
  title(ctx, e) {
    const t = tableOf(ctx, e);
    const name = e.resource ?? 'resource';
    const scoped = t ? t.resource.namespaced : true;
    const polled = t?.state.state === 'polling' ? ` [polled: ${t.state.reason}]` : '';
    const within = e.within ? ` › ${rowScopeLabel(e.within)}` : '';
    return (scoped ? `${name}(${ctx.namespace ?? 'all'})` : name) + within + polled;
  },
  columns(ctx) {
    const t = ctx.table;
    if (!t) return [];
    const kind = kindOf(t);
    return withNamespaceColumn(kind?.columns ?? serverColumns(t.columns), allNamespaces(t));
  },
  rows(ctx, e) {
    const rows = tableOf(ctx, e)?.rows ?? [];
    const within = e.within;
    return within ? rows.filter((r) => inRowScope(r.object, within)) : rows;
  },
  render(row, ctx) {
    const t = ctx.table;
    if (!t) return { cells: [] };
    const kind = kindOf(t);
    const cells: readonly Cell[] = kind?.cells
      ? kind.cells(row.object, ctx.now)
      : t.columns.map((c, i) => serverCell(row.cells[i], c, row, ctx.now));
    return { cells: withNamespaceCell(cells, row.object.metadata.namespace, allNamespaces(t)) };
  },
  labels: (row) => row.object.metadata.labels,
  object: (row) => row.object,
  target: (row, ctx) => (ctx.table ? refOfRow(ctx.table.resource, row.object) : undefined),
  drill(row, ctx) {
    const t = ctx.table;
    const kind = kindOf(t);
    return t && kind?.drill ? kind.drill(row.object, refOfRow(t.resource, row.object)) : undefined;
  },
  emptyText(ctx, e) {
    const t = tableOf(ctx, e);
    if (!t) return e.resource ? `Reading ${e.resource}…` : 'No resource named.';
    const problem = stateLine(t);
    if (problem) return problem;
    if (!t.loaded) return `Listing ${e.resource}…`;
    if (e.within) return `No ${e.resource} for ${rowScopeLabel(e.within)}.`;
    return `No ${e.resource} in ${t.namespace ? `namespace ${t.namespace}` : t.resource.namespaced ? 'any namespace' : 'the cluster'}.`;
  },
});
