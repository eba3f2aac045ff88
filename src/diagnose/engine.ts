// The diagnosis engine: runs every rule over one snapshot, gives findings stable ids, links
// symptoms to their causes and ranks roots first. Pure: the CLI, the cockpit and tests share it.
import type { Snapshot } from '../store/snapshot.js';
import type { Finding, FindingGroup, ObjectRef, Rule, RuleContext, Severity } from './types.js';
import { findingId, refKey } from './evidence.js';
import { checkFinding, type CheckedFinding } from './validate.js';
import { compareText } from '../util/order.js';

export interface DiagnoseOptions {
  now?: number;
  errorText?: string;
}

export interface RuleFailure {
  ruleId: string;
  message: string;
}

/** Findings of one rule that the engine could not use, and why the first of them could not. */
export interface DroppedFindings {
  ruleId: string;
  count: number;
  reason: string;
}

export interface DiagnosisResult {
  findings: Finding[];
  /** Rules that threw. A broken rule must not hide what the others found. */
  failures: RuleFailure[];
  /** Findings dropped because they were malformed; the rule's other findings are kept. */
  dropped: DroppedFindings[];
}

/** One line for people about dropped findings, the same in every output. */
/** One line per list the user may not read, naming the rules that needed it. */
export function forbiddenNotes(rules: readonly Rule[], forbidden: Iterable<string>): string[] {
  return [...forbidden].map((what) => {
    if (what === 'pods/log') return 'not allowed to read pods/log: crashes are explained without their log lines';
    const blind = rules.filter((r) => Array.isArray(r.needs) && r.needs.includes(what)).map((r) => r.id);
    return `not allowed to list ${what}: findings that need it could not be checked${blind.length > 0 ? ` (${blind.join(', ')})` : ''}`;
  });
}

