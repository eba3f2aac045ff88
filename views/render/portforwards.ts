// Port-forward → row for `:pf`: where it listens, the pod traffic goes to now, and how busy it is.
import type { Column } from '../components/table-layout.js';
import type { PortForwardInfo } from '../sources.js';
import { withNamespaceCell, withNamespaceColumn } from './columns.js';
import type { RowStyle, RowView } from './row.js';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** `0 B`, `512 B`, `1.5 KiB`, `23 MiB`: at most 8 columns. */
export function humanBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (unit < UNITS.length - 1 && Math.round(value) >= 1024) {
    value /= 1024;
    unit++;
  }
  const shown = unit === 0 || value >= 10 ? String(Math.round(value)) : value.toFixed(1);
  return `${shown} ${UNITS[unit]}`;
}

export function portForwardColumns(allNamespaces: boolean): readonly Column[] {
  return withNamespaceColumn(
    [
      { key: 'target', title: 'TARGET', minWidth: 20, flex: 1, truncate: 'middle' },
      // Pod names end in the ReplicaSet hash and a random suffix: ~28 columns keep them whole.
      { key: 'pod', title: 'POD', minWidth: 28, truncate: 'middle', priority: 2 },
      { key: 'address', title: 'ADDRESS', width: 15 },
      { key: 'ports', title: 'PORTS', minWidth: 11 },
      { key: 'state', title: 'STATE', width: 12 },
      { key: 'conn', title: 'CONN', width: 4, align: 'right' },
      { key: 'in', title: 'IN', width: 8, align: 'right' },
      { key: 'out', title: 'OUT', width: 8, align: 'right' },
      // Why a forward failed or where it moved: the free space goes here first.
      { key: 'detail', title: 'DETAIL', minWidth: 10, flex: 4, priority: 1 },
    ],
    allNamespaces,
    3,
  );
}

const STATE_STYLE: Record<PortForwardInfo['state'], RowStyle | undefined> = {
  active: undefined,
  starting: 'warning',
  reconnecting: 'warning',
  failed: 'critical',
  stopped: 'dim',
};

export function portForwardRow(pf: PortForwardInfo, allNamespaces: boolean): RowView {
  const cells = withNamespaceCell(
    [
      pf.target,
      pf.pod,
      pf.address,
      pf.ports.map((p) => `${p.local}:${p.remote}`).join(','),
      pf.state,
      String(pf.connections),
      humanBytes(pf.bytesIn),
      humanBytes(pf.bytesOut),
      pf.detail ?? '',
    ],
    pf.namespace,
    allNamespaces,
  );
  const style = STATE_STYLE[pf.state];
  return style ? { cells, style } : { cells };
}

/** How the forward is named in questions and messages: `127.0.0.1:8080 → pod/jaeger-query-…:16686`. */
export function forwardLabel(pf: PortForwardInfo): string {
  return pf.ports.map((p) => `${pf.address}:${p.local} → ${pf.target}:${p.remote}`).join(', ');
}
