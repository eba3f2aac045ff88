// What every explanation of a Pending pod receives and returns. The rule
// (plugins/scheduling/pending.ts) finds the pods and the scheduler's reason; one explainer
// per reason kind turns that into the cause in plain words, with numbers, and fix plans.
import type { HelmRelease, KubeObject, Pod } from '../../../src/model/k8s.js';
import type { Snapshot } from '../../../src/store/snapshot.js';
import type { Evidence, FixPlan, ObjectRef } from '../../../src/diagnose/types.js';
import type { ScheduleReason, SchedulerMessage } from '../../../src/diagnose/scheduler-message.js';

export interface PendingGroup {
  snapshot: Snapshot;
  /** The top owner (or the pod itself when it has none). */
  owner: KubeObject;
  ownerRef: ObjectRef;
  /** The Pending pods of this owner with this cause, sorted by name. */
  pods: Pod[];
  /** The pod whose numbers the explanation quotes (the first by name). */
  sample: Pod;
  message: SchedulerMessage;
  /** The reason chosen as the cause; absent for causes the message does not carry. */
  reason?: ScheduleReason;
  release?: HelmRelease;
}

export interface CauseReport {
  /** The end of the title: what blocks the pods, with numbers where there are some. */
  title: string;
  /** Why, and what to do; the rule puts "what happened" in front. */
  explanation: string;
  evidence: Evidence[];
  fixes: FixPlan[];
  /** Objects besides the owner and its pods that the cause is about (a PVC, a node). */
  objects?: ObjectRef[];
}

/** "the pod" / "the 2 pods": how explanations refer to the group's pods. */
export function thePods(group: PendingGroup): string {
  return group.pods.length === 1 ? 'the pod' : `the ${group.pods.length} pods`;
}

/** Kinds whose pod template can be patched and rolled: their controllers replace Pending pods. */
export const TEMPLATE_OWNER_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

export function hasTemplate(group: PendingGroup): boolean {
  return group.owner !== group.sample && TEMPLATE_OWNER_KINDS.has(group.ownerRef.kind);
}

/** The warning every template fix carries when Helm manages the workload. */
export function helmRevertNote(group: PendingGroup, what: string): string {
  if (!group.release) return '';
  return ` Helm manages ${group.ownerRef.kind} ${group.ownerRef.name} (release ${group.release.name}), so the next \`helm upgrade\` puts the old template back: also set ${what} in the chart's values.`;
}

/** One-node and minikube clusters get their own hints: they are where learners meet these problems. */
export function isMinikube(snapshot: Snapshot): boolean {
  return snapshot.nodes.some(
    (n) => n.metadata.name === 'minikube' || n.metadata.labels?.['minikube.k8s.io/name'] !== undefined,
  );
}

/** Names for prose, at most `max` of them: `a, b and 3 more`. */
export function listNames(names: readonly string[], max = 5): string {
  if (names.length === 0) return '';
  const shown = names.slice(0, max);
  const rest = names.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  if (shown.length === 1) return shown[0]!;
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}
