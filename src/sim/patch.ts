// The three patch formats the API server accepts. The difference that matters to kcockpit's
// fixes is list handling: a JSON merge patch replaces every list; a strategic merge patch
// merges only the lists the Go types mark with a patch merge key (pod containers by name,
// env by name, PodSpec.imagePullSecrets by name) and replaces the rest — including
// ServiceAccount.imagePullSecrets, which has no merge key; a JSON patch edits exactly what it
// names and fails when the path is missing.
import { unprocessable, badRequest } from './status.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7386. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v) as Json;
  }
  return out;
}

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw unprocessable(`JSON pointer must be empty or start with a "/": ${path}`);
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: unknown, parts: string[]): unknown {
  let cur: unknown = doc;
  for (const p of parts.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(p)];
    else if (isObject(cur)) cur = cur[p];
    else return undefined;
  }
  return cur;
}

function getAt(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const p of pointer(path)) {
    if (Array.isArray(cur)) cur = /^\d+$/.test(p) ? cur[Number(p)] : undefined;
    else if (isObject(cur)) cur = Object.prototype.hasOwnProperty.call(cur, p) ? cur[p] : undefined;
    else return undefined;
  }
  return cur;
}

const missing = (op: string, path: string): Error =>
  unprocessable(`jsonpatch ${op} operation does not apply: doc is missing path: "${path}": missing value`);

function addAt(doc: unknown, path: string, value: unknown, op = 'add'): unknown {
  const parts = pointer(path);
  if (parts.length === 0) return value;
  const parent = parentOf(doc, parts);
  const last = parts[parts.length - 1] as string;
  if (Array.isArray(parent)) {
    if (last === '-') parent.push(value);
    else {
      const i = Number(last);
      if (!/^\d+$/.test(last) || i > parent.length)
        throw unprocessable(`jsonpatch ${op} operation does not apply: index out of bounds: ${last}`);
      parent.splice(i, 0, value);
    }
  } else if (isObject(parent)) parent[last] = value as Json;
  else throw missing(op, path);
  return doc;
}

function removeAt(doc: unknown, path: string, op = 'remove'): unknown {
  const parts = pointer(path);
  const parent = parentOf(doc, parts);
  const last = parts[parts.length - 1] as string;
  if (Array.isArray(parent) && /^\d+$/.test(last) && Number(last) < parent.length) parent.splice(Number(last), 1);
  else if (isObject(parent) && Object.prototype.hasOwnProperty.call(parent, last)) delete parent[last];
  else throw missing(op, path);
  return doc;
}

/** RFC 6902, applied to a copy. */
export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc: unknown = structuredClone(target);
  for (const raw of ops as JsonPatchOp[]) {
    if (!isObject(raw as unknown) || typeof raw.path !== 'string') throw badRequest('invalid JSON patch operation');
    switch (raw.op) {
      case 'add':
        doc = addAt(doc, raw.path, structuredClone(raw.value));
        break;
      case 'remove':
        doc = removeAt(doc, raw.path);
        break;
      case 'replace':
        if (getAt(doc, raw.path) === undefined)
          throw unprocessable(
            `jsonpatch replace operation does not apply: doc is missing key: ${raw.path}: missing value`,
          );
        doc = addAt(removeAt(doc, raw.path, 'replace'), raw.path, structuredClone(raw.value), 'replace');
        break;
      case 'move': {
        const v = getAt(doc, raw.from ?? '');
        if (v === undefined) throw missing('move', raw.from ?? '');
        doc = addAt(removeAt(doc, raw.from ?? '', 'move'), raw.path, v, 'move');
        break;
      }
      case 'copy': {
        const v = getAt(doc, raw.from ?? '');
        if (v === undefined) throw missing('copy', raw.from ?? '');
        doc = addAt(doc, raw.path, structuredClone(v), 'copy');
        break;
      }
      case 'test':
        if (JSON.stringify(getAt(doc, raw.path)) !== JSON.stringify(raw.value))
          throw unprocessable(`testing value ${raw.path} failed: test failed`);
        break;
      default:
        throw badRequest(`Unexpected kind: ${String((raw as { op?: unknown }).op)}`);
    }
  }
  return doc;
}

/** Lists merged by key (patchStrategy "merge" + patchMergeKey in the Go types), relative to a PodSpec. */
const POD_SPEC_LISTS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  'containers.env': 'name',
  'initContainers.env': 'name',
  'containers.ports': 'containerPort',
  'initContainers.ports': 'containerPort',
  'containers.volumeMounts': 'mountPath',
  'initContainers.volumeMounts': 'mountPath',
  volumes: 'name',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
};

