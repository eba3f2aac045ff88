// nodes/not-ready: a node whose Ready condition is False or Unknown — the kubelet says it is
// unhealthy, or has stopped reporting at all (`Kubelet stopped posting node status.`). Its pods
// are not served and, after their toleration of `node.kubernetes.io/unreachable` (5 minutes by
// default), are evicted; new pods avoid it through the not-ready/unreachable taints. The pods
// on it and the Pending pods the scheduler keeps off it for those taints are linked under it.
import type { Node } from '../../src/model/k8s.js';
import type { ScheduleReason } from '../../src/diagnose/scheduler-message.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { fieldEvidence, refOf } from '../../src/diagnose/evidence.js';
import { manualPlan } from '../../src/diagnose/plans.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';
import type { FixPlan, RuleContext } from '../../src/diagnose/types.js';
import { durationWords } from '../../src/util/duration.js';
import { conditionOf, pendingPodsBlocked, podList, podRefs, podsOn, type BlockedPod } from './lib/node-facts.js';

const NOT_READY_TAINTS = new Set(['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']);

interface NotReadyCase extends Case {
  node: Node;
  status: string;
  index: number;
  blocked: BlockedPod[];
}

const blocksOnNotReady = (r: ScheduleReason): boolean => r.kind === 'taint' && NOT_READY_TAINTS.has(r.taint?.key ?? '');

function* classify({ snapshot }: RuleContext): Iterable<NotReadyCase> {
  let blocked: BlockedPod[] | undefined;
  for (const node of snapshot.nodes) {
    const ready = conditionOf(node, 'Ready');
    if (!ready || ready.condition.status === 'True') continue;
    blocked ??= pendingPodsBlocked(snapshot, blocksOnNotReady);
    yield { subject: refOf(node, 'Node'), node, status: ready.condition.status, index: ready.index, blocked };
  }
}

function explain({ lead }: CaseGroup<NotReadyCase>, { snapshot, now }: RuleContext): Explained {
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

function plans({ lead }: CaseGroup<NotReadyCase>): FixPlan[] {
  const name = lead.node.metadata.name;
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
  needs: ['nodes'],
  classify,
  explain,
  plans,
});
