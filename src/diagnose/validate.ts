// What the engine accepts from a rule. Built-in rules are typed, but a user's plugin is plain
// JavaScript and may return anything; a finding the engine cannot link or show (no subject,
// evidence without text, a step the runner does not know) must cost that finding only, never
// the diagnosis. So each finding is checked, and completed where a default is obvious, before
// any other code reads it.
import type { FixAction, FixPlan, FixStep } from '../model/fix-plan.js';
import type { ObjectRef } from '../model/ref.js';
import type { Evidence, EvidenceSource, Finding, Severity } from './types.js';

/** A rule's finding with every field the engine reads, before it has an id and causes. */
export type CheckedFinding = Omit<Finding, 'id' | 'causedBy' | 'group' | 'groupedUnder'> & {
  id?: string;
  causedBy: string[];
};

export type CheckResult = { finding: CheckedFinding } | { problem: string };

const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];
const SOURCES: readonly EvidenceSource[] = ['event', 'status', 'spec', 'log', 'discovery', 'helm', 'node', 'error'];
const PATCH_OPS = ['add', 'remove', 'replace', 'test'];

/** Thrown inside the checks and caught once: the message is the whole answer. */
class Invalid extends Error {}

type Fields = Record<string, unknown>;

function fields(value: unknown, what: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Invalid(`${what} is not an object`);
  return value as Fields;
}

function text(value: unknown, what: string, nonEmpty = false): string {
  if (typeof value !== 'string' || (nonEmpty && value === ''))
    throw new Invalid(`${what} must be a${nonEmpty ? ' non-empty' : ''} string`);
  return value;
}

function optionalText(value: unknown, what: string): void {
  if (value !== undefined) text(value, what);
}

function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Invalid(`${what} must be an array`);
  return value;
}

function texts(value: unknown, what: string): string[] {
  return list(value, what).map((v, i) => text(v, `${what}[${i}]`));
}

function ref(value: unknown, what: string): ObjectRef {
  const r = fields(value, what);
  text(r['kind'], `${what}.kind`, true);
  text(r['name'], `${what}.name`, true);
  optionalText(r['namespace'], `${what}.namespace`);
  optionalText(r['apiVersion'], `${what}.apiVersion`);
  return value as ObjectRef;
}

function refs(value: unknown, what: string): ObjectRef[] {
  return list(value, what).map((r, i) => ref(r, `${what}[${i}]`));
}

function evidence(value: unknown, what: string): Evidence {
  const e = fields(value, what);
  if (!SOURCES.includes(e['source'] as EvidenceSource))
    throw new Invalid(`${what}.source must be one of ${SOURCES.join(', ')}`);
  text(e['text'], `${what}.text`);
  if (e['ref'] !== undefined) ref(e['ref'], `${what}.ref`);
  optionalText(e['path'], `${what}.path`);
  optionalText(e['reason'], `${what}.reason`);
  optionalText(e['at'], `${what}.at`);
  if (e['count'] !== undefined && !Number.isFinite(e['count'])) throw new Invalid(`${what}.count must be a number`);
  return value as Evidence;
}

/** What each action needs besides its description, as the fix runner reads it. */
const STEP_FIELDS: Record<FixAction, (s: Fields, what: string) => void> = {
  create: (s, what) => {
    const o = fields(s['object'], `${what}.object`);
    text(o['kind'], `${what}.object.kind`, true);
    fields(o['metadata'], `${what}.object.metadata`);
  },
  'create-pull-secret': (s, what) => {
    for (const f of ['namespace', 'name', 'server']) text(s[f], `${what}.${f}`, true);
  },
  'json-patch': (s, what) => {
    ref(s['ref'], `${what}.ref`);
    list(s['patch'], `${what}.patch`).forEach((op, i) => {
      const o = fields(op, `${what}.patch[${i}]`);
      if (!PATCH_OPS.includes(o['op'] as string))
        throw new Invalid(`${what}.patch[${i}].op must be one of ${PATCH_OPS.join(', ')}`);
      text(o['path'], `${what}.patch[${i}].path`);
    });
  },
  'merge-patch': (s, what) => {
    ref(s['ref'], `${what}.ref`);
    fields(s['patch'], `${what}.patch`);
  },
  delete: (s, what) => void ref(s['ref'], `${what}.ref`),
  'rollout-restart': (s, what) => void ref(s['ref'], `${what}.ref`),
  scale: (s, what) => {
    ref(s['ref'], `${what}.ref`);
    if (!Number.isInteger(s['replicas']) || (s['replicas'] as number) < 0)
      throw new Invalid(`${what}.replicas must be a whole number, 0 or more`);
  },
  'create-job-from-cronjob': (s, what) => {
    ref(s['ref'], `${what}.ref`);
    text(s['jobName'], `${what}.jobName`, true);
  },
  replace: (s, what) => {
    ref(s['ref'], `${what}.ref`);
    const o = fields(s['object'], `${what}.object`);
    fields(o['metadata'], `${what}.object.metadata`);
  },
  drain: (s, what) => void ref(s['ref'], `${what}.ref`),
  'helm-upgrade': (s, what) => {
    for (const f of ['release', 'namespace', 'chart']) text(s[f], `${what}.${f}`, true);
    if (typeof s['reuseValues'] !== 'boolean') throw new Invalid(`${what}.reuseValues must be true or false`);
    const set = fields(s['set'], `${what}.set`);
    for (const [k, v] of Object.entries(set)) text(v, `${what}.set.${k}`);
    optionalText(s['version'], `${what}.version`);
  },
  'apply-manifest': (s, what) => void text(s['source'], `${what}.source`, true),
  'wait-available': (s, what) => {
    refs(s['refs'], `${what}.refs`);
    if (!(typeof s['timeoutSeconds'] === 'number' && s['timeoutSeconds'] > 0))
      throw new Invalid(`${what}.timeoutSeconds must be a positive number`);
  },
  'port-forward': (s, what) => {
    ref(s['ref'], `${what}.ref`);
    list(s['ports'], `${what}.ports`).forEach((p, i) => {
      const port = fields(p, `${what}.ports[${i}]`);
      if (!Number.isInteger(port['local']) || !Number.isInteger(port['remote']))
        throw new Invalid(`${what}.ports[${i}] needs whole-number local and remote ports`);
    });
    text(s['address'], `${what}.address`, true);
  },
  manual: () => undefined,
};

