// A connection to one cluster: the kubeconfig, who we are, and ONE keep-alive agent shared by
// every request. client-node 1.4 builds a new https.Agent for each request, so sockets pile
// up across watch reconnects; here its applyToFetchOptions still supplies the credentials
// (tokens, exec plugins, auth-provider, client certificates) but the agent is ours.
//
// Reads go through client-node's own transport (node-fetch, with gzip) as raw JSON rather
// than the generated APIs: measured on 10,000 pods, the generated API's ObjectSerializer
// doubles the time and the memory (docs/decisions/0002-raw-json-reads.md).
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import {
  createConfiguration,
  ServerConfiguration,
  type ApiConstructor,
  type ApiType,
  type KubeConfig,
  type RequestContext,
} from '@kubernetes/client-node';
import fetch, { type Response } from 'node-fetch';
import type { KubeObject, TableColumn, TableRow } from '../model/k8s.js';
import { KubeError } from './errors.js';
import { loadKubeconfig, type KubeconfigOptions, type LoadedKubeconfig } from './kubeconfig.js';
import { PageBuffers, PageBytes } from './page-bytes.js';
import { parseListPage, type ElementMapper } from './list-page.js';
import { itemKind, trimObject } from './trim.js';

export type Query = Record<string, string | number | boolean | undefined>;

export interface ConnectionOptions {
  /** Time allowed for a request (for streams: until the response headers arrive). Default 30 s. */
  requestTimeoutMs?: number;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** What is being done, for error messages (`list pods`). */
  action?: string;
  accept?: string;
}

export interface ListOptions<T> extends RequestOptions {
  query?: Query;
  /** Items per page (`limit`); default 500. Smaller for big objects (Helm release Secrets). */
  pageSize?: number;
  /** A different size for the first page: small, so the first screen comes fast. */
  firstPageSize?: number;
  /**
   * Ask for the next page as soon as this one's continue token has arrived, so the server
   * reads it while this one is parsed. It costs a page of memory, so it is for the one list
   * a user is waiting on (the cockpit's pods), not for a dozen lists read side by side.
   */
  pipeline?: boolean;
  /** Called with each page as it arrives, already trimmed and transformed. */
  onPage?: (items: T[], info: { first: boolean }) => void;
  /** Turn each trimmed item into what is kept (e.g. a Secret into its summary). */
  transform?: (item: KubeObject) => T;
  /**
   * Ask for the server's Table form, as kubectl does: the items are then TableRows (T must be
   * TableRow, and `transform` is not used) and the result carries the column definitions.
   */
  table?: boolean;
}

export interface ListResult<T> {
  items: T[];
  /** The list's resourceVersion: where a watch starts. */
  resourceVersion: string;
  /** The items' kind and apiVersion (from the list's own: `PodList` → `Pod`). */
  kind?: string;
  apiVersion?: string;
  /** The Table's columns, when the Table form was asked for. */
  columns?: TableColumn[];
}

/** kubectl's Accept for lists and watches: the Table form (v1, else v1beta1), else plain JSON. */
export const TABLE_ACCEPT =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

interface RawList {
  kind?: string;
  apiVersion?: string;
  metadata?: { resourceVersion?: string; continue?: string };
  items?: KubeObject[] | null;
  /** Table form. */
  columnDefinitions?: TableColumn[] | null;
  rows?: RawTableRow[] | null;
}

export interface RawTableRow {
  cells?: TableRow['cells'];
  object?: KubeObject | null;
}

/** A Table row as kept: its object trimmed like any listed object; undefined for a row without one (includeObject=None). */
export function tableRow(row: RawTableRow): TableRow | undefined {
  if (!row.object?.metadata) return undefined;
  return { cells: row.cells ?? [], object: trimObject(row.object) };
}

/** One page of a list, asked for; `next` is the page after it, once its token is known. */
interface PageFetch {
  cont: string | undefined;
  bytes: Promise<PageBytes>;
  /** This page's own continue token, once its head has arrived. */
  token?: string;
  next?: PageFetch;
}

