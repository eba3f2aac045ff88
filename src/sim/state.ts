// An etcd-like store: every write bumps one global resourceVersion, emits a watch event to
// subscribers and lands in a bounded history, so a watch from an old resourceVersion replays
// what it missed and one from before the history's start gets 410 Expired. Objects are
// immutable once stored (writers pass new objects), which is what lets each entry cache its
// JSON and a 10,000-pod list be built by concatenation.
import { randomUUID } from 'node:crypto';
import type { KubeObject, ObjectMeta } from '../model/k8s.js';
import { rfc3339 } from './clock.js';
import { LogStore } from './logs-store.js';
import { mergePatch } from './patch.js';
import { apiVersionOf, resourceKey, ResourceRegistry, type ResourceDef } from './resources.js';
import { alreadyExists, badRequest, conflict, expired, notFound } from './status.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** Object key inside one resource, relative to the resource's prefix (etcd's ordering). */
export const keyOf = (namespace: string | undefined, name: string): string =>
  namespace ? `${namespace}/${name}` : name;

export class Entry {
  private cachedItemJson: string | undefined;
  readonly key: string;

  constructor(
    readonly def: ResourceDef,
    readonly obj: KubeObject,
    /** The revision of the write that produced this state (for DELETED: of the delete). */
    readonly rv: number,
  ) {
    this.key = keyOf(obj.metadata.namespace, obj.metadata.name);
  }

  /** The object as a list item: like the real server, without kind and apiVersion. */
  itemJson(): string {
    if (this.cachedItemJson === undefined) {
      const { kind: _kind, apiVersion: _apiVersion, ...rest } = this.obj;
      this.cachedItemJson = JSON.stringify(rest);
    }
    return this.cachedItemJson;
  }

  fullJson(): string {
    return `{"kind":${JSON.stringify(this.def.kind)},"apiVersion":${JSON.stringify(apiVersionOf(this.def))},${this.itemJson().slice(1)}`;
  }
}

export interface WatchEvent {
  type: WatchEventType;
  entry: Entry;
  /** The state before a MODIFIED or DELETED, so selector watches can tell objects that left the selection. */
  prev?: Entry;
}

export type Listener = (event: WatchEvent) => void;

export const sameResource = (a: ResourceDef, b: ResourceDef): boolean =>
  a === b || (a.group === b.group && a.resource === b.resource);

const METADATA_ORDER = [
  'name',
  'generateName',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
];

/** kind, apiVersion, metadata first and metadata in the server's field order; the rest as given. */
function canonical(def: ResourceDef, obj: KubeObject): KubeObject {
  const meta = obj.metadata as unknown as Record<string, unknown>;
  const orderedMeta: Record<string, unknown> = {};
  for (const k of METADATA_ORDER) if (meta[k] !== undefined) orderedMeta[k] = meta[k];
  for (const [k, v] of Object.entries(meta)) if (!(k in orderedMeta) && v !== undefined) orderedMeta[k] = v;
  const { kind: _k, apiVersion: _a, metadata: _m, ...rest } = obj as KubeObject & Record<string, unknown>;
  return { kind: def.kind, apiVersion: apiVersionOf(def), metadata: orderedMeta as unknown as ObjectMeta, ...rest };
}

class ResourceTable {
  readonly entries = new Map<string, Entry>();
  private sorted: string[] | undefined;

  sortedKeys(): string[] {
    if (!this.sorted) this.sorted = [...this.entries.keys()].sort();
    return this.sorted;
  }

  set(entry: Entry): void {
    if (!this.entries.has(entry.key)) this.sorted = undefined;
    this.entries.set(entry.key, entry);
  }

  delete(key: string): void {
    if (this.entries.delete(key)) this.sorted = undefined;
  }
}

export interface SimStateOptions {
  /** Watch events kept for replay; older resourceVersions get 410 Expired. */
  historyLimit?: number;
  clock?: () => number;
}

export class SimState {
  readonly logs = new LogStore();
  /** By resourceKey: a CRD updated while served gets a new def object but keeps its objects. */
  private readonly tables = new Map<string, ResourceTable>();
  private readonly listeners = new Set<Listener>();
  private history: WatchEvent[] = [];
  private rv = 0;
  private compacted = 0;
  private readonly historyLimit: number;
  readonly now: () => number;

  constructor(
    readonly registry: ResourceRegistry,
    opts: SimStateOptions = {},
  ) {
    this.historyLimit = opts.historyLimit ?? 10_000;
    this.now = opts.clock ?? Date.now;
  }

  get resourceVersion(): number {
    return this.rv;
  }

  /** The oldest resourceVersion a watch or a continue token may still start from. */
  get compactedRevision(): number {
    return this.compacted;
  }

  defFor(obj: KubeObject): ResourceDef {
    const d = obj.kind ? this.registry.forKind(obj.kind, obj.apiVersion) : undefined;
    if (!d) throw badRequest(`no matches for kind "${obj.kind ?? ''}" in version "${obj.apiVersion ?? ''}"`);
    return d;
  }

  private table(d: ResourceDef): ResourceTable {
    const key = resourceKey(d);
    let t = this.tables.get(key);
    if (!t) {
      if (!this.registry.all.some((o) => sameResource(o, d)))
        throw new Error(`resource ${d.resource} is not registered`);
      t = new ResourceTable();
      this.tables.set(key, t);
    }
    return t;
  }

  /** Forget a resource's objects without events: it is no longer served (its CRD is gone). */
  dropResource(d: ResourceDef): void {
    this.tables.delete(resourceKey(d));
  }

  get(d: ResourceDef, namespace: string | undefined, name: string): Entry | undefined {
    return this.table(d).entries.get(keyOf(d.namespaced ? namespace : undefined, name));
  }

  /** Entries in key order (namespace, then name), optionally within one namespace. */
  list(d: ResourceDef, namespace?: string): Entry[] {
    const { keys, from, to } = this.keyRange(d, namespace);
    const entries = this.table(d).entries;
    const out: Entry[] = [];
    for (let i = from; i < to; i++) out.push(entries.get(keys[i] as string) as Entry);
    return out;
  }

  /**
   * Positions [from, to) in the resource's sorted keys: all of them, those of one namespace,
   * and only those after `after` (a full key, exclusive) — what paged lists walk.
   */
  keyRange(d: ResourceDef, namespace?: string, after?: string): { keys: readonly string[]; from: number; to: number } {
    const keys = this.table(d).sortedKeys();
    const firstAbove = (bound: string, inclusive: boolean): number => {
      let lo = 0;
      let hi = keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const k = keys[mid] as string;
        if (k < bound || (!inclusive && k === bound)) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    let from = 0;
    let to = keys.length;
    if (namespace && d.namespaced) {
      // '/' + 1 code point = '0': every key of the namespace sorts in [`ns/`, `ns0`).
      from = firstAbove(`${namespace}/`, true);
      to = firstAbove(`${namespace}0`, true);
    }
    if (after !== undefined) from = Math.max(from, firstAbove(after, false));
    return { keys, from, to };
  }

  entryAt(d: ResourceDef, key: string): Entry | undefined {
    return this.table(d).entries.get(key);
  }

  /** Look an object up by kind name (`Pod`, `Deployment`), as tests and the demo do. */
  find(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const d = this.registry.forKind(kind);
    return d ? this.get(d, namespace, name)?.obj : undefined;
  }

  /** Every object of a kind (`Pod`, `ResourceQuota`), optionally within one namespace; none when the kind is not served. */
  objectsOf<T extends KubeObject>(kind: string, namespace?: string): T[] {
    const d = this.registry.forKind(kind);
    return d ? this.list(d, namespace).map((e) => e.obj as T) : [];
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events after `rv` for one resource; throws 410 Expired when history no longer reaches back that far. */
  eventsSince(d: ResourceDef, rv: number): WatchEvent[] {
    if (rv < this.compacted) throw expired(`too old resource version: ${rv} (${this.compacted})`);
    const out: WatchEvent[] = [];
    // History is ordered by rv: binary-search the first event after rv.
    let lo = 0;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.history[mid] as WatchEvent).entry.rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.history.length; i++) {
      const ev = this.history[i] as WatchEvent;
      if (sameResource(ev.entry.def, d)) out.push(ev);
    }
    return out;
  }

  /** Forget all history: every earlier resourceVersion now answers 410 (what etcd compaction does). */
  compact(): void {
    this.history = [];
    this.compacted = this.rv;
  }

  /**
   * Store the initial objects without history, as if they had been there before anyone watched.
   * Objects are taken as they are (no copy): the caller hands them over.
   */
  load(objects: Iterable<KubeObject>): void {
    for (const obj of objects) {
      const d = this.defFor(obj);
      const stored = canonical(d, this.withSystemFields(d, obj, ++this.rv));
      this.table(d).set(new Entry(d, stored, this.rv));
    }
    this.compact();
  }

  /** Store a new object; 409 AlreadyExists when the name is taken. */
  create(obj: KubeObject): Entry {
    const d = this.defFor(obj);
    const ns = d.namespaced ? obj.metadata.namespace : undefined;
    if (this.get(d, ns, obj.metadata.name)) throw alreadyExists(d, obj.metadata.name);
    const rv = this.rv + 1;
    const entry = new Entry(d, canonical(d, this.withSystemFields(d, obj, rv)), rv);
    this.commit({ type: 'ADDED', entry });
    return entry;
  }

  /**
   * Replace an existing object. With `metadata.resourceVersion` set, it must match the stored one
   * (optimistic concurrency, 409 Conflict otherwise), like a PUT.
   */
  update(obj: KubeObject): Entry {
    const d = this.defFor(obj);
    const prev = this.get(d, obj.metadata.namespace, obj.metadata.name);
    if (!prev) throw notFound(d, obj.metadata.name);
    const wanted = obj.metadata.resourceVersion;
    if (wanted && wanted !== prev.obj.metadata.resourceVersion) throw conflict(d, obj.metadata.name);
    const rv = this.rv + 1;
    const next = this.withSystemFields(d, obj, rv, prev.obj);
    const entry = new Entry(d, canonical(d, next), rv);
    this.commit({ type: 'MODIFIED', entry, prev });
    return entry;
  }

  /** Create or replace regardless of resourceVersion (for tests and the demo). */
  apply(obj: KubeObject): Entry {
    const d = this.defFor(obj);
    const existing = this.get(d, obj.metadata.namespace, obj.metadata.name);
    if (!existing) return this.create(obj);
    return this.update({
      ...obj,
      metadata: { ...obj.metadata, resourceVersion: existing.obj.metadata.resourceVersion as string },
    });
  }

  /** Remove an object; the DELETED event carries the object at the delete's revision. */
  remove(d: ResourceDef, namespace: string | undefined, name: string): Entry {
    const prev = this.get(d, namespace, name);
    if (!prev) throw notFound(d, name);
    const rv = this.rv + 1;
    const last = canonical(d, { ...prev.obj, metadata: { ...prev.obj.metadata, resourceVersion: String(rv) } });
    const entry = new Entry(d, last, rv);
    this.commit({ type: 'DELETED', entry, prev });
    if (d.resource === 'pods' && !d.group) this.logs.dropPod(namespace ?? '', name);
    return entry;
  }

  /** JSON merge patch (RFC 7386) an object found by kind name, regardless of resourceVersion (for tests and the demo). */
  patch(kind: string, namespace: string | undefined, name: string, patch: Record<string, unknown>): Entry {
    const d = this.registry.forKind(kind);
    if (!d) throw badRequest(`no matches for kind "${kind}"`);
    const current = this.get(d, namespace, name);
    if (!current) throw notFound(d, name);
    const next = mergePatch(current.obj, patch) as KubeObject;
    return this.update({ ...next, metadata: { ...next.metadata, resourceVersion: '' } });
  }

  /** Delete by kind name; undefined when there was nothing to delete. */
  delete(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const d = this.registry.forKind(kind);
    if (!d || !this.get(d, namespace, name)) return undefined;
    return this.remove(d, namespace, name).obj;
  }

  private commit(event: WatchEvent): void {
    this.rv = event.entry.rv;
    const t = this.table(event.entry.def);
    if (event.type === 'DELETED') t.delete(event.entry.key);
    else t.set(event.entry);
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.compacted = (dropped[dropped.length - 1] as WatchEvent).entry.rv;
    }
    for (const l of [...this.listeners]) l(event);
  }

  /** uid, creationTimestamp, resourceVersion and generation: the fields only the server sets. */
  private withSystemFields(d: ResourceDef, obj: KubeObject, rv: number, prev?: KubeObject): KubeObject {
    const meta: ObjectMeta = { ...obj.metadata, resourceVersion: String(rv) };
    if (prev) {
      meta.uid = prev.metadata.uid as string;
      meta.creationTimestamp = prev.metadata.creationTimestamp as string;
    } else {
      meta.uid ??= randomUUID();
      meta.creationTimestamp ??= rfc3339(this.now());
    }
    if (d.hasGeneration) {
      const before = prev?.metadata.generation ?? 0;
      const specChanged =
        !prev || JSON.stringify((prev as { spec?: unknown }).spec) !== JSON.stringify((obj as { spec?: unknown }).spec);
      meta.generation = prev ? (specChanged ? before + 1 : before) : (obj.metadata.generation ?? 1);
    }
    if (!d.namespaced) delete meta.namespace;
    return { ...obj, metadata: meta };
  }
}
