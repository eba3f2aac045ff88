// The one list+watch loop, for any resource path. What client-node's informer lacks and
// this adds: paged lists, watch bookmarks, a randomised watch timeout (as client-go's
// reflector does, so many clients do not reconnect in lockstep), backoff with jitter on
// every failure instead of stopping, a watchdog for watches that go silent after a TCP
// drop, and a stop() that is not reported as an error. A user who may list but not watch
// (RBAC without the watch verb) is not left with a frozen picture: the loop lists again
// every poll interval instead, as k9s's --refresh does.
//
// The watch is read from a plain streaming GET on the shared connection rather than
// client-node's Watch class: Watch opens a new agent per call (the socket leak), drops the
// Status body of a failed watch (so a 403 loses its message), and gives no access to the
// raw bytes a watchdog needs.
import { StringDecoder } from 'node:string_decoder';
import type { KubeObject, TableColumn, TableRow } from '../model/k8s.js';
import { TABLE_ACCEPT, tableRow, type Connection, type ListOptions, type Query, type RawTableRow } from './client.js';
import { forbiddenVerb, KubeError, type KubeStatus } from './errors.js';
import { trimObject } from './trim.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export type LoopState =
  | { state: 'listing' }
  | { state: 'watching' }
  /**
   * Listed, but not watched — the watch verb is not granted (`verb: 'watch'`) or the resource
   * does not offer it (metrics.k8s.io): listed again every `everyMs`.
   */
  | { state: 'polling'; reason: string; everyMs: number; verb?: string }
  /** A failure; the loop retries after `retryInMs`. */
  | { state: 'reconnecting'; reason: string; retryInMs: number }
  /** 403: `verb` is the RBAC verb the user lacks (`list`), when the server's message names it. */
  | { state: 'forbidden'; reason: string; retryInMs: number; verb?: string }
  /** The server does not serve this resource (404): an old cluster, a missing API group. */
  | { state: 'unavailable'; reason: string; retryInMs: number }
  | { state: 'error'; reason: string; retryInMs: number }
  | { state: 'stopped' };

export interface ListWatchTiming {
  /** Watch timeoutSeconds is drawn from [min, max] for every watch. Default 300–600 (client-go's 5–10 min). */
  watchTimeoutSeconds?: { min: number; max: number };
  /** Abort and re-watch when no byte arrives for this long. Default 90 s (the API server sends a bookmark about every minute). */
  stallTimeoutMs?: number;
  /** Backoff after failures: first delay and cap. Default 500 ms → 30 s, with jitter. */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** Retry delay after 401/403/404: nothing will change soon, so slowly. Default 60 s. */
  authRetryMs?: number;
  /**
   * When the list is allowed and the watch is not: list again this often (default 2 s),
   * though never more often than twice what a list takes, so a big list cannot keep the
   * client and the server busy.
   */
  pollIntervalMs?: number;
}

export interface ListWatchOptions<T> extends ListWatchTiming {
  conn: Connection;
  /** Collection path: `/api/v1/pods`, `/apis/apps/v1/namespaces/ns/deployments`. */
  path: string;
  /** Resource name for messages (`pods`). */
  resource: string;
  /** labelSelector / fieldSelector, applied to list and watch alike. */
  query?: Query;
  pageSize?: number;
  firstPageSize?: number;
  /** See ListOptions.pipeline. */
  pipeline?: boolean;
  /** Turn each trimmed object into what is kept (e.g. a Secret into its summary). */
  transform?: (obj: KubeObject) => T;
  /**
   * The server's Table form for list and watch alike (kubectl's Accept): items are TableRows
   * (T must be TableRow; use tableListWatch), and columns arrive through onColumns.
   */
  table?: TableForm;
  /** False when the resource does not offer watch (its discovery verbs lack it): list every poll interval instead. */
  watch?: boolean;
  /** Each page of a (re)list as it arrives: upsert these. */
  onPage?: (items: T[], info: { first: boolean }) => void;
  /** After each complete (re)list: exactly these objects exist now. */
  onReplace: (items: T[], resourceVersion: string) => void;
  onEvent: (type: WatchEventType, obj: T) => void;
  onState?: (state: LoopState) => void;
}

export interface TableForm {
  /** What each row carries: the object's metadata (default) or the whole object. */
  includeObject?: 'Metadata' | 'Object';
  /** The column definitions, from the list and from the first watch event of each watch. */
  onColumns?: (columns: TableColumn[]) => void;
}

type WatchEnd = 'ended' | 'expired' | 'stalled';

/**
 * The watch cannot resume from our resourceVersion: 410 Expired (compacted away), or 504
 * "Too large resource version" (a restarted or restored server is behind us). Either way,
 * as client-go's reflector does, list again.
 */
function isStaleResourceVersion(code: number | undefined, message: string | undefined): boolean {
  return code === 410 || (code === 504 && /too large resource version/i.test(message ?? ''));
}

interface WatchTable {
  metadata?: { resourceVersion?: string };
  columnDefinitions?: TableColumn[] | null;
  rows?: RawTableRow[] | null;
}

