// nodes/not-ready: a node whose Ready condition is False or Unknown — the kubelet says it is
// unhealthy, or has stopped reporting at all (`Kubelet stopped posting node status.`). Its pods
// are not served and, after their toleration of `node.kubernetes.io/unreachable` (5 minutes by
// default), are evicted; new pods avoid it through the not-ready/unreachable taints. The pods
// on it and the Pending pods the scheduler keeps off it for those taints are linked under it.
// A user who may not read nodes still sees its own pods the node controller marked not ready
// (`NodeNotReady` "Node is not ready" on each, when it set their Ready condition to False).
import type { KubeEvent, Node, Pod } from '../../src/model/k8s.js';
import type { ScheduleReason } from '../../src/diagnose/scheduler-message.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { eventEvidence, fieldEvidence, refOf } from '../../src/diagnose/evidence.js';
import { manualPlan } from '../../src/diagnose/plans.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';
import type { FixPlan, RuleContext } from '../../src/diagnose/types.js';
import { durationWords } from '../../src/util/duration.js';
import { conditionOf, pendingPodsBlocked, podList, podRefs, podsOn, type BlockedPod } from './lib/node-facts.js';
import { byName } from '../../src/diagnose/pod-facts.js';

const NOT_READY_TAINTS = new Set(['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']);

type NotReadyCase = Case &
  (
    | { node: Node; status: string; index: number; blocked: BlockedPod[] }
    /** Nodes may not be read: one of the user's pods the node controller marked not ready. */
    | { pod: Pod; event: KubeEvent }
  );

/** A pod on a node that is still not Ready because the node controller said so: no Ready transition since its event. */
function markedByNodeController(snapshot: RuleContext['snapshot'], pod: Pod): KubeEvent | undefined {
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return undefined;
  const ready = (Array.isArray(pod.status?.conditions) ? pod.status.conditions : []).find((c) => c?.type === 'Ready');
  if (!ready || ready.status === 'True') return undefined;
  const since = Math.floor(Date.parse(ready.lastTransitionTime ?? '') / 1000) * 1000;
  return snapshot
    .eventsFor('Pod', pod.metadata.namespace, pod.metadata.name)
    .filter(
      (e) =>
        e.reason === 'NodeNotReady' &&
        e.message === 'Node is not ready' &&
        Date.parse(e.lastTimestamp ?? e.eventTime ?? '') >= since,
    )
    .pop();
}

const blocksOnNotReady = (r: ScheduleReason): boolean => r.kind === 'taint' && NOT_READY_TAINTS.has(r.taint?.key ?? '');

function* classify({ snapshot }: RuleContext): Iterable<NotReadyCase> {
  if (snapshot.forbidden.has('nodes')) {
    for (const pod of snapshot.pods) {
      const event = pod.spec?.nodeName ? markedByNodeController(snapshot, pod) : undefined;
      if (event) yield { subject: { kind: 'Node', name: pod.spec.nodeName! }, pod, event };
    }
    return;
  }
  let blocked: BlockedPod[] | undefined;
  for (const node of snapshot.nodes) {
    const ready = conditionOf(node, 'Ready');
    if (!ready || ready.condition.status === 'True') continue;
    blocked ??= pendingPodsBlocked(snapshot, blocksOnNotReady);
    yield { subject: refOf(node, 'Node'), node, status: ready.condition.status, index: ready.index, blocked };
  }
}