/** Primitive lists with patchStrategy "merge": patched values are added, not replacing the list. */
const PRIMITIVE_MERGE = new Set(['metadata.finalizers']);

const COMMON_LISTS: Record<string, string> = { 'metadata.ownerReferences': 'uid', 'status.conditions': 'type' };

const KIND_LISTS: Record<string, Record<string, string>> = {
  ServiceAccount: { secrets: 'name' },
  Service: { 'spec.ports': 'port' },
  Node: { 'status.addresses': 'type' },
  MutatingWebhookConfiguration: { webhooks: 'name' },
  ValidatingWebhookConfiguration: { webhooks: 'name' },
};

const POD_SPEC_AT: Record<string, string> = {
  Pod: 'spec',
  Deployment: 'spec.template.spec',
  StatefulSet: 'spec.template.spec',
  ReplicaSet: 'spec.template.spec',
  DaemonSet: 'spec.template.spec',
  Job: 'spec.template.spec',
  CronJob: 'spec.jobTemplate.spec.template.spec',
};

/** The kinds whose Go types the server knows; custom resources reject strategic merge patches. */
export const STRATEGIC_KINDS = new Set([
  'Pod',
  'Deployment',
  'StatefulSet',
  'ReplicaSet',
  'DaemonSet',
  'Job',
  'Service',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'Namespace',
  'Node',
  'Event',
  'PersistentVolumeClaim',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'CronJob',
  'Endpoints',
  'EndpointSlice',
  'HorizontalPodAutoscaler',
  'Ingress',
  'IngressClass',
  'LimitRange',
  'NetworkPolicy',
  'PersistentVolume',
  'PodDisruptionBudget',
  'ResourceQuota',
  'StorageClass',
]);

function mergeKeyFor(kind: string, path: string): string | undefined {
  const specAt = POD_SPEC_AT[kind];
  if (specAt && path.startsWith(`${specAt}.`)) {
    const key = POD_SPEC_LISTS[path.slice(specAt.length + 1)];
    if (key) return key;
  }
  return COMMON_LISTS[path] ?? KIND_LISTS[kind]?.[path];
}

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

function strategicMap(kind: string, path: string, target: unknown, patch: JsonObject): Json | undefined {
  if (patch['$patch'] === 'delete') return undefined;
  if (patch['$patch'] === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return rest;
  }
  const out: JsonObject = isObject(target) ? { ...target } : {};
  const retain = Array.isArray(patch['$retainKeys']) ? (patch['$retainKeys'] as string[]) : undefined;
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      const cur = out[field];
      if (Array.isArray(cur) && Array.isArray(v)) out[field] = cur.filter((x) => !v.includes(x));
      continue;
    }
    const sub = join(path, k);
    if (v === null) {
      delete out[k];
    } else if (Array.isArray(v)) {
      const merged = strategicList(kind, sub, out[k], v);
      out[k] = merged;
    } else if (isObject(v)) {
      const merged = strategicMap(kind, sub, out[k], v);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    } else out[k] = v;
  }
  if (retain) for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  return out;
}

function strategicList(kind: string, path: string, target: unknown, patch: Json[]): Json[] {
  if (patch.some((p) => isObject(p) && p['$patch'] === 'replace')) {
    return patch.filter((p) => !(isObject(p) && p['$patch'] === 'replace'));
  }
  const current = Array.isArray(target) ? [...target] : [];
  if (PRIMITIVE_MERGE.has(path)) {
    for (const v of patch) if (!current.includes(v)) current.push(v);
    return current;
  }
  const key = mergeKeyFor(kind, path);
  if (!key) return patch;
  for (const item of patch) {
    if (!isObject(item)) continue;
    const idx = current.findIndex((c) => isObject(c) && c[key] === item[key]);
    if (item['$patch'] === 'delete') {
      if (idx >= 0) current.splice(idx, 1);
      continue;
    }
    if (idx >= 0) current[idx] = strategicMap(kind, path, current[idx], item) ?? null;
    else current.push(strategicMap(kind, path, {}, item) ?? null);
  }
  return current;
}

/** application/strategic-merge-patch+json for a built-in kind. */
export function strategicMergePatch(kind: string, target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) throw badRequest('strategic merge patch must be a JSON object');
  return strategicMap(kind, '', target, patch) ?? {};
}
