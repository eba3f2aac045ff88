// Watch streams: one JSON event per line over a chunked HTTP 200 response. Semantics follow
// the real server: resourceVersion absent or "0" starts with ADDED for every current object,
// N replays what happened after N, and an N older than the retained history yields a stream
// whose only event is ERROR with the 410 Expired Status (not an HTTP 410). Bookmarks carry
// only a resourceVersion. Headers are flushed at once: client-node sees nothing before them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiVersionOf, type ResourceDef } from './resources.js';
import type { Predicate } from './selectors.js';
import { sameResource, type Entry, type SimState, type WatchEvent, type WatchEventType } from './state.js';
import { ApiError, tooLargeResourceVersion, type StatusBody } from './status.js';
import { tableJson, type IncludeObject } from './table.js';
import { sendStatus } from './http.js';

export interface WatchParams {
  def: ResourceDef;
  namespace?: string;
  filter?: Predicate;
  resourceVersion?: string | null;
  allowBookmarks: boolean;
  timeoutSeconds?: number;
  bookmarkIntervalMs: number;
  table?: { apiVersion: string; includeObject: IncludeObject };
}

/** How long a watch asking for a future resourceVersion waits for it (the real cacher's 3 s). */
const TOO_LARGE_WAIT_MS = 3000;

function bookmarkJson(d: ResourceDef, rv: number): string {
  const head = `{"kind":"${d.kind}","apiVersion":"${apiVersionOf(d)}","metadata":{"resourceVersion":"${rv}","creationTimestamp":null}`;
  // A real server sends a zero-valued object: for pods that is spec.containers null and an empty status.
  return d.kind === 'Pod' && !d.group ? `${head},"spec":{"containers":null},"status":{}}` : `${head}}`;
}

function waitForRevision(state: SimState, rv: number): Promise<boolean> {
  if (state.resourceVersion >= rv) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      off();
      resolve(false);
    }, TOO_LARGE_WAIT_MS);
    const off = state.subscribe(() => {
      if (state.resourceVersion < rv) return;
      clearTimeout(timer);
      off();
      resolve(true);
    });
  });
}

/** Serve one watch; `register` lets the server end open watches when it closes. */
export async function serveWatch(
  req: IncomingMessage,
  res: ServerResponse,
  state: SimState,
  p: WatchParams,
  register: (end: () => void) => () => void,
): Promise<void> {
  const requested = p.resourceVersion && p.resourceVersion !== '0' ? Number(p.resourceVersion) : undefined;
  if (requested !== undefined && (!Number.isInteger(requested) || requested < 0)) {
    throw new ApiError({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `invalid resource version: "${p.resourceVersion}"`,
      reason: 'BadRequest',
      code: 400,
    });
  }
  if (requested !== undefined && requested > state.resourceVersion && !(await waitForRevision(state, requested))) {
    sendStatus(res, tooLargeResourceVersion(requested, state.resourceVersion).status);
    return;
  }

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();

  let headersSent = false;
  const objectJson = (entry: Entry): string => {
    if (!p.table) return entry.fullJson();
    const json = tableJson([entry], {
      def: p.def,
      apiVersion: p.table.apiVersion,
      includeObject: p.table.includeObject,
      now: state.now(),
      noHeaders: headersSent,
      listMeta: { resourceVersion: String(entry.rv) },
    });
    headersSent = true;
    return json;
  };
  const send = (type: WatchEventType | 'BOOKMARK' | 'ERROR', object: string) => {
    if (!res.destroyed) res.write(`{"type":"${type}","object":${object}}\n`);
  };
  const inScope = (e: Entry) => !p.namespace || !p.def.namespaced || e.obj.metadata.namespace === p.namespace;
  const matches = (e: Entry | undefined) => e !== undefined && inScope(e) && (!p.filter || p.filter(e.obj));

  /** Selector semantics: an object moving into the selection is ADDED to this watch, out of it DELETED. */
  const deliver = (ev: WatchEvent) => {
    if (!sameResource(ev.entry.def, p.def)) return;
    const now = matches(ev.entry);
    if (ev.type !== 'MODIFIED') {
      if (now) send(ev.type, objectJson(ev.entry));
      return;
    }
    const before = matches(ev.prev);
    if (now && before) send('MODIFIED', objectJson(ev.entry));
    else if (now) send('ADDED', objectJson(ev.entry));
    else if (before) send('DELETED', objectJson(ev.entry));
  };

  let backlog: WatchEvent[];
  try {
    backlog = requested === undefined ? [] : state.eventsSince(p.def, requested);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    const status: StatusBody = e.status;
    send('ERROR', JSON.stringify(status));
    res.end();
    return;
  }
  // Initial state and subscription happen in one tick, so no write falls in between.
  if (requested === undefined)
    for (const e of state.list(p.def, p.namespace)) if (matches(e)) send('ADDED', objectJson(e));
  for (const ev of backlog) deliver(ev);
  const unsubscribe = state.subscribe(deliver);

  // A Table watch gets its bookmarks as Tables too (the server converts every event's object),
  // with no rows: only the Table's resourceVersion matters to a client.
  const bookmark = () =>
    send(
      'BOOKMARK',
      p.table
        ? `{"kind":"Table","apiVersion":"${p.table.apiVersion}","metadata":{"resourceVersion":"${state.resourceVersion}"},"columnDefinitions":null,"rows":[]}`
        : bookmarkJson(p.def, state.resourceVersion),
    );
  const ticker = p.allowBookmarks ? setInterval(bookmark, p.bookmarkIntervalMs) : undefined;
  const timeoutMs = (p.timeoutSeconds ?? 1800 + Math.floor(Math.random() * 1800)) * 1000;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    unsubscribe();
    clearInterval(ticker);
    clearTimeout(timer);
    unregister();
    if (!res.destroyed) res.end();
  };
  const timer = setTimeout(() => {
    if (ticker) bookmark();
    end();
  }, timeoutMs);
  const unregister = register(end);
  req.on('close', end);
  res.on('close', end);
  if (res.destroyed) end();
}
