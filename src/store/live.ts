// The cockpit's live cluster picture: one list+watch loop per resource the rules need,
// objects kept in maps, and a new immutable Snapshot published at most once per
// `coalesceMs` — a storm of 1,000 events costs a handful of rebuilds, not 1,000 renders.
// The first page of the first list is published at once, and later pages as they come,
// so the first screen shows before a 10,000-pod list has finished arriving.
import type { Connection } from '../kube/client.js';
import { discover, watchApiChanges, type DiscoveryResult } from '../kube/discovery.js';
import { crashLogTargets, fetchCrashLogs, type LogTarget } from '../kube/logs.js';
import { ListWatch, type ListWatchTiming, type LoopState, type WatchEventType } from '../kube/listwatch.js';
import { collectionPath, SNAPSHOT_RESOURCES, type ResourceSpec, type SnapshotListField } from '../kube/resources.js';
import { shareStrings, StringPool } from '../kube/string-pool.js';
import type { KubeObject, LogTail, Pod } from '../model/k8s.js';
import { assembleSnapshot, listsByField } from './assemble.js';
import { PROJECTIONS, twinsPerList, type Twins } from './projection.js';
import { Snapshot, type SnapshotInput } from './snapshot.js';
import type { ConnectionState, SnapshotSource } from './source.js';

export interface LiveStoreOptions extends ListWatchTiming {
  conn: Connection;
  /** Namespace to watch; undefined = all namespaces. */
  namespace?: string;
  /** At most one rebuild per this many ms (default 75). */
  coalesceMs?: number;
  /**
   * Re-run discovery this often (default 120 s) for what the CRD watch does not see: aggregated
   * APIs coming and going, or a user who may not watch CRDs. CRD changes re-run it at once.
   */
  discoveryIntervalMs?: number;
  /** Quiet time after a CRD change before discovery is read again (default 500 ms). */
  crdDebounceMs?: number;
  /** Fetch crashed containers' previous logs as they crash (default true), at most `maxLogs` kept (default 40). */
  crashLogs?: boolean;
  maxLogs?: number;
  /** Things that could not be read but did not stop the store (a corrupt Helm Secret, a failing API group). */
  onWarning?: (message: string) => void;
}

interface Loop {
  spec: ResourceSpec;
  watch: ListWatch<KubeObject>;
  objects: Map<string, KubeObject>;
  twins: Twins;
  state: LoopState;
}

/** Rebuild spacing while the first lists load. */
const LOADING_COALESCE_MS = 400;

/**
 * How long the other lists wait for the pod list before starting anyway. Started beside it,
 * 50,000 events take the client's CPU from the pod pages: at 10,000 pods from a server at a
 * real API server's pace (40 MB/s), the table was complete at 5.3–6.0 s with 1.5 s, at
 * 2.3–4.2 s with 5 s (docs/decisions/0021-list-pages.md).
 */
const FIRST_PAGE_HEAD_START_MS = 5000;

/** Listed pods have their strings shared in slices this long, between keys and repaints... */
const SHARE_SLICE_MS = 5;
/** ...once the first lists are in: until then, every millisecond goes to the first screen. */
const SHARE_WAIT_WHILE_LOADING_MS = 250;

