// Findings: root causes with their symptoms folded under them; the pane explains the
// selected one. Opened from a pod (enter), it lists that pod's findings with their causes.
import type { Finding, ObjectRef } from '../src/diagnose/types.js';
import { causeChain } from '../src/diagnose/engine.js';
import { FINDING_COLUMNS, findingRow, findingRows, subjectName, type FindingRow } from './render/findings.js';
import { selfAndOwners } from './data/objects.js';
import { entry } from './state.js';
import { nsTitle, type TableViewDef, type ViewContext } from './view-def.js';

/** Findings about one pod (or its owners), with the causes they lead back to. */
function findingsAbout(ctx: ViewContext, subject: ObjectRef): Finding[] {
  const obj = ctx.snapshot.get(subject.kind, subject.namespace, subject.name);
  const direct = ctx.findings.about(obj ? selfAndOwners(ctx.snapshot, obj, subject.kind) : [subject]);
  const withCauses = new Set(direct.flatMap((f) => [f, ...causeChain(f, ctx.findings.all)]));
  // Keep the engine's order so the tree reads roots first.
  return ctx.findings.all.filter((f) => withCauses.has(f));
}

export const findingsView: TableViewDef<FindingRow> = {
  type: 'table',
  name: 'findings',
  command: { aliases: ['finding', 'diag', 'fd'], shows: 'problems kcockpit found, causes first' },
  namespaced: true,
  keys: { drill: 'Read the whole finding: cause chain, evidence, fix plans', describe: true, yaml: true, fix: true },
  title: (ctx, e) => (e.subject ? `findings › ${subjectName(e.subject, true)}` : nsTitle('findings', ctx)),
  columns: () => FINDING_COLUMNS,
  rows(ctx, e) {
    if (e.subject) return findingRows(findingsAbout(ctx, e.subject));
    // Cluster-scoped findings (a missing CRD group) matter in every namespace.
    return findingRows(
      ctx.findings.all.filter(
        (f) =>
          ctx.namespace === undefined || f.subject.namespace === undefined || f.subject.namespace === ctx.namespace,
      ),
    );
  },
  render: (row, ctx) => findingRow(row, { allNamespaces: ctx.namespace === undefined }),
  target: (row) => row.finding.subject,
  drill: (row) => ({ push: entry('finding', { findingId: row.finding.id }) }),
  pane: { finding: (row) => row.finding, more: 'enter: the whole finding' },
  emptyText: (ctx, e) =>
    e.subject
      ? `No problem found for ${subjectName(e.subject)}.`
      : `No problems found in ${ctx.namespace ? `namespace ${ctx.namespace}` : 'the cluster'}.`,
};