function step(value: unknown, what: string): FixStep {
  const s = fields(value, what);
  const action = s['action'];
  if (typeof action !== 'string' || !Object.hasOwn(STEP_FIELDS, action))
    throw new Invalid(`${what}.action must be one of ${Object.keys(STEP_FIELDS).join(', ')}`);
  text(s['description'], `${what}.description`);
  STEP_FIELDS[action as FixAction](s, what);
  return value as FixStep;
}

function plan(value: unknown, what: string): FixPlan {
  const p = fields(value, what);
  const steps = list(p['steps'], `${what}.steps`).map((s, i) => step(s, `${what}.steps[${i}]`));
  text(p['id'], `${what}.id`, true);
  text(p['title'], `${what}.title`, true);
  optionalText(p['explanation'], `${what}.explanation`);
  if (p['commands'] !== undefined) texts(p['commands'], `${what}.commands`);
  if (p['mutates'] !== undefined && typeof p['mutates'] !== 'boolean')
    throw new Invalid(`${what}.mutates must be true or false`);
  const complete = p['explanation'] !== undefined && p['commands'] !== undefined && p['mutates'] !== undefined;
  return complete
    ? (value as FixPlan)
    : {
        id: p['id'] as string,
        title: p['title'] as string,
        explanation: (p['explanation'] as string | undefined) ?? '',
        commands: (p['commands'] as string[] | undefined) ?? [],
        steps,
        mutates: (p['mutates'] as boolean | undefined) ?? steps.some((s) => s.action !== 'manual'),
      };
}

/**
 * Check one finding a rule returned, filling what has an obvious default: `ruleId` (the rule's
 * own), `objects` (the subject), `explanation` (empty), `evidence` and `fixes` (none).
 */
export function checkFinding(value: unknown, ruleId: string): CheckResult {
  try {
    const f = fields(value, 'the finding');
    if (f['ruleId'] !== undefined && f['ruleId'] !== ruleId)
      throw new Invalid(`ruleId ${JSON.stringify(f['ruleId'])} is not the rule's own id`);
    if (!SEVERITIES.includes(f['severity'] as Severity))
      throw new Invalid(`severity must be one of ${SEVERITIES.join(', ')}`);
    const subject = ref(f['subject'], 'subject');
    const finding: CheckedFinding = {
      ruleId,
      severity: f['severity'] as Severity,
      subject,
      title: text(f['title'], 'title', true),
      explanation: f['explanation'] === undefined ? '' : text(f['explanation'], 'explanation'),
      evidence:
        f['evidence'] === undefined ? [] : list(f['evidence'], 'evidence').map((e, i) => evidence(e, `evidence[${i}]`)),
      objects: f['objects'] === undefined ? [subject] : refs(f['objects'], 'objects'),
      fixes: f['fixes'] === undefined ? [] : list(f['fixes'], 'fixes').map((p, i) => plan(p, `fixes[${i}]`)),
      causedBy: f['causedBy'] === undefined ? [] : texts(f['causedBy'], 'causedBy'),
    };
    if (f['id'] !== undefined) {
      const id = text(f['id'], 'id', true);
      // Finding ids name their rule: `kcockpit fix <id>` and the cause links rely on it.
      if (!id.startsWith(`${ruleId}:`)) throw new Invalid(`id ${JSON.stringify(id)} must start with "${ruleId}:"`);
      finding.id = id;
    }
    if (f['explains'] !== undefined) finding.explains = refs(f['explains'], 'explains');
    if (f['explainsOnly'] !== undefined) finding.explainsOnly = texts(f['explainsOnly'], 'explainsOnly');
    if (f['dependsOn'] !== undefined) finding.dependsOn = refs(f['dependsOn'], 'dependsOn');
    if (f['groupKey'] !== undefined) finding.groupKey = text(f['groupKey'], 'groupKey', true);
    return { finding };
  } catch (err) {
    if (err instanceof Invalid) return { problem: err.message };
    throw err;
  }
}
