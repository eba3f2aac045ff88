// kubeconfig context → row, the columns of `kubectl config get-contexts`.
import type { Column } from '../components/table-layout.js';
import type { RowView } from './row.js';

export interface KubeContextInfo {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
}

export const CONTEXT_COLUMNS: readonly Column[] = [
  { key: 'current', title: 'CURRENT', width: 7 },
  { key: 'name', title: 'NAME', minWidth: 16, flex: 2 },
  { key: 'cluster', title: 'CLUSTER', minWidth: 14, flex: 2 },
  { key: 'user', title: 'USER', minWidth: 14, flex: 2 },
  { key: 'namespace', title: 'NAMESPACE', minWidth: 12, flex: 1 },
];

export function contextRow(c: KubeContextInfo, current: string): RowView {
  const cells = [c.name === current ? '*' : '', c.name, c.cluster, c.user, c.namespace ?? ''];
  return c.name === current ? { cells, style: 'marked' } : { cells };
}
