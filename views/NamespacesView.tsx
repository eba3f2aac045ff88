// Namespaces with their pod and finding counts; enter switches to the namespace's pods.
import { NAMESPACE_COLUMNS, namespaceRow, type NamespaceRow } from './render/namespaces.js';
import { entry } from './state.js';
import type { TableViewDef, ViewContext } from './view-def.js';

function namespaceRows(ctx: ViewContext): NamespaceRow[] {
  const { snapshot, findings } = ctx;
  const listed = new Map(snapshot.namespaces.map((n) => [n.metadata.name, n]));
  // A user who may not list namespaces still sees the ones their pods live in.
  const names =
    listed.size > 0
      ? [...listed.keys()]
      : [...new Set(snapshot.pods.map((p) => p.metadata.namespace ?? ''))].filter(Boolean);
  return names.sort().map((name) => {
    const row: NamespaceRow = { name, pods: snapshot.podsIn(name).length, findings: findings.countsIn(name) };
    const ns = listed.get(name);
    if (ns) row.namespace = ns;
    return row;
  });
}

export const namespacesView: TableViewDef<NamespaceRow> = {
  type: 'table',
  name: 'namespaces',
  command: { aliases: ['namespace', 'ns'] },
  keys: { drill: 'Show the pods of the namespace', describe: true, yaml: true },
  title: () => 'namespaces',
  columns: () => NAMESPACE_COLUMNS,
  rows: namespaceRows,
  render: (row, ctx) => namespaceRow(row, { now: ctx.now }),
  labels: (row) => row.namespace?.metadata.labels,
  target: (row) => ({ kind: 'Namespace', name: row.name }),
  drill: (row) => ({ push: entry('pods'), namespace: row.name }),
  emptyText: () => 'No namespaces visible.',
};
