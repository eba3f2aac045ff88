// "had untolerated taint": the nodes the pod may otherwise use carry a taint the pod does not
// tolerate. Newer schedulers no longer name the taint, so the nodes in the snapshot say which
// taints they are; the fix tolerates exactly the taints of the node that needs the fewest.
import type { Node, NodeTaint, Toleration, Workload } from '../../../src/model/k8s.js';
import type { Evidence, FixPlan, FixStep, JsonPatchOp, ObjectRef } from '../../../src/diagnose/types.js';
import {
  arrayOf,
  compareNames,
  isConditionTaint,
  isControlPlaneTaint,
  isCordoned,
  matchesNodeSelection,
  taintText,
  tolerationFor,
  untoleratedTaints,
} from './placement.js';
import { hasTemplate, helmRevertNote, listNames, thePods, type CauseReport, type PendingGroup } from './cause.js';
import { jsonPatchCommand, manualPlan, nsFlag } from '../../../src/diagnose/plans.js';
import { refOf } from '../../../src/diagnose/evidence.js';

interface TaintedNode {
  node: Node;
  taints: NodeTaint[];
}

function taintedNodes(group: PendingGroup): TaintedNode[] {
  const spec = group.sample.spec;
  return group.snapshot.nodes
    .filter((n) => !isCordoned(n) && matchesNodeSelection(spec, n))
    .map((node) => ({ node, taints: untoleratedTaints(spec?.tolerations, node) }))
    .filter((t) => t.taints.length > 0)
    .sort((a, b) => a.taints.length - b.taints.length || compareNames(a.node.metadata.name, b.node.metadata.name));
}

const CONDITION_MEANING: Record<string, string> = {
  'node.kubernetes.io/not-ready': 'the node is not Ready (its kubelet is down or cannot reach the API server)',
  'node.kubernetes.io/unreachable': 'the node stopped reporting to the API server',
  'node.kubernetes.io/memory-pressure': 'the node is running out of memory',
  'node.kubernetes.io/disk-pressure': 'the node is running out of disk space',
  'node.kubernetes.io/pid-pressure': 'the node is running out of process ids',
  'node.kubernetes.io/network-unavailable': "the node's network is not set up yet (often: no CNI plugin installed)",
  'node.kubernetes.io/unschedulable': 'the node is cordoned',
};

function conditionMeaning(key: string): string {
  return CONDITION_MEANING[key] ?? 'the node is unhealthy';
}

/** The JSON patch that appends tolerations to a pod template (or a bare pod's spec, where additions are allowed). */
function tolerationPatch(group: PendingGroup, tolerations: Toleration[]): { ref: ObjectRef; ops: JsonPatchOp[] } {
  const bare = group.owner === group.sample;
  const base = bare ? '/spec/tolerations' : '/spec/template/spec/tolerations';
  const existing = bare
    ? group.sample.spec?.tolerations
    : (group.owner as { spec?: { template?: { spec?: { tolerations?: unknown } } } }).spec?.template?.spec?.tolerations;
  const ops: JsonPatchOp[] = Array.isArray(existing)
    ? tolerations.map((value) => ({ op: 'add', path: `${base}/-`, value }))
    : [{ op: 'add', path: base, value: tolerations }];
  return { ref: group.ownerRef, ops };
}

function addTolerationPlan(group: PendingGroup, target: TaintedNode): FixPlan | undefined {
  const bare = group.owner === group.sample;
  if (!bare && !hasTemplate(group)) return undefined;
  const tolerations = target.taints.map(tolerationFor);
  const { ref, ops } = tolerationPatch(group, tolerations);
  const names = target.taints.map(taintText).join(', ');
  const steps: FixStep[] = [
    {
      action: 'json-patch',
      ref,
      patch: ops,
      description: `Add a toleration for ${names} to ${bare ? 'the pod' : `the pod template of ${ref.kind} ${ref.name}`}.`,
    },
  ];
  const commands = [jsonPatchCommand(ref, ops)];
  // A StatefulSet replaces pods in order and waits on unhealthy ones, and an OnDelete strategy
  // never replaces them, so Pending pods made from the old template are deleted to let it in.
  const onDelete = (group.owner as Workload).spec?.updateStrategy?.type === 'OnDelete';
  if (!bare && (ref.kind === 'StatefulSet' || onDelete)) {
    for (const pod of group.pods) {
      const podRef = refOf(pod, 'Pod');
      steps.push({
        action: 'delete',
        ref: podRef,
        description: `Delete Pending pod ${pod.metadata.name} so its ${ref.kind} recreates it with the toleration.`,
      });
      commands.push(`kubectl delete pod ${pod.metadata.name}${nsFlag(podRef.namespace)}`);
    }
  }
  const controlPlane = target.taints.some((t) => isControlPlaneTaint(t.key));
  return {
    id: 'add-toleration',
    title: `Tolerate ${names}`,
    explanation:
      `Lets ${thePods(group)} onto ${target.node.metadata.name} and nodes tainted the same way. A taint is there on purpose: someone reserved those nodes` +
      (controlPlane
        ? ' (control-plane taints keep ordinary workloads away from the components that run Kubernetes)'
        : '') +
      '. Only tolerate it if this workload belongs there.' +
      helmRevertNote(group, '`tolerations`'),
    commands,
    steps,
    mutates: true,
  };
}

