// The one place a Snapshot is put together from what was read: the one-shot load
// (`diagnose`) and the live store (the cockpit) both hand their lists, discovery, logs and
// forbidden lists here, so both always build the same cluster picture from the same read.
import type { DiscoveryResult } from '../kube/discovery.js';
import { SNAPSHOT_RESOURCES, type ResourceSpec, type SnapshotListField } from '../kube/resources.js';
import { releasesOf, type HelmSecretEntry } from '../kube/secrets.js';
import type { HelmRelease, KubeObject, LogTail } from '../model/k8s.js';
import { Snapshot, type SnapshotInput } from './snapshot.js';

export interface SnapshotParts {
  /** Namespace, version, time and the snapshot this one replaces (see SnapshotInput). */
  base: SnapshotInput;
  /** One array per list field, as `listsByField` builds them; the helm field holds the raw release Secrets. */
  lists: ReadonlyMap<SnapshotListField, readonly KubeObject[]>;
  /** Undefined when discovery has not answered (yet). */
  discovery?: Pick<DiscoveryResult, 'groups' | 'resources'> | undefined;
  logs: readonly LogTail[];
  /** Plural resource names the user may not list, `discovery` when discovery was refused, `pods/log` when logs were. */
  forbidden: Iterable<string>;
  /** A release Secret that could not be decoded: said once per change of the release list. */
  onWarning?: (message: string) => void;
}

/**
 * Concatenates each field's lists in SNAPSHOT_RESOURCES order (two lists can fill one field,
 * e.g. both webhook configuration kinds), so the same cluster always gives the same snapshot
 * whatever order the lists arrived in. `only` limits the work to the fields that changed.
 */
export function listsByField(
  objectsOf: (spec: ResourceSpec) => Iterable<KubeObject> | undefined,
  only?: ReadonlySet<SnapshotListField>,
): Map<SnapshotListField, KubeObject[]> {
  const fields = new Map<SnapshotListField, KubeObject[]>();
  for (const spec of SNAPSHOT_RESOURCES) {
    if (only && !only.has(spec.into)) continue;
    const objects = objectsOf(spec);
    if (!objects) continue;
    const into = fields.get(spec.into) ?? [];
    for (const o of objects) into.push(o);
    fields.set(spec.into, into);
  }
  return fields;
}

// Decoding every release Secret again on each of the live store's rebuilds would cost the
// cockpit a gunzip per release per pod update; the store hands over the same array until the
// release list changes, so the decoded releases are kept per array.
const decoded = new WeakMap<readonly KubeObject[], HelmRelease[]>();

function helmReleases(entries: readonly KubeObject[], warn: (message: string) => void): HelmRelease[] {
  const known = decoded.get(entries);
  if (known) return known;
  const { releases, problems } = releasesOf(entries as readonly HelmSecretEntry[]);
  for (const p of problems) warn(p);
  decoded.set(entries, releases);
  return releases;
}

export function assembleSnapshot(parts: SnapshotParts): Snapshot {
  const input: SnapshotInput = { ...parts.base };
  for (const [field, objects] of parts.lists) {
    if (field === 'helmReleases') input.helmReleases = helmReleases(objects, parts.onWarning ?? (() => undefined));
    else (input as Record<string, unknown>)[field] = objects;
  }
  if (parts.discovery) {
    input.apiResources = parts.discovery.resources;
    input.apiGroups = parts.discovery.groups;
  }
  input.logs = [...parts.logs];
  input.forbidden = [...new Set(parts.forbidden)];
  return new Snapshot(input);
}