export function droppedNote(d: DroppedFindings): string {
  return d.count === 1
    ? `rule ${d.ruleId} returned a finding kcockpit cannot use, so it was dropped: ${d.reason}`
    : `rule ${d.ruleId} returned ${d.count} findings kcockpit cannot use, so they were dropped (the first: ${d.reason})`;
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

export function runRules(rules: readonly Rule[], snapshot: Snapshot, options: DiagnoseOptions = {}): DiagnosisResult {
  const run = new RuleRun(snapshot, options);
  for (const rule of rules) run.add(rule);
  return run.result();
}

/**
 * The same diagnosis with `pause` awaited between rules, so a caller sharing the thread with
 * a UI can let keys and repaints in: each rule runs whole, and none waits for all the others.
 */
export async function runRulesCooperatively(
  rules: readonly Rule[],
  snapshot: Snapshot,
  pause: () => Promise<void>,
  options: DiagnoseOptions = {},
): Promise<DiagnosisResult> {
  const run = new RuleRun(snapshot, options);
  for (const rule of rules) {
    await pause();
    run.add(rule);
  }
  await pause();
  return run.result();
}

/** One diagnosis in progress: the rules' checked findings and failures so far. */
class RuleRun {
  private readonly ctx: RuleContext;
  private readonly raw: CheckedFinding[] = [];
  private readonly failures: RuleFailure[] = [];
  private readonly dropped: DroppedFindings[] = [];

  constructor(
    private readonly snapshot: Snapshot,
    options: DiagnoseOptions,
  ) {
    this.ctx = { snapshot, now: options.now ?? (snapshot.takenAt || Date.now()) };
    if (options.errorText !== undefined) this.ctx.errorText = options.errorText;
  }

  add(rule: Rule): void {
    try {
      const found: unknown = rule.diagnose(this.ctx);
      if (!Array.isArray(found)) throw new Error('diagnose() must return an array of findings');
      const kept: CheckedFinding[] = [];
      let dropped: DroppedFindings | undefined;
      for (const value of found) {
        const checked = checkFinding(value, rule.id);
        if ('finding' in checked) kept.push(checked.finding);
        else if (dropped) dropped.count++;
        else dropped = { ruleId: rule.id, count: 1, reason: checked.problem };
      }
      this.raw.push(...kept);
      if (dropped) this.dropped.push(dropped);
    } catch (err) {
      this.failures.push({ ruleId: rule.id, message: err instanceof Error ? err.message : String(err) });
    }
  }

  result(): DiagnosisResult {
    return {
      findings: rankFindings(groupFindings(linkFindings(assignIds(this.raw), this.snapshot))),
      failures: this.failures,
      dropped: this.dropped,
    };
  }
}

function assignIds(raw: readonly CheckedFinding[]): Finding[] {
  const seen = new Map<string, number>();
  return raw.map((f) => {
    let id = f.id ?? findingId(f.ruleId, f.subject);
    // Two findings of one rule about one subject must still be told apart, deterministically.
    const n = seen.get(id) ?? 0;
    seen.set(id, n + 1);
    if (n > 0) id = `${id}~${n + 1}`;
    return { ...f, id, causedBy: [...f.causedBy] };
  });
}

/**
 * Objects a finding "covers": the subject and every object listed in `objects`. A
 * dependency on a Service also covers the pods it selects and their owners, so a crash
 * whose log names `elasticsearch-master:9200` reaches the finding about the StatefulSet.
 */
function expandDependency(ref: ObjectRef, snapshot: Snapshot): string[] {
  const keys = [refKey(ref)];
  if (ref.kind === 'Service') {
    const svc = snapshot.services.find((s) => s.metadata.name === ref.name && s.metadata.namespace === ref.namespace);
    if (svc) {
      for (const pod of snapshot.podsForService(svc)) {
        keys.push(refKey({ kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace }));
        const top = snapshot.topOwner(pod);
        if (top !== pod)
          keys.push(
            refKey({ kind: top.kind ?? 'Unknown', name: top.metadata.name, namespace: top.metadata.namespace }),
          );
      }
    }
  }
  return keys;
}

export function linkFindings(findings: Finding[], snapshot: Snapshot): Finding[] {
  const coveredBy = new Map<string, Finding[]>();
  for (const f of findings) {
    for (const key of new Set([refKey(f.subject), ...f.objects.map(refKey)])) {
      const list = coveredBy.get(key);
      if (list) list.push(f);
      else coveredBy.set(key, [f]);
    }
  }
  const byId = new Map(findings.map((f) => [f.id, f]));
  const causes = new Map<string, Set<string>>(
    findings.map((f) => [f.id, new Set(f.causedBy.filter((id) => byId.has(id)))]),
  );

  // A finding that `explains` objects is the cause of every other finding about them.
  for (const cause of findings) {
    for (const ref of cause.explains ?? []) {
      for (const symptom of coveredBy.get(refKey(ref)) ?? []) {
        if (cause.explainsOnly && !cause.explainsOnly.includes(symptom.ruleId)) continue;
        if (symptom.id !== cause.id && !(symptom.explains ?? []).some((r) => refKey(r) === refKey(cause.subject))) {
          causes.get(symptom.id)?.add(cause.id);
        }
      }
    }
  }
  // A finding that depends on an object is a symptom of the findings about that object.
  for (const symptom of findings) {
    for (const dep of symptom.dependsOn ?? []) {
      for (const key of expandDependency(dep, snapshot)) {
        for (const cause of coveredBy.get(key) ?? [])
          if (cause.id !== symptom.id) causes.get(symptom.id)?.add(cause.id);
      }
    }
  }
  breakCycles(causes);
  return findings.map((f) => ({ ...f, causedBy: [...(causes.get(f.id) ?? [])].sort() }));
}

/**
 * Root findings that name the same shared cause (`groupKey`) become one group: the first in
 * rank leads and carries the count, the others point at it. At 10,000 pods one registry's
 * rate limit is one problem with 460 victims, not 460 problems. A finding with a cause of
 * its own stays where the links put it.
 */
export function groupFindings(findings: Finding[]): Finding[] {
  const byKey = new Map<string, Finding[]>();
  for (const f of rankFindings(findings)) {
    if (!f.groupKey || f.causedBy.length > 0) continue;
    const list = byKey.get(f.groupKey);
    if (list) list.push(f);
    else byKey.set(f.groupKey, [f]);
  }
  const groups = new Map<string, FindingGroup>();
  const leadOf = new Map<string, string>();
  for (const [key, [lead, ...members]] of byKey) {
    if (!lead || members.length === 0) continue;
    const all = [lead, ...members];
    groups.set(lead.id, {
      key,
      members: members.map((m) => m.id),
      subjects: new Set(all.map((f) => refKey(f.subject))).size,
      namespaces: new Set(all.flatMap((f) => (f.subject.namespace ? [f.subject.namespace] : []))).size,
    });
    for (const m of members) leadOf.set(m.id, lead.id);
  }
  return findings.map((f) => {
    const { group: _g, groupedUnder: _u, ...rest } = f;
    const group = groups.get(f.id);
    const lead = leadOf.get(f.id);
    return group ? { ...rest, group } : lead ? { ...rest, groupedUnder: lead } : rest;
  });
}

/** Hostile or unlucky input can make two findings each other's cause; drop the edge that closes a loop. */
function breakCycles(causes: Map<string, Set<string>>): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string): void => {
    state.set(id, 'visiting');
    for (const c of [...(causes.get(id) ?? [])].sort()) {
      const s = state.get(c);
      if (s === 'visiting') causes.get(id)?.delete(c);
      else if (s === undefined) visit(c);
    }
    state.set(id, 'done');
  };
  for (const id of [...causes.keys()].sort()) if (!state.has(id)) visit(id);
}

