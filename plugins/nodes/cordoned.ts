// nodes/cordoned: a node marked unschedulable (`kubectl cordon`, `kubectl drain`). Running pods
// stay; no new pod is placed there. That is a problem only when pods wait for a place: then the
// Pending pods whose scheduler verdict names cordoned nodes (`node(s) were unschedulable`, or the
// `node.kubernetes.io/unschedulable` taint) are linked under this finding — critical when being
// cordoned or tainted is all that keeps them out. A cordon nobody waits on is information.
import type { Node } from '../../src/model/k8s.js';
import type { ScheduleReason } from '../../src/diagnose/scheduler-message.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { refOf } from '../../src/diagnose/evidence.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';
import type { FixPlan, RuleContext } from '../../src/diagnose/types.js';
import {
  onlyCordonsAndTaints,
  pendingPodsBlocked,
  podList,
  podRefs,
  podsOn,
  type BlockedPod,
} from './lib/node-facts.js';

const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';

interface CordonCase extends Case {
  node: Node;
  blocked: BlockedPod[];
}

const blocksOnCordon = (r: ScheduleReason): boolean =>
  r.kind === 'unschedulable-node' || (r.kind === 'taint' && r.taint?.key === UNSCHEDULABLE_TAINT);

function* classify({ snapshot }: RuleContext): Iterable<CordonCase> {
  const cordoned = snapshot.nodes.filter((n) => n.spec?.unschedulable === true);
  if (cordoned.length === 0) return;
  const blocked = pendingPodsBlocked(snapshot, blocksOnCordon);
  for (const node of cordoned) yield { subject: refOf(node, 'Node'), node, blocked };
}

function explain({ lead }: CaseGroup<CordonCase>, { snapshot }: RuleContext): Explained {
  const { node, blocked } = lead;
  const name = node.metadata.name;
  const running = podsOn(snapshot, node).length;
  const schedulable = snapshot.nodes.filter((n) => !n.spec?.unschedulable).length;
  const stuck = blocked.filter(onlyCordonsAndTaints);
  const pods = blocked.map((b) => b.pod);
  const waiting =
    pods.length === 0
      ? 'No pod is waiting for a place, so nothing suffers from it yet.'
      : `${pods.length} pod${pods.length === 1 ? '' : 's'} ${pods.length === 1 ? 'is' : 'are'} Pending with cordoned nodes among the scheduler's reasons (${podList(pods)})${stuck.length > 0 ? `; for ${stuck.length === pods.length ? 'all of them' : `${stuck.length} of them`} every node is cordoned or tainted, so nothing else would take them` : ''}.`;
  const explained: Explained = {
    severity: stuck.length > 0 ? 'critical' : pods.length > 0 ? 'warning' : 'info',
    title: `node ${name} is cordoned${pods.length > 0 ? `: ${pods.length} Pending pod${pods.length === 1 ? '' : 's'} cannot use it` : ''}`,
    explanation: `Node ${name} is marked unschedulable (spec.unschedulable: true), usually by \`kubectl cordon\` or \`kubectl drain\` before maintenance. Its ${running} running pod${running === 1 ? '' : 's'} stay; the scheduler places no new pod there. ${schedulable} of the ${snapshot.nodes.length} nodes accept new pods. ${waiting} When the maintenance is over, uncordon it.`,
    evidence: [
      { source: 'node', ref: refOf(node, 'Node'), path: 'spec.unschedulable', text: 'true' },
      ...blocked.slice(0, 1).map((b) => b.evidence),
    ],
  };
  if (pods.length > 0) {
    explained.explains = podRefs(pods);
    explained.explainsOnly = [RULE_IDS.pending];
    explained.groupKey = RULE_IDS.nodeCordoned;
  }
  return explained;
}

function plans({ lead }: CaseGroup<CordonCase>): FixPlan[] {
  const name = lead.node.metadata.name;
  return [
    {
      id: 'uncordon',
      title: `Uncordon node ${name}`,
      explanation: `Let the scheduler place pods on ${name} again. Do it only once whatever it was cordoned for (a drain, an upgrade, a hardware check) is finished.`,
      commands: [`kubectl uncordon ${name}`],
      steps: [
        {
          action: 'merge-patch',
          ref: { kind: 'Node', name },
          patch: { spec: { unschedulable: false } },
          description: `Mark node ${name} schedulable (kubectl uncordon)`,
        },
      ],
      mutates: true,
    },
  ];
}

export const rule = defineRule<CordonCase>({
  id: RULE_IDS.nodeCordoned,
  title: 'Cordoned nodes',
  needs: ['nodes'],
  classify,
  explain,
  plans,
});
