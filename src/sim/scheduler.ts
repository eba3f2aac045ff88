// A small kube-scheduler: the filters behind the everyday Pending reasons (unschedulable
// node, untolerated taint, node selector/affinity, cpu/memory requests, required pod
// anti-affinity, unbound PVCs) and the FailedScheduling message in the scheduler's own format:
// `0/3 nodes are available: <sorted histogram>. preemption: 0/3 nodes are available: <...>.`
import type { Node, NodeTaint, PersistentVolumeClaim, Pod, PodAffinityTerm, StorageClass } from '../model/k8s.js';
import { matchesSelector } from '../model/selectors.js';
import { parseQuantity } from './quantity.js';

function podRequests(pod: Pod): { cpu: number; memory: number } {
  const sum = { cpu: 0, memory: 0 };
  for (const c of pod.spec.containers ?? []) {
    sum.cpu += parseQuantity(c.resources?.requests?.['cpu']);
    sum.memory += parseQuantity(c.resources?.requests?.['memory']);
  }
  for (const c of pod.spec.initContainers ?? []) {
    sum.cpu = Math.max(sum.cpu, parseQuantity(c.resources?.requests?.['cpu']));
    sum.memory = Math.max(sum.memory, parseQuantity(c.resources?.requests?.['memory']));
  }
  return sum;
}

interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  /** Only `metadata.name` is a valid field; the DaemonSet controller pins its pods with it. */
  matchFields?: NodeSelectorRequirement[];
}

function matchesField(node: Node, f: NodeSelectorRequirement): boolean {
  if (f.key !== 'metadata.name') return false;
  const named = (f.values ?? []).includes(node.metadata.name);
  return f.operator === 'In' ? named : f.operator === 'NotIn' ? !named : false;
}

/** The pod's nodeSelector and required node affinity (NodeAffinity's filter). */
export function matchesNodeAffinity(pod: Pod, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = (
    pod.spec.affinity?.nodeAffinity as
      { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] } } | undefined
  )?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!required?.length) return true;
  // Terms are ORed; expressions and fields within a term are ANDed (label-selector semantics, plus Gt/Lt).
  return required.some(
    (term) =>
      !!(term.matchExpressions?.length || term.matchFields?.length) &&
      (term.matchFields ?? []).every((f) => matchesField(node, f)) &&
      (term.matchExpressions ?? []).every((e) => {
        if (e.operator === 'Gt' || e.operator === 'Lt') {
          const v = Number(labels[e.key]);
          const bound = Number(e.values?.[0]);
          return e.key in labels && (e.operator === 'Gt' ? v > bound : v < bound);
        }
        return matchesSelector(labels, { matchExpressions: [e] });
      }),
  );
}

function tolerates(pod: Pod, taint: NodeTaint): boolean {
  return (pod.spec.tolerations ?? []).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

/** The first of the node's taints with one of `effects` the pod does not tolerate. */
export function untoleratedTaint(
  pod: Pod,
  node: Node,
  effects: readonly string[] = ['NoSchedule', 'NoExecute'],
): NodeTaint | undefined {
  return (node.spec?.taints ?? []).find((taint) => effects.includes(taint.effect) && !tolerates(pod, taint));
}

/** NodeUnschedulable: a cordoned node takes only pods that tolerate its unschedulable taint (DaemonSet pods do). */
function refusedAsUnschedulable(pod: Pod, node: Node): boolean {
  return (
    !!node.spec?.unschedulable && !tolerates(pod, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })
  );
}

function antiAffinityBlocked(pod: Pod, node: Node, nodes: Node[], running: Pod[]): boolean {
  const terms: PodAffinityTerm[] =
    pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  return terms.some((term) => {
    const domain = node.metadata.labels?.[term.topologyKey];
    if (domain === undefined) return false;
    const namespaces = term.namespaces?.length ? term.namespaces : [pod.metadata.namespace];
    return running.some((other) => {
      if (!namespaces.includes(other.metadata.namespace) || other.metadata.name === pod.metadata.name) return false;
      if (!matchesSelector(other.metadata.labels, term.labelSelector)) return false;
      const otherNode = nodes.find((n) => n.metadata.name === other.spec.nodeName);
      return otherNode?.metadata.labels?.[term.topologyKey] === domain;
    });
  });
}

export interface ClusterView {
  nodes: Node[];
  /** Pods bound to nodes (spec.nodeName set), any phase. */
  pods: Pod[];
  pvcs: PersistentVolumeClaim[];
  classes: StorageClass[];
}