export class ListWatch<T = KubeObject> {
  private readonly opts: ListWatchOptions<T>;
  private stopped = false;
  private running = false;
  private rv = '';
  /** Learnt from the list, for watch objects that lack them. */
  private kind: string | undefined;
  private apiVersion: string | undefined;
  private current: LoopState = { state: 'listing' };
  private abort: AbortController | undefined;
  private wake: (() => void) | undefined;

  constructor(opts: ListWatchOptions<T>) {
    this.opts = opts;
  }

  get state(): LoopState {
    return this.current;
  }

  /** The last resourceVersion seen (list, event or bookmark). */
  get resourceVersion(): string {
    return this.rv;
  }

  start(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    void this.run();
  }

  /** Ends the loop for good. client-node would report its own abort as an error; this loop checks its stopped flag first. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.abort?.abort();
    this.wake?.();
    this.setState({ state: 'stopped' });
  }

  private setState(state: LoopState): void {
    this.current = state;
    if (state.state !== 'stopped' && this.stopped) return;
    this.opts.onState?.(state);
  }

  private async run(): Promise<void> {
    let needList = true;
    let failures = 0;
    /** Why the watch is not allowed, once it has been refused after a list that was. */
    let pollingBecause: string | undefined =
      this.opts.watch === false ? `the server does not offer watch for ${this.opts.resource}` : undefined;
    let pollingVerb: string | undefined;
    while (!this.stopped) {
      try {
        if (pollingBecause !== undefined) {
          const started = Date.now();
          await this.list();
          failures = 0;
          const everyMs = Math.max(this.opts.pollIntervalMs ?? 2000, 2 * (Date.now() - started));
          this.setState(
            pollingVerb
              ? { state: 'polling', reason: pollingBecause, everyMs, verb: pollingVerb }
              : { state: 'polling', reason: pollingBecause, everyMs },
          );
          await this.sleep(everyMs);
          continue;
        }
        if (needList) {
          this.setState({ state: 'listing' });
          await this.list();
          needList = false;
          failures = 0;
        }
        const started = Date.now();
        const { end, received } = await this.watchOnce();
        if (received) failures = 0;
        if (end === 'expired') {
          needList = true;
          continue;
        }
        // A server that ends watches at once and says nothing must not be hammered.
        if (end === 'ended' && !received && Date.now() - started < 1000) await this.sleep(this.backoff(failures++));
      } catch (e) {
        if (this.stopped) break;
        const err = e instanceof KubeError ? e : this.opts.conn.error(e, `watch ${this.opts.resource}`);
        if (isStaleResourceVersion(err.code, err.message)) {
          needList = true;
          continue;
        }
        if ((err.kind === 'forbidden' || err.code === 405) && !needList && pollingBecause === undefined) {
          // The list was allowed a moment ago: it is the watch verb that is missing (403), or the
          // resource does not serve watches at all (405).
          pollingBecause = err.message;
          pollingVerb = err.kind === 'forbidden' ? 'watch' : undefined;
          continue;
        }
        if (err.kind === 'unauthorized' || err.kind === 'forbidden' || err.kind === 'notfound') {
          const retryInMs = this.opts.authRetryMs ?? 60_000;
          const verb = err.kind === 'forbidden' ? forbiddenVerb(err.message) : undefined;
          if (err.kind === 'forbidden')
            this.setState({ state: 'forbidden', reason: err.message, retryInMs, ...(verb ? { verb } : {}) });
          else
            this.setState({ state: err.kind === 'notfound' ? 'unavailable' : 'error', reason: err.message, retryInMs });
          await this.sleep(retryInMs);
        } else {
          const retryInMs = this.backoff(failures++);
          this.setState({ state: 'reconnecting', reason: err.message, retryInMs });
          await this.sleep(retryInMs);
        }
      }
    }
    this.running = false;
  }

  private backoff(failures: number): number {
    const initial = this.opts.backoffInitialMs ?? 500;
    const max = this.opts.backoffMaxMs ?? 30_000;
    const base = Math.min(max, initial * 2 ** Math.min(failures, 30));
    // Jitter in [base/2, base]: clients that failed together do not come back together.
    return Math.round(base / 2 + Math.random() * (base / 2));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }

  private async list(): Promise<void> {
    const ctrl = new AbortController();
    this.abort = ctrl;
    const { query, pageSize, transform, onPage } = this.opts;
    const listOpts: ListOptions<T> = { signal: ctrl.signal, action: `list ${this.opts.resource}` };
    if (query) listOpts.query = query;
    if (pageSize) listOpts.pageSize = pageSize;
    if (this.opts.firstPageSize) listOpts.firstPageSize = this.opts.firstPageSize;
    if (this.opts.pipeline) listOpts.pipeline = true;
    if (transform) listOpts.transform = transform;
    if (this.opts.table) {
      listOpts.table = true;
      listOpts.query = { ...listOpts.query, includeObject: this.opts.table.includeObject ?? 'Metadata' };
    }
    if (onPage) {
      listOpts.onPage = (items, info) => {
        if (!this.stopped) onPage(items, info);
      };
    }
    const result = await this.opts.conn.list<T>(this.opts.path, listOpts);
    if (this.stopped) return;
    this.rv = result.resourceVersion;
    this.kind = result.kind;
    this.apiVersion = result.apiVersion;
    if (result.columns) this.opts.table?.onColumns?.(result.columns);
    this.opts.onReplace(result.items, result.resourceVersion);
  }

  private async watchOnce(): Promise<{ end: WatchEnd; received: boolean }> {
    const { min, max } = this.opts.watchTimeoutSeconds ?? { min: 300, max: 600 };
    const timeoutSeconds = Math.round(min + Math.random() * (max - min));
    const ctrl = new AbortController();
    this.abort = ctrl;
    const query: Query = {
      ...this.opts.query,
      ...(this.opts.table ? { includeObject: this.opts.table.includeObject ?? 'Metadata' } : {}),
      watch: 1,
      allowWatchBookmarks: true,
      resourceVersion: this.rv,
      timeoutSeconds,
    };
    const body = await this.opts.conn.stream(this.opts.path, query, {
      signal: ctrl.signal,
      action: `watch ${this.opts.resource}`,
      ...(this.opts.table ? { accept: TABLE_ACCEPT } : {}),
    });
    // Only an open stream is "watching": a server that refuses connections must not flicker live.
    if (this.current.state !== 'watching') this.setState({ state: 'watching' });

    const stallMs = this.opts.stallTimeoutMs ?? 90_000;
    let stalled = false;
    let watchdog: NodeJS.Timeout | undefined;
    const arm = () => {
      if (watchdog) clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        stalled = true;
        ctrl.abort();
      }, stallMs);
    };
    const decoder = new StringDecoder('utf8');
    let pending = '';
    let received = false;
    arm();
    try {
      for await (const chunk of body) {
        arm();
        pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
        let nl: number;
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl).trim();
          pending = pending.slice(nl + 1);
          if (line === '') continue;
          received = true;
          if (this.handleLine(line) === 'expired') return { end: 'expired', received };
          if (this.stopped) return { end: 'ended', received };
        }
      }
      // A last line without newline is still a complete event from a well-behaved server.
      const rest = (pending + decoder.end()).trim();
      if (rest !== '' && this.handleLine(rest) === 'expired') return { end: 'expired', received: true };
      return { end: 'ended', received };
    } catch (e) {
      if (this.stopped) return { end: 'ended', received };
      if (stalled) return { end: 'stalled', received };
      throw e;
    } finally {
      if (watchdog) clearTimeout(watchdog);
      ctrl.abort();
    }
  }

  /** A Table watch event: a Table of (usually) one row; only the first event of a watch carries the columns. */
  private handleTableEvent(type: WatchEventType, table: WatchTable): void {
    if (table.columnDefinitions) this.opts.table?.onColumns?.(table.columnDefinitions);
    const rv = table.metadata?.resourceVersion;
    if (rv) this.rv = rv;
    for (const raw of table.rows ?? []) {
      const row = tableRow(raw);
      if (row) this.opts.onEvent(type, row as T);
    }
  }

  /** Apply one watch line; 'expired' when the server says the resourceVersion is gone (410). */
  private handleLine(line: string): 'ok' | 'expired' {
    let event: { type?: string; object?: unknown };
    try {
      event = JSON.parse(line) as { type?: string; object?: unknown };
    } catch {
      // A torn or garbage line: skip it; the next list or event restores consistency.
      return 'ok';
    }
    const obj = event.object as KubeObject | undefined;
    switch (event.type) {
      case 'BOOKMARK': {
        const rv = obj?.metadata?.resourceVersion;
        if (rv) this.rv = rv;
        return 'ok';
      }
      case 'ADDED':
      case 'MODIFIED':
      case 'DELETED': {
        if (obj?.kind === 'Table' && this.opts.table) {
          this.handleTableEvent(event.type, obj as unknown as WatchTable);
          return 'ok';
        }
        if (!obj?.metadata) return 'ok';
        const trimmed = trimObject(obj, this.kind, this.apiVersion);
        if (trimmed.metadata.resourceVersion) this.rv = trimmed.metadata.resourceVersion;
        const kept = this.opts.transform ? this.opts.transform(trimmed) : (trimmed as T);
        this.opts.onEvent(event.type, kept);
        return 'ok';
      }
      case 'ERROR': {
        const status = obj as KubeStatus | undefined;
        if (isStaleResourceVersion(status?.code, status?.message)) return 'expired';
        throw KubeError.fromApi(
          status?.code !== undefined ? { ...status, kind: 'Status' } : { code: 500, body: line },
          {
            server: this.opts.conn.server,
            action: `watch ${this.opts.resource}`,
          },
        );
      }
      default:
        return 'ok';
    }
  }
}

/** The one loop in Table form: rows of any resource, with the server's columns. */
export function tableListWatch(
  opts: Omit<ListWatchOptions<TableRow>, 'transform'> & { table: TableForm },
): ListWatch<TableRow> {
  return new ListWatch<TableRow>(opts);
}
