// Many of the same: root findings that name one shared cause fold into one group, in the
// engine, the JSON report and the text output.
import { describe, expect, it } from 'vitest';
import { findingTree, runRules } from '../../src/diagnose/engine.js';
import type { ObjectRef, RawFinding, Rule } from '../../src/diagnose/types.js';
import { Snapshot } from '../../src/store/snapshot.js';
import { buildReport } from '../../src/cli/output/report.js';
import { renderText } from '../../src/cli/output/text.js';
import { plain } from '../../src/format/style.js';

const deploy = (namespace: string, name: string): ObjectRef => ({ kind: 'Deployment', name, namespace });

function pullFinding(subject: ObjectRef, groupKey?: string): RawFinding {
  return {
    severity: 'critical',
    subject,
    title: `${subject.name} cannot pull its image: Docker Hub pull rate limit`,
    explanation: 'x',
    ...(groupKey ? { groupKey } : {}),
  };
}

const KEY = 'pods/image-pull/rate-limit:docker.io';
// 12 workloads in 4 namespaces hit the same limit; one more fails for its own reason.
const limited = Array.from({ length: 12 }, (_, i) => deploy(`team-${i % 4}`, `app-${String(i).padStart(2, '0')}`));
const rules: Rule[] = [
  {
    id: 'pods/image-pull',
    title: 'pull',
    diagnose: () => [...limited.map((s) => pullFinding(s, KEY)), pullFinding(deploy('team-0', 'private'))],
  },
];
const snapshot = new Snapshot({ takenAt: 1_000 });

describe('grouping findings that share one cause', () => {
  const { findings } = runRules(rules, snapshot);

  it('makes the first in rank the lead, with the count of subjects and namespaces', () => {
    const leads = findings.filter((f) => f.group);
    expect(leads).toHaveLength(1);
    const lead = leads[0]!;
    expect(lead.subject).toEqual(deploy('team-0', 'app-00'));
    expect(lead.group).toMatchObject({ key: KEY, subjects: 12, namespaces: 4 });
    expect(lead.group!.members).toHaveLength(11);
    const members = findings.filter((f) => f.groupedUnder === lead.id);
    expect(members.map((m) => m.id).sort()).toEqual([...lead.group!.members].sort());
  });

  it('leaves findings without the key alone, and does not group a single finding', () => {
    const other = findings.find((f) => f.subject.name === 'private')!;
    expect(other.group).toBeUndefined();
    expect(other.groupedUnder).toBeUndefined();
    const alone = runRules(
      [{ id: 'pods/image-pull', title: 'pull', diagnose: () => [pullFinding(limited[0]!, KEY)] }],
      snapshot,
    );
    expect(alone.findings[0]!.group).toBeUndefined();
  });

  it('never groups a finding that has a cause of its own', () => {
    const withCause: Rule[] = [
      ...rules,
      {
        id: 'nodes/not-ready',
        title: 'node',
        diagnose: () => [
          {
            severity: 'critical',
            subject: { kind: 'Node', name: 'n1' },
            title: 'node n1 NotReady',
            explanation: 'x',
            explains: [limited[1]!],
          },
        ],
      },
    ];
    const result = runRules(withCause, snapshot).findings;
    const explained = result.find((f) => f.subject.name === 'app-01')!;
    expect(explained.causedBy).toEqual(['nodes/not-ready:/Node/n1']);
    expect(explained.groupedUnder).toBeUndefined();
    expect(result.find((f) => f.group)!.group!.subjects).toBe(11);
  });

  it('puts one root in the tree with the others folded under it', () => {
    const tree = findingTree(findings);
    expect(tree).toHaveLength(2);
    const lead = tree.find((t) => t.finding.group)!;
    expect(lead.grouped).toHaveLength(11);
    expect(lead.symptoms).toHaveLength(0);
  });

  it('says so in the JSON report: one root cause, the members after their lead', () => {
    const report = buildReport(findings, { now: 1_000 });
    expect(report.schemaMinorVersion).toBe(1);
    expect(report.summary).toMatchObject({ rootCauses: 2, total: 13, critical: 13 });
    const leadIndex = report.findings.findIndex((f) => f.group);
    const lead = report.findings[leadIndex]!;
    expect(lead).toMatchObject({ root: true, groupKey: KEY, group: { subjects: 12, namespaces: 4 } });
    const after = report.findings.slice(leadIndex + 1, leadIndex + 12);
    expect(after.every((f) => f.groupedUnder === lead.id && !f.root && f.groupKey === KEY)).toBe(true);
  });

  it('prints one root with "12 workloads in 4 namespaces" and the list folded', () => {
    const text = renderText(buildReport(findings, { now: 1_000 }), { style: plain, width: 100, now: 1_000 });
    expect(text).toMatch(/^2 root causes behind 13 findings/m);
    expect(text).toContain('The same cause: 12 workloads in 4 namespaces');
    expect(text).toContain('… and 7 more (the JSON report lists them all)');
    expect(text.match(/cannot pull its image/g)).toHaveLength(2);
  });
});
