// Helm releases (newest revision of each), as `helm list` shows them; enter shows the pods
// of the release's workloads.
import type { HelmRelease } from '../src/model/k8s.js';
import { compareText } from '../src/util/order.js';
import { releaseRow, HELM_COLUMNS } from './render/helm.js';
import { entry } from './state.js';
import { nsTitle, type TableViewDef } from './view-def.js';

export const helmView: TableViewDef<HelmRelease> = {
  type: 'table',
  name: 'helm',
  command: { aliases: ['releases', 'release', 'rel'], shows: 'Helm releases' },
  namespaced: true,
  keys: { drill: "Show the pods of the release's workloads", yaml: true },
  title: (ctx) => nsTitle('helm', ctx),
  columns: () => HELM_COLUMNS,
  rows: (ctx) =>
    ctx.snapshot
      .latestReleases()
      .filter((r) => ctx.namespace === undefined || r.namespace === ctx.namespace)
      .sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.name, b.name)),
  render: (r) => releaseRow(r),
  target: (r) => ({ kind: 'HelmRelease', name: r.name, namespace: r.namespace }),
  drill: (r) => ({ push: entry('pods', { scope: { kind: 'release', namespace: r.namespace, name: r.name } }) }),
  emptyText: (ctx) =>
    `No Helm releases in ${ctx.namespace ? `namespace ${ctx.namespace}` : 'any namespace'}. (A helm install that failed before creating anything stores no release: run kcockpit diagnose --from-error "<helm's error>".)`,
};
