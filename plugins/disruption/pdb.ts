// PodDisruptionBudgets that do not do what their author meant. A budget that allows no
// disruption even with every pod healthy (`minAvailable` equal to the replica count,
// `maxUnavailable: 0`) blocks every drain: node upgrades and autoscaler scale-downs hang on
// it. One that allows none because pods are unhealthy is a symptom of those pods. One whose
// selector matches no pod protects nothing. Warnings: nothing is down because of them yet.
import type { Pod, PodDisruptionBudget } from '../../src/model/k8s.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import type { Evidence, FixPlan } from '../../src/diagnose/types.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { fieldEvidence, kubectlName, refOf } from '../../src/diagnose/evidence.js';
import { manualPlan, nsFlag } from '../../src/diagnose/plans.js';
import { podRef } from '../../src/diagnose/pod-facts.js';
import { matchesSelector } from '../../src/model/selectors.js';
import { selectorText } from '../scheduling/lib/placement.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';

type Problem = 'blocks' | 'unhealthy' | 'selects-nothing';

interface Budget extends Case {
  pdb: PodDisruptionBudget;
  problem: Problem;
  pods: Pod[];
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function cases(snapshot: Snapshot): Budget[] {
  const out: Budget[] = [];
  for (const pdb of snapshot.podDisruptionBudgets) {
    const ns = pdb.metadata.namespace ?? '';
    const selector = pdb.spec?.selector;
    if (!selector) continue;
    const pods = snapshot
      .podsIn(ns)
      .filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed')
      .filter((p) => matchesSelector(p.metadata.labels, selector));
    const s = pdb.status;
    const base = { subject: refOf(pdb), pdb, pods };
    if (pods.length === 0 && num(s?.expectedPods) === 0) {
      out.push({ ...base, detail: 'selects-nothing', problem: 'selects-nothing' });
      continue;
    }
    if (!s || s.disruptionsAllowed !== 0 || num(s.expectedPods) === 0) continue;
    const problem: Problem = num(s.currentHealthy) >= num(s.desiredHealthy) ? 'blocks' : 'unhealthy';
    out.push({ ...base, detail: problem, problem });
  }
  return out;
}

function budgetText(pdb: PodDisruptionBudget): string {
  return pdb.spec.maxUnavailable !== undefined
    ? `maxUnavailable ${String(pdb.spec.maxUnavailable)}`
    : `minAvailable ${String(pdb.spec.minAvailable ?? '?')}`;
}

function explain({ lead: b }: CaseGroup<Budget>): Explained {
  const ref = refOf(b.pdb);
  const s = b.pdb.status;
  const evidence: Evidence[] = [
    fieldEvidence(b.pdb, 'spec', `${budgetText(b.pdb)}, selector ${selectorText(b.pdb.spec.selector)}`, 'spec'),
  ];
  if (s)
    evidence.push(
      fieldEvidence(
        b.pdb,
        'status',
        `disruptionsAllowed ${num(s.disruptionsAllowed)}, currentHealthy ${num(s.currentHealthy)}, desiredHealthy ${num(s.desiredHealthy)}, expectedPods ${num(s.expectedPods)}`,
      ),
    );
  switch (b.problem) {
    case 'selects-nothing':
      return {
        severity: 'warning',
        title: `${kubectlName(ref)} selects no pod: it protects nothing`,
        explanation: `The budget ${ref.name} matches pods labelled ${selectorText(b.pdb.spec.selector)}, and no pod in ${ref.namespace ?? 'the namespace'} carries those labels, so drains can evict the pods it was meant to keep up. Compare the selector with the labels of the workload's pod template (a renamed app label is the usual cause).`,
        evidence,
      };
    case 'blocks':
      return {
        severity: 'warning',
        title: `${kubectlName(ref)} allows no disruption: node drains and upgrades will hang`,
        explanation: `The budget ${ref.name} (${budgetText(b.pdb)}) covers ${num(s?.expectedPods)} pod${num(s?.expectedPods) === 1 ? '' : 's'} and requires ${num(s?.desiredHealthy)} of them to stay healthy, so even with all of them healthy not one may be evicted. \`kubectl drain\`, node upgrades and the cluster autoscaler wait on it forever (the eviction API answers 429 "Cannot evict pod as it would violate the pod's disruption budget"). Let at least one pod go: run more replicas than minAvailable, or use maxUnavailable: 1.`,
        evidence,
      };
    case 'unhealthy':
      return {
        severity: 'warning',
        title: `${kubectlName(ref)} allows no disruption: only ${num(s?.currentHealthy)} of the ${num(s?.desiredHealthy)} pods it requires are healthy`,
        explanation: `The budget ${ref.name} (${budgetText(b.pdb)}) needs ${num(s?.desiredHealthy)} healthy pods and has ${num(s?.currentHealthy)}, so no pod may be evicted until the others are healthy again; drains wait on it. The cause is the unhealthy pods (the findings this one is linked under).`,
        evidence,
        dependsOn: b.pods.map(podRef),
      };
  }
}

function plans({ lead: b }: CaseGroup<Budget>): FixPlan[] {
  const ref = refOf(b.pdb);
  const ns = nsFlag(ref.namespace);
  if (b.problem === 'blocks')
    return [
      manualPlan({
        id: 'allow-one-disruption',
        title: `Let ${ref.name} allow one pod down at a time`,
        explanation:
          'maxUnavailable: 1 keeps all but one pod up during a drain and never blocks it; or keep minAvailable and run one more replica than it requires. Which is right depends on how many replicas the app needs to serve.',
        commands: [
          `kubectl patch pdb ${ref.name}${ns} --type=merge -p '{"spec":{"minAvailable":null,"maxUnavailable":1}}'`,
        ],
      }),
    ];
  if (b.problem === 'selects-nothing')
    return [
      manualPlan({
        id: 'fix-pdb-selector',
        title: `Make ${ref.name}'s selector match the pods it should protect`,
        explanation: 'Set spec.selector to the labels of the pod template of the workload it is for.',
        commands: [`kubectl get pods${ns} --show-labels`, `kubectl edit pdb ${ref.name}${ns}`],
      }),
    ];
  return [];
}

export const rule = defineRule({
  id: RULE_IDS.pdb,
  title: 'PodDisruptionBudget that blocks drains or protects nothing',
  classify: ({ snapshot }) => cases(snapshot),
  explain,
  plans,
});
