// Scenario files: a cluster state written the way `kubectl get -o yaml` shows it, plus the
// things a real cluster keeps outside its objects (image pull behaviour, container logs, Helm
// releases in a friendly form). Timestamps may be relative (`creationTimestamp: -2h`) so ages
// look real whenever the scenario is loaded.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { encodeReleaseSecret, type StoredRelease } from '../model/helm-codec.js';
import type { KubeEvent, KubeObject, Pod } from '../model/k8s.js';
import { microTime, parseRelative, rfc3339 } from './clock.js';
import type { LogLine, LogStore } from './logs-store.js';
import { nanoTime } from './logs-store.js';
import type { HistoryStep } from './history.js';
import type { CrdGroupDecl } from './resources.js';

/** How the simulated kubelet treats an image when it starts a new pod. */
export interface ImageRule {
  /** Exact image reference as pods write it (`jaegertracing/jaeger-operator:1.39.0`). */
  image: string;
  /**
   * Pulls need credentials for this registry (`https://index.docker.io/v1/`): without an
   * imagePullSecret naming a dockerconfigjson Secret for it, the pull hits the anonymous rate limit.
   */
  pullRequires?: string;
  /** Pulls fail whatever the credentials, with this runtime error (e.g. `manifest unknown`). */
  pullError?: string;
  /** The container starts and exits with this code (CrashLoopBackOff), writing these lines. */
  crash?: { exitCode: number; reason?: string; logs?: string[] };
  /** Runs, but its readiness probe fails with this message. */
  notReady?: string;
  /** The HTTP paths the app answers; a probe of any other path gets 404. Every path answers when unset. */
  serves?: string[];
  /** Seconds the app needs before it listens: a liveness probe that allows less kills it every time. */
  startSeconds?: number;
  /** Runs and never exits (an init container waiting for something that does not come). */
  hangs?: boolean;
  /**
   * The first `times` pods with this image are evicted by the kubelet once started (written
   * beyond the container's ephemeral-storage limit); later pods run. `message` replaces the
   * eviction manager's sentence derived from the limit.
   */
  evict?: { times: number; message?: string };
}

export interface HelmReleaseDecl {
  name: string;
  namespace: string;
  revision: number;
  status: string;
  description?: string;
  chart: { name: string; version: string; appVersion?: string };
  values?: Record<string, unknown>;
  manifest?: string;
  notes?: string;
  firstDeployed?: string;
  lastDeployed?: string;
}

/** A log line: text, or `{ base64 }` for bytes that are not UTF-8 (a kubelet serves what the program wrote). */
export type LogLineDecl = string | { base64: string };

export interface LogDecl {
  previous?: LogLineDecl[];
  current?: LogLineDecl[];
}

export interface Scenario {
  name: string;
  description: string;
  defaultNamespace: string;
  /** gitVersion /version reports. */
  serverVersion?: string;
  /** Namespace the read-only `sim-viewer` user may read (default: defaultNamespace). */
  viewerNamespace?: string;
  /**
   * What the viewer's Role leaves out, as RBAC names it: `pods/log` (a subresource) or
   * `secrets` (a resource). Those reads answer 403 like the others the viewer may not make.
   */
  viewerDenied?: string[];
  /** Extra API groups served (custom resources), e.g. cert-manager.io when cert-manager is installed. */
  apiGroups: CrdGroupDecl[];
  /** Whether metrics-server is installed: metrics.k8s.io served through the aggregation layer (default true). */
  metricsServer: boolean;
  images: ImageRule[];
  /**
   * What the kubelet's eviction manager observes, by node and then by signal (`memory.available`,
   * `nodefs.available`): the `available` its eviction message states when the node reports
   * MemoryPressure or DiskPressure.
   */
  evictionSignals?: Record<string, Record<string, string>>;
  helmReleases: HelmReleaseDecl[];
  /** Keyed `namespace/pod/container`. */
  logs: Record<string, LogDecl>;
  objects: KubeObject[];
  /** What was done to the cluster and when, replayed through the API after `objects` are loaded. */
  history: HistoryStep[];
}

/** <package root>/scenarios, found from src/sim (tsx, vitest) and dist/src/sim alike. */
function scenariosDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'scenarios');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error('kcockpit: the scenarios folder was not found next to package.json; the installation is incomplete.');
}

export function listScenarios(): string[] {
  return readdirSync(scenariosDir())
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

const TIME_KEY = /(timestamp|time|at|deployed)$/i;

/** Replace relative timestamps (`-2h`) under time-like keys by absolute ones. */
function resolveTimes(value: unknown, now: number, key = ''): unknown {
  if (typeof value === 'string') {
    if (!TIME_KEY.test(key)) return value;
    const ago = parseRelative(value);
    if (ago === undefined) return value;
    return key === 'eventTime' || key === 'lastObservedTime'
      ? microTime(now - ago)
      : key.endsWith('Deployed')
        ? new Date(now - ago).toISOString()
        : rfc3339(now - ago);
  }
  if (Array.isArray(value)) return value.map((v) => resolveTimes(v, now, key));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveTimes(v, now, k);
    return out;
  }
  return value;
}

