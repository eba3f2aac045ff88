import { describe, expect, it } from 'vitest';
import { droppedNote, runRules } from '../../src/diagnose/engine.js';
import { checkFinding } from '../../src/diagnose/validate.js';
import type { Rule } from '../../src/diagnose/types.js';
import { Snapshot } from '../../src/store/snapshot.js';

const snapshot = new Snapshot({ takenAt: 1_000 });
const subject = { kind: 'Deployment', namespace: 'shop', name: 'web' };

/** A plain-JavaScript plugin: whatever it returns reaches the engine untyped. */
function plugin({ id, findings }: { id: string; findings: unknown }): Rule {
  return { id, title: id, diagnose: () => findings as never };
}

/** The rule the single findings below are checked for. */
const RULE = { id: 'team/x' };

describe('findings from plugins', () => {
  it('fills ruleId, objects, evidence and fixes a plugin leaves out', () => {
    const { findings, failures, dropped } = runRules(
      [plugin({ id: 'team/bare', findings: [{ severity: 'warning', subject, title: 'web is odd' }] })],
      snapshot,
    );
    expect(failures).toEqual([]);
    expect(dropped).toEqual([]);
    expect(findings).toEqual([
      {
        id: 'team/bare:shop/Deployment/web',
        ruleId: 'team/bare',
        severity: 'warning',
        subject,
        title: 'web is odd',
        explanation: '',
        evidence: [],
        objects: [subject],
        fixes: [],
        causedBy: [],
      },
    ]);
  });

  it('drops a malformed finding with a note naming the rule, and keeps everything else', () => {
    const good = { severity: 'critical', subject, title: 'fine', objects: [subject], evidence: [], fixes: [] };
    const { findings, failures, dropped } = runRules(
      [
        plugin({
          id: 'team/mixed',
          findings: [good, { severity: 'critical', title: 'no subject' }, { title: 'nothing' }],
        }),
        plugin({ id: 'team/other', findings: [{ ...good, title: 'other' }] }),
      ],
      snapshot,
    );
    expect(failures).toEqual([]);
    expect(findings.map((f) => `${f.ruleId} ${f.title}`).sort()).toEqual(['team/mixed fine', 'team/other other']);
    expect(dropped).toEqual([{ ruleId: 'team/mixed', count: 2, reason: 'subject is not an object' }]);
    expect(droppedNote(dropped[0]!)).toBe(
      'rule team/mixed returned 2 findings kcockpit cannot use, so they were dropped (the first: subject is not an object)',
    );
    expect(droppedNote({ ruleId: RULE.id, count: 1, reason: 'title must be a non-empty string' })).toBe(
      'rule team/x returned a finding kcockpit cannot use, so it was dropped: title must be a non-empty string',
    );
  });

  it('reports a rule whose diagnose() returns something other than an array', () => {
    const { failures } = runRules([plugin({ id: 'team/object', findings: { severity: 'critical' } })], snapshot);
    expect(failures).toEqual([{ ruleId: 'team/object', message: 'diagnose() must return an array of findings' }]);
  });

  const base = { severity: 'warning', subject, title: 't' };
  it.each<[string, unknown, string]>([
    ['not an object', 'a string', 'the finding is not an object'],
    ['another rule id', { ...base, ruleId: 'pods/crashloop' }, `ruleId "pods/crashloop" is not the rule's own id`],
    ['an id of another rule', { ...base, id: 'pods/crashloop:shop/Pod/x' }, 'must start with "team/x:"'],
    ['an unknown severity', { ...base, severity: 'fatal' }, 'severity must be one of critical, warning, info'],
    ['a subject without a name', { ...base, subject: { kind: 'Pod' } }, 'subject.name must be a non-empty string'],
    ['objects that are not refs', { ...base, objects: ['web'] }, 'objects[0] is not an object'],
    ['evidence without text', { ...base, evidence: [{ source: 'event' }] }, 'evidence[0].text must be a string'],
    ['evidence from nowhere', { ...base, evidence: [{ source: 'rumour', text: 'x' }] }, 'evidence[0].source'],
    ['a plan without steps', { ...base, fixes: [{ id: 'p', title: 'P' }] }, 'fixes[0].steps must be an array'],
    [
      'a step the runner does not know',
      { ...base, fixes: [{ id: 'p', title: 'P', steps: [{ action: 'reboot', description: 'd' }] }] },
      'fixes[0].steps[0].action must be one of',
    ],
    [
      'a patch without its target',
      { ...base, fixes: [{ id: 'p', title: 'P', steps: [{ action: 'json-patch', description: 'd', patch: [] }] }] },
      'fixes[0].steps[0].ref is not an object',
    ],
    ['dependsOn that is not a list', { ...base, dependsOn: subject }, 'dependsOn must be an array'],
  ])('drops a finding with %s', (_what, value, reason) => {
    const checked = checkFinding(value, RULE.id);
    expect('problem' in checked && checked.problem).toContain(reason);
  });

  it('completes a plan a plugin wrote by hand: commands none, mutating when a step changes something', () => {
    const checked = checkFinding(
      {
        ...base,
        fixes: [
          { id: 'read', title: 'Read', steps: [{ action: 'manual', description: 'look' }] },
          { id: 'restart', title: 'Restart', steps: [{ action: 'rollout-restart', ref: subject, description: 'go' }] },
        ],
      },
      RULE.id,
    );
    expect('finding' in checked && checked.finding.fixes.map((p) => [p.commands, p.mutates])).toEqual([
      [[], false],
      [[], true],
    ]);
  });
});
