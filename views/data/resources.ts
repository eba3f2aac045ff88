// Between a view entry's `resource` text and discovery's resources: which ApiResourceInfo a
// `resource` view lists, which one serves an ObjectRef (describe / YAML of any kind), and the
// ObjectRef of a Table row. Pure: the catalogue comes from the snapshot.
import type { ObjectRef } from '../../src/diagnose/types.js';
import type { ApiResourceInfo, KubeObject } from '../../src/model/k8s.js';
import { qualifiedName, type ResourceCatalog } from '../../src/model/resource-catalog.js';

/** What a ViewEntry keeps: `configmaps`, `widgets.samples.example.com`. */
export const resourceKey = (r: ApiResourceInfo): string => qualifiedName(r);

/** The resource an entry names, at its preferred version; undefined when the server no longer serves it. */
export function resourceOf(catalog: ResourceCatalog, key: string): ApiResourceInfo | undefined {
  const dot = key.indexOf('.');
  return dot < 0 ? catalog.byGroupResource('', key) : catalog.byGroupResource(key.slice(dot + 1), key.slice(0, dot));
}

export const apiVersionOf = (r: ApiResourceInfo): string => (r.group ? `${r.group}/${r.version}` : r.version);

/** The resource serving a ref's kind: its own apiVersion when it has one, else the first group serving the kind. */
export function resourceOfRef(catalog: ResourceCatalog, ref: ObjectRef): ApiResourceInfo | undefined {
  const byKind = catalog.resources.filter((r) => r.kind === ref.kind && !r.name.includes('/'));
  if (!ref.apiVersion) return byKind.find((r) => r.preferred !== false) ?? byKind[0];
  return byKind.find((r) => apiVersionOf(r) === ref.apiVersion);
}

export function refOfRow(resource: ApiResourceInfo, obj: KubeObject): ObjectRef {
  const ref: ObjectRef = { kind: resource.kind, name: obj.metadata.name, apiVersion: apiVersionOf(resource) };
  if (resource.namespaced && obj.metadata.namespace) ref.namespace = obj.metadata.namespace;
  return ref;
}

/** A field of an object the Table form carries whole, read without trusting its shape. */
export function at(obj: unknown, ...path: string[]): unknown {
  let v = obj;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  return v;
}

export const text = (v: unknown, none = '<none>'): string =>
  typeof v === 'string' ? v || none : typeof v === 'number' || typeof v === 'boolean' ? String(v) : none;

export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export const count = (v: unknown): number =>
  v !== null && typeof v === 'object' ? Object.keys(v as object).length : 0;