function fail(source: string, what: string): never {
  throw new Error(`scenario ${source}: ${what}`);
}

function checkObjects(source: string, objects: unknown): KubeObject[] {
  if (objects === undefined) return [];
  if (!Array.isArray(objects)) fail(source, '`objects` must be a list of Kubernetes objects');
  objects.forEach((o, i) => {
    const obj = o as Partial<KubeObject> | null;
    // Events may leave their name out: it is derived from the object they are about.
    if (
      !obj ||
      typeof obj !== 'object' ||
      !obj.kind ||
      !obj.apiVersion ||
      !obj.metadata ||
      (!obj.metadata.name && obj.kind !== 'Event')
    ) {
      fail(source, `objects[${i}] needs kind, apiVersion and metadata.name`);
    }
  });
  return objects as KubeObject[];
}

function checkHistory(source: string, history: unknown): HistoryStep[] {
  if (history === undefined) return [];
  if (!Array.isArray(history)) fail(source, '`history` must be a list of steps');
  return history.map((step: Partial<HistoryStep> | null, i) => {
    if (!step || typeof step !== 'object' || typeof step.at !== 'string' || Number.isNaN(Date.parse(step.at)))
      fail(source, `history[${i}] needs \`at\`, a relative time such as -40m`);
    checkObjects(source, step.apply);
    return step as HistoryStep;
  });
}

/** Parse a scenario by name (a file in <package>/scenarios) or by path. */
export function loadScenario(nameOrPath: string, now: number = Date.now()): Scenario {
  const looksLikePath = nameOrPath.includes('/') || nameOrPath.endsWith('.yaml') || nameOrPath.endsWith('.yml');
  const file = looksLikePath ? resolve(nameOrPath) : join(scenariosDir(), `${nameOrPath}.yaml`);
  if (!existsSync(file)) {
    const known = looksLikePath ? '' : ` (known scenarios: ${listScenarios().join(', ')})`;
    throw new Error(`scenario "${nameOrPath}" not found: no file ${file}${known}`);
  }
  let raw: unknown;
  try {
    // merge: `<<: *anchor` keys, which scenario files use to share pod specs between a template and its pods.
    raw = parse(readFileSync(file, 'utf8'), { merge: true });
  } catch (e) {
    fail(file, `not valid YAML: ${(e as Error).message}`);
  }
  if (!raw || typeof raw !== 'object') fail(file, 'expected a mapping with name, defaultNamespace and objects');
  const doc = resolveTimes(raw, now) as Partial<Scenario>;
  const scenario: Scenario = {
    name: doc.name ?? nameOrPath,
    description: doc.description ?? '',
    defaultNamespace: doc.defaultNamespace ?? 'default',
    apiGroups: doc.apiGroups ?? [],
    metricsServer: doc.metricsServer ?? true,
    images: doc.images ?? [],
    helmReleases: doc.helmReleases ?? [],
    logs: doc.logs ?? {},
    objects: checkObjects(file, doc.objects),
    history: checkHistory(file, doc.history),
  };
  if (doc.serverVersion) scenario.serverVersion = doc.serverVersion;
  if (doc.viewerNamespace) scenario.viewerNamespace = doc.viewerNamespace;
  if (doc.evictionSignals !== undefined) {
    const signals = doc.evictionSignals as unknown;
    const ok =
      !!signals &&
      typeof signals === 'object' &&
      Object.values(signals).every(
        (v) => !!v && typeof v === 'object' && Object.values(v).every((q) => typeof q === 'string'),
      );
    if (!ok) fail(file, 'evictionSignals must map node names to signals such as memory.available: 60Mi');
    scenario.evictionSignals = doc.evictionSignals;
  }
  if (doc.viewerDenied !== undefined) {
    if (!Array.isArray(doc.viewerDenied) || !doc.viewerDenied.every((d) => typeof d === 'string'))
      fail(file, 'viewerDenied must be a list of resources such as pods/log');
    scenario.viewerDenied = doc.viewerDenied;
  }
  return scenario;
}

