// Namespace → row with how many pods it holds and how many problems kcockpit found in it.
import type { Namespace } from '../../src/model/k8s.js';
import type { Severity } from '../../src/diagnose/types.js';
import { humanAge } from '../../src/format/age.js';
import type { Column } from '../components/table-layout.js';
import { AGE_COLUMN } from './columns.js';
import { SEVERITY_MARK, worstSeverity, type RowView } from './row.js';

export interface NamespaceRow {
  name: string;
  /** The Namespace object, absent when the user may not list namespaces (names then come from pods). */
  namespace?: Namespace;
  pods: number;
  findings: Readonly<Record<Severity, number>>;
}

export const NAMESPACE_COLUMNS: readonly Column[] = [
  { key: 'name', title: 'NAME', minWidth: 16, flex: 1 },
  { key: 'status', title: 'STATUS', width: 11 },
  AGE_COLUMN,
  { key: 'pods', title: 'PODS', width: 5, align: 'right' },
  { key: 'findings', title: 'FINDINGS', minWidth: 24, flex: 1 },
];

/** `● 2 critical  ▲ 1 warning`: counts with their words, so they read without colour. */
export function findingCounts(counts: Readonly<Record<Severity, number>>): string {
  return (['critical', 'warning', 'info'] as const)
    .filter((s) => counts[s] > 0)
    .map((s) => `${SEVERITY_MARK[s]} ${counts[s]} ${s}`)
    .join('  ');
}

export function namespaceRow(row: NamespaceRow, ctx: { now: number }): RowView {
  const phase = row.namespace?.status?.phase ?? '';
  const worst = worstSeverity((['critical', 'warning', 'info'] as const).filter((s) => row.findings[s] > 0));
  const findings = worst ? { text: findingCounts(row.findings), style: worst } : '';
  const cells = [
    row.name,
    phase,
    humanAge(row.namespace?.metadata.creationTimestamp, ctx.now),
    String(row.pods),
    findings,
  ];
  return phase === 'Terminating' ? { cells, style: 'dim' } : { cells };
}
