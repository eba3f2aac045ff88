// nodes/pressure: a node whose kubelet reports MemoryPressure, DiskPressure or PIDPressure. The
// kubelet then evicts pods to recover (status.reason `Evicted`, `The node was low on resource:
// memory. ...`) and the node is tainted so new pods go elsewhere. One finding per node and
// condition; the pods it evicted and the Pending pods the pressure taint keeps off are linked
// under it. What to check depends on the resource, so the plan is manual. A user who may not
// read nodes still sees, in its namespace, the pods the kubelet evicted in the last hour (the
// `Evicted` event, which expires after that) and which node and resource it named.
import type { KubeEvent, Node, Pod } from '../../src/model/k8s.js';
import type { ScheduleReason } from '../../src/diagnose/scheduler-message.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { eventEvidence, fieldEvidence, refOf } from '../../src/diagnose/evidence.js';
import { manualPlan } from '../../src/diagnose/plans.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';
import type { Evidence, FixPlan, RuleContext } from '../../src/diagnose/types.js';
import { durationWords } from '../../src/util/duration.js';
import { conditionOf, evictedFrom, isEvicted, pendingPodsBlocked, podList, podRefs } from './lib/node-facts.js';

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

type PressureCase = Case & { pressure: Pressure } & (
    | { node: Node; index: number }
    /** Nodes may not be read: one pod the kubelet evicted recently, naming its node. */
    | { evicted: Pod; event: KubeEvent }
  );

/** Events live an hour: an eviction older than that is history, not a node under pressure now. */
const RECENT_MS = 60 * 60 * 1000;

function pressureOf(pod: Pod): Pressure | undefined {
  const resource = /low on resource: ([\w-]+)/.exec(pod.status?.message ?? '')?.[1] ?? '';
  return PRESSURES.find((p) => p.resource.test(resource));
}

function* recentEvictions({ snapshot, now }: RuleContext): Iterable<PressureCase> {
  for (const pod of snapshot.pods) {
    const nodeName = pod.spec?.nodeName;
    const pressure = pressureOf(pod);
    if (!isEvicted(pod) || !nodeName || !pressure) continue;
    const event = snapshot
      .eventsFor('Pod', pod.metadata.namespace, pod.metadata.name)
      .filter((e) => e.reason === 'Evicted' && now - Date.parse(e.lastTimestamp ?? e.eventTime ?? '') <= RECENT_MS)
      .pop();
    if (event)
      yield { subject: { kind: 'Node', name: nodeName }, detail: pressure.condition, pressure, evicted: pod, event };
  }
}

function* classify(ctx: RuleContext): Iterable<PressureCase> {
  const { snapshot } = ctx;
  if (snapshot.forbidden.has('nodes')) {
    yield* recentEvictions(ctx);
    return;
  }
  for (const node of snapshot.nodes)
    for (const pressure of PRESSURES) {
      const found = conditionOf(node, pressure.condition);
      if (found?.condition.status === 'True')
        yield { subject: refOf(node, 'Node'), detail: pressure.condition, node, pressure, index: found.index };
    }
}

/** Without the node: what the evicted pods and the kubelet's events say, and what could not be checked. */
function explainEvictions(group: CaseGroup<PressureCase>): Explained {
  const name = group.subject.name;
  const { pressure } = group.lead;
  const cases = group.cases.filter((c): c is Extract<PressureCase, { evicted: Pod }> => 'evicted' in c);
  const evicted = cases.map((c) => c.evicted).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  const n = evicted.length;
  return {
    severity: 'critical',
    title: `node ${name} ${pressure.words.replace(/^is /, 'was ')}: ${n} pod${n === 1 ? '' : 's'} evicted in the last hour`,
    explanation:
      `The kubelet on ${name} evicted ${podList(evicted)} because the node was short of what ${pressure.condition} stands for ("${evicted[0]!.status?.message?.trim() ?? ''}"); their controllers recreate them on other nodes if there is room. ` +
      `kcockpit may not read nodes, so whether ${name} still reports ${pressure.condition}, and which other pods it evicted, could not be checked: \`kubectl describe node ${name}\` shows it. ${pressure.check.join(' ')}`,
    evidence: [
      ...evicted.slice(0, 3).map((p) => fieldEvidence(p, 'status.message', p.status?.message ?? '')),
      eventEvidence(cases[0]!.event),
    ],
    explains: podRefs(evicted),
  };
}

function explain(group: CaseGroup<PressureCase>, ctx: RuleContext): Explained {
  const { lead } = group;
  if (!('node' in lead)) return explainEvictions(group);
  const { snapshot, now } = ctx;
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

function plans({ lead, subject }: CaseGroup<PressureCase>): FixPlan[] {
  const { pressure } = lead;
  return [
    manualPlan({
      id: `relieve-${pressure.condition.toLowerCase()}`,
      title: `Find out why node ${subject.name} ${pressure.words}`,
      explanation: pressure.check.join(' '),
      commands: pressure.commands(subject.name),
      instructions: pressure.check,
    }),
  ];
}

export const rule = defineRule<PressureCase>({
  id: RULE_IDS.nodePressure,
  title: 'Nodes under memory, disk or PID pressure',
  classify,
  explain,
  plans,
});
