// The diagnosis report: one data model behind every output format. The JSON form is this
// object verbatim; its shape is versioned (schemaVersion) and documented in docs/json-output.md.
import { findingTree, type FindingTree, type RuleFailure } from '../../diagnose/engine.js';
import type { Evidence, Finding, FindingGroup, FixPlan, ObjectRef, Severity } from '../../diagnose/types.js';

export const REPORT_SCHEMA_VERSION = 1;
/** Additive changes within a version: 1 added `groupKey`, `group` and `groupedUnder` (shared causes). */
export const REPORT_SCHEMA_MINOR_VERSION = 1;

export interface ReportFinding {
  id: string;
  ruleId: string;
  severity: Severity;
  title: string;
  explanation: string;
  subject: ObjectRef;
  objects: ObjectRef[];
  evidence: Evidence[];
  /** Ids of the findings this one is caused by (empty for a root cause). */
  causedBy: string[];
  /** Ids of the findings nested under this one in the report. */
  symptoms: string[];
  root: boolean;
  fixes: FixPlan[];
  /** The shared cause this finding names, when its rule gives one. */
  groupKey?: string;
  /** On a root that stands for others sharing its cause: how many, and their ids. */
  group?: FindingGroup;
  /** On a finding folded into a group: the id of the group's lead. */
  groupedUnder?: string;
}

export interface DiagnosisReport {
  kind: 'DiagnosisReport';
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  schemaMinorVersion: typeof REPORT_SCHEMA_MINOR_VERSION;
  generatedAt: string;
  context: string | null;
  cluster: string | null;
  /** The namespace diagnosed; null means all namespaces. */
  namespace: string | null;
  summary: { critical: number; warning: number; info: number; rootCauses: number; total: number };
  /** Roots first, each followed by its symptoms (depth-first), so reading top-down follows the cause chain. */
  findings: ReportFinding[];
  /** Things kcockpit could not check (forbidden lists, rules that failed, unreachable parts). */
  notes: string[];
}

export interface ReportMeta {
  now: number;
  context?: string;
  cluster?: string;
  namespace?: string;
  notes?: string[];
  ruleFailures?: RuleFailure[];
}

export function buildReport(findings: Finding[], meta: ReportMeta): DiagnosisReport {
  const ordered: ReportFinding[] = [];
  const walk = (node: FindingTree, root: boolean): void => {
    const f = node.finding;
    const entry: ReportFinding = {
      id: f.id,
      ruleId: f.ruleId,
      severity: f.severity,
      title: f.title,
      explanation: f.explanation,
      subject: f.subject,
      objects: f.objects,
      evidence: f.evidence,
      causedBy: f.causedBy,
      symptoms: node.symptoms.map((s) => s.finding.id),
      root,
      fixes: f.fixes,
    };
    if (f.groupKey) entry.groupKey = f.groupKey;
    if (f.group) entry.group = f.group;
    if (f.groupedUnder) entry.groupedUnder = f.groupedUnder;
    ordered.push(entry);
    for (const s of node.symptoms) walk(s, false);
    for (const g of node.grouped) walk(g, false);
  };
  const tree = findingTree(findings);
  for (const node of tree) walk(node, true);
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const notes = [
    ...(meta.notes ?? []),
    ...(meta.ruleFailures ?? []).map((f) => `rule ${f.ruleId} failed and was skipped: ${f.message}`),
  ];
  return {
    kind: 'DiagnosisReport',
    schemaVersion: REPORT_SCHEMA_VERSION,
    schemaMinorVersion: REPORT_SCHEMA_MINOR_VERSION,
    generatedAt: new Date(meta.now).toISOString(),
    context: meta.context ?? null,
    cluster: meta.cluster ?? null,
    namespace: meta.namespace ?? null,
    summary: {
      critical: count('critical'),
      warning: count('warning'),
      info: count('info'),
      rootCauses: tree.length,
      total: findings.length,
    },
    findings: ordered,
    notes,
  };
}

export type FailOn = 'critical' | 'warning' | 'never';

/** Exit status for scripts: 1 when a finding at or above the threshold exists, else 0. */
export function exitCodeFor(report: DiagnosisReport, failOn: FailOn): 0 | 1 {
  if (failOn === 'never') return 0;
  if (report.summary.critical > 0) return 1;
  return failOn === 'warning' && report.summary.warning > 0 ? 1 : 0;
}
