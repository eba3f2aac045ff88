// Rules about containers (a crash, an image pull, a missing ConfigMap, a failing probe) all
// walk the same way: every pod that is not being deleted, by name; every container, init
// containers first; one finding per owner, container and cause, however many replicas fail.
// containerRule is defineRule with that walk built in, so such a rule is its classify,
// explain and plans.
import type { KubeObject, Pod } from '../model/k8s.js';
import type { FixPlan } from '../model/fix-plan.js';
import { defineRule, type Case, type CaseGroup, type Explained } from './define-rule.js';
import { refKey, refOf } from './evidence.js';
import { containerSites, listByName, isTerminating, podRef, subjectRef, type ContainerSite } from './pod-facts.js';
import type { Rule, RuleContext } from './types.js';

/** One container's problem, as classify finds it. */
export interface ContainerCase {
  pod: Pod;
  site: ContainerSite;
  /** Names the cause; with the container's name it is the finding id's detail (`#app/oom`), so keep it stable. */
  variant: string;
}

/** A case with where it sits: its owner, and the subject and detail it is grouped by. */
export type PlacedCase<C extends ContainerCase> = C & Case & { owner: KubeObject };

/** The cases that make one finding: one owner, one container, one cause. */
export interface ContainerGroup<C extends ContainerCase> extends CaseGroup<PlacedCase<C>> {
  /** The pods' top owner (Deployment, StatefulSet, DaemonSet, Job), or the pod itself when it has none. */
  owner: KubeObject;
  /** The affected pods, each once, by name. */
  pods: Pod[];
}

export interface ContainerRuleSpec<C extends ContainerCase> {
  id: string;
  title: string;
  /** Which pods to look at; pods being deleted never are. All others by default. */
  pods?(pod: Pod): boolean;
  /** The container's problem, or undefined when it has none. */
  classify(pod: Pod, site: ContainerSite, ctx: RuleContext): C | undefined;
  /** Problems of the whole pod charged to one of its containers (a volume that cannot be mounted). */
  classifyPod?(pod: Pod, ctx: RuleContext): C[];
  /**
   * Whether a case knows its cause. One that does not (its events expired) is grouped with a
   * replica of the same container that does, and the group is explained from an informed case.
   */
  informed?(c: C): boolean;
  /** Which of the group's cases to explain from: the first informed one, else the first, by default. */
  lead?(cases: readonly C[]): C;
  explain(group: ContainerGroup<C>, ctx: RuleContext): Explained;
  plans?(group: ContainerGroup<C>, ctx: RuleContext): FixPlan[];
}

export function containerRule<C extends ContainerCase>(spec: ContainerRuleSpec<C>): Rule {
  const informed = spec.informed;
  const withPods = (g: CaseGroup<PlacedCase<C>>): ContainerGroup<C> => ({
    ...g,
    owner: g.lead.owner,
    pods: [...new Set(g.cases.map((c) => c.pod))],
  });
  return defineRule<PlacedCase<C>>({
    id: spec.id,
    title: spec.title,
    classify(ctx) {
      const found: { owner: KubeObject; c: C }[] = [];
      // Indexed loops: `diagnose` runs this once per rule over every pod while V8 still
      // interprets it, and there each step of a for...of allocates an iterator result
      // (7 MB of garbage a diagnosis at 10,000 pods).
      const pods = listByName(ctx.snapshot.pods);
      for (let i = 0; i < pods.length; i++) {
        const pod = pods[i]!;
        if (isTerminating(pod) || (spec.pods && !spec.pods(pod))) continue;
        // Most pods are healthy: find their owner only when a container has a problem.
        let owner: KubeObject | undefined;
        const sites = containerSites(pod);
        for (let j = 0; j < sites.length; j++) {
          const c = spec.classify(pod, sites[j]!, ctx);
          if (c) found.push({ owner: (owner ??= ctx.snapshot.topOwner(pod)), c });
        }
        if (spec.classifyPod) {
          const cases = spec.classifyPod(pod, ctx);
          for (let j = 0; j < cases.length; j++)
            found.push({ owner: (owner ??= ctx.snapshot.topOwner(pod)), c: cases[j]! });
        }
      }
      const siblingVariant = new Map<string, string>();
      const siteKey = (owner: KubeObject, c: C): string => `${refKey(refOf(owner))}|${c.site.name}`;
      if (informed)
        for (const { owner, c } of found)
          if (informed(c) && !siblingVariant.has(siteKey(owner, c))) siblingVariant.set(siteKey(owner, c), c.variant);
      return found.map(({ owner, c }): PlacedCase<C> => {
        const variant = informed && !informed(c) ? (siblingVariant.get(siteKey(owner, c)) ?? c.variant) : c.variant;
        return {
          ...c,
          owner,
          subject: subjectRef(owner, [c.pod]),
          detail: `${c.site.name}/${variant}`,
          objects: [podRef(c.pod)],
        };
      });
    },
    // lead picks one of the cases it is given, so what it returns is placed already.
    lead: (cases) =>
      spec.lead ? (spec.lead(cases) as PlacedCase<C>) : ((informed && cases.find((c) => informed(c))) ?? cases[0]!),
    explain: (g, ctx) => spec.explain(withPods(g), ctx),
    ...(spec.plans ? { plans: (g: CaseGroup<PlacedCase<C>>, ctx: RuleContext) => spec.plans!(withPods(g), ctx) } : {}),
  });
}
