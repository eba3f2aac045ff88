// Service → row, the columns of `kubectl get svc`.
import type { Service } from '../../src/model/k8s.js';
import { humanAge } from '../../src/format/age.js';
import type { Column } from '../components/table-layout.js';
import { AGE_COLUMN, withNamespaceCell, withNamespaceColumn } from './columns.js';
import type { RowView } from './row.js';

export function serviceColumns(allNamespaces: boolean): readonly Column[] {
  return withNamespaceColumn(
    [
      { key: 'name', title: 'NAME', minWidth: 20, flex: 1 },
      { key: 'type', title: 'TYPE', width: 12 },
      { key: 'clusterIP', title: 'CLUSTER-IP', width: 15, priority: 1 },
      { key: 'ports', title: 'PORT(S)', minWidth: 12, flex: 1 },
      AGE_COLUMN,
    ],
    allNamespaces,
  );
}

export function servicePorts(svc: Service): string {
  return (svc.spec.ports ?? []).map((p) => `${p.port}/${p.protocol ?? 'TCP'}`).join(',') || '<none>';
}

export function serviceRow(svc: Service, ctx: { now: number; allNamespaces: boolean }): RowView {
  return {
    cells: withNamespaceCell(
      [
        svc.metadata.name,
        svc.spec.type ?? 'ClusterIP',
        svc.spec.clusterIP ?? '',
        servicePorts(svc),
        humanAge(svc.metadata.creationTimestamp, ctx.now),
      ],
      svc.metadata.namespace,
      ctx.allNamespaces,
    ),
  };
}
