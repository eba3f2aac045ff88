// The simulated kube-apiserver: HTTPS on loopback, serving a scenario through the same
// paths, verbs, negotiation and Status errors as the real thing, with a kubeconfig written
// next to it so kubectl and @kubernetes/client-node can be pointed at it unchanged.
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JOB_ORPHAN_WARNING, jobDefaultsToOrphan, SimApi, type WriteOptions } from './api.js';
import { authenticate, authorize, DEFAULT_TOKENS, type SimUsers } from './auth.js';
import { Controllers } from './controller.js';
import { evict } from './controllers/disruption.js';
import { apiGroup, apiVersions, groupList, resourceList } from './discovery.js';
import { replayHistory } from './history.js';
import { readBody, sendChunks, sendJson, sendStatus, tableVersion, toStatus } from './http.js';
import { writeKubeconfig } from './kubeconfig.js';
import { Kubelet } from './kubelet.js';
import { listChunks, listMeta, listPage } from './list.js';
import { serveLogs } from './logs.js';
import { SimExec } from './exec.js';
import { apiServices } from './apiservices.js';
import { CRD_KIND, crdsOfDecls, defOfCrd, establish, isEstablished, withDefaults, type Crd } from './crds.js';
import { METRICS_RESOURCES, metricsEntries } from './metrics.js';
import { BUILTIN_RESOURCES, apiVersionOf, ResourceRegistry, type ResourceDef } from './resources.js';
import { parseRoute, type Route } from './routes.js';
import { SimPortForwards, type PortForwardBackends } from './portforward.js';
import { scenarioObjects, seedLogs, type Scenario } from './scenario.js';
import { both, parseFieldSelector, parseLabelSelector } from './selectors.js';
import { SimState } from './state.js';
import { badRequest, methodNotSupported, notFound, pathNotFound } from './status.js';
import { tableChunks, tableJson, type IncludeObject } from './table.js';
import { sharedCertificate, type SelfSigned } from './tls.js';
import { serveWatch } from './watch.js';

export interface SimServer {
  /** https://127.0.0.1:<port> (HTTPS: kubectl sends no credentials over plain HTTP). */
  url: string;
  port: number;
  kubeconfigPath: string;
  /** The self-signed certificate (the kubeconfig's CA) and its key, to start another simulator the same clients trust. */
  tls: SelfSigned;
  state: SimState;
  /** The write path (defaults, admission, validation) the HTTP handlers use. */
  api: SimApi;
  users: SimUsers;
  /** Resolves once the simulated controllers have reacted to every write so far. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export interface StartSimOptions {
  scenario: Scenario;
  port?: number;
  host?: string;
  kubeconfigDir?: string;
  /** Interval of BOOKMARK events on watches that allow them (default 60 s, like a real server). */
  bookmarkIntervalMs?: number;
  /**
   * How fast each list response is written, in bytes per second (default: as fast as it can).
   * A real API server encodes lists at tens of MB/s; this lets benchmarks meet one.
   */
  listBytesPerSecond?: number;
  /** Watch events kept for replay before older resourceVersions answer 410. */
  historyLimit?: number;
  /** Where a simulated controller's unexpected failure goes (default: stderr); a UI in the same process passes its own. */
  onControllerError?: (e: unknown) => void;
  /** The server's certificate and key (default: one generated per process), e.g. to restart a simulator clients already trust. */
  tls?: SelfSigned;
  /** The TCP servers standing in for pods' ports (pods/portforward); without it nothing listens in any pod. */
  portForwardBackends?: PortForwardBackends;
}

const DEFAULT_VERSION = 'v1.32.0';