/** Roots first (most severe, most widespread), then findings by how far they are from their root. */
export function rankFindings(findings: Finding[]): Finding[] {
  const depths = causeDepths(findings);
  const compare = (a: Finding, b: Finding): number =>
    (depths.get(a.id) ?? 0) - (depths.get(b.id) ?? 0) ||
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    b.objects.length - a.objects.length ||
    compareText(a.id, b.id);
  return [...findings].sort(compare);
}

/** Shortest distance from each finding to a root cause (0 for roots), memoised. */
function causeDepths(findings: readonly Finding[]): Map<string, number> {
  const byId = new Map(findings.map((f) => [f.id, f]));
  const depths = new Map<string, number>();
  const depthOf = (f: Finding, seen: Set<string>): number => {
    const known = depths.get(f.id);
    if (known !== undefined) return known;
    const parents = f.causedBy.map((id) => byId.get(id)).filter((p): p is Finding => !!p && !seen.has(p.id));
    seen.add(f.id);
    const d = parents.length === 0 ? 0 : 1 + Math.min(...parents.map((p) => depthOf(p, seen)));
    seen.delete(f.id);
    depths.set(f.id, d);
    return d;
  };
  for (const f of findings) depthOf(f, new Set());
  return depths;
}

export interface FindingTree {
  finding: Finding;
  /** Findings caused by this one (each appears under its nearest cause only once). */
  symptoms: FindingTree[];
  /** Root findings of other objects that share this one's cause (`Finding.group`), in rank order. */
  grouped: FindingTree[];
}

/**
 * Roots with their symptoms nested. A symptom with several causes is shown under the
 * first (most severe) one, so output never repeats a finding.
 */
export function findingTree(findings: Finding[]): FindingTree[] {
  const ranked = rankFindings(findings);
  const byId = new Map(ranked.map((f) => [f.id, f]));
  const children = new Map<string, Finding[]>();
  const placed = new Set<string>();
  const roots: Finding[] = [];
  const groupedUnder = new Map<string, Finding[]>();
  for (const f of ranked) {
    const parents = f.causedBy.filter((id) => byId.has(id));
    const lead = parents.length === 0 && f.groupedUnder && byId.has(f.groupedUnder) ? f.groupedUnder : undefined;
    if (lead) {
      const list = groupedUnder.get(lead);
      if (list) list.push(f);
      else groupedUnder.set(lead, [f]);
    } else if (parents.length === 0) roots.push(f);
    else {
      const parent = parents.map((id) => byId.get(id)!).sort((a, b) => ranked.indexOf(a) - ranked.indexOf(b))[0]!;
      const list = children.get(parent.id);
      if (list) list.push(f);
      else children.set(parent.id, [f]);
    }
  }
  const build = (f: Finding): FindingTree => {
    placed.add(f.id);
    return {
      finding: f,
      symptoms: (children.get(f.id) ?? []).filter((c) => !placed.has(c.id)).map(build),
      grouped: (groupedUnder.get(f.id) ?? []).filter((c) => !placed.has(c.id)).map(build),
    };
  };
  return roots.map(build);
}

/** The chain from a finding up to its root cause, nearest cause first. */
export function causeChain(finding: Finding, findings: readonly Finding[]): Finding[] {
  const byId = new Map(findings.map((f) => [f.id, f]));
  const chain: Finding[] = [];
  const seen = new Set([finding.id]);
  let current: Finding | undefined = finding;
  while (current) {
    const next: Finding | undefined = current.causedBy
      .map((id) => byId.get(id))
      .find((f): f is Finding => !!f && !seen.has(f.id));
    if (!next) break;
    seen.add(next.id);
    chain.push(next);
    current = next;
  }
  return chain;
}