/** Without the node: the pods the node controller marked, and what could not be checked. */
function explainMarked(group: CaseGroup<NotReadyCase>): Explained {
  const name = group.subject.name;
  const marked = group.cases.filter((c): c is Extract<NotReadyCase, { pod: Pod }> => 'pod' in c);
  const pods = byName(marked.map((c) => c.pod));
  return {
    severity: 'critical',
    title: `node ${name} is not ready: ${pods.length} pod${pods.length === 1 ? '' : 's'} on it marked not ready by the node controller`,
    explanation: `The node controller marked ${podList(pods)} not ready ("Node is not ready"): node ${name} stopped being Ready, so its pods are not served; once their toleration of the unreachable taint runs out (5 minutes by default) they are evicted, and their controllers recreate them elsewhere if there is room. kcockpit may not read nodes, so why ${name} is not ready, since when, and which other pods it holds could not be checked: \`kubectl describe node ${name}\` shows it.`,
    evidence: [
      eventEvidence(marked[0]!.event),
      ...pods.slice(0, 3).map((p) => fieldEvidence(p, 'spec.nodeName', name, 'spec')),
    ],
    explains: podRefs(pods),
    groupKey: RULE_IDS.nodeNotReady,
  };
}

function explain(group: CaseGroup<NotReadyCase>, ctx: RuleContext): Explained {
  const { lead } = group;
  if (!('node' in lead)) return explainMarked(group);
  const { snapshot, now } = ctx;
  const { node, status, index, blocked } = lead;
  const name = node.metadata.name;
  const c = node.status!.conditions![index]!;
  const since = Date.parse(c.lastTransitionTime ?? '');
  const forHow = Number.isNaN(since) ? '' : ` for ${durationWords(now - since)}`;
  const running = podsOn(snapshot, node);
  const pending = blocked.map((b) => b.pod);
  const what =
    status === 'Unknown'
      ? `its kubelet has stopped reporting${c.message ? ` ("${c.message}")` : ''}: the machine may be down, out of the network, or the kubelet stopped`
      : `its kubelet reports it unhealthy${c.message ? `: "${c.message}"` : ''}`;
  const explained: Explained = {
    severity: 'critical',
    title: `node ${name} is NotReady${forHow}${running.length > 0 ? ` with ${running.length} pod${running.length === 1 ? '' : 's'} on it` : ''}`,
    explanation: `Node ${name} has been NotReady (Ready=${status}${c.reason ? `, ${c.reason}` : ''})${forHow}: ${what}. Its pods${running.length > 0 ? ` (${podList(running)})` : ''} are not served; the node controller evicts them once their toleration of the unreachable taint runs out (5 minutes by default), and their controllers recreate them elsewhere if there is room.${pending.length > 0 ? ` ${pending.length} Pending pod${pending.length === 1 ? '' : 's'} cannot use it (${podList(pending)}).` : ''} Check the machine and its kubelet.`,
    evidence: [
      fieldEvidence(
        node,
        `status.conditions[${index}]`,
        `Ready=${status}${c.reason ? ` ${c.reason}` : ''}: ${c.message ?? ''}`,
      ),
      ...blocked.slice(0, 1).map((b) => b.evidence),
    ],
    groupKey: RULE_IDS.nodeNotReady,
  };
  const affected = [...running, ...pending];
  if (affected.length > 0) explained.explains = podRefs(affected);
  return explained;
}

function plans({ subject }: CaseGroup<NotReadyCase>): FixPlan[] {
  const name = subject.name;
  return [
    manualPlan({
      id: 'check-kubelet',
      title: `Find out why node ${name} is not ready`,
      explanation: `The node's conditions and events say what the kubelet last reported. On the machine, the kubelet's status and log say why it stopped (a crash, expired certificates, a full disk, the container runtime down). If the machine is gone, delete the node object so its pods are rescheduled at once.`,
      commands: [
        `kubectl describe node ${name}`,
        `kubectl get pods -A --field-selector spec.nodeName=${name} -o wide`,
        'systemctl status kubelet   # on the node',
        'journalctl -u kubelet --since "1 hour ago"   # on the node',
      ],
      instructions: [
        `Read the node's conditions and events: kubectl describe node ${name}`,
        'On the machine, check the kubelet and the container runtime (systemctl status kubelet containerd) and the kubelet log.',
        `If the machine is gone for good: kubectl delete node ${name}`,
      ],
    }),
  ];
}

export const rule = defineRule<NotReadyCase>({
  id: RULE_IDS.nodeNotReady,
  title: 'Nodes that are not ready',
  classify,
  explain,
  plans,
});
