// Small builders shared by rule plugins, so every rule words evidence and subjects the same way.
import type { KubeEvent, KubeObject, Pod } from '../model/k8s.js';
import { refOf, refKey } from '../model/selectors.js';
import { eventTime, type Snapshot } from '../store/snapshot.js';
import type { Evidence, ObjectRef } from './types.js';

export { refOf, refKey };

export function eventEvidence(e: KubeEvent): Evidence {
  const ev: Evidence = { source: 'event', text: e.message ?? '', reason: e.reason ?? '' };
  if (e.involvedObject.name) {
    ev.ref = { kind: e.involvedObject.kind ?? 'Unknown', name: e.involvedObject.name };
    if (e.involvedObject.namespace) ev.ref.namespace = e.involvedObject.namespace;
  }
  const count = e.count ?? e.series?.count;
  if (count !== undefined) ev.count = count;
  const at = eventTime(e);
  if (at) ev.at = at;
  return ev;
}

export function fieldEvidence(
  obj: KubeObject,
  path: string,
  text: string,
  source: 'status' | 'spec' = 'status',
): Evidence {
  return { source, ref: refOf(obj), path, text };
}

/** Warning events about an object, newest last. */
export function warnings(snapshot: Snapshot, obj: KubeObject, kind = obj.kind ?? 'Pod'): KubeEvent[] {
  return snapshot.eventsFor(kind, obj.metadata.namespace, obj.metadata.name).filter((e) => e.type === 'Warning');
}

/**
 * The object a finding about a pod should name: its top owner (Deployment, StatefulSet,
 * DaemonSet, Job) so that ten failing replicas make one finding, and finding ids stay
 * stable when pods are recreated with new names.
 */
export function subjectOf(snapshot: Snapshot, pod: Pod): KubeObject {
  return snapshot.topOwner(pod);
}

/** Group pods by their top owner; the key is the owner's ref key. */
export function groupByOwner(
  snapshot: Snapshot,
  pods: readonly Pod[],
): Map<string, { owner: KubeObject; pods: Pod[] }> {
  const groups = new Map<string, { owner: KubeObject; pods: Pod[] }>();
  for (const pod of pods) {
    const owner = subjectOf(snapshot, pod);
    const k = refKey(refOf(owner));
    const g = groups.get(k);
    if (g) g.pods.push(pod);
    else groups.set(k, { owner, pods: [pod] });
  }
  return groups;
}

/** `<ruleId>:<namespace>/<Kind>/<name>[#detail]` — stable across runs for the same object and cause. */
export function findingId(ruleId: string, subject: ObjectRef, detail?: string): string {
  return `${ruleId}:${subject.namespace ?? ''}/${subject.kind}/${subject.name}${detail ? `#${detail}` : ''}`;
}

/** `-n <ns>` for commands shown to users; empty for cluster-scoped objects. */
export function nsFlag(namespace: string | undefined): string {
  return namespace ? ` -n ${namespace}` : '';
}

/** Lowercase kind as kubectl takes it on the command line (`statefulset/elasticsearch-master`). */
export function kubectlName(ref: ObjectRef): string {
  return `${ref.kind.toLowerCase()}/${ref.name}`;
}
