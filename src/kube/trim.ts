// What is dropped from every object as soon as it is parsed. managedFields is often a third
// of a pod's JSON and the last-applied annotation repeats the whole spec; nothing in
// kcockpit reads either, and keeping them would double the memory of a 10,000-pod cluster.
import type { KubeObject } from '../model/k8s.js';

const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Drop managedFields and the last-applied annotation, and stamp kind/apiVersion, which list
 * items do not carry (the API server puts them on the list only). Mutates: the object was
 * just parsed and nobody else holds it.
 */
export function trimObject<T extends KubeObject>(obj: T, kind?: string, apiVersion?: string): T {
  const meta = obj.metadata as KubeObject['metadata'] | undefined;
  if (meta) {
    if (meta.managedFields !== undefined) delete meta.managedFields;
    if (meta.annotations && meta.annotations[LAST_APPLIED_ANNOTATION] !== undefined)
      delete meta.annotations[LAST_APPLIED_ANNOTATION];
  }
  if (kind !== undefined && obj.kind === undefined) obj.kind = kind;
  if (apiVersion !== undefined && obj.apiVersion === undefined) obj.apiVersion = apiVersion;
  return obj;
}

/** `PodList` → `Pod`. */
export function itemKind(listKind: string | undefined): string | undefined {
  return listKind?.endsWith('List') ? listKind.slice(0, -'List'.length) : undefined;
}