function releaseSecret(r: HelmReleaseDecl, now: number): KubeObject {
  const deployed = r.lastDeployed ?? new Date(now).toISOString();
  const stored: StoredRelease = {
    name: r.name,
    namespace: r.namespace,
    version: r.revision,
    info: {
      status: r.status,
      description: r.description ?? '',
      first_deployed: r.firstDeployed ?? deployed,
      last_deployed: deployed,
      notes: r.notes ?? '',
    },
    chart: {
      metadata: {
        name: r.chart.name,
        version: r.chart.version,
        ...(r.chart.appVersion ? { appVersion: r.chart.appVersion } : {}),
      },
    },
    config: r.values ?? {},
    manifest: r.manifest ?? '',
  };
  const secret = encodeReleaseSecret(stored, { createdAt: deployed });
  secret.metadata.creationTimestamp = rfc3339(Date.parse(deployed));
  return secret;
}

const kindKey = (kind: string | undefined, ns: string | undefined, name: string | undefined): string =>
  `${kind}/${ns ?? ''}/${name}`;

/**
 * The objects to store for a scenario: its objects plus the Helm release Secrets, with uids
 * assigned and owner references / event subjects that name an object by kind and name
 * resolved to that object's uid (so scenario files need not spell uids out).
 */
export function scenarioObjects(scenario: Scenario, now: number = Date.now()): KubeObject[] {
  const objects = [...scenario.objects, ...scenario.helmReleases.map((r) => releaseSecret(r, now))];
  const uids = new Map<string, string>();
  for (const o of objects) {
    o.metadata.uid ??= randomUUID();
    uids.set(kindKey(o.kind, o.metadata.namespace, o.metadata.name), o.metadata.uid);
  }
  for (const o of objects) {
    for (const ref of o.metadata.ownerReferences ?? [])
      ref.uid ||= uids.get(kindKey(ref.kind, o.metadata.namespace, ref.name)) ?? randomUUID();
    if (o.kind === 'Event') fillEvent(o as KubeEvent, uids);
  }
  return objects;
}

function fillEvent(e: KubeEvent, uids: Map<string, string>): void {
  const io = e.involvedObject;
  const namespaced = io.kind !== 'Node' && io.kind !== 'Namespace';
  io.uid ??=
    uids.get(kindKey(io.kind, namespaced ? (io.namespace ?? e.metadata.namespace) : undefined, io.name)) ??
    uids.get(kindKey(io.kind, undefined, io.name));
  e.metadata.name ||= `${io.name}.${randomBytes(8).toString('hex')}`;
  e.firstTimestamp ??= e.lastTimestamp ?? null;
  e.lastTimestamp ??= e.firstTimestamp ?? null;
  // Events written through events.k8s.io (the scheduler's) have an eventTime and no count.
  if (!e.eventTime) e.count ??= 1;
  e.source ??= {};
  e.eventTime ??= null;
  const rest = e as KubeEvent & { reportingInstance?: string };
  rest.reportingComponent ??= '';
  rest.reportingInstance ??= '';
}

/**
 * Log lines carry their own clocks (zap's `"ts":1732224779.123`, ISO stamps): `{{ts:-4m}}` and
 * `{{iso:-4m}}` in a scenario's log text become those times relative to load time.
 */
export function withLogTimes(text: string, now: number): string {
  return text.replace(/\{\{(ts|iso):(-[0-9.smhd]+)\}\}/g, (whole, kind: string, rel: string) => {
    const ago = parseRelative(rel);
    if (ago === undefined) return whole;
    return kind === 'ts' ? ((now - ago) / 1000).toFixed(4) : new Date(now - ago).toISOString();
  });
}

/** Put the scenario's log lines in the store, stamped so the previous container's log ends when it terminated. */
export function seedLogs(logs: LogStore, scenario: Scenario, now: number = Date.now()): void {
  const pods = new Map<string, Pod>();
  for (const o of scenario.objects)
    if (o.kind === 'Pod') pods.set(`${o.metadata.namespace}/${o.metadata.name}`, o as Pod);
  for (const [key, decl] of Object.entries(scenario.logs)) {
    const [ns, pod, container] = key.split('/');
    if (!ns || !pod || !container)
      throw new Error(`scenario ${scenario.name}: log key "${key}" must be namespace/pod/container`);
    const status = pods.get(`${ns}/${pod}`)?.status?.containerStatuses?.find((c) => c.name === container);
    const prevEnd = Date.parse(status?.lastState?.terminated?.finishedAt ?? '') || now - 60_000;
    const stamp = (lines: LogLineDecl[] | undefined, end: number): LogLine[] | undefined =>
      lines?.map((line, i) => ({
        time: nanoTime(end - (lines.length - 1 - i) * 37),
        text: typeof line === 'string' ? withLogTimes(line, now) : Buffer.from(line.base64, 'base64'),
      }));
    const entry: { current?: LogLine[]; previous?: LogLine[] } = {};
    const previous = stamp(decl.previous, prevEnd);
    const current = stamp(decl.current, now);
    if (previous) entry.previous = previous;
    if (current) entry.current = current;
    logs.set(ns, pod, container, entry);
  }
}
