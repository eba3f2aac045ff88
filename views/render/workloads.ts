// Deployment / StatefulSet → row, the columns of `kubectl get deploy` / `kubectl get sts`.
import type { Workload } from '../../src/model/k8s.js';
import { humanAge } from '../../src/format/age.js';
import type { Column } from '../components/table-layout.js';
import { AGE_COLUMN, withNamespaceCell, withNamespaceColumn } from './columns.js';
import type { RowView } from './row.js';

export type WorkloadTable = 'deployments' | 'statefulsets';

export function workloadColumns(kind: WorkloadTable, allNamespaces: boolean): readonly Column[] {
  const rollout: Column[] =
    kind === 'deployments'
      ? [
          { key: 'upToDate', title: 'UP-TO-DATE', width: 10, align: 'right' },
          { key: 'available', title: 'AVAILABLE', width: 9, align: 'right' },
        ]
      : [];
  return withNamespaceColumn(
    [
      { key: 'name', title: 'NAME', minWidth: 24, flex: 1, truncate: 'middle' },
      { key: 'ready', title: 'READY', width: 7 },
      ...rollout,
      AGE_COLUMN,
    ],
    allNamespaces,
  );
}

export function workloadRow(w: Workload, kind: WorkloadTable, ctx: { now: number; allNamespaces: boolean }): RowView {
  const desired = w.spec.replicas ?? 1;
  const ready = w.status?.readyReplicas ?? 0;
  const rollout =
    kind === 'deployments' ? [String(w.status?.updatedReplicas ?? 0), String(w.status?.availableReplicas ?? 0)] : [];
  const cells = withNamespaceCell(
    [w.metadata.name, `${ready}/${desired}`, ...rollout, humanAge(w.metadata.creationTimestamp, ctx.now)],
    w.metadata.namespace,
    ctx.allNamespaces,
  );
  return ready < desired ? { cells, style: 'warning' } : { cells };
}