function versionInfo(gitVersion: string): Record<string, string> {
  const m = /^v(\d+)\.(\d+)/.exec(gitVersion);
  return {
    major: m?.[1] ?? '1',
    minor: m?.[2] ?? '31',
    gitVersion,
    gitCommit: '9e6b3c3c9f5a3a4f1d6a3c8c2f3b0e5d7a1b2c3d',
    gitTreeState: 'clean',
    buildDate: '2024-08-13T07:28:49Z',
    goVersion: 'go1.22.5',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

const WATCH_ON = new Set(['1', 'true']);

function verbOf(method: string, route: Extract<Route, { type: 'resource' }>, watch: boolean): string {
  switch (method) {
    case 'GET':
    case 'HEAD':
      return route.name ? 'get' : watch ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return route.name ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}`);
  return n;
}

const boolParam = (q: URLSearchParams, name: string): boolean => WATCH_ON.has(q.get(name) ?? '');

function includeObjectOf(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  if (v === null || v === '' || v === 'Metadata') return 'Metadata';
  if (v === 'Object' || v === 'None') return v;
  throw badRequest(`includeObject: Unsupported value: "${v}": supported values: "Metadata", "None", "Object"`);
}

export async function startSimServer(opts: StartSimOptions): Promise<SimServer> {
  const { scenario } = opts;
  const now = Date.now();
  // CRDs (declared in short or as objects) are Established before anything is served, so
  // their custom resources load with the rest; every group version gets its APIService.
  const objects = scenarioObjects(scenario, now).map((o) =>
    o.kind === CRD_KIND && !isEstablished(o as Crd) ? establish(withDefaults(o as Crd), now) : o,
  );
  const crds = [...crdsOfDecls(scenario.apiGroups, now), ...objects.filter((o) => o.kind === CRD_KIND)];
  const registry = new ResourceRegistry([
    ...BUILTIN_RESOURCES,
    ...crds.map((c) => defOfCrd(c as Crd)).filter((d): d is ResourceDef => d !== undefined),
    ...(scenario.metricsServer ? METRICS_RESOURCES : []),
  ]);
  // The clock runs behind the wall clock while the scenario's history is replayed.
  let behind = 0;
  const state = new SimState(registry, {
    ...(opts.historyLimit ? { historyLimit: opts.historyLimit } : {}),
    clock: () => Date.now() - behind,
  });
  try {
    state.load([
      ...crds.filter((c) => !objects.includes(c)),
      ...objects,
      ...apiServices(registry.all, now, 86_400_000),
    ]);
  } catch (e) {
    throw new Error(`scenario ${scenario.name}: ${(e as Error).message}`);
  }
  seedLogs(state.logs, scenario, now);
  const api = new SimApi(state);
  const controllers = new Controllers(
    state,
    api,
    new Kubelet(state, scenario.images, scenario.evictionSignals ?? {}),
    opts.onControllerError,
  );
  const firstStep = Math.min(...scenario.history.map((h) => Date.parse(h.at)));
  behind = Number.isFinite(firstStep) ? Math.max(0, Date.now() - firstStep) : 0;
  controllers.resync();
  // A scenario without history is a picture of one moment: nothing is replayed, no time passes.
  if (scenario.history.length)
    try {
      replayHistory(scenario.history, { state, api, controllers, setBehind: (ms) => (behind = ms) });
    } catch (e) {
      controllers.stop();
      throw new Error(`scenario ${scenario.name}: ${(e as Error).message}`);
    }
  const users: SimUsers = {
    ...DEFAULT_TOKENS,
    viewerName: 'viewer',
    viewerNamespace: scenario.viewerNamespace ?? scenario.defaultNamespace,
    ...(scenario.viewerDenied ? { viewerDenied: scenario.viewerDenied } : {}),
  };
  const bookmarkIntervalMs = opts.bookmarkIntervalMs ?? 60_000;
  const listRate = opts.listBytesPerSecond;
  const gitVersion = scenario.serverVersion ?? DEFAULT_VERSION;
  const openStreams = new Set<() => void>();
  const register = (end: () => void) => {
    openStreams.add(end);
    return () => openStreams.delete(end);
  };
  let serverAddress = '';

  async function handleResource(
    req: IncomingMessage,
    res: ServerResponse,
    route: Extract<Route, { type: 'resource' }>,
    verb: string,
    q: URLSearchParams,
  ): Promise<void> {
    const { def, namespace, name, subresource } = route;
    const write: WriteOptions = {
      dryRun: q.getAll('dryRun').length > 0,
      fieldManager: q.get('fieldManager') ?? (req.headers['user-agent'] ?? 'unknown').split('/')[0],
    };
    const table = tableVersion(req.headers.accept);
    const contentType = req.headers['content-type'] ?? 'application/json';

    if (subresource)
      return handleSubresource(req, res, def, namespace, name as string, subresource, verb, q, write, contentType);
    if (!def.verbs.includes(verb)) throw methodNotSupported(def, verb);
    if (def.computed) return serveComputed(res, route, verb, q, table);

    switch (verb) {
      case 'get': {
        const entry = state.get(def, namespace, name as string);
        if (!entry) throw notFound(def, name as string);
        if (table)
          return sendJson(
            res,
            200,
            tableJson([entry], {
              def,
              apiVersion: table,
              includeObject: includeObjectOf(q),
              now: state.now(),
              listMeta: { resourceVersion: entry.obj.metadata.resourceVersion },
            }),
          );
        return sendJson(res, 200, entry.fullJson());
      }
      case 'list': {
        const limit = intParam(q, 'limit');
        const page = listPage(state, def, {
          ...(namespace ? { namespace } : {}),
          labelSelector: q.get('labelSelector'),
          fieldSelector: q.get('fieldSelector'),
          ...(limit !== undefined ? { limit } : {}),
          continue: q.get('continue'),
        });
        if (table)
          return sendChunks(
            res,
            tableChunks(page.entries, {
              def,
              apiVersion: table,
              includeObject: includeObjectOf(q),
              now: state.now(),
              listMeta: listMeta(page),
            }),
            listRate,
          );
        return sendChunks(res, listChunks(def, page), listRate);
      }
      case 'watch': {
        const filter = both(
          parseLabelSelector(q.get('labelSelector')),
          parseFieldSelector(q.get('fieldSelector'), def),
        );
        const timeoutSeconds = intParam(q, 'timeoutSeconds');
        return serveWatch(
          req,
          res,
          state,
          {
            def,
            ...(namespace ? { namespace } : {}),
            ...(filter ? { filter } : {}),
            resourceVersion: q.get('resourceVersion'),
            allowBookmarks: boolParam(q, 'allowWatchBookmarks'),
            ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
            bookmarkIntervalMs,
            ...(table ? { table: { apiVersion: table, includeObject: includeObjectOf(q) } } : {}),
          },
          register,
        );
      }
      case 'create':
        return sendJson(res, 201, api.create(def, namespace, await readBody(req), write));
      case 'update':
        return sendJson(res, 200, api.replace(def, namespace, name as string, await readBody(req), write));
      case 'patch':
        api.patchFormat(def, contentType);
        return sendJson(res, 200, api.patch(def, namespace, name as string, contentType, await readBody(req), write));
      case 'delete': {
        const body = await readBody(req);
        const grace = intParam(q, 'gracePeriodSeconds');
        const policy = q.get('propagationPolicy');
        const options = {
          ...((body as object | undefined) ?? {}),
          ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
          ...(policy ? { propagationPolicy: policy } : {}),
        } as { propagationPolicy?: string; orphanDependents?: boolean };
        if (
          options.propagationPolicy === undefined &&
          options.orphanDependents === undefined &&
          jobDefaultsToOrphan(def)
        )
          res.setHeader('Warning', `299 - ${JSON.stringify(JOB_ORPHAN_WARNING)}`);
        return sendJson(res, 200, api.delete(def, namespace, name as string, options, write));
      }
      case 'deletecollection': {
        const page = listPage(state, def, {
          ...(namespace ? { namespace } : {}),
          labelSelector: q.get('labelSelector'),
          fieldSelector: q.get('fieldSelector'),
        });
        for (const e of page.entries) api.delete(def, e.obj.metadata.namespace, e.obj.metadata.name, undefined, write);
        return sendJson(
          res,
          200,
          `{"kind":"${def.kind}List","apiVersion":"${apiVersionOf(def)}","metadata":{"resourceVersion":"${state.resourceVersion}"},"items":[${page.entries.map((e) => e.itemJson()).join(',')}]}`,
        );
      }
      default:
        throw methodNotSupported(def, verb);
    }
  }

  /** Resources read from other objects on every request (metrics.k8s.io): get and list only. */
  function serveComputed(
    res: ServerResponse,
    route: Extract<Route, { type: 'resource' }>,
    verb: string,
    q: URLSearchParams,
    table: string | undefined,
  ): void {
    const { def, namespace, name } = route;
    let entries = metricsEntries(state, def, namespace);
    if (verb === 'get') {
      entries = entries.filter((e) => e.obj.metadata.name === name);
      if (entries.length === 0) throw notFound(def, name as string);
    } else {
      const filter = both(parseLabelSelector(q.get('labelSelector')), parseFieldSelector(q.get('fieldSelector'), def));
      if (filter) entries = entries.filter((e) => filter(e.obj));
    }
    const meta = { resourceVersion: String(state.resourceVersion) };
    if (table)
      return sendJson(
        res,
        200,
        tableJson(entries, { def, apiVersion: table, includeObject: 'Object', now: state.now(), listMeta: meta }),
      );
    if (verb === 'get') return sendJson(res, 200, (entries[0] as (typeof entries)[number]).fullJson());
    return void sendChunks(res, listChunks(def, { entries, resourceVersion: state.resourceVersion }));
  }

  async function handleSubresource(
    req: IncomingMessage,
    res: ServerResponse,
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    subresource: string,
    verb: string,
    q: URLSearchParams,
    write: WriteOptions,
    contentType: string,
  ): Promise<void> {
    const sub = def.subresources.find((s) => s.name === subresource);
    if (!sub) throw pathNotFound();
    if (!sub.verbs.includes(verb)) throw methodNotSupported(def, verb);
    if (subresource === 'log') {
      const tailLines = intParam(q, 'tailLines');
      const limitBytes = intParam(q, 'limitBytes');
      const sinceSeconds = intParam(q, 'sinceSeconds');
      return serveLogs(
        req,
        res,
        state,
        def,
        namespace as string,
        name,
        {
          container: q.get('container'),
          previous: boolParam(q, 'previous'),
          follow: boolParam(q, 'follow'),
          timestamps: boolParam(q, 'timestamps'),
          ...(tailLines !== undefined ? { tailLines } : {}),
          ...(limitBytes !== undefined ? { limitBytes } : {}),
          ...(sinceSeconds !== undefined ? { sinceSeconds } : {}),
          sinceTime: q.get('sinceTime'),
        },
        register,
      );
    }
    if (subresource === 'portforward' || subresource === 'exec' || subresource === 'attach')
      throw badRequest('Upgrade request required');
    if (subresource === 'eviction') {
      await readBody(req);
      return sendJson(res, 201, evict(api, def, namespace as string, name, !!write.dryRun));
    }
    if (verb === 'patch') api.patchFormat(def, contentType);
    if (subresource === 'scale') {
      if (verb === 'get') return sendJson(res, 200, api.scaleOf(def, namespace, name));
      const body = await readBody(req);
      return sendJson(
        res,
        200,
        api.writeScale(def, namespace, name, verb === 'patch' ? { contentType, body } : { body }, write),
      );
    }
    // status
    if (verb === 'get') {
      const entry = state.get(def, namespace, name);
      if (!entry) throw notFound(def, name);
      return sendJson(res, 200, entry.fullJson());
    }
    const body = await readBody(req);
    const result =
      verb === 'patch'
        ? api.patch(def, namespace, name, contentType, body, write, 'status')
        : api.replace(def, namespace, name, body, write, 'status');
    return sendJson(res, 200, result);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const q = url.searchParams;
    const method = req.method ?? 'GET';
    try {
      const caller = authenticate(req.headers.authorization, users);
      const route = parseRoute(path, registry);
      if (!route || route.type !== 'resource') {
        authorize(caller, { verb: method === 'GET' ? 'get' : method.toLowerCase(), path });
        if (!route) throw pathNotFound();
        switch (route.type) {
          case 'version':
            return sendJson(res, 200, versionInfo(gitVersion));
          case 'health':
            res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
            return void res.end('ok');
          case 'api':
            return sendJson(res, 200, apiVersions(serverAddress));
          case 'apis':
            return sendJson(res, 200, groupList(registry));
          case 'group': {
            const doc = apiGroup(registry, route.group);
            if (!doc) throw pathNotFound();
            return sendJson(res, 200, doc);
          }
          case 'groupVersion': {
            const doc = resourceList(registry, route.group, route.version);
            if (!doc) throw pathNotFound();
            return sendJson(res, 200, doc);
          }
        }
      }
      const verb = verbOf(method, route, WATCH_ON.has(q.get('watch') ?? ''));
      authorize(caller, {
        verb,
        path,
        def: route.def,
        ...(route.subresource ? { subresource: route.subresource } : {}),
        ...(route.namespace ? { namespace: route.namespace } : {}),
        ...(route.name ? { name: route.name } : {}),
      });
      await handleResource(req, res, route, verb, q);
    } catch (e) {
      if (!res.headersSent) sendStatus(res, toStatus(e));
      else res.destroy();
    }
  }

  const tls = opts.tls ?? sharedCertificate();
  const server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => void handle(req, res));
  const portForwards = new SimPortForwards({
    state,
    registry,
    users,
    ...(opts.portForwardBackends ? { backends: opts.portForwardBackends } : {}),
  });
  const execs = new SimExec({ state, registry, users });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://sim').pathname.replace(/\/+$/, '');
    if (path.endsWith('/exec') || path.endsWith('/attach')) execs.upgrade(req, socket, head);
    else portForwards.upgrade(req, socket, head);
  });
  // closeAllConnections() misses sockets still in the TLS handshake; a client reconnecting
  // at close time would hold close() open until its own timeout. Track raw sockets instead.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  serverAddress = `${host}:${port}`;
  const url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const ownDir = opts.kubeconfigDir === undefined;
  const dir = opts.kubeconfigDir ?? mkdtempSync(join(tmpdir(), 'kcockpit-sim-'));
  const kubeconfigPath = writeKubeconfig(dir, {
    url,
    caCert: tls.cert,
    users,
    defaultNamespace: scenario.defaultNamespace,
  });

  return {
    url,
    port,
    kubeconfigPath,
    tls,
    state,
    api,
    users,
    settle: () => controllers.settle(),
    async close() {
      controllers.stop();
      portForwards.close();
      execs.close();
      for (const end of [...openStreams]) end();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
