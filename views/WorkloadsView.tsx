// Deployments and StatefulSets; enter shows the workload's pods.
import type { Workload } from '../src/model/k8s.js';
import { refOf } from '../src/model/selectors.js';
import type { ViewKeys } from './keys/bindings.js';
import { workloadColumns, workloadRow, type WorkloadTable } from './render/workloads.js';
import { withFindingMarks } from './finding-marks.js';
import { entry } from './state.js';
import { byNamespaceAndName, inNamespace, nsTitle, type TableViewDef } from './view-def.js';

function workloadsView(
  table: WorkloadTable,
  kind: 'Deployment' | 'StatefulSet',
  aliases: readonly string[],
  keys: ViewKeys,
): TableViewDef<Workload> {
  return withFindingMarks({
    type: 'table',
    name: table,
    command: { aliases },
    namespaced: true,
    keys: { drill: `Show the pods of the ${kind.toLowerCase()}`, describe: true, yaml: true, ...keys },
    title: (ctx) => nsTitle(table, ctx),
    columns: (ctx) => workloadColumns(table, ctx.namespace === undefined),
    rows: (ctx) =>
      byNamespaceAndName(
        inNamespace(table === 'deployments' ? ctx.snapshot.deployments : ctx.snapshot.statefulSets, ctx),
      ),
    render: (w, ctx) => workloadRow(w, table, { now: ctx.now, allNamespaces: ctx.namespace === undefined }),
    labels: (w) => w.metadata.labels,
    target: (w) => refOf(w, kind),
    drill: (w) => ({ push: entry('pods', { scope: { kind: 'owner', ref: refOf(w, kind) } }) }),
    emptyText: (ctx) => `No ${table} in ${ctx.namespace ? `namespace ${ctx.namespace}` : 'any namespace'}.`,
  });
}

export const deploymentsView = workloadsView('deployments', 'Deployment', ['deployment', 'deploy', 'dp'], {
  portForward: 'Port-forward to the deployment (through one of its ready pods; moves to a new pod if that one goes)',
});
export const statefulSetsView = workloadsView('statefulsets', 'StatefulSet', ['statefulset', 'sts'], {});
