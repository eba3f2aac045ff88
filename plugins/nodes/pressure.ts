// nodes/pressure: a node whose kubelet reports MemoryPressure, DiskPressure or PIDPressure. The
// kubelet then evicts pods to recover (status.reason `Evicted`, `The node was low on resource:
// memory. ...`) and the node is tainted so new pods go elsewhere. One finding per node and
// condition; the pods it evicted and the Pending pods the pressure taint keeps off are linked
// under it. What to check depends on the resource, so the plan is manual.
import type { Node } from '../../src/model/k8s.js';
import type { ScheduleReason } from '../../src/diagnose/scheduler-message.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { fieldEvidence, refOf } from '../../src/diagnose/evidence.js';
import { manualPlan } from '../../src/diagnose/plans.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';
import type { Evidence, FixPlan, RuleContext } from '../../src/diagnose/types.js';
import { durationWords } from '../../src/util/duration.js';
import { conditionOf, evictedFrom, pendingPodsBlocked, podList, podRefs } from './lib/node-facts.js';

interface Pressure {
  condition: 'MemoryPressure' | 'DiskPressure' | 'PIDPressure';
  taint: string;
  /** The resource names the kubelet writes in eviction messages for it. */
  resource: RegExp;
  words: string;
  check: string[];
  commands: (node: string) => string[];
}

const PRESSURES: readonly Pressure[] = [
  {
    condition: 'MemoryPressure',
    taint: 'node.kubernetes.io/memory-pressure',
    resource: /^memory$/,
    words: 'is low on memory',
    check: [
      'Find the pods using the most memory on the node and whether they have memory limits.',
      'Give the heavy ones limits (and requests that match what they use) so the scheduler stops overpacking the node, or add nodes.',
    ],
    commands: (node) => [
      `kubectl describe node ${node}`,
      'kubectl top pods -A --sort-by=memory',
      `kubectl get pods -A --field-selector spec.nodeName=${node} -o wide`,
    ],
  },
  {
    condition: 'DiskPressure',
    taint: 'node.kubernetes.io/disk-pressure',
    resource: /^(ephemeral-storage|nodefs|imagefs)/,
    words: 'is low on disk space (or inodes)',
    check: [
      'On the node, see what fills the disk: unused images, container logs, emptyDir volumes, or writes to the container filesystem.',
      'Remove unused images (crictl rmi --prune), cap pod logs and set ephemeral-storage limits on pods that write a lot, or give the node a bigger disk.',
    ],
    commands: (node) => [
      `kubectl describe node ${node}`,
      'df -h; df -i   # on the node',
      'crictl rmi --prune   # on the node',
    ],
  },
  {
    condition: 'PIDPressure',
    taint: 'node.kubernetes.io/pid-pressure',
    resource: /^pids$/,
    words: 'is running out of process ids',
    check: [
      'On the node, find the container that starts too many processes or threads (a fork loop, a thread leak).',
      'Fix that workload, or set a pod PID limit (kubelet podPidsLimit).',
    ],
    commands: (node) => [`kubectl describe node ${node}`, 'ps -eLf | wc -l   # on the node'],
  },
];

interface PressureCase extends Case {
  node: Node;
  pressure: Pressure;
  index: number;
}

function* classify({ snapshot }: RuleContext): Iterable<PressureCase> {
  for (const node of snapshot.nodes)
    for (const pressure of PRESSURES) {
      const found = conditionOf(node, pressure.condition);
      if (found?.condition.status === 'True')
        yield { subject: refOf(node, 'Node'), detail: pressure.condition, node, pressure, index: found.index };
    }
}

function explain({ lead }: CaseGroup<PressureCase>, { snapshot, now }: RuleContext): Explained {
  const { node, pressure, index } = lead;
  const name = node.metadata.name;
  const c = node.status!.conditions![index]!;
  const since = Date.parse(c.lastTransitionTime ?? '');
  const forHow = Number.isNaN(since) ? '' : ` for ${durationWords(now - since)}`;
  const evicted = evictedFrom(snapshot, node, pressure.resource);
  const blocked = pendingPodsBlocked(
    snapshot,
    (r: ScheduleReason) => r.kind === 'taint' && r.taint?.key === pressure.taint,
  ).map((b) => b.pod);
  const evidence: Evidence[] = [
    fieldEvidence(
      node,
      `status.conditions[${index}]`,
      `${pressure.condition}=True${c.reason ? ` ${c.reason}` : ''}: ${c.message ?? ''}`,
    ),
    ...evicted.slice(0, 3).map((p) => fieldEvidence(p, 'status.message', p.status?.message ?? '')),
  ];
  const hurt = evicted.length + blocked.length;
  const explained: Explained = {
    severity: hurt > 0 ? 'critical' : 'warning',
    title: `node ${name} ${pressure.words} (${pressure.condition})${evicted.length > 0 ? `: ${evicted.length} pod${evicted.length === 1 ? '' : 's'} evicted` : ''}`,
    explanation: `The kubelet on ${name} reports ${pressure.condition}${forHow}${c.message ? ` ("${c.message}")` : ''}. To recover, it evicts pods — lowest priority and furthest over their requests first — and the node is tainted ${pressure.taint} so new pods go elsewhere.${evicted.length > 0 ? ` It has evicted ${podList(evicted)}; their controllers recreate them on other nodes if there is room.` : ''}${blocked.length > 0 ? ` ${blocked.length} Pending pod${blocked.length === 1 ? '' : 's'} cannot use it (${podList(blocked)}).` : ''} ${pressure.check.join(' ')}`,
    evidence,
  };
  const affected = [...evicted, ...blocked];
  if (affected.length > 0) explained.explains = podRefs(affected);
  return explained;
}

function plans({ lead }: CaseGroup<PressureCase>): FixPlan[] {
  const { node, pressure } = lead;
  return [
    manualPlan({
      id: `relieve-${pressure.condition.toLowerCase()}`,
      title: `Find out why node ${node.metadata.name} ${pressure.words}`,
      explanation: pressure.check.join(' '),
      commands: pressure.commands(node.metadata.name),
      instructions: pressure.check,
    }),
  ];
}

export const rule = defineRule<PressureCase>({
  id: RULE_IDS.nodePressure,
  title: 'Nodes under memory, disk or PID pressure',
  needs: ['nodes'],
  classify,
  explain,
  plans,
});
