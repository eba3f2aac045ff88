// Looking objects up for the views: owner chains as refs, and which pods a drill shows.
import type { KubeObject, Pod, Service } from '../../src/model/k8s.js';
import type { ObjectRef } from '../../src/diagnose/types.js';
import { refKey, refOf } from '../../src/model/selectors.js';
import type { Snapshot } from '../../src/store/snapshot.js';

/**
 * The object and its owners as refs, nearest first (Pod → ReplicaSet → Deployment). List
 * items often carry no `kind`, so each owner's kind is read from the reference that led to it.
 */
export function selfAndOwners(snapshot: Snapshot, obj: KubeObject, kind: string): ObjectRef[] {
  const refs: ObjectRef[] = [refOf(obj, kind)];
  let previous = obj;
  for (const owner of snapshot.ownerChain(obj)) {
    const via = previous.metadata.ownerReferences?.find(
      (r) => (owner.metadata.uid && r.uid === owner.metadata.uid) || r.name === owner.metadata.name,
    );
    refs.push(refOf(owner, owner.kind ?? via?.kind));
    previous = owner;
  }
  return refs;
}

/** What describe and YAML say when the object left the cluster after the view opened. */
export function missingText(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name} is not in the cluster picture (deleted, or not listed).`;
}

/**
 * Which rows of another view a drill shows: the objects `ref` owns (a CronJob's Jobs), or the
 * ones it names (an Ingress's Services), in `ref`'s namespace.
 */
export type RowScope = { kind: 'owned'; ref: ObjectRef } | { kind: 'named'; ref: ObjectRef; names: readonly string[] };

export const rowScopeLabel = (scope: RowScope): string => `${scope.ref.kind.toLowerCase()}/${scope.ref.name}`;

export function inRowScope(obj: KubeObject, scope: RowScope): boolean {
  if (obj.metadata.namespace !== scope.ref.namespace) return false;
  return scope.kind === 'owned'
    ? (obj.metadata.ownerReferences ?? []).some((r) => r.kind === scope.ref.kind && r.name === scope.ref.name)
    : scope.names.includes(obj.metadata.name);
}

/** Which pods a drilled-into pods view shows. */
export type PodScope =
  | { kind: 'release'; namespace: string; name: string }
  | { kind: 'owner'; ref: ObjectRef }
  | { kind: 'service'; ref: ObjectRef }
  /** The pods a node runs (`spec.nodeName`). */
  | { kind: 'node'; name: string }
  /** The pods mounting a PersistentVolumeClaim. */
  | { kind: 'claim'; ref: ObjectRef };

export function scopeLabel(scope: PodScope): string {
  switch (scope.kind) {
    case 'release':
      return `release ${scope.name}`;
    case 'owner':
    case 'service':
    case 'claim':
      return `${scope.ref.kind.toLowerCase()}/${scope.ref.name}`;
    case 'node':
      return `node/${scope.name}`;
  }
}

function ownedBy(snapshot: Snapshot, owner: ObjectRef): (pod: Pod) => boolean {
  const key = refKey(owner);
  // The pod's own owner reference counts even when the owner is not in the snapshot (a Job
  // or a DaemonSet the store does not list).
  const direct = (pod: Pod) =>
    pod.metadata.namespace === owner.namespace &&
    (pod.metadata.ownerReferences ?? []).some((r) => r.kind === owner.kind && r.name === owner.name);
  return (pod) => direct(pod) || selfAndOwners(snapshot, pod, 'Pod').some((r) => refKey(r) === key);
}

export function podsInScope(snapshot: Snapshot, pods: readonly Pod[], scope: PodScope): Pod[] {
  switch (scope.kind) {
    case 'release':
      return pods.filter((p) => {
        const r = snapshot.helmReleaseOf(p);
        return r !== undefined && r.name === scope.name && r.namespace === scope.namespace;
      });
    case 'owner':
      return pods.filter(ownedBy(snapshot, scope.ref));
    case 'service': {
      const svc = snapshot.get<Service>('Service', scope.ref.namespace, scope.ref.name);
      const selected = new Set(svc ? snapshot.podsForService(svc) : []);
      return pods.filter((p) => selected.has(p));
    }
    case 'node':
      return pods.filter((p) => p.spec.nodeName === scope.name);
    case 'claim':
      return pods.filter(
        (p) =>
          p.metadata.namespace === scope.ref.namespace &&
          (p.spec.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === scope.ref.name),
      );
  }
}

/**
 * The namespaces `:pods <namespace>` is checked and completed against: the listed ones, and
 * those pods live in (a user who may not list namespaces still has pods in some), sorted.
 */
export function knownNamespaces(snapshot: Snapshot): string[] {
  return [
    ...new Set([
      ...snapshot.namespaces.map((n) => n.metadata.name),
      ...snapshot.pods.map((p) => p.metadata.namespace ?? ''),
    ]),
  ]
    .filter(Boolean)
    .sort();
}
