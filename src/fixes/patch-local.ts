// The two patch formats the plans use, applied locally: to show the user the object as it
// will be (the preview diff) and to tell whether an object that changed meanwhile still means
// the same to a patch (the conflict retry). The API server applies the real thing.
import type { JsonPatchOp } from '../model/fix-plan.js';

type Json = unknown;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class PatchError extends Error {
  override readonly name = 'PatchError';
}

/** RFC 6901: `/a/b~1c` → ['a', 'b/c']. */
export function pointerParts(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(`a JSON pointer starts with "/": ${path}`);
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function toPointer(parts: readonly string[]): string {
  return parts.map((p) => `/${p.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** The value at a pointer, or undefined when the path does not exist. */
export function valueAt(doc: Json, path: string): Json | undefined {
  let cur: Json = doc;
  for (const p of pointerParts(path)) {
    if (Array.isArray(cur)) cur = /^\d+$/.test(p) ? cur[Number(p)] : undefined;
    else if (isObject(cur)) cur = Object.prototype.hasOwnProperty.call(cur, p) ? cur[p] : undefined;
    else return undefined;
  }
  return cur;
}

export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    return (
      ka.length === Object.keys(b).length &&
      ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]))
    );
  }
  return false;
}

function parentOf(doc: Json, parts: string[], path: string): Json {
  let cur: Json = doc;
  for (const p of parts.slice(0, -1)) {
    cur = Array.isArray(cur) ? cur[Number(p)] : isObject(cur) ? cur[p] : undefined;
    if (cur === undefined) throw new PatchError(`the path ${path} does not exist`);
  }
  return cur;
}

function add(doc: Json, path: string, value: Json): Json {
  const parts = pointerParts(path);
  if (parts.length === 0) return value;
  const parent = parentOf(doc, parts, path);
  const last = parts[parts.length - 1]!;
  if (Array.isArray(parent)) {
    if (last === '-') parent.push(value);
    else if (/^\d+$/.test(last) && Number(last) <= parent.length) parent.splice(Number(last), 0, value);
    else throw new PatchError(`index ${last} is out of bounds at ${path}`);
  } else if (isObject(parent)) parent[last] = value;
  else throw new PatchError(`the path ${path} does not exist`);
  return doc;
}

function remove(doc: Json, path: string): Json {
  const parts = pointerParts(path);
  const parent = parentOf(doc, parts, path);
  const last = parts[parts.length - 1]!;
  if (Array.isArray(parent) && /^\d+$/.test(last) && Number(last) < parent.length) parent.splice(Number(last), 1);
  else if (isObject(parent) && Object.prototype.hasOwnProperty.call(parent, last)) delete parent[last];
  else throw new PatchError(`the path ${path} does not exist`);
  return doc;
}

/** RFC 6902 on a copy. Throws PatchError where the API server would refuse the patch. */
export function applyJsonPatch<T>(target: T, ops: readonly JsonPatchOp[]): T {
  let doc: Json = structuredClone(target);
  for (const op of ops) {
    switch (op.op) {
      case 'add':
        doc = add(doc, op.path, structuredClone(op.value));
        break;
      case 'remove':
        doc = remove(doc, op.path);
        break;
      case 'replace':
        if (valueAt(doc, op.path) === undefined) throw new PatchError(`the path ${op.path} does not exist`);
        doc = add(remove(doc, op.path), op.path, structuredClone(op.value));
        break;
      case 'test':
        if (!deepEqual(valueAt(doc, op.path), op.value))
          throw new PatchError(
            `the test of ${op.path} failed: it is ${JSON.stringify(valueAt(doc, op.path) ?? null)}, not ${JSON.stringify(op.value)}`,
          );
        break;
    }
  }
  return doc as T;
}

/** RFC 7386 on a copy: null deletes, objects merge, everything else (lists too) replaces. */
export function applyMergePatch<T>(target: T, patch: unknown): T {
  const merge = (t: Json, p: Json): Json => {
    if (!isObject(p)) return structuredClone(p);
    const out: Record<string, unknown> = isObject(t) ? { ...t } : {};
    for (const [k, v] of Object.entries(p)) {
      if (v === null) delete out[k];
      else out[k] = merge(out[k], v);
    }
    return out;
  };
  return merge(target, patch) as T;
}

/** The pointers a merge patch sets or deletes (objects are descended into, lists are leaves). */
export function mergePatchLeaves(patch: unknown, prefix: string[] = []): string[] {
  if (!isObject(patch)) return [toPointer(prefix)];
  return Object.entries(patch).flatMap(([k, v]) => mergePatchLeaves(v, [...prefix, k]));
}
