// JUnit XML for CI (`--output junit`): the format every CI system draws a test report from.
// One testsuite per namespace (cluster-scoped findings in `(cluster)`, a name no namespace
// can have), one testcase per finding, and a <failure> for each finding at or above
// --fail-on, so the job's red tests are the same findings that set its exit status. What
// kcockpit could not check is a skipped testcase in `(not checked)`.
import { evidenceText, refText } from '../../format/evidence.js';
import { inertAll } from '../../format/inert.js';
import type { DiagnosisReport, FailOn, ReportFinding } from './report.js';

const CLUSTER_SUITE = '(cluster)';
const NOTES_SUITE = '(not checked)';

const AT_OR_ABOVE: Record<FailOn, ReadonlySet<string>> = {
  critical: new Set(['critical']),
  warning: new Set(['critical', 'warning']),
  never: new Set(),
};

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Text for an attribute or element. The text is inert already (no control character is
 * left, and XML 1.0 allows none of them, even as a reference); U+FFFE and U+FFFF are not
 * XML characters either.
 */
function xml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITY[c]!).replace(/[\ufffe\uffff]/g, '\ufffd');
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${xml(String(v))}"`)
    .join('');
}

/** What a CI page shows under the test: the finding as the text report would tell it. */
function details(f: ReportFinding, byId: ReadonlyMap<string, ReportFinding>, now: number): string {
  const lines = [`${refText(f.subject)} · ${f.ruleId} · ${f.id}`, f.explanation];
  for (const id of f.causedBy) {
    const cause = byId.get(id);
    lines.push(`Caused by: ${cause ? `${cause.title} (${refText(cause.subject)}, ${id})` : id}`);
  }
  if (f.evidence.length > 0) lines.push('Evidence:', ...f.evidence.map((e) => `  • ${evidenceText(e, now)}`));
  f.fixes.forEach((fix, i) => {
    lines.push(`Fix ${i + 1}: ${fix.title}${fix.mutates ? '' : ' (information only)'}`, `  ${fix.explanation}`);
    for (const c of fix.commands) lines.push(`  $ ${c}`);
  });
  return lines.join('\n');
}

interface Case {
  xml: string;
  failed: boolean;
  skipped: boolean;
}

function suite(name: string, cases: readonly Case[], report: DiagnosisReport): string {
  const head = attrs({
    name,
    tests: cases.length,
    failures: cases.filter((c) => c.failed).length,
    errors: 0,
    skipped: cases.filter((c) => c.skipped).length,
    time: 0,
    // xs:dateTime without a zone, as the JUnit schema has it.
    timestamp: report.generatedAt.slice(0, 19),
    hostname: report.cluster ?? 'unknown',
  });
  return [`  <testsuite${head}>`, ...cases.map((c) => c.xml), '  </testsuite>'].join('\n');
}

function findingCase(f: ReportFinding, failing: boolean, byId: ReadonlyMap<string, ReportFinding>, now: number): Case {
  const head = `    <testcase${attrs({ name: `${refText(f.subject)}: ${f.title}`, classname: f.ruleId, time: 0 })}>`;
  const body = xml(details(f, byId, now));
  const inner = failing
    ? `      <failure${attrs({ message: f.title, type: f.severity })}>${body}</failure>`
    : `      <system-out>${body}</system-out>`;
  return { xml: [head, inner, '    </testcase>'].join('\n'), failed: failing, skipped: false };
}

export function renderJunit(input: DiagnosisReport, o: { now: number; failOn: FailOn }): string {
  const report = inertAll(input);
  const byId = new Map(report.findings.map((f) => [f.id, f]));
  const failing = AT_OR_ABOVE[o.failOn];
  const bySuite = new Map<string, Case[]>();
  for (const f of report.findings) {
    const name = f.subject.namespace || CLUSTER_SUITE;
    const cases = bySuite.get(name) ?? [];
    cases.push(findingCase(f, failing.has(f.severity), byId, o.now));
    bySuite.set(name, cases);
  }
  // The cluster-wide suite first, then namespaces by name: the same report always reads the same.
  const names = [...bySuite.keys()].sort((a, b) =>
    a === CLUSTER_SUITE ? -1 : b === CLUSTER_SUITE ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  const groups: [string, Case[]][] = names.map((n) => [n, bySuite.get(n)!]);
  if (report.findings.length === 0) {
    // A report with no test at all reads as a broken run to some CI systems (Jenkins fails it).
    const ok = `    <testcase${attrs({ name: 'no problems found', classname: 'kcockpit', time: 0 })}/>`;
    groups.push([report.namespace ?? '(all namespaces)', [{ xml: ok, failed: false, skipped: false }]]);
  }
  if (report.notes.length > 0) {
    const skipped = (n: string): Case => ({
      xml: [
        `    <testcase${attrs({ name: n, classname: 'kcockpit', time: 0 })}>`,
        `      <skipped${attrs({ message: n })}/>`,
        '    </testcase>',
      ].join('\n'),
      failed: false,
      skipped: true,
    });
    groups.push([NOTES_SUITE, report.notes.map(skipped)]);
  }
  const all = groups.flatMap(([, cases]) => cases);
  const total = attrs({
    name: 'kcockpit diagnose',
    tests: all.length,
    failures: all.filter((c) => c.failed).length,
    errors: 0,
    skipped: all.filter((c) => c.skipped).length,
    time: 0,
  });
  const suites = groups.map(([name, cases]) => suite(name, cases, report));
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${total}>`, ...suites, '</testsuites>', ''].join('\n');
}
