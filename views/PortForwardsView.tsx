// `:pf`: running port-forwards as the port-forward manager reports them, updated live;
// ctrl-d stops the selected one (after a y/n).
import { portForwardColumns, portForwardRow } from './render/portforwards.js';
import type { PortForwardInfo } from './sources.js';
import { nsTitle, type TableViewDef } from './view-def.js';

export const portForwardsView: TableViewDef<PortForwardInfo> = {
  type: 'table',
  name: 'portforwards',
  command: { aliases: ['portforward', 'pf'], shows: 'running port-forwards' },
  namespaced: true,
  keys: { delete: 'Stop the selected port-forward (asks first)' },
  title: (ctx) => nsTitle('portforwards', ctx),
  columns: (ctx) => portForwardColumns(ctx.namespace === undefined),
  rows: (ctx) => ctx.portForwards.filter((pf) => ctx.namespace === undefined || pf.namespace === ctx.namespace),
  render: (pf, ctx) => portForwardRow(pf, ctx.namespace === undefined),
  forward: (pf) => pf,
  emptyText: () => 'No port-forwards running. Select a pod, service or deployment and press shift-f to start one.',
};
