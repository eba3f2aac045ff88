// Pods: the cockpit's home. Each pod with a finding carries a severity marker, and the pane
// explains the selected pod's finding; enter lists every finding about the pod.
import type { Pod } from '../src/model/k8s.js';
import type { Finding } from '../src/diagnose/types.js';
import { refOf } from '../src/model/selectors.js';
import { podColumns, podRow, podSummary } from './render/pods.js';
import { podsInScope, scopeLabel, selfAndOwners } from './data/objects.js';
import { podKey, usageCells } from './data/metrics.js';
import { BY_CELL, readyKey } from './data/sort.js';
import { entry } from './state.js';
import { byNamespaceAndName, nsTitle, type TableViewDef, type ViewContext } from './view-def.js';

/** The most severe finding about a pod or one of its owners (a Deployment's finding covers its pods). */
function podFinding(pod: Pod, ctx: ViewContext): Finding | undefined {
  return ctx.findings.about(selfAndOwners(ctx.snapshot, pod, 'Pod'))[0];
}

export const podsView: TableViewDef<Pod> = {
  type: 'table',
  name: 'pods',
  command: { aliases: ['pod', 'po'] },
  namespaced: true,
  keys: {
    drill: "Show the pod's findings",
    describe: true,
    yaml: true,
    logs: true,
    'logs.previous': true,
    fix: true,
    portForward: true,
    delete: true,
  },
  title: (ctx, e) => nsTitle('pods', ctx) + (e.scope ? ` › ${scopeLabel(e.scope)}` : ''),
  columns: (ctx) => podColumns(ctx.namespace === undefined, ctx.metrics !== undefined),
  rows(ctx, e) {
    const pods = byNamespaceAndName(
      ctx.namespace === undefined ? ctx.snapshot.pods : ctx.snapshot.podsIn(ctx.namespace),
    );
    return e.scope ? podsInScope(ctx.snapshot, pods, e.scope) : pods;
  },
  render(pod, ctx) {
    const severity = ctx.findings.severity(selfAndOwners(ctx.snapshot, pod, 'Pod'));
    const usage = ctx.metrics && usageCells(pod, ctx.metrics.get(podKey(pod.metadata.namespace, pod.metadata.name)));
    return podRow(pod, {
      now: ctx.now,
      allNamespaces: ctx.namespace === undefined,
      ...(severity ? { severity } : {}),
      ...(usage ? { usage } : {}),
    });
  },
  // 10,000 pods sort by these without a render each; the other columns by their cells.
  sortKey(pod, column, ctx) {
    const usage = () => ctx.metrics?.get(podKey(pod.metadata.namespace, pod.metadata.name));
    switch (column) {
      case 'NAME':
        return pod.metadata.name;
      case 'STATUS':
        return podSummary(pod).status;
      case 'READY': {
        const s = podSummary(pod);
        return readyKey(s.ready, s.total);
      }
      case 'RESTARTS':
        return podSummary(pod).restarts;
      case 'NODE':
        return pod.spec.nodeName;
      case 'IP':
        return pod.status?.podIP;
      case 'CPU':
        return usage()?.cpu;
      case 'MEM':
        return usage()?.memory;
      default:
        return BY_CELL;
    }
  },
  labels: (pod) => pod.metadata.labels,
  target: (pod) => refOf(pod, 'Pod'),
  drill: (pod) => ({ push: entry('findings', { subject: refOf(pod, 'Pod') }) }),
  pane: { finding: podFinding, more: "enter: the pod's findings" },
  emptyText: (ctx, e) =>
    e.scope
      ? `No pods for ${scopeLabel(e.scope)}.`
      : `No pods in ${ctx.namespace ? `namespace ${ctx.namespace}` : 'any namespace'}.`,
};
