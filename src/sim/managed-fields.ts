// metadata.managedFields entries in the FieldsV1 format (`f:spec`, `k:{"name":"app"}`, `.`),
// so objects written through the simulator carry the same bookkeeping real ones do (and
// list sizes match a real cluster's). Ownership is approximated: a manager owns the fields
// its request set or changed.

type Obj = Record<string, unknown>;

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Update' | 'Apply';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Obj;
  subresource?: string;
}

/** Keys that identify items of associative lists (listType=map), in priority order. */
const ITEM_KEYS = ['name', 'type', 'uid', 'containerPort', 'mountPath', 'port', 'ip', 'topologyKey', 'key'];
const SERVER_OWNED = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'selfLink',
]);
const ROOT_SKIP = new Set(['kind', 'apiVersion']);

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function itemKey(item: Obj): string | undefined {
  for (const k of ITEM_KEYS) {
    const v = item[k];
    if (typeof v === 'string' || typeof v === 'number') return `k:${JSON.stringify({ [k]: v })}`;
  }
  return undefined;
}

function fieldsOf(value: unknown, nested: boolean): Obj {
  if (isObj(value)) {
    const out: Obj = nested ? { '.': {} } : {};
    for (const [k, v] of Object.entries(value)) out[`f:${k}`] = fieldsOf(v, true);
    return out;
  }
  if (Array.isArray(value) && value.length && value.every((v) => isObj(v) && itemKey(v))) {
    const out: Obj = {};
    for (const item of value as Obj[]) out[itemKey(item) as string] = fieldsOf(item, true);
    return out;
  }
  return {};
}

/** FieldsV1 of everything a manager set in `obj` (server-owned metadata left out). */
export function fieldsV1(obj: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(obj)) {
    if (ROOT_SKIP.has(k) || v === undefined) continue;
    if (k === 'metadata' && isObj(v)) {
      const meta: Obj = {};
      for (const [mk, mv] of Object.entries(v))
        if (!SERVER_OWNED.has(mk) && mv !== undefined) meta[`f:${mk}`] = fieldsOf(mv, true);
      if (Object.keys(meta).length) out['f:metadata'] = meta;
    } else out[`f:${k}`] = fieldsOf(v, false);
  }
  return out;
}

/** Only what differs between two versions of an object: the fields an update touched. */
export function changedFields(prev: unknown, next: unknown): unknown {
  if (JSON.stringify(prev) === JSON.stringify(next)) return undefined;
  if (!isObj(prev) || !isObj(next)) return next;
  const out: Obj = {};
  for (const [k, v] of Object.entries(next)) {
    const c = changedFields(prev[k], v);
    if (c !== undefined) out[k] = c;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Record that `manager` wrote `touched` (a partial object), replacing its earlier entry. */
export function recordManager(
  existing: readonly ManagedFieldsEntry[] | undefined,
  entry: { manager: string; apiVersion: string; time: string; subresource?: string },
  touched: Obj,
): ManagedFieldsEntry[] {
  const fields = fieldsV1(touched);
  const others = (existing ?? []).filter(
    (e) => !(e.manager === entry.manager && e.operation === 'Update' && e.subresource === entry.subresource),
  );
  if (Object.keys(fields).length === 0) return [...others];
  const next: ManagedFieldsEntry = {
    manager: entry.manager,
    operation: 'Update',
    apiVersion: entry.apiVersion,
    time: entry.time,
    fieldsType: 'FieldsV1',
    fieldsV1: fields,
  };
  if (entry.subresource) next.subresource = entry.subresource;
  return [...others, next];
}