/** An unbound claim whose class binds only once a pod using it is scheduled. */
export function waitsForConsumer(pvc: PersistentVolumeClaim, classes: StorageClass[]): boolean {
  const sc = classes.find((c) => c.metadata.name === (pvc.spec.storageClassName ?? ''));
  return sc?.volumeBindingMode === 'WaitForFirstConsumer';
}

export type ScheduleResult = { node: string } | { unschedulable: string };

/** Reasons sorted as strings, the way FitError.Error() prints the histogram. */
function histogram(reasons: string[]): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts]
    .map(([r, n]) => `${n} ${r}`)
    .sort()
    .join(', ');
}

const NOT_HELPFUL = 'Preemption is not helpful for scheduling';
const NO_VICTIMS = 'No preemption victims found for incoming pod';

function preFilter(pod: Pod, view: ClusterView): string | undefined {
  for (const v of pod.spec.volumes ?? []) {
    const claim = v.persistentVolumeClaim?.claimName;
    if (!claim) continue;
    const pvc = view.pvcs.find((p) => p.metadata.namespace === pod.metadata.namespace && p.metadata.name === claim);
    if (!pvc) return `persistentvolumeclaim "${claim}" not found`;
    // isPVCFullyBound: a volumeName the user wrote is not a binding until the controller completes it.
    const bound = !!pvc.spec.volumeName && !!pvc.metadata.annotations?.['pv.kubernetes.io/bind-completed'];
    if (!bound && pvc.status?.phase !== 'Bound' && !waitsForConsumer(pvc, view.classes))
      return 'pod has unbound immediate PersistentVolumeClaims';
  }
  return undefined;
}

export function schedule(pod: Pod, view: ClusterView): ScheduleResult {
  const { nodes } = view;
  if (nodes.length === 0) return { unschedulable: 'no nodes available to schedule pods' };
  const total = nodes.length;
  const pre = preFilter(pod, view);
  if (pre)
    return {
      unschedulable: `0/${total} nodes are available: ${pre}. preemption: 0/${total} nodes are available: ${total} ${NOT_HELPFUL}.`,
    };

  const running = view.pods.filter(
    (p) => p.spec.nodeName && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
  );
  const want = podRequests(pod);
  const reasons: string[] = [];
  let resolvable = 0;
  // Feasible nodes and the share of their cpu already requested: the least allocated one wins (NodeResourcesFit's default score).
  const feasible: { node: string; used: number }[] = [];
  for (const node of nodes) {
    if (refusedAsUnschedulable(pod, node)) {
      reasons.push('node(s) were unschedulable');
      continue;
    }
    const taint = untoleratedTaint(pod, node);
    if (taint) {
      reasons.push(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
      continue;
    }
    if (!matchesNodeAffinity(pod, node)) {
      reasons.push("node(s) didn't match Pod's node affinity/selector");
      continue;
    }
    const onNode = running.filter((p) => p.spec.nodeName === node.metadata.name);
    const used = onNode.reduce(
      (s, p) => {
        const r = podRequests(p);
        return { cpu: s.cpu + r.cpu, memory: s.memory + r.memory };
      },
      { cpu: 0, memory: 0 },
    );
    const alloc = node.status?.allocatable ?? {};
    const insufficient: string[] = [];
    if (want.cpu > 0 && used.cpu + want.cpu > parseQuantity(alloc['cpu'])) insufficient.push('Insufficient cpu');
    if (want.memory > 0 && used.memory + want.memory > parseQuantity(alloc['memory']))
      insufficient.push('Insufficient memory');
    if (insufficient.length) {
      reasons.push(...insufficient);
      resolvable++;
      continue;
    }
    if (antiAffinityBlocked(pod, node, nodes, running)) {
      reasons.push("node(s) didn't match pod anti-affinity rules");
      resolvable++;
      continue;
    }
    feasible.push({ node: node.metadata.name, used: (used.cpu + want.cpu) / (parseQuantity(alloc['cpu']) || 1) });
  }
  const best = feasible.sort((a, b) => a.used - b.used)[0];
  if (best) return { node: best.node };
  const preemption = histogram([
    ...Array<string>(resolvable).fill(NO_VICTIMS),
    ...Array<string>(total - resolvable).fill(NOT_HELPFUL),
  ]);
  return {
    unschedulable: `0/${total} nodes are available: ${histogram(reasons)}. preemption: 0/${total} nodes are available: ${preemption}.`,
  };
}
