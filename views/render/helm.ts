// Helm release → row, the columns of `helm list`.
import type { HelmRelease } from '../../src/model/k8s.js';
import type { Column } from '../components/table-layout.js';
import { NAMESPACE_COLUMN } from './columns.js';
import type { RowStyle, RowView } from './row.js';

export const HELM_COLUMNS: readonly Column[] = [
  { key: 'name', title: 'NAME', minWidth: 14, flex: 2 },
  NAMESPACE_COLUMN,
  { key: 'revision', title: 'REVISION', width: 8, align: 'right' },
  { key: 'status', title: 'STATUS', minWidth: 16 },
  { key: 'chart', title: 'CHART', minWidth: 22, flex: 2 },
  { key: 'appVersion', title: 'APP VERSION', width: 11, priority: 1 },
  { key: 'updated', title: 'UPDATED', width: 16, priority: 2 },
];

/** `2026-11-21 21:32` in UTC: minutes are enough and the cell stays the same for a while. */
export function shortTimestamp(at: string | undefined): string {
  if (!at) return '';
  const t = Date.parse(at);
  return Number.isNaN(t) ? '' : new Date(t).toISOString().slice(0, 16).replace('T', ' ');
}

export function releaseStyle(status: string): RowStyle | undefined {
  if (status === 'failed') return 'critical';
  if (status.startsWith('pending-') || status === 'uninstalling' || status === 'unknown') return 'warning';
  if (status === 'superseded' || status === 'uninstalled') return 'dim';
  return undefined;
}

export function releaseRow(r: HelmRelease): RowView {
  const chart = r.chartName ? `${r.chartName}-${r.chartVersion ?? ''}` : '';
  const cells = [
    r.name,
    r.namespace,
    String(r.revision),
    r.status,
    chart,
    r.appVersion ?? '',
    shortTimestamp(r.lastDeployed),
  ];
  const style = releaseStyle(r.status);
  return style ? { cells, style } : { cells };
}
