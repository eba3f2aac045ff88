// What the node rules share: a node's condition, the pods running on it, the pods it evicted,
// and the Pending pods the scheduler keeps off it — read from the scheduler's own verdict
// (scheduling/lib/verdict.ts) so the node finding can stand above scheduling/pending's.
import type { Node, NodeCondition, Pod } from '../../../src/model/k8s.js';
import type { Snapshot } from '../../../src/store/snapshot.js';
import type { Evidence, ObjectRef } from '../../../src/diagnose/types.js';
import { parseSchedulerMessage, type ScheduleReason } from '../../../src/diagnose/scheduler-message.js';
import { refOf } from '../../../src/diagnose/evidence.js';
import { byName } from '../../../src/diagnose/pod-facts.js';
import { isUnscheduled, readSchedulerVerdict } from '../../scheduling/lib/verdict.js';

export function conditionOf(node: Node, type: string): { condition: NodeCondition; index: number } | undefined {
  const list = Array.isArray(node.status?.conditions) ? node.status.conditions : [];
  const index = list.findIndex((c) => c?.type === type);
  return index >= 0 ? { condition: list[index]!, index } : undefined;
}

/** Pods bound to the node that have not finished. */
export function podsOn(snapshot: Snapshot, node: Node): Pod[] {
  return byName(
    snapshot
      .podsOnNode(node.metadata.name)
      .filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && !isEvicted(p)),
  );
}

export function isEvicted(pod: Pod): boolean {
  return pod.status?.phase === 'Failed' && pod.status?.reason === 'Evicted';
}

/** Pods the kubelet of this node evicted for a resource: `The node was low on resource: memory. ...`. */
export function evictedFrom(snapshot: Snapshot, node: Node, resource: RegExp): Pod[] {
  return byName(
    snapshot
      .podsOnNode(node.metadata.name)
      .filter(
        (p) => isEvicted(p) && resource.test(/low on resource: ([\w-]+)/.exec(p.status?.message ?? '')?.[1] ?? ''),
      ),
  );
}

/** DaemonSet pods go where their DaemonSet's tolerations take them by design. */
function isDaemonPod(pod: Pod): boolean {
  return (pod.metadata.ownerReferences ?? []).some((r) => r.kind === 'DaemonSet');
}

export interface BlockedPod {
  pod: Pod;
  reasons: ScheduleReason[];
  /** The scheduler's verdict as evidence. */
  evidence: Evidence;
}

/** Pending pods whose scheduler verdict has a reason `blocks` picks, each with all of its reasons. */
export function pendingPodsBlocked(snapshot: Snapshot, blocks: (r: ScheduleReason) => boolean): BlockedPod[] {
  const out: BlockedPod[] = [];
  for (const pod of snapshot.pods) {
    if (!isUnscheduled(pod) || isDaemonPod(pod)) continue;
    const verdict = readSchedulerVerdict(snapshot, pod);
    if (!verdict || verdict === 'placed') continue;
    const reasons = parseSchedulerMessage(verdict.text).reasons;
    if (reasons.some(blocks)) out.push({ pod, reasons, evidence: verdict.evidence });
  }
  return out.sort((a, b) => (a.pod.metadata.name < b.pod.metadata.name ? -1 : 1));
}

/** A pod every node refuses only for being cordoned or tainted: nothing else would place it. */
export function onlyCordonsAndTaints(blocked: BlockedPod): boolean {
  return blocked.reasons.every((r) => r.kind === 'unschedulable-node' || r.kind === 'taint');
}

export const podRefs = (pods: readonly Pod[]): ObjectRef[] => pods.map((p) => refOf(p, 'Pod'));

/** "pods a, b and 3 more" for explanations. */
export function podList(pods: readonly Pod[], max = 4): string {
  const names = pods.map((p) => `${p.metadata.namespace ? `${p.metadata.namespace}/` : ''}${p.metadata.name}`);
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
