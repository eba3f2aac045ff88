// What the simulated controllers share: owner references as the controllers write them, pod
// readiness, status writes that only happen on change (so a controller does not feed its own
// watch forever), and conditions replaced the way SetCondition helpers do it.
import type { KubeObject, OwnerReference, Pod } from '../../model/k8s.js';
import type { SimState } from '../state.js';

export const controllerOf = (o: KubeObject): OwnerReference | undefined =>
  o.metadata.ownerReferences?.find((r) => r.controller);

export const isReady = (p: Pod): boolean =>
  (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

export const isTerminal = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

export function ownerRef(owner: KubeObject): OwnerReference & { blockOwnerDeletion: boolean } {
  return {
    apiVersion: owner.apiVersion as string,
    kind: owner.kind as string,
    name: owner.metadata.name,
    uid: owner.metadata.uid as string,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Objects of `kind` whose controller is `owner`. */
export function ownedBy<T extends KubeObject>(state: SimState, kind: string, owner: KubeObject): T[] {
  return state.objectsOf<T>(kind, owner.metadata.namespace).filter((o) => controllerOf(o)?.uid === owner.metadata.uid);
}

/** Replace an object's status when it changed; returns whether it wrote. */
export function writeStatus(state: SimState, obj: KubeObject, status: unknown): boolean {
  const current = (obj as { status?: unknown }).status;
  if (JSON.stringify(current ?? {}) === JSON.stringify(status ?? {})) return false;
  state.update({ ...obj, metadata: { ...obj.metadata, resourceVersion: '' }, status } as KubeObject);
  return true;
}

/** Replace the whole object when anything but its resourceVersion changed. */
export function writeObject<T extends KubeObject>(state: SimState, before: T, after: T): boolean {
  const strip = (o: KubeObject) => JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: '' } });
  if (strip(before) === strip(after)) return false;
  state.update({ ...after, metadata: { ...after.metadata, resourceVersion: '' } });
  return true;
}

/** Object fields in Go's JSON order for a map (sorted keys), as `kubectl apply` stores its last-applied copy. */
export function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}