/** Where the head of a list's JSON ends: the continue token, if any, comes before this. */
const ITEMS_KEY = Buffer.from('"items"');
/** A head longer than this is not the API server's list: stop looking for the token. */
const MAX_HEAD_BYTES = 64 * 1024;

/**
 * A list response's bytes, gathered into `page`, telling `onContinue` the continue token as
 * soon as it has arrived in the head of the JSON (kind, apiVersion, metadata), before the items.
 */
export async function readListBytes(
  body: NodeJS.ReadableStream,
  page: PageBytes,
  onContinue: (token: string) => void,
): Promise<PageBytes> {
  let headDone = false;
  try {
    for await (const chunk of body) {
      page.append(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
      if (headDone) continue;
      const head = page.bytes;
      const end = head.indexOf(ITEMS_KEY);
      const token = continueToken(head.subarray(0, end < 0 ? MAX_HEAD_BYTES : end).toString('utf8'));
      if (token) onContinue(token);
      headDone = token !== undefined || end >= 0 || head.length >= MAX_HEAD_BYTES;
    }
  } catch (e) {
    page.release();
    throw e;
  }
  return page;
}

/** The list metadata's continue token, once the whole token is in `head`. */
function continueToken(head: string): string | undefined {
  const m = /"metadata"\s*:\s*\{[^{}]*?"continue"\s*:\s*("(?:[^"\\]|\\.)*")/.exec(head);
  if (!m) return undefined;
  try {
    const token = JSON.parse(m[1]!) as unknown;
    return typeof token === 'string' && token !== '' ? token : undefined;
  } catch {
    return undefined;
  }
}

interface AppliedAuth {
  headers: Record<string, string>;
  agent: http.Agent;
}

// Exec plugins without an expiry would otherwise run once per request (client-node only
// caches credentials that carry expirationTimestamp); a 401 drops the memo at once.
const AUTH_TTL_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_PAGE_SIZE = 500;

export class Connection {
  readonly kc: KubeConfig;
  readonly server: string;
  readonly contextName: string;
  readonly clusterName: string;
  readonly userName: string;
  /** `-n`, else the context's namespace, else `default`. */
  readonly namespace: string;
  private readonly timeoutMs: number;
  private agent: http.Agent | undefined;
  private agentKey: string | undefined;
  private auth: { at: number; promise: Promise<AppliedAuth> } | undefined;
  private readonly pages = new PageBuffers();
  /** Lists being read: when none is, the page buffers are let go. */
  private listsReading = 0;

  constructor(loaded: LoadedKubeconfig, opts: ConnectionOptions = {}) {
    this.kc = loaded.kc;
    this.server = loaded.server;
    this.contextName = loaded.contextName;
    this.clusterName = loaded.clusterName;
    this.userName = loaded.userName;
    this.namespace = loaded.namespace;
    this.timeoutMs = opts.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** The KubeError for a failure while doing `action` against this server. */
  error(e: unknown, action?: string): KubeError {
    return KubeError.fromApi(e, action !== undefined ? { server: this.server, action } : { server: this.server });
  }

  url(path: string, query: Query = {}): string {
    const u = new URL(this.server + path);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  /** GET and parse JSON. Throws KubeError (or the caller's AbortError). */
  async getJson<T>(path: string, query: Query = {}, opts: RequestOptions = {}): Promise<T> {
    const text = await this.request(path, query, opts, (res) => res.text());
    return parseJson<T>(() => JSON.parse(text), path);
  }

  /** GET raw bytes (logs). */
  async getBytes(path: string, query: Query = {}, opts: RequestOptions = {}): Promise<Buffer> {
    return this.request(path, query, opts, (res) => res.buffer());
  }

  /**
   * A paged list (`limit`/`continue`), each page trimmed (managedFields are cut from the text
   * before it is parsed), stamped with kind/apiVersion and handed to onPage as it arrives,
   * so a huge list never sits in memory as one JSON text. With `pipeline`, the API server's
   * habit of writing a list's `continue` token before its items is used to ask for the next
   * page as soon as that token has arrived.
   */
  async list<T = KubeObject>(path: string, opts: ListOptions<T> = {}): Promise<ListResult<T>> {
    const items: T[] = [];
    let resourceVersion = '';
    let restarted = false;
    let first = true;
    let kind: string | undefined;
    let apiVersion: string | undefined;
    let columns: TableColumn[] | undefined;
    const requestOpts: RequestOptions = opts.table ? { ...opts, accept: TABLE_ACCEPT } : opts;
    // Ends a page fetched ahead that is no longer wanted (an error, a restart, the caller's abort).
    const ahead = new AbortController();
    const onAbort = () => ahead.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const signal = opts.signal ? AbortSignal.any([opts.signal, ahead.signal]) : ahead.signal;
    /** The page the loop below is waiting for or parsing. */
    let reading: PageFetch | undefined;
    this.listsReading++;
    const fetchPage = (cont: string | undefined): PageFetch => {
      const limit =
        cont === undefined && opts.firstPageSize ? opts.firstPageSize : (opts.pageSize ?? DEFAULT_PAGE_SIZE);
      // Defined before its first call: the head can only arrive after the request is sent.
      let page: PageFetch | undefined;
      const onHead = (token: string) => {
        if (!page) return;
        page.token = token;
        // One page ahead of the one being read, never more: a server faster than the parse
        // would otherwise have every page of the list in memory at once.
        if (page === reading) askAhead(page);
      };
      const bytes = this.request(path, { ...opts.query, limit, continue: cont }, { ...requestOpts, signal }, (res) =>
        readListBytes(res.body, new PageBytes(this.pages), onHead),
      );
      // Awaited only when its turn comes; until then a failure must not count as unhandled.
      // (A page read ahead and then not wanted keeps its buffer: the collector frees it.)
      bytes.catch(() => undefined);
      page = { cont, bytes };
      return page;
    };
    const askAhead = (page: PageFetch) => {
      if (opts.pipeline && page.token !== undefined && !page.next && !signal.aborted) page.next = fetchPage(page.token);
    };
    try {
      // Each element is kept (trimmed, stamped, transformed) as soon as its group is parsed.
      const keep: ElementMapper = (head) => {
        const list = head as RawList;
        kind = itemKind(list.kind) ?? kind;
        apiVersion = list.apiVersion ?? apiVersion;
        if (list.kind === 'Table') return (raw) => tableRow(raw as RawTableRow);
        return (raw) => {
          const obj = trimObject(raw as KubeObject, kind, apiVersion);
          return opts.transform ? opts.transform(obj) : obj;
        };
      };
      let page = fetchPage(undefined);
      for (;;) {
        reading = page;
        askAhead(page);
        let list: RawList;
        try {
          const bytes = await page.bytes;
          try {
            list = parseJson<RawList>(() => parseListPage(bytes.bytes, keep), path);
          } finally {
            bytes.release();
          }
        } catch (e) {
          // A continue token expires with etcd compaction (410): start the list over, once.
          if (e instanceof KubeError && e.code === 410 && page.cont !== undefined && !restarted) {
            restarted = true;
            items.length = 0;
            page = fetchPage(undefined);
            continue;
          }
          throw e;
        }
        if (list.kind === 'Table') columns ??= list.columnDefinitions ?? undefined;
        const pageItems = ((list.kind === 'Table' ? list.rows : list.items) ?? []) as T[];
        for (const kept of pageItems) items.push(kept);
        opts.onPage?.(pageItems, { first });
        first = false;
        resourceVersion = list.metadata?.resourceVersion ?? resourceVersion;
        const cont = list.metadata?.continue || undefined;
        if (cont === undefined) break;
        // The page asked for ahead is the one wanted unless its token was misread.
        page = page.next?.cont === cont ? page.next : fetchPage(cont);
      }
    } finally {
      ahead.abort();
      opts.signal?.removeEventListener('abort', onAbort);
      if (--this.listsReading === 0) this.pages.clear();
    }
    const result: ListResult<T> = { items, resourceVersion };
    if (kind !== undefined) result.kind = kind;
    if (apiVersion !== undefined) result.apiVersion = apiVersion;
    if (columns !== undefined) result.columns = columns;
    return result;
  }

  /**
   * A streaming GET (watch): resolves with the body once the headers arrive; the timeout
   * covers only that wait, the caller watches the stream itself.
   */
  async stream(path: string, query: Query, opts: RequestOptions = {}): Promise<NodeJS.ReadableStream> {
    return this.request(path, query, { ...opts, streaming: true }, async (res) => res.body);
  }

  /** A generated client-node API (for writes: create, patch, delete) that shares this connection's agent and credentials. */
  api<T extends ApiType>(apiClass: ApiConstructor<T>): T {
    const auth = {
      getName: () => 'kcockpit',
      applySecurityAuthentication: async (ctx: RequestContext) => {
        const applied = await this.authFor();
        for (const [k, v] of Object.entries(applied.headers)) ctx.setHeaderParam(k, v);
        ctx.setAgent(applied.agent);
      },
    };
    return new apiClass(
      createConfiguration({ baseServer: new ServerConfiguration(this.server, {}), authMethods: { default: auth } }),
    );
  }

  /** Close idle and open sockets (open watch streams end). */
  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
    this.agentKey = undefined;
    this.auth = undefined;
  }

  private async request<R>(
    path: string,
    query: Query,
    opts: RequestOptions & { streaming?: boolean },
    read: (res: Response) => Promise<R>,
    retriedAuth = false,
  ): Promise<R> {
    const action = opts.action ?? `GET ${path}`;
    const applied = await this.authFor();
    const ctrl = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctrl.abort();
    }, this.timeoutMs);
    const onAbort = () => ctrl.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.signal?.aborted) ctrl.abort();
    let keepListening = false;
    try {
      const res = await fetch(this.url(path, query), {
        method: 'GET',
        headers: { ...applied.headers, Accept: opts.accept ?? 'application/json' },
        agent: applied.agent,
        signal: ctrl.signal,
      });
      if (res.status === 401 && !retriedAuth) {
        // A memoized token may have just expired: fetch fresh credentials once before giving up.
        res.body.resume();
        this.auth = undefined;
        return await this.request(path, query, opts, read, true);
      }
      if (!res.ok) {
        const body = await res.text().catch(() => '');
        throw KubeError.fromApi({ code: res.status, body }, { server: this.server, action });
      }
      // A stream outlives this call: the caller's abort must still end it, the timeout must not.
      keepListening = opts.streaming === true;
      if (keepListening) clearTimeout(timer);
      return await read(res);
    } catch (e) {
      keepListening = false;
      if (e instanceof KubeError) throw e;
      if (opts.signal?.aborted) throw e;
      if (timedOut) {
        throw new KubeError(
          'unreachable',
          `the API server at ${this.server} did not answer within ${this.timeoutMs >= 1000 ? `${Math.round(this.timeoutMs / 1000)}s` : `${this.timeoutMs}ms`} (${action}): is the cluster running and reachable from here?`,
        );
      }
      throw this.error(e, action);
    } finally {
      clearTimeout(timer);
      if (!keepListening) opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  private authFor(): Promise<AppliedAuth> {
    const now = Date.now();
    if (this.auth && now - this.auth.at < AUTH_TTL_MS) return this.auth.promise;
    const promise = this.applyAuth();
    const entry = { at: now, promise };
    this.auth = entry;
    promise.catch(() => {
      if (this.auth === entry) this.auth = undefined;
    });
    return promise;
  }

  private async applyAuth(): Promise<AppliedAuth> {
    const tls: https.RequestOptions = {};
    let init: Awaited<ReturnType<KubeConfig['applyToFetchOptions']>>;
    try {
      init = await this.kc.applyToFetchOptions(tls);
    } catch (e) {
      throw credentialError(e, this.userName);
    }
    const headers: Record<string, string> = {};
    const h = init.headers as { forEach?: (cb: (value: string, name: string) => void) => void } | undefined;
    h?.forEach?.((value, name) => {
      headers[name] = value;
    });
    return { headers, agent: this.agentFor(tls, init.agent) };
  }

  /** One agent for the life of the connection; rebuilt only when the TLS material changes (an exec plugin rotated the client certificate). */
  private agentFor(tls: https.RequestOptions, clientAgent: unknown): http.Agent {
    if (this.kc.getCurrentCluster()?.proxyUrl) {
      // Proxy agents (HTTP CONNECT, SOCKS) come from client-node; keep the first one.
      this.agent ??= clientAgent as http.Agent;
      return this.agent;
    }
    const key = fingerprint(tls);
    if (this.agent && this.agentKey === key) return this.agent;
    this.agent?.destroy();
    const common = { keepAlive: true, keepAliveMsecs: 30_000 };
    if (this.server.startsWith('http:')) {
      this.agent = new http.Agent(common);
    } else {
      const opts: https.AgentOptions = { ...common };
      if (tls.ca !== undefined) opts.ca = tls.ca;
      if (tls.cert !== undefined) opts.cert = tls.cert;
      if (tls.key !== undefined) opts.key = tls.key;
      if (tls.pfx !== undefined) opts.pfx = tls.pfx;
      if (tls.passphrase !== undefined) opts.passphrase = tls.passphrase;
      if (tls.servername !== undefined) opts.servername = tls.servername;
      if (tls.rejectUnauthorized !== undefined) opts.rejectUnauthorized = tls.rejectUnauthorized;
      this.agent = new https.Agent(opts);
    }
    this.agentKey = key;
    return this.agent;
  }
}

function parseJson<T>(parse: () => unknown, path: string): T {
  try {
    return parse() as T;
  } catch (e) {
    // What the caller's transform throws is its own error, not the server's.
    if (!(e instanceof SyntaxError)) throw e;
    throw new KubeError(
      'server',
      `the API server sent an answer kcockpit could not read (not JSON) for ${path}: check that the kubeconfig's server is a Kubernetes API server`,
    );
  }
}

function fingerprint(tls: https.RequestOptions): string {
  const h = createHash('sha256');
  for (const v of [tls.ca, tls.cert, tls.key, tls.pfx, tls.servername, tls.rejectUnauthorized]) {
    h.update(v === undefined ? '-' : Buffer.isBuffer(v) ? v : String(v));
    h.update('\0');
  }
  return h.digest('hex');
}

function credentialError(e: unknown, user: string): KubeError {
  const text = e instanceof Error ? e.message : String(e);
  if (/HTTP protocol is not allowed/.test(text)) {
    return new KubeError(
      'config',
      'the kubeconfig points at a plain http:// server without insecure-skip-tls-verify: use the https:// address or set insecure-skip-tls-verify: true for that cluster',
    );
  }
  const missing = (e as NodeJS.ErrnoException).code === 'ENOENT' ? (e as NodeJS.ErrnoException).path : undefined;
  if (missing) {
    return new KubeError(
      'config',
      `a file the kubeconfig names does not exist (${missing}): fix the path in the kubeconfig or regenerate it`,
    );
  }
  const mapped = KubeError.fromApi(e);
  if (mapped.kind === 'config') return mapped;
  const first =
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? 'no output';
  return new KubeError(
    'unauthorized',
    `could not get credentials for user "${user}" from the kubeconfig (${first}): run its credential plugin by hand to see why, or log in again`,
  );
}

/** Load the kubeconfig kubectl's way and open a connection. Throws KubeError('config'). */
export function connect(opts: KubeconfigOptions & ConnectionOptions = {}): Connection {
  return new Connection(loadKubeconfig(opts), opts);
}
