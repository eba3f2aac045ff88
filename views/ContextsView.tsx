// kubeconfig contexts; enter switches to the selected one.
import { CONTEXT_COLUMNS, contextRow, type KubeContextInfo } from './render/contexts.js';
import type { TableViewDef } from './view-def.js';

export const contextsView: TableViewDef<KubeContextInfo> = {
  type: 'table',
  name: 'contexts',
  command: { aliases: ['context', 'ctx'], argument: 'context' },
  keys: { drill: 'Switch to the context' },
  title: () => 'contexts',
  columns: () => CONTEXT_COLUMNS,
  rows: (ctx) => ctx.contexts,
  render: (c, ctx) => contextRow(c, ctx.currentContext),
  drill: (c) => ({ switchContext: c.name }),
  emptyText: () => 'No contexts in the kubeconfig.',
};
