// Markdown report: for pasting into an issue, a PR comment or a CI job summary.
import { evidenceText, refText } from '../../format/evidence.js';
import type { DiagnosisReport, ReportFinding } from './report.js';

const ICON = { critical: '🔴', warning: '🟠', info: '🔵' } as const;

/** Markdown-escape text that goes into prose or a table cell. */
function md(s: string): string {
  return s.replace(/([\\`*_[\]<>|])/g, '\\$1').replace(/\n/g, ' ');
}

function section(f: ReportFinding, byId: Map<string, ReportFinding>, now: number): string[] {
  const out: string[] = [];
  out.push(`## ${ICON[f.severity]} ${md(f.title)}`, '');
  out.push(`**${f.severity}** · \`${f.ruleId}\` · ${md(refText(f.subject))} · id \`${f.id}\``, '');
  out.push(md(f.explanation), '');
  if (f.evidence.length > 0) {
    out.push('**Evidence**', '');
    for (const e of f.evidence) out.push(`- ${md(evidenceText(e, now))}`);
    out.push('');
  }
  f.fixes.forEach((fix, i) => {
    out.push(`**Fix ${i + 1}: ${md(fix.title)}**${fix.mutates ? '' : ' _(information only)_'}`, '');
    out.push(md(fix.explanation), '');
    if (fix.commands.length > 0) out.push('```sh', ...fix.commands, '```', '');
  });
  const symptoms: ReportFinding[] = [];
  const walk = (id: string) => {
    const s = byId.get(id);
    if (!s) return;
    symptoms.push(s);
    s.symptoms.forEach(walk);
  };
  f.symptoms.forEach(walk);
  if (symptoms.length > 0) {
    out.push(`**Symptoms caused by this (${symptoms.length})**`, '');
    out.push('| severity | finding | object | rule |', '|---|---|---|---|');
    for (const s of symptoms)
      out.push(`| ${s.severity} | ${md(s.title)} | ${md(refText(s.subject))} | \`${s.ruleId}\` |`);
    out.push('');
  }
  return out;
}

export function renderMarkdown(report: DiagnosisReport, now: number): string {
  const byId = new Map(report.findings.map((f) => [f.id, f]));
  const scope = report.namespace ? `namespace \`${report.namespace}\`` : 'all namespaces';
  const s = report.summary;
  const out: string[] = [
    `# kcockpit diagnosis: ${scope}${report.context ? ` (context \`${report.context}\`)` : ''}`,
    '',
  ];
  out.push(
    s.total === 0
      ? 'No problems found.'
      : `${s.rootCauses} root cause(s) behind ${s.total} finding(s): ${s.critical} critical, ${s.warning} warning, ${s.info} info.`,
    '',
  );
  for (const f of report.findings.filter((x) => x.root)) out.push(...section(f, byId, now));
  if (report.notes.length > 0) {
    out.push('## Notes', '');
    for (const n of report.notes) out.push(`- ${md(n)}`);
    out.push('');
  }
  return out.join('\n');
}
