// network/policy-selects-nothing: a NetworkPolicy whose podSelector matches no pod in its
// namespace, so the rules it holds protect nothing (usually a label typo). An empty selector
// selects every pod (the default-deny shape) and is never reported.
import type { NetworkPolicy } from '../../src/model/k8s.js';
import type { FixPlan, RuleContext } from '../../src/diagnose/types.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { fieldEvidence, refOf } from '../../src/diagnose/evidence.js';
import { manualPlan, nsFlag } from '../../src/diagnose/plans.js';
import { nearestName } from '../../src/diagnose/nearest.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';
import { matchesSelector } from '../../src/model/selectors.js';

interface Idle extends Case {
  policy: NetworkPolicy;
  /** For each matchLabels pair no pod has: the nearest value pods carry for that key. */
  hints: string[];
}

function* classify(ctx: RuleContext): Iterable<Idle> {
  const { snapshot } = ctx;
  if (snapshot.forbidden.has('pods')) return;
  for (const policy of snapshot.networkPolicies) {
    const selector = policy.spec?.podSelector ?? {};
    const empty =
      Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
    if (empty) continue;
    const pods = snapshot.podsIn(policy.metadata.namespace ?? '');
    if (pods.some((p) => matchesSelector(p.metadata.labels, selector))) continue;
    const hints: string[] = [];
    for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
      const values = [
        ...new Set(pods.flatMap((p) => (p.metadata.labels?.[k] !== undefined ? [p.metadata.labels[k]] : []))),
      ];
      if (values.includes(v)) continue;
      const near = nearestName(v, values);
      hints.push(near ? `${k}=${v} (did you mean ${k}=${near}?)` : `${k}=${v} (no pod has this)`);
    }
    yield { subject: refOf(policy, 'NetworkPolicy'), policy, hints };
  }
}

function selectorText(p: NetworkPolicy): string {
  const s = p.spec.podSelector;
  return [
    ...Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(s.matchExpressions ?? []).map((e) => `${e.key} ${e.operator} (${(e.values ?? []).join(',')})`),
  ].join(',');
}

function explain({ lead: n }: CaseGroup<Idle>): Explained {
  const name = n.policy.metadata.name;
  return {
    severity: 'warning',
    title: `NetworkPolicy ${name} selects no pods: its rules apply to nothing`,
    explanation: [
      `NetworkPolicy ${name} applies to pods with ${selectorText(n.policy)}, and no pod in namespace ${n.policy.metadata.namespace ?? ''} has those labels, so the traffic it was written to allow or block is not restricted by it.`,
      n.hints.length ? `The labels that match no pod: ${n.hints.join(', ')}.` : '',
      'Correct spec.podSelector to the labels of the pods it is meant for, or delete the policy if those pods are gone.',
    ]
      .filter(Boolean)
      .join(' '),
    evidence: [fieldEvidence(n.policy, 'spec.podSelector', selectorText(n.policy), 'spec')],
  };
}

function plans({ lead: n }: CaseGroup<Idle>): FixPlan[] {
  const ns = n.policy.metadata.namespace;
  return [
    manualPlan({
      id: 'correct-pod-selector',
      title: `Point NetworkPolicy ${n.policy.metadata.name} at the pods it is meant for`,
      explanation: 'Whether it should protect other pods or be deleted is a security decision kcockpit leaves to you.',
      commands: [
        `kubectl get pods${nsFlag(ns)} --show-labels`,
        `kubectl edit networkpolicy ${n.policy.metadata.name}${nsFlag(ns)}`,
      ],
    }),
  ];
}

export const rule = defineRule<Idle>({
  id: RULE_IDS.networkPolicySelectsNothing,
  title: 'NetworkPolicy selects no pods',
  classify,
  explain,
  plans,
});
