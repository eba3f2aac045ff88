// Plain-text report for people at a terminal (and for logs: no colour unless asked).
// Root causes in full; their symptoms folded under them, one line of evidence each.
import { evidenceText, refText } from '../../format/evidence.js';
import { inertAll } from '../../format/inert.js';
import type { Style } from '../../format/style.js';
import type { DiagnosisReport, ReportFinding } from './report.js';

export interface TextOptions {
  style: Style;
  width: number;
  now: number;
}

const MARK = { critical: '✖', warning: '▲', info: '•' } as const;

/** Word-wrap a paragraph to width, indenting every line. Long words are not split. */
export function wrap(text: string, width: number, indent: string): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && indent.length + line.length + 1 + word.length > width) {
        out.push(indent + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(indent + line);
  }
  return out;
}

function severityLabel(f: ReportFinding, style: Style): string {
  const label = `${MARK[f.severity]} ${f.severity.toUpperCase()}`;
  return f.severity === 'critical'
    ? style.red(style.bold(label))
    : f.severity === 'warning'
      ? style.yellow(label)
      : style.dim(label);
}

function truncate(s: string, max: number): string {
  const oneLine = s.replace(/\s+/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, Math.max(0, max - 1))}…` : oneLine;
}

function renderRoot(f: ReportFinding, byId: Map<string, ReportFinding>, o: TextOptions): string[] {
  const { style, width, now } = o;
  const lines: string[] = [];
  lines.push(`${severityLabel(f, style)}  ${style.bold(f.title)}`);
  lines.push(style.dim(`  ${refText(f.subject)} · ${f.ruleId} · ${f.id}`));
  lines.push(...wrap(f.explanation, width, '  '));
  if (f.evidence.length > 0) {
    lines.push(`  ${style.bold('Evidence')}`);
    for (const e of f.evidence)
      lines.push(
        ...wrap(evidenceText(e, now), width, '    ').map((l, i) => (i === 0 ? `  • ${l.trimStart()}` : `  ${l}`)),
      );
  }
  f.fixes.forEach((fix, i) => {
    lines.push(`  ${style.bold(`Fix ${i + 1}:`)} ${fix.title}${fix.mutates ? '' : style.dim(' (information only)')}`);
    lines.push(...wrap(fix.explanation, width, '    '));
    for (const c of fix.commands) lines.push(`    ${style.cyan(`$ ${c}`)}`);
  });
  if (f.group) lines.push(...renderGroup(f, byId, o));
  const symptoms = collectSymptoms(f, byId);
  if (symptoms.length > 0) {
    lines.push(`  ${style.bold(`Caused by this (${symptoms.length}):`)}`);
    for (const { finding: s, depth } of symptoms) {
      const pad = '  '.repeat(depth);
      lines.push(`  ${pad}└ ${severityLabel(s, style)} ${s.title}`);
      lines.push(style.dim(`  ${pad}  ${refText(s.subject)} · ${s.ruleId}`));
      const first = s.evidence[0];
      if (first) lines.push(`  ${pad}  ${truncate(evidenceText(first, now), Math.max(20, width - 4 - pad.length))}`);
    }
  }
  return lines;
}

/** How many members a group lists before folding the rest into a count. */
const GROUP_SHOWN = 5;

/** "The same cause: 460 workloads in 37 namespaces", then the first few of them, the rest counted. */
function renderGroup(f: ReportFinding, byId: Map<string, ReportFinding>, o: TextOptions): string[] {
  const { style } = o;
  const g = f.group!;
  const members = g.members.map((id) => byId.get(id)).filter((m): m is ReportFinding => !!m);
  const lines = [`  ${style.bold(`The same cause: ${groupScope(f, members)}`)}`];
  const shown = [f, ...members].slice(0, GROUP_SHOWN);
  for (const m of shown) lines.push(`    · ${refText(m.subject)}`);
  const rest = members.length + 1 - shown.length;
  if (rest > 0) lines.push(style.dim(`    … and ${rest} more (the JSON report lists them all)`));
  return lines;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);

/** "460 workloads in 37 namespaces" (objects when the subjects are not all workloads). */
export function groupScope(f: ReportFinding, members: readonly ReportFinding[]): string {
  const g = f.group!;
  const noun = [f, ...members].every((m) => WORKLOAD_KINDS.has(m.subject.kind)) ? 'workload' : 'object';
  const where = g.namespaces > 0 ? ` in ${g.namespaces} namespace${g.namespaces === 1 ? '' : 's'}` : '';
  return `${g.subjects} ${noun}${g.subjects === 1 ? '' : 's'}${where}`;
}

function collectSymptoms(
  f: ReportFinding,
  byId: Map<string, ReportFinding>,
): { finding: ReportFinding; depth: number }[] {
  const out: { finding: ReportFinding; depth: number }[] = [];
  const walk = (id: string, depth: number) => {
    const s = byId.get(id);
    if (!s) return;
    out.push({ finding: s, depth });
    for (const c of s.symptoms) walk(c, depth + 1);
  };
  for (const id of f.symptoms) walk(id, 0);
  return out;
}

export function renderText(input: DiagnosisReport, o: TextOptions): string {
  const { style } = o;
  // Every string in the report may come from the cluster: made inert here, styled after.
  const report = inertAll(input);
  const byId = new Map(report.findings.map((f) => [f.id, f]));
  const scope = report.namespace ? `namespace ${report.namespace}` : 'all namespaces';
  const head = [`kcockpit diagnose · ${report.context ? `context ${report.context} · ` : ''}${scope}`];
  const s = report.summary;
  const lines: string[] = [style.dim(head.join(''))];
  if (s.total === 0) {
    lines.push('No problems found.');
  } else {
    const counts = [
      s.critical && `${s.critical} critical`,
      s.warning && `${s.warning} warning`,
      s.info && `${s.info} info`,
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(
      `${style.bold(`${s.rootCauses} root cause${s.rootCauses === 1 ? '' : 's'}`)} behind ${s.total} finding${s.total === 1 ? '' : 's'} (${counts})`,
    );
  }
  for (const f of report.findings.filter((x) => x.root)) {
    lines.push('');
    lines.push(...renderRoot(f, byId, o));
  }
  if (report.notes.length > 0) {
    lines.push('');
    for (const n of report.notes) lines.push(style.dim(`note: ${n}`));
  }
  return `${lines.join('\n')}\n`;
}
