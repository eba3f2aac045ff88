// Running port-forwards, as their owner (src/kube) reports them.
import type { Column } from './components/table-layout.js';
import { NAMESPACE_COLUMN } from './render/columns.js';
import type { PortForwardInfo } from './sources.js';
import { nsTitle, type TableViewDef } from './view-def.js';

const COLUMNS: readonly Column[] = [
  NAMESPACE_COLUMN,
  { key: 'target', title: 'TARGET', minWidth: 24, flex: 3, truncate: 'middle' },
  { key: 'address', title: 'ADDRESS', width: 15 },
  { key: 'ports', title: 'PORTS', minWidth: 11 },
  { key: 'state', title: 'STATE', minWidth: 10, flex: 1 },
];

export const portForwardsView: TableViewDef<PortForwardInfo> = {
  type: 'table',
  title: (ctx) => nsTitle('portforwards', ctx),
  columns: () => COLUMNS,
  rows: (ctx) => ctx.portForwards.filter((pf) => ctx.namespace === undefined || pf.namespace === ctx.namespace),
  render: (pf) => {
    const cells = [pf.namespace, pf.target, pf.address, pf.ports.map((p) => `${p.local}:${p.remote}`).join(','), pf.state];
    return pf.state === 'active' ? { cells } : { cells, style: pf.state.startsWith('failed') ? 'critical' : 'warning' };
  },
  emptyText: () => 'No port-forwards running. Select a pod and press shift-f to start one.',
};
