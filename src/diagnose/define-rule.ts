// The one shape of a rule: classify → explain → plans.
//
//   classify(ctx)        what is wrong, as data and without words: one case per object and cause
//   explain(group, ctx)  the words: severity, title, explanation, evidence, links to other findings
//   plans(group, ctx)    the fix plans
//
// Cases with the same subject and detail make one finding (ten failing replicas of one
// Deployment are one problem), explained from one case, the lead. defineRule gives the finding
// its id, rule id and covered objects; the engine links and ranks the findings of every rule.
import type { FixPlan } from '../model/fix-plan.js';
import type { ObjectRef } from '../model/ref.js';
import { findingId, refKey } from './evidence.js';
import type { Evidence, RawFinding, Rule, RuleContext, Severity } from './types.js';

/** One thing a rule found wrong. */
export interface Case {
  /** The object the finding is about: the owning workload where there is one, so replicas make one finding. */
  subject: ObjectRef;
  /** Names the cause when one subject can have several findings of the rule: the finding id's `#detail`. */
  detail?: string;
  /** Further objects the case covers (a failing pod of the subject); the cockpit marks them. */
  objects?: readonly ObjectRef[];
}

/** The cases that make one finding. */
export interface CaseGroup<C extends Case> {
  subject: ObjectRef;
  detail: string | undefined;
  /** In the order classify gave them. */
  cases: C[];
  /** The case the finding is explained from. */
  lead: C;
}

/** What `explain` says about a group. */
export interface Explained {
  severity: Severity;
  /** One line: what is wrong. */
  title: string;
  /** Plain words: what happened, why, what to do — in that order. */
  explanation: string;
  /** The most telling line first: output with room for one line shows `evidence[0]`. */
  evidence: Evidence[];
  /** Covered objects besides the subject and the cases' objects. */
  objects?: readonly ObjectRef[];
  /** Objects whose other findings this one explains (see docs/plugin-api.md, cause linking). */
  explains?: ObjectRef[];
  /** Rule ids `explains` is limited to. */
  explainsOnly?: string[];
  /** Objects the subject waits on: this finding becomes a symptom of theirs. */
  dependsOn?: ObjectRef[];
  /** The cause this group shares with findings about other objects (see Finding.groupKey). */
  groupKey?: string;
}

export interface RuleSpec<C extends Case> {
  /** `<area>/<name>`, stable: scripts key on it (docs/rules.md). */
  id: string;
  title: string;
  /** See Rule.needs. */
  needs?: readonly string[];
  classify(ctx: RuleContext): Iterable<C>;
  /** Which case of a group to explain from; the first by default. */
  lead?(cases: readonly C[]): C;
  explain(group: CaseGroup<C>, ctx: RuleContext): Explained;
  /** The group's fix plans; none by default. */
  plans?(group: CaseGroup<C>, ctx: RuleContext): FixPlan[];
}

export function defineRule<C extends Case>(spec: RuleSpec<C>): Rule {
  return {
    id: spec.id,
    title: spec.title,
    ...(spec.needs ? { needs: spec.needs } : {}),
    diagnose(ctx) {
      const groups = new Map<string, C[]>();
      for (const c of spec.classify(ctx)) {
        const id = findingId(spec.id, c.subject, c.detail);
        const cases = groups.get(id);
        if (cases) cases.push(c);
        else groups.set(id, [c]);
      }
      const findings: RawFinding[] = [];
      for (const [id, cases] of groups) {
        const first = cases[0]!;
        const group: CaseGroup<C> = {
          subject: first.subject,
          detail: first.detail,
          cases,
          lead: spec.lead ? spec.lead(cases) : first,
        };
        const { objects, ...said } = spec.explain(group, ctx);
        findings.push({
          id,
          ruleId: spec.id,
          subject: group.subject,
          ...said,
          objects: uniqueRefs([group.subject, ...cases.flatMap((c) => c.objects ?? []), ...(objects ?? [])]),
          fixes: spec.plans ? spec.plans(group, ctx) : [],
        });
      }
      return findings;
    },
  };
}

/** Each object once, in first-seen order. */
export function uniqueRefs(refs: readonly ObjectRef[]): ObjectRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const k = refKey(r);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
