// Markdown report: for pasting into an issue, a PR comment or a CI job summary. Rendered
// Markdown is a second place where text can act: a cluster string must not open HTML, a
// link, an image, a code span or emphasis there, so every one is escaped or fenced here,
// after being made inert for the terminal it is first printed on.
import { evidenceText, refText } from '../../format/evidence.js';
import { inertAll } from '../../format/inert.js';
import type { DiagnosisReport, ReportFinding } from './report.js';

const ICON = { critical: '🔴', warning: '🟠', info: '🔵' } as const;

/**
 * Prose or a table cell: every character with a meaning in Markdown is backslash-escaped,
 * an entity (`&lt;`, `&#x1b;`) is kept literal, and nothing at the start of the text can
 * make it a heading, a list or a code block.
 */
function md(s: string): string {
  return s
    .replace(/([\\`*_[\]<>|~])/g, '\\$1')
    .replace(/&(?=#?[a-z0-9]+;)/gi, '\\&')
    .replace(/^\s+/, '')
    .replace(/^([#+=-]|\d+(?=[.)]))/, '\\$1');
}

/** The longest run of backticks in `s`. */
function longestBacktickRun(s: string): number {
  return Math.max(0, ...(s.match(/`+/g) ?? []).map((r) => r.length));
}

/** A code span that no backtick inside can close early (CommonMark: a longer fence). */
function mdCode(s: string): string {
  const fence = '`'.repeat(longestBacktickRun(s) + 1);
  const pad = s.startsWith('`') || s.endsWith('`') || s.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

/** A code span in a table cell: GFM splits cells at a `|` even inside code, unless escaped. */
const cellCode = (s: string): string => mdCode(s).replace(/\|/g, '\\|');

/** A fenced code block whose fence is longer than any backtick run in its lines. */
function codeBlock(info: string, lines: readonly string[]): string[] {
  const fence = '`'.repeat(Math.max(3, ...lines.map((l) => longestBacktickRun(l) + 1)));
  return [`${fence}${info}`, ...lines, fence];
}

function section(f: ReportFinding, byId: Map<string, ReportFinding>, now: number): string[] {
  const out: string[] = [];
  out.push(`## ${ICON[f.severity]} ${md(f.title)}`, '');
  out.push(`**${f.severity}** · ${mdCode(f.ruleId)} · ${md(refText(f.subject))} · id ${mdCode(f.id)}`, '');
  out.push(md(f.explanation), '');
  if (f.evidence.length > 0) {
    out.push('**Evidence**', '');
    for (const e of f.evidence) out.push(`- ${md(evidenceText(e, now))}`);
    out.push('');
  }
  f.fixes.forEach((fix, i) => {
    out.push(`**Fix ${i + 1}: ${md(fix.title)}**${fix.mutates ? '' : ' _(information only)_'}`, '');
    out.push(md(fix.explanation), '');
    if (fix.commands.length > 0) out.push(...codeBlock('sh', fix.commands), '');
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
      out.push(`| ${s.severity} | ${md(s.title)} | ${md(refText(s.subject))} | ${cellCode(s.ruleId)} |`);
    out.push('');
  }
  return out;
}

export function renderMarkdown(input: DiagnosisReport, now: number): string {
  const report = inertAll(input);
  const byId = new Map(report.findings.map((f) => [f.id, f]));
  const scope = report.namespace ? `namespace ${mdCode(report.namespace)}` : 'all namespaces';
  const s = report.summary;
  const out: string[] = [
    `# kcockpit diagnosis: ${scope}${report.context ? ` (context ${mdCode(report.context)})` : ''}`,
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