const objectKey = (o: KubeObject): string => o.metadata.uid ?? `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export class LiveStore implements SnapshotSource {
  private readonly opts: LiveStoreOptions;
  private readonly loops: Loop[] = [];
  private readonly listeners = new Set<() => void>();
  private snapshot: Snapshot;
  private version = 0;
  private published = false;
  private timer: NodeJS.Timeout | undefined;
  private lastPublish = 0;
  private readonly dirty = new Set<SnapshotListField>();
  private readonly arrays = new Map<SnapshotListField, KubeObject[]>();
  private discovery: DiscoveryResult | undefined;
  private discoveryForbidden = false;
  private discoveryTimer: NodeJS.Timeout | undefined;
  private apiChanges: ListWatch<KubeObject> | undefined;
  private readonly logs = new Map<string, LogTail>();
  /** pod uid/container/restartCount already fetched or in flight. */
  private readonly logsSeen = new Set<string>();
  /** RBAC refused a log read: rules then link crashes through configuration alone, and say so. */
  private logsForbidden = false;
  private logsBusy = false;
  private readonly warned = new Set<string>();
  /** One copy of each string repeated across objects: kept objects take far less memory. */
  private readonly strings = new StringPool();
  /** Listed pods whose strings are still to be shared, and how far each page has got. */
  private readonly toShare: { items: KubeObject[]; next: number }[] = [];
  private sharing: NodeJS.Timeout | undefined;
  private connState: ConnectionState = { state: 'connecting' };
  private reconnectingSince: number | undefined;
  private started = false;
  private stopped = false;

  constructor(opts: LiveStoreOptions) {
    this.opts = opts;
    this.snapshot = new Snapshot(this.namespaceInput({ takenAt: Date.now() }));
  }

  current(): Snapshot {
    return this.snapshot;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  connection(): ConnectionState {
    return this.connState;
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    const { conn, namespace } = this.opts;
    const timing: ListWatchTiming = {};
    for (const k of [
      'watchTimeoutSeconds',
      'stallTimeoutMs',
      'backoffInitialMs',
      'backoffMaxMs',
      'authRetryMs',
      'pollIntervalMs',
    ] as const) {
      if (this.opts[k] !== undefined) (timing as Record<string, unknown>)[k] = this.opts[k];
    }
    const twinsFor = twinsPerList();
    for (const spec of SNAPSHOT_RESOURCES) {
      // Projected as each item is parsed, while the parsed copy is young garbage: kept any
      // longer, 10,000 parsed pods reach the old generation and stay there as garbage until
      // its next full collection. Lists kept whole still go through project (shape `true`)
      // for their strings and their twins. Listed pods share their strings later, in slices
      // (shareLater): the first screen must not wait for that part.
      const shape = PROJECTIONS[spec.into] ?? (spec.shareStrings ? true : undefined);
      const pool = spec.into === 'pods' ? undefined : this.strings;
      const objects = new Map<string, KubeObject>();
      const twins = twinsFor(spec.into);
      const transform = shape
        ? (o: KubeObject) => {
            const raw = spec.transform ? spec.transform(o) : o;
            // A watched object's best twin is its own version before this one.
            return twins.project(raw, shape, pool, objects.get(objectKey(raw)));
          }
        : spec.transform;
      const loop: Loop = {
        spec,
        objects,
        twins,
        state: { state: 'listing' },
        watch: new ListWatch<KubeObject>({
          ...timing,
          conn,
          path: collectionPath(spec, namespace),
          resource: spec.resource,
          ...(spec.query ? { query: spec.query } : {}),
          // Pods: the next page is asked for while this one is parsed. A first page of 200 for
          // the first screen (the first row 140 ms sooner than with 500: the second page no
          // longer arrives, to be parsed, before the first is drawn), then 500 like every list:
          // pages of 2,500 took longer to complete and ~60 MB more peak RSS, two 20 MB page
          // buffers in flight (docs/decisions/0021-list-pages.md).
          ...(spec.into === 'pods'
            ? { firstPageSize: 200, pipeline: true }
            : spec.pageSize
              ? { pageSize: spec.pageSize }
              : {}),
          ...(transform ? { transform } : {}),
          onPage: (items) => this.onPage(loop, items),
          onReplace: (items) => this.onReplace(loop, items),
          onEvent: (type, obj) => this.onEvent(loop, type, obj),
          onState: (state) => this.onState(loop, state),
        }),
      };
      this.loops.push(loop);
    }
    // The first screen is pods: their list goes out alone, pages shown as they come, and the
    // other lists (50,000 events page after page) start once it is complete, or after a
    // while if it is slow.
    const [pods, ...rest] = [...this.loops].sort(
      (a, b) => Number(b.spec.into === 'pods') - Number(a.spec.into === 'pods'),
    );
    let restStarted = false;
    this.startRest = () => {
      if (restStarted || this.stopped) return;
      restStarted = true;
      clearTimeout(fallback);
      for (const loop of rest) loop.watch.start();
      void this.refreshDiscovery();
      this.apiChanges = watchApiChanges(this.opts.conn, {
        ...timing,
        onChange: () => void this.refreshDiscovery(),
        ...(this.opts.crdDebounceMs !== undefined ? { debounceMs: this.opts.crdDebounceMs } : {}),
      });
      this.apiChanges.start();
    };
    const fallback = setTimeout(this.startRest, FIRST_PAGE_HEAD_START_MS);
    pods?.watch.start();
  }

  /** Starts every list but the pods'; set by start(). */
  private startRest: () => void = () => undefined;

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const loop of this.loops) loop.watch.stop();
    this.apiChanges?.stop();
    if (this.timer) clearTimeout(this.timer);
    if (this.discoveryTimer) clearTimeout(this.discoveryTimer);
    this.timer = undefined;
    this.discoveryTimer = undefined;
  }

  /** Read discovery again now (e.g. after a fix installed CRDs). */
  async refreshDiscovery(): Promise<void> {
    if (this.discoveryTimer) clearTimeout(this.discoveryTimer);
    this.discoveryTimer = undefined;
    try {
      const d = await discover(this.opts.conn);
      this.discovery = d;
      this.discoveryForbidden = false;
      for (const f of d.failed) this.warnOnce(`API group ${f.groupVersion} could not be discovered: ${f.reason}`);
      this.schedule();
    } catch (e) {
      const err = this.opts.conn.error(e, 'discover API groups');
      if (err.kind === 'forbidden' && !this.discoveryForbidden) {
        this.discoveryForbidden = true;
        this.schedule();
      }
      // Unreachable or unauthorized: the loops report it; try again on the next round.
    }
    if (!this.stopped) {
      this.discoveryTimer = setTimeout(() => void this.refreshDiscovery(), this.opts.discoveryIntervalMs ?? 120_000);
      this.discoveryTimer.unref?.();
    }
  }

  private onPage(loop: Loop, items: KubeObject[]): void {
    // Upsert only: objects deleted meanwhile disappear when the list completes (onReplace).
    for (const o of items) loop.objects.set(objectKey(o), o);
    // The first screen (the pods) must not wait for their strings to be shared.
    if (loop.spec.into === 'pods') this.shareLater(items);
    this.touch(loop);
  }

  private onReplace(loop: Loop, items: KubeObject[]): void {
    const pods = loop.spec.into === 'pods';
    if (pods) this.startRest();
    loop.objects.clear();
    for (const o of items) loop.objects.set(objectKey(o), o);
    // The whole pod table is what the user waits for: it is shown at once, not at the next
    // loading-paced rebuild.
    this.touch(loop, pods);
  }

  private onEvent(loop: Loop, type: WatchEventType, obj: KubeObject): void {
    if (type === 'DELETED') {
      const key = objectKey(obj);
      const kept = loop.objects.get(key);
      if (kept) loop.twins.forget(kept);
      loop.objects.delete(key);
    } else {
      // A watched pod is one object: its strings are shared at once.
      if (loop.spec.into === 'pods') shareStrings(obj, this.strings);
      loop.objects.set(objectKey(obj), obj);
    }
    this.touch(loop);
  }

  /**
   * Share a listed page's strings later, a slice at a time: 10,000 pods take a sixth of a
   * second, which the first screen must not wait for. Strings are replaced in place by equal
   * ones, which changes nothing a reader can see.
   */
  private shareLater(items: KubeObject[]): void {
    this.toShare.push({ items, next: 0 });
    this.scheduleSharing();
  }

  private scheduleSharing(): void {
    if (this.sharing || this.stopped || this.toShare.length === 0) return;
    this.sharing = setTimeout(
      () => this.shareSome(),
      this.connState.state === 'connecting' ? SHARE_WAIT_WHILE_LOADING_MS : 0,
    );
    this.sharing.unref?.();
  }

  private shareSome(): void {
    this.sharing = undefined;
    if (this.stopped) return;
    if (this.connState.state !== 'connecting') {
      const until = performance.now() + SHARE_SLICE_MS;
      while (this.toShare.length > 0 && performance.now() < until) {
        const page = this.toShare[0]!;
        const end = Math.min(page.items.length, page.next + 50);
        for (; page.next < end; page.next++) shareStrings(page.items[page.next]!, this.strings);
        if (page.next === page.items.length) this.toShare.shift();
      }
    }
    this.scheduleSharing();
  }

  private onState(loop: Loop, state: LoopState): void {
    const wasForbidden = loop.state.state === 'forbidden';
    loop.state = state;
    const next = this.aggregateState();
    // The header shows the connection and the snapshot lists what is forbidden: both need a publish.
    if (JSON.stringify(next) !== JSON.stringify(this.connState) || wasForbidden !== (state.state === 'forbidden')) {
      this.connState = next;
      this.schedule();
    }
  }

  private aggregateState(): ConnectionState {
    const states = this.loops.map((l) => ({ id: l.spec.id, s: l.state }));
    const pods = states.find((x) => x.id === 'pods')?.s;
    if (pods?.state === 'forbidden') return { state: 'forbidden', reason: pods.reason };
    const failed = states.find((x) => x.s.state === 'error');
    if (failed && failed.s.state === 'error') return { state: 'error', reason: failed.s.reason };
    const reconnecting = states.find((x) => x.s.state === 'reconnecting');
    if (reconnecting && reconnecting.s.state === 'reconnecting') {
      this.reconnectingSince ??= Date.now();
      return { state: 'reconnecting', reason: reconnecting.s.reason, since: this.reconnectingSince };
    }
    // A list the user may not read, or that this server does not serve, is not a connection problem.
    if (
      states.every(
        (x) =>
          x.s.state === 'watching' ||
          x.s.state === 'polling' ||
          x.s.state === 'forbidden' ||
          x.s.state === 'unavailable',
      )
    ) {
      this.reconnectingSince = undefined;
      const polled = this.loops.filter((l) => l.state.state === 'polling');
      if (polled.length === 0) return { state: 'live' };
      const everyMs = Math.max(...polled.map((l) => (l.state.state === 'polling' ? l.state.everyMs : 0)));
      return { state: 'live', polling: { resources: [...new Set(polled.map((l) => l.spec.resource))], everyMs } };
    }
    // Relisting after a reconnect is still reconnecting; before the first list, connecting.
    if (this.reconnectingSince !== undefined)
      return { state: 'reconnecting', reason: 'reading the cluster again', since: this.reconnectingSince };
    return pods?.state === 'watching' || pods?.state === 'polling'
      ? { state: 'connecting', podsListed: true }
      : { state: 'connecting' };
  }

  private touch(loop: Loop, now = false): void {
    this.dirty.add(loop.spec.into);
    this.schedule(now);
  }

  private schedule(now = false): void {
    if (this.stopped) return;
    if (this.timer && now) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.timer) return;
    // The first data is shown at once; after that, at most one rebuild per coalesceMs. While
    // the first lists are still arriving, rebuilds are spaced wider: each one costs a render
    // of the whole table, and every render delays the next page.
    const coalesce =
      this.connState.state === 'connecting'
        ? Math.max(LOADING_COALESCE_MS, this.opts.coalesceMs ?? 0)
        : (this.opts.coalesceMs ?? 75);
    const wait = this.published && !now ? Math.max(0, this.lastPublish + coalesce - Date.now()) : 0;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.publish();
    }, wait);
  }

  private publish(): void {
    if (this.stopped) return;
    // Lists that did not change keep their array, and with it their indexes (see Snapshot).
    for (const [field, objects] of listsByField(
      (spec) => this.loops.find((l) => l.spec === spec)?.objects.values(),
      this.dirty,
    ))
      this.arrays.set(field, objects);
    this.dirty.clear();
    const forbidden = this.loops.filter((l) => l.state.state === 'forbidden').map((l) => l.spec.resource);
    if (this.discoveryForbidden) forbidden.push('discovery');
    if (this.logsForbidden) forbidden.push('pods/log');
    this.snapshot = assembleSnapshot({
      base: this.namespaceInput({ version: ++this.version, takenAt: Date.now(), previous: this.snapshot }),
      lists: this.arrays,
      discovery: this.discovery,
      logs: [...this.logs.values()],
      forbidden,
      onWarning: (message) => this.warnOnce(message),
    });
    this.published = true;
    this.lastPublish = Date.now();
    for (const l of this.listeners) l();
    if (this.opts.crashLogs !== false) void this.fetchNewCrashLogs();
  }

  /**
   * Logs of containers that crashed since we last looked (keyed by restart count), a few at a
   * time. This runs after every rebuild: nothing is built over all pods unless a container
   * crashed anew.
   */
  private async fetchNewCrashLogs(): Promise<void> {
    if (this.logsBusy) return;
    const pods = (this.arrays.get('pods') ?? []) as Pod[];
    const seenKey = (t: LogTarget) => `${t.uid}/${t.container}/${t.restartCount}`;
    const targets = crashLogTargets(pods).filter((t) => !this.logsSeen.has(seenKey(t)));
    if (targets.length === 0) return;
    const uids = new Set(pods.map((p) => p.metadata.uid ?? ''));
    for (const k of this.logsSeen) if (!uids.has(k.slice(0, k.indexOf('/')))) this.logsSeen.delete(k);
    const chosen = targets.slice(0, this.opts.maxLogs ?? 40);
    for (const t of chosen) this.logsSeen.add(seenKey(t));
    this.logsBusy = true;
    try {
      let refused = false;
      const tails = await fetchCrashLogs(this.opts.conn, chosen, {
        concurrency: 2,
        onForbidden: () => (refused = true),
      });
      if (this.stopped) return;
      if (refused && !this.logsForbidden) {
        this.logsForbidden = true;
        this.schedule();
      }
      for (const tail of tails) this.logs.set(`${tail.namespace}/${tail.pod}/${tail.container}`, tail);
      // Keep logs of pods that still exist, and no more than maxLogs of them.
      const names = new Set(
        ((this.arrays.get('pods') ?? []) as Pod[]).map((p) => `${p.metadata.namespace}/${p.metadata.name}`),
      );
      for (const k of this.logs.keys()) if (!names.has(k.slice(0, k.lastIndexOf('/')))) this.logs.delete(k);
      while (this.logs.size > (this.opts.maxLogs ?? 40)) this.logs.delete(this.logs.keys().next().value as string);
      if (tails.length > 0) this.schedule();
    } finally {
      this.logsBusy = false;
    }
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.opts.onWarning?.(message);
  }

  private namespaceInput(base: SnapshotInput): SnapshotInput {
    return this.opts.namespace !== undefined ? { ...base, namespace: this.opts.namespace } : base;
  }
}
