// Findings → rows: each root cause with the symptoms it explains folded under it, so the
// user sees one cause and its consequences instead of six unrelated red lines.
import type { Finding, ObjectRef } from '../../src/diagnose/types.js';
import { kubectlName } from '../../src/diagnose/evidence.js';
import { findingTree, type FindingTree } from '../../src/diagnose/engine.js';
import type { Column } from '../components/table-layout.js';
import { SEVERITY_MARK, type RowView } from './row.js';

export interface FindingRow {
  finding: Finding;
  /** 0 for a root cause, 1 for its symptoms, 2 for theirs... */
  depth: number;
  /** The last child of its parent (drawn with └ rather than ├). */
  last: boolean;
}

/** The engine's cause tree as table rows: each root followed by its symptoms, depth-first. */
export function findingRows(findings: readonly Finding[]): FindingRow[] {
  const rows: FindingRow[] = [];
  const walk = (node: FindingTree, depth: number, last: boolean) => {
    rows.push({ finding: node.finding, depth, last });
    // Findings sharing the node's cause fold under it like its symptoms.
    const children = [...node.symptoms, ...node.grouped];
    children.forEach((s, i) => walk(s, depth + 1, i === children.length - 1));
  };
  for (const root of findingTree([...findings])) walk(root, 0, true);
  return rows;
}

/** `statefulset/elasticsearch-master` (with the namespace when asked), as kubectl names it. */
export function subjectName(ref: ObjectRef, withNamespace = false): string {
  return withNamespace && ref.namespace ? `${ref.namespace}/${kubectlName(ref)}` : kubectlName(ref);
}

export const FINDING_COLUMNS: readonly Column[] = [
  { key: 'severity', title: 'SEVERITY', width: 10 },
  // The pane repeats the rule, so it is the first to go when the table is narrow.
  { key: 'rule', title: 'RULE', minWidth: 20, flex: 1, priority: 1 },
  { key: 'subject', title: 'SUBJECT', minWidth: 30, flex: 2 },
  { key: 'title', title: 'TITLE', minWidth: 24, flex: 3 },
];

export function findingRow(row: FindingRow, ctx: { allNamespaces: boolean }): RowView {
  const f = row.finding;
  const branch = row.depth === 0 ? '' : '  '.repeat(row.depth - 1) + (row.last ? '└ ' : '├ ');
  const cells = [
    `${SEVERITY_MARK[f.severity]} ${f.severity}`,
    f.ruleId,
    branch + subjectName(f.subject, ctx.allNamespaces),
    f.title,
  ];
  return f.severity === 'info' ? { cells } : { cells, style: f.severity };
}