function removeTaintPlan(target: TaintedNode): FixPlan {
  const commands = target.taints.map((t) => `kubectl taint nodes ${target.node.metadata.name} ${taintText(t)}-`);
  const description = `Remove the taint from node ${target.node.metadata.name} so every pod may use it. Do this only if the node is meant for ordinary workloads, such as the only node of a small cluster.`;
  return manualPlan({
    id: 'remove-taint',
    title: `Remove the taint from node ${target.node.metadata.name}`,
    explanation: description,
    commands,
  });
}

export function explainTaint(group: PendingGroup): CauseReport {
  const named = group.reason?.taint;
  const tainted = taintedNodes(group);
  const evidence: Evidence[] = tainted.slice(0, 5).map(({ node, taints }) => ({
    source: 'node',
    ref: refOf(node, 'Node'),
    path: 'spec.taints',
    text: taints.map(taintText).join(', '),
  }));
  const tolerations = arrayOf(group.sample.spec?.tolerations);
  evidence.push({
    source: 'spec',
    ref: refOf(group.sample, 'Pod'),
    path: 'spec.tolerations',
    text:
      tolerations.length > 0
        ? tolerations
            .map(
              (t) =>
                `${t.key ?? '*'} ${t.operator ?? 'Equal'}${t.value ? ` ${t.value}` : ''}${t.effect ? ` ${t.effect}` : ''}`,
            )
            .join('; ')
        : '(none)',
  });

  const target = tainted[0];
  if (!target) {
    const what = named ? `the taint ${taintText(named)}` : 'a taint';
    return {
      title: `nodes have ${named ? `the taint ${taintText(named)}` : 'taints'} it does not tolerate`,
      explanation:
        `The nodes it could use carry ${what} that ${thePods(group)} do not tolerate. A taint keeps every pod off a node unless the pod declares a matching toleration. ` +
        (group.snapshot.forbidden.has('nodes')
          ? 'kcockpit may not list nodes, so which nodes carry it, and with which effect, could not be checked: '
          : '') +
        `Check the nodes' taints with \`kubectl describe nodes | grep Taints\`, then add a toleration to the pod template or remove the taint.`,
      evidence,
      fixes: [],
    };
  }

  const byTaint = new Map<string, string[]>();
  for (const { node, taints } of tainted)
    for (const t of taints) byTaint.set(taintText(t), [...(byTaint.get(taintText(t)) ?? []), node.metadata.name]);
  const described = [...byTaint.entries()].slice(0, 5).map(([taint, nodes]) => `${taint} on ${listNames(nodes, 3)}`);
  const conditionTaints = target.taints.filter((t) => isConditionTaint(t.key));
  const title = `node${tainted.length > 1 ? 's' : ''} ${listNames(
    tainted.map((t) => t.node.metadata.name),
    2,
  )} ha${tainted.length > 1 ? 've' : 's'} taint ${taintText(target.taints[0]!)} it does not tolerate`;

  if (conditionTaints.length > 0) {
    const meaning = conditionTaints.map((t) => `${taintText(t)}: ${conditionMeaning(t.key)}`).join('; ');
    return {
      title,
      explanation: `Every node it may use carries a taint it does not tolerate: ${described.join('; ')}. Kubernetes sets ${conditionTaints.length > 1 ? 'these taints' : 'this taint'} itself while a node is unhealthy (${meaning}). Tolerating it would only move the pods onto a broken node: fix the node instead (\`kubectl describe node ${target.node.metadata.name}\` shows its conditions).`,
      evidence,
      fixes: [],
    };
  }

  const fixes: FixPlan[] = [];
  const tolerate = addTolerationPlan(group, target);
  if (tolerate) fixes.push(tolerate);
  const single = group.snapshot.nodes.length === 1;
  const removal = removeTaintPlan(target);
  // On a one-node cluster the control-plane taint is what stands between the user and any workload.
  if (single && target.taints.every((t) => isControlPlaneTaint(t.key))) fixes.unshift(removal);
  else fixes.push(removal);

  return {
    title,
    explanation:
      `Every node it may use carries a taint ${thePods(group)} do not tolerate: ${described.join('; ')}. A taint keeps every pod off a node unless the pod declares a matching toleration` +
      (target.taints.some((t) => isControlPlaneTaint(t.key))
        ? '; control-plane taints keep ordinary workloads off the nodes that run Kubernetes itself'
        : '') +
      `. Add a toleration for ${target.taints.map(taintText).join(', ')} if this workload belongs on ${target.node.metadata.name}, or remove the taint from the node.`,
    evidence,
    fixes,
  };
}
