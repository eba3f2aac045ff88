// Where the scheduler's verdict on a pod is read: the newest FailedScheduling event about this
// very pod (not an earlier pod of the same name), else the PodScheduled condition. Shared by
// scheduling/pending, which explains the verdict, and the node rules, which link the pods their
// node keeps out under their own finding.
import type { Pod } from '../../../src/model/k8s.js';
import type { Snapshot } from '../../../src/store/snapshot.js';
import type { Evidence } from '../../../src/diagnose/types.js';
import { clip, eventEvidence, fieldEvidence } from '../../../src/diagnose/evidence.js';
import { arrayOf } from './placement.js';

export interface SchedulerVerdict {
  /** The scheduler's message as it wrote it. */
  text: string;
  /** Where it was read. */
  evidence: Evidence;
}

/** A pod not placed on a node yet and not on its way out. */
export function isUnscheduled(pod: Pod): boolean {
  if (!pod?.metadata || pod.metadata.deletionTimestamp) return false;
  if (pod.spec?.nodeName) return false;
  const phase = pod.status?.phase;
  return phase === undefined || phase === 'Pending';
}

/** `placed` when the pod is scheduled or gated on purpose; undefined when the scheduler has said nothing yet. */
export function readSchedulerVerdict(snapshot: Snapshot, pod: Pod): SchedulerVerdict | 'placed' | undefined {
  const conditions = arrayOf(pod.status?.conditions);
  const index = conditions.findIndex((c) => c?.type === 'PodScheduled');
  const condition = conditions[index];
  if (condition?.status === 'True' || condition?.reason === 'SchedulingGated') return 'placed';

  const uid = pod.metadata.uid;
  const failed = snapshot
    .eventsFor('Pod', pod.metadata.namespace, pod.metadata.name)
    .filter((e) => e.reason === 'FailedScheduling' && !(uid && e.involvedObject.uid && e.involvedObject.uid !== uid));
  const newest = failed[failed.length - 1];
  if (newest) {
    const text = typeof newest.message === 'string' ? newest.message : '';
    return { text, evidence: { ...eventEvidence(newest), text: clip(text) } };
  }
  if (condition?.status === 'False') {
    const text = typeof condition.message === 'string' ? condition.message : '';
    const reason = typeof condition.reason === 'string' ? condition.reason : '';
    return { text, evidence: fieldEvidence(pod, `status.conditions[${index}].message`, clip(text || reason)) };
  }
  return undefined;
}
