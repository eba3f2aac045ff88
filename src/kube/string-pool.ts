// One copy of each repeated string. JSON.parse gives every string value its own copy, so
// 10,000 pods hold the same images, env values, node names and condition timestamps, and
// 50,000 events the same messages and involved objects, thousands of times over. Strings
// are immutable: sharing them changes no value a reader can see.
//
// The pool forgets what is no longer asked for: it keeps two generations and drops the older
// one when the newer fills up, so strings of objects long gone (a deleted pod's node and
// image) do not stay alive through the pool.
import type { KubeObject } from '../model/k8s.js';

/** V8 already shares the string values of up to this length that JSON.parse reads. */
export const SHARED_BY_V8 = 10;

export class StringPool {
  private young = new Map<string, string>();
  private old = new Map<string, string>();

  /**
   * `generation`: how many strings the newer generation holds before the older one is
   * dropped. Strings that recur (images, nodes, namespaces, labels, timestamps of one
   * rollout) recur within 30,000 others; at 10,000 pods and 50,000 events a pool of 100,000
   * a generation kept 3 MB more, most of it the pool's own entries (decisions/0022).
   */
  constructor(private readonly generation = 30_000) {}

  /** A string equal to `s`: the pool's copy when it has one. */
  get(s: string): string {
    if (s.length <= SHARED_BY_V8) return s;
    const young = this.young.get(s);
    if (young !== undefined) return young;
    const pooled = this.old.get(s) ?? s;
    this.young.set(pooled, pooled);
    if (this.young.size >= this.generation) {
      this.old = this.young;
      this.young = new Map();
    }
    return pooled;
  }

  get size(): number {
    return this.young.size + this.old.size;
  }
}

/** Metadata fields that belong to one object alone: pooling them would only fill the pool. */
export const OWN_METADATA: ReadonlySet<string> = new Set(['name', 'uid', 'resourceVersion']);

/**
 * Replace every string in an object (nested objects and arrays too) by the pool's equal copy,
 * in place. Keys need nothing: JSON.parse already shares property names.
 */
export function shareStrings(obj: KubeObject, pool: StringPool): void {
  shareStringsIn(obj, pool, undefined);
}

/**
 * The same below any object or array; `skip`: keys of this object whose strings are its own.
 * `for...in` rather than Object.keys, and the length test before the call: this runs for
 * every field of every listed object.
 */
function shareStringsIn(value: object, pool: StringPool, skip: ReadonlySet<string> | undefined): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'object' && v !== null) shareStringsIn(v, pool, undefined);
      else if (typeof v === 'string' && v.length > SHARED_BY_V8) value[i] = pool.get(v);
    }
    return;
  }
  const fields = value as Record<string, unknown>;
  for (const k in fields) {
    const v = fields[k];
    if (typeof v === 'object' && v !== null) shareStringsIn(v, pool, k === 'metadata' ? OWN_METADATA : undefined);
    else if (typeof v === 'string' && v.length > SHARED_BY_V8 && !skip?.has(k)) fields[k] = pool.get(v);
  }
}
