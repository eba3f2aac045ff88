// Causes about the nodes themselves: the pod selects labels no node has, the nodes are
// cordoned, or there are no nodes at all.
import type { Node } from '../../../src/model/k8s.js';
import type { Evidence, FixPlan } from '../../../src/diagnose/types.js';
import { arrayOf, isCordoned, matchesNodeSelection, requiredNodeTerms, requirementText } from './placement.js';
import { hasTemplate, helmRevertNote, listNames, thePods, type CauseReport, type PendingGroup } from './cause.js';
import { fieldEvidence, refOf } from '../../../src/diagnose/evidence.js';
import { jsonPatchCommand, manualPlan, nsFlag } from '../../../src/diagnose/plans.js';

/** JSON pointer escaping for a map key such as `kubernetes.io/hostname`. */
function pointerKey(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function labelValues(nodes: readonly Node[], key: string): string[] {
  const values = new Set<string>();
  for (const n of nodes) {
    const v = n.metadata.labels?.[key];
    if (v !== undefined) values.add(v);
  }
  return [...values].sort();
}

function nodeSelectorOf(pod: PendingGroup['sample']): Record<string, string> {
  return pod.spec?.nodeSelector && typeof pod.spec.nodeSelector === 'object' ? pod.spec.nodeSelector : {};
}

function selectionEvidence(group: PendingGroup): Evidence[] {
  const { sample } = group;
  const selector = nodeSelectorOf(sample);
  const evidence: Evidence[] = [];
  if (Object.keys(selector).length > 0)
    evidence.push(
      fieldEvidence(
        sample,
        'spec.nodeSelector',
        Object.entries(selector)
          .map(([k, v]) => `${k}=${v}`)
          .join(', '),
        'spec',
      ),
    );
  (requiredNodeTerms(sample.spec) ?? []).slice(0, 5).forEach((term, i) => {
    const text = arrayOf(term.matchExpressions).concat(arrayOf(term.matchFields)).map(requirementText).join(' AND ');
    evidence.push(
      fieldEvidence(
        sample,
        `spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[${i}]`,
        text,
        'spec',
      ),
    );
  });
  return evidence;
}

function labelNodePlan(node: string, labels: readonly [string, string][]): FixPlan {
  const commands = [`kubectl label nodes ${node} ${labels.map(([k, v]) => `${k}=${v}`).join(' ')}`];
  return manualPlan({
    id: 'label-node',
    title: `Label a node ${labels.map(([k, v]) => `${k}=${v}`).join(' ')}`,
    explanation: `If a node really has what the label promises (a disk type, a GPU, a zone), label it so the scheduler can choose it. Labels are promises other workloads rely on too: do not label a node that does not fit.`,
    commands,
    instructions: `Label a suitable node: ${commands[0]}`,
  });
}

/**
 * The user may not list nodes: the scheduler's count is all there is. It says how many nodes
 * refused the pod's selection, not which label they lack, so nothing is dropped from the pod.
 */
function explainNodeSelectionUnseen(group: PendingGroup): CauseReport {
  const selector = Object.entries(nodeSelectorOf(group.sample));
  const count = group.reason?.count ?? 0;
  const asked = selector.map(([k, v]) => `${k}=${v}`).join(', ');
  return {
    title: asked ? `no node matches ${asked}` : 'no node matches its node selector or affinity',
    explanation:
      `${thePods(group).replace(/^t/, 'T')} may only run on nodes with certain labels (nodeSelector or required node affinity), and the scheduler found ${count} node${count === 1 ? '' : 's'} that do not match. ` +
      'kcockpit may not list nodes, so which labels they lack could not be checked: `kubectl get nodes --show-labels` shows them. Label a node that really fits, or relax what the pod asks for.',
    evidence: selectionEvidence(group),
    fixes: selector.length > 0 ? [labelNodePlan('<node>', selector)] : [],
  };
}

export function explainNodeSelection(group: PendingGroup): CauseReport {
  const { snapshot, sample } = group;
  if (snapshot.forbidden.has('nodes')) return explainNodeSelectionUnseen(group);
  const nodes = snapshot.nodes;
  const selector = nodeSelectorOf(sample);
  const terms = requiredNodeTerms(sample.spec) ?? [];
  const evidence: Evidence[] = selectionEvidence(group);
  const facts: string[] = [];
  const missing: [string, string][] = [];

  for (const [key, value] of Object.entries(selector)) {
    const count = nodes.filter((n) => n.metadata.labels?.[key] === value).length;
    if (count > 0) {
      facts.push(`${count} node${count > 1 ? 's have' : ' has'} ${key}=${value}`);
      continue;
    }
    missing.push([key, value]);
    const others = labelValues(nodes, key);
    facts.push(
      others.length > 0
        ? `no node has ${key}=${value} (nodes have ${key}=${listNames(others, 5)})`
        : `no node has a label ${key}`,
    );
  }
  if (terms.length > 0) {
    const matching = nodes.filter((n) =>
      matchesNodeSelection({ containers: [], affinity: sample.spec.affinity }, n),
    ).length;
    facts.push(
      `its required node affinity (${terms.length} term${terms.length > 1 ? 's, any one of which may match' : ''}) matches ${matching} node${matching === 1 ? '' : 's'}`,
    );
  }
  const selected = nodes.filter((n) => matchesNodeSelection(sample.spec, n));
  if (nodes.length > 0) facts.push(`${selected.length} of the ${nodes.length} nodes match everything it asks for`);

  const fixes: FixPlan[] = [];
  if (missing.length > 0) {
    fixes.push(labelNodePlan(nodes.find((n) => !isCordoned(n))?.metadata.name ?? '<node>', missing));
    const ops = missing.map(([k]) => ({
      op: 'remove' as const,
      path: `${group.owner === sample ? '/spec' : '/spec/template/spec'}/nodeSelector/${pointerKey(k)}`,
    }));
    const how = hasTemplate(group)
      ? `Remove ${missing.map(([k]) => k).join(', ')} from the pod template's nodeSelector if the workload does not need it.`
      : `A pod's nodeSelector cannot be changed in place: recreate the pod without ${missing.map(([k]) => k).join(', ')}.`;
    fixes.push(
      manualPlan({
        id: 'drop-node-selector',
        title: 'Stop asking for a label no node has',
        explanation: how + helmRevertNote(group, '`nodeSelector`'),
        commands: hasTemplate(group)
          ? [jsonPatchCommand(group.ownerRef, ops)]
          : [`kubectl get pod ${sample.metadata.name}${nsFlag(group.ownerRef.namespace)} -o yaml`],
        instructions: how,
      }),
    );
  }

  return {
    title:
      missing.length > 0
        ? `no node has ${missing.map(([k, v]) => `${k}=${v}`).join(', ')}`
        : 'no node matches its node selector or affinity',
    explanation: `${thePods(group).replace(/^t/, 'T')} may only run on nodes with certain labels (nodeSelector or required node affinity): ${facts.join('; ')}. Label a node that really fits, or relax what the pod asks for.`,
    evidence,
    fixes,
  };
}

export function explainCordoned(group: PendingGroup): CauseReport {
  const cordoned = group.snapshot.nodes.filter(isCordoned);
  const names = cordoned.map((n) => n.metadata.name);
  const count = group.reason?.count ?? 0;
  const unseen = group.snapshot.forbidden.has('nodes')
    ? ` kcockpit may not list nodes, so it cannot name them: \`kubectl get nodes\` shows them as SchedulingDisabled.`
    : '';
  const description = `Uncordon the nodes once whatever they were cordoned for (a drain, an upgrade) is done: ${names.map((n) => `kubectl uncordon ${n}`).join('; ') || 'kubectl uncordon <node>'}.`;
  return {
    title:
      names.length > 0
        ? `node${names.length > 1 ? 's' : ''} ${listNames(names, 3)} ${names.length > 1 ? 'are' : 'is'} cordoned`
        : count > 0
          ? `${count} node${count > 1 ? 's are' : ' is'} cordoned`
          : 'the nodes are cordoned',
    explanation: `The nodes it could use are marked unschedulable (cordoned${names.length > 0 ? `: ${listNames(names)}` : ''}), usually by \`kubectl drain\` or \`kubectl cordon\` before maintenance. The scheduler places no new pod there until they are uncordoned. If the maintenance is over, uncordon them; otherwise the pods wait for it.${unseen}`,
    evidence: cordoned
      .slice(0, 5)
      .map((n) => ({ source: 'node', ref: refOf(n, 'Node'), path: 'spec.unschedulable', text: 'true' })),
    fixes: [
      manualPlan({
        id: 'uncordon-nodes',
        title: 'Uncordon the nodes',
        explanation: description,
        commands:
          names.length > 0
            ? names.map((n) => `kubectl uncordon ${n}`)
            : ['kubectl get nodes', 'kubectl uncordon <node>'],
      }),
    ],
  };
}

export function explainNoNodes(group: PendingGroup): CauseReport {
  const description =
    "Check the nodes with `kubectl get nodes`. A local cluster may be stopped (`minikube start`, or restart kind's containers); a cloud cluster's node pool may be scaled to zero; a new cluster's kubelets may not have joined yet.";
  return {
    title: 'the cluster has no nodes',
    explanation: `The scheduler has no nodes to place ${thePods(group)} on: none are registered with the API server. ${description}`,
    evidence: [],
    fixes: [
      manualPlan({
        id: 'add-nodes',
        title: 'Bring nodes into the cluster',
        explanation: description,
        commands: ['kubectl get nodes'],
      }),
    ],
  };
}
