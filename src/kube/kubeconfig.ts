// Kubeconfig loading with kubectl's rules, which client-node's loadFromDefault does not
// follow: with several KUBECONFIG files the FIRST file's current-context wins and a
// duplicate cluster/user/context name keeps the FIRST entry (client-node lets the last
// current-context win and throws on duplicates). Files are parsed here (with line numbers
// for broken YAML), merged, then handed to client-node so its authenticators (exec
// plugins, auth-provider, client certificates) work as usual.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { homedir } from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import YAML from 'yaml';
import { KubeError } from './errors.js';

export interface KubeconfigOptions {
  /** `--kubeconfig`: this one file, nothing else. */
  kubeconfig?: string;
  /** `--context`: overrides the kubeconfig's current-context. */
  context?: string;
  /** `-n`: overrides the context's namespace. */
  namespace?: string;
  /** Defaults to process.env (KUBECONFIG, HOME, KUBERNETES_SERVICE_HOST/PORT). */
  env?: Record<string, string | undefined>;
  /** Defaults to the user's home directory. */
  homeDir?: string;
  /** Root under which the in-cluster service account files live (tests); defaults to `/`. */
  inClusterRoot?: string;
}

export interface LoadedKubeconfig {
  kc: KubeConfig;
  contextName: string;
  clusterName: string;
  userName: string;
  server: string;
  /** `-n`, else the context's namespace, else `default`. */
  namespace: string;
  /** The files merged (in order), or `['in-cluster']`. */
  sources: string[];
}

interface RawNamed {
  name: string;
  [key: string]: unknown;
}

interface RawConfig {
  clusters: RawNamed[];
  users: RawNamed[];
  contexts: RawNamed[];
  currentContext: string | undefined;
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export function loadKubeconfig(opts: KubeconfigOptions = {}): LoadedKubeconfig {
  const env = opts.env ?? process.env;
  const home = opts.homeDir ?? homedir();
  const show = (file: string) => tildify(file, home);

  let files: string[];
  if (opts.kubeconfig !== undefined) {
    const file = path.resolve(opts.kubeconfig);
    if (!existsSync(file))
      throw new KubeError(
        'config',
        `no kubeconfig found: ${show(file)} (from --kubeconfig) does not exist; check the path`,
      );
    files = [file];
  } else if (env['KUBECONFIG']) {
    const listed = env['KUBECONFIG'].split(path.delimiter).filter((f) => f.length > 0);
    // kubectl skips KUBECONFIG entries that do not exist; it fails only when none does.
    files = listed.map((f) => path.resolve(f)).filter((f) => existsSync(f));
    if (files.length === 0) {
      throw new KubeError(
        'config',
        `no kubeconfig found: none of the files in KUBECONFIG exist (${listed.map(show).join(', ')}); fix KUBECONFIG or unset it to use ~/.kube/config`,
      );
    }
  } else {
    const file = path.join(home, '.kube', 'config');
    if (existsSync(file)) files = [file];
    else {
      const inCluster = loadInCluster(env, opts);
      if (inCluster) return inCluster;
      throw new KubeError(
        'config',
        `no kubeconfig found: ${show(file)} does not exist and KUBECONFIG is not set; point --kubeconfig at one, set KUBECONFIG, or create one (e.g. minikube start, kind create cluster)`,
      );
    }
  }

  const parsed = files.map((f) => ({ file: f, config: readConfigFile(f, show(f)) }));
  if (parsed.every((p) => p.config === undefined)) {
    const which =
      files.length === 1
        ? `${show(files[0]!)} is empty`
        : `all kubeconfig files are empty (${files.map(show).join(', ')})`;
    throw new KubeError(
      'config',
      `no usable kubeconfig: ${which}; regenerate it (e.g. minikube update-context, kind export kubeconfig) or point --kubeconfig at another file`,
    );
  }
  const merged = mergeConfigs(parsed.flatMap((p) => (p.config ? [p.config] : [])));
  return select(merged, opts, files, files.length === 1 ? show(files[0]!) : 'your kubeconfig');
}

function tildify(file: string, home: string): string {
  return home && (file === home || file.startsWith(home + path.sep)) ? `~${file.slice(home.length)}` : file;
}

/** One kubeconfig file, with relative paths made absolute against its own directory (as kubectl does). */
function readConfigFile(file: string, shown: string): RawConfig | undefined {
  let text: string;
  try {
    if (statSync(file).isDirectory())
      throw new KubeError(
        'config',
        `kubeconfig ${shown} is a directory, not a file; point --kubeconfig or KUBECONFIG at the file`,
      );
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof KubeError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new KubeError('config', `cannot read kubeconfig ${shown} (${code}): check the file's permissions`);
  }
  if (text.trim() === '') return undefined;
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (e) {
    throw new KubeError(
      'config',
      `kubeconfig ${shown} is not valid YAML ${describeYamlError(e)}: fix the file or regenerate it`,
    );
  }
  if (doc === null || doc === undefined) return undefined;
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new KubeError(
      'config',
      `kubeconfig ${shown} is not a kubeconfig (expected a mapping with clusters, users and contexts): check the file`,
    );
  }
  const obj = doc as Record<string, unknown>;
  const dir = path.dirname(file);
  const current = obj['current-context'];
  return {
    clusters: namedList(obj['clusters'], 'clusters', shown).map((c) =>
      absolutize(c, 'cluster', ['certificate-authority'], dir),
    ),
    users: namedList(obj['users'], 'users', shown).map((u) =>
      absolutize(u, 'user', ['client-certificate', 'client-key', 'tokenFile'], dir),
    ),
    contexts: namedList(obj['contexts'], 'contexts', shown),
    currentContext: typeof current === 'string' && current !== '' ? current : undefined,
  };
}

function describeYamlError(e: unknown): string {
  const err = e as { message?: string; linePos?: { line: number; col: number }[] };
  const first = (err.message ?? String(e))
    .split('\n')[0]!
    .replace(/ at line \d+, column \d+:?$/, '')
    .replace(/:$/, '');
  const pos = err.linePos?.[0];
  const reason = first ? first.charAt(0).toLowerCase() + first.slice(1) : 'parse error';
  return pos ? `at line ${pos.line}, column ${pos.col} (${reason})` : `(${reason})`;
}

function namedList(v: unknown, field: string, shown: string): RawNamed[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v))
    throw new KubeError('config', `kubeconfig ${shown}: "${field}" must be a list; check the file`);
  return v.filter(
    (e): e is RawNamed =>
      typeof e === 'object' && e !== null && typeof (e as RawNamed).name === 'string' && (e as RawNamed).name !== '',
  );
}

function absolutize(entry: RawNamed, inner: string, keys: string[], dir: string): RawNamed {
  const body = entry[inner];
  if (typeof body !== 'object' || body === null) return entry;
  const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const k of keys) {
    const v = copy[k];
    if (typeof v === 'string' && v !== '' && !path.isAbsolute(v)) copy[k] = path.join(dir, v);
  }
  // auth-provider's tokenFile (client-node's FileAuth) lives one level down.
  const provider = copy['auth-provider'] as { config?: Record<string, unknown> } | undefined;
  const tokenFile = provider?.config?.['tokenFile'];
  if (typeof tokenFile === 'string' && !path.isAbsolute(tokenFile)) {
    copy['auth-provider'] = { ...provider, config: { ...provider!.config, tokenFile: path.join(dir, tokenFile) } };
  }
  return { ...entry, [inner]: copy };
}

/** kubectl's merge: the first file to define a name, or to set current-context, wins. */
function mergeConfigs(configs: RawConfig[]): RawConfig {
  const firstByName = (lists: RawNamed[][]): RawNamed[] => {
    const seen = new Map<string, RawNamed>();
    for (const list of lists) for (const e of list) if (!seen.has(e.name)) seen.set(e.name, e);
    return [...seen.values()];
  };
  return {
    clusters: firstByName(configs.map((c) => c.clusters)),
    users: firstByName(configs.map((c) => c.users)),
    contexts: firstByName(configs.map((c) => c.contexts)),
    currentContext: configs.find((c) => c.currentContext !== undefined)?.currentContext,
  };
}

function select(raw: RawConfig, opts: KubeconfigOptions, sources: string[], shown: string): LoadedKubeconfig {
  const available = raw.contexts.map((c) => c.name);
  const list = available.length > 0 ? available.join(', ') : 'none';
  const contextName = opts.context ?? raw.currentContext;
  if (contextName === undefined) {
    throw new KubeError('config', `${shown} has no current-context: pick one with --context (available: ${list})`);
  }
  const ctx = raw.contexts.find((c) => c.name === contextName);
  if (!ctx) {
    const origin = opts.context !== undefined ? '' : ' (the current-context)';
    throw new KubeError('config', `context "${contextName}"${origin} is not in ${shown}; available contexts: ${list}`);
  }
  const body = (ctx['context'] ?? {}) as { cluster?: unknown; user?: unknown; namespace?: unknown };
  const clusterName = typeof body.cluster === 'string' ? body.cluster : '';
  const userName = typeof body.user === 'string' ? body.user : '';
  const cluster = raw.clusters.find((c) => c.name === clusterName);
  const server = (cluster?.['cluster'] as { server?: unknown } | undefined)?.server;
  if (!cluster || typeof server !== 'string' || server === '') {
    const why = cluster
      ? `cluster "${clusterName}" has no server address`
      : `it refers to cluster "${clusterName}", which is not defined`;
    throw new KubeError(
      'config',
      `context "${contextName}" in ${shown} cannot be used: ${why}; fix the kubeconfig or pick another --context`,
    );
  }
  if (!raw.users.some((u) => u.name === userName)) {
    throw new KubeError(
      'config',
      `context "${contextName}" in ${shown} cannot be used: it refers to user "${userName}", which is not defined; fix the kubeconfig or pick another --context`,
    );
  }

  const kc = new KubeConfig();
  // JSON is YAML: client-node parses the merged config and keeps its own entry validation.
  // Entries no context uses may be incomplete; kubectl ignores them, so filter instead of throw.
  kc.loadFromString(
    JSON.stringify({
      clusters: raw.clusters,
      users: raw.users,
      contexts: raw.contexts,
      'current-context': contextName,
    }),
    { onInvalidEntry: 'filter' },
  );
  kc.setCurrentContext(contextName);
  const ns =
    opts.namespace || (typeof body.namespace === 'string' && body.namespace !== '' ? body.namespace : 'default');
  return { kc, contextName, clusterName, userName, server: server.replace(/\/$/, ''), namespace: ns, sources };
}

/** In a pod with a service account and no kubeconfig, kubectl uses the pod's own credentials. */
function loadInCluster(env: Record<string, string | undefined>, opts: KubeconfigOptions): LoadedKubeconfig | undefined {
  const host = env['KUBERNETES_SERVICE_HOST'];
  const port = env['KUBERNETES_SERVICE_PORT'];
  const dir = path.join(opts.inClusterRoot ?? '/', SERVICE_ACCOUNT_DIR);
  const tokenFile = path.join(dir, 'token');
  if (!host || !port || !existsSync(tokenFile)) return undefined;
  // The same shape client-node's loadFromCluster builds (it reads process.env itself, which
  // tests cannot redirect): the token file is re-read by client-node's FileAuth as it rotates.
  const server = `https://${isIPv6(host) ? `[${host}]` : host}:${port}`;
  const nsFile = path.join(dir, 'namespace');
  const podNamespace = existsSync(nsFile) ? readFileSync(nsFile, 'utf8').trim() : '';
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'inCluster', server, caFile: path.join(dir, 'ca.crt'), skipTLSVerify: false }],
    users: [{ name: 'inClusterUser', authProvider: { name: 'tokenFile', config: { tokenFile } } }],
    contexts: [
      { name: 'inClusterContext', cluster: 'inCluster', user: 'inClusterUser', namespace: podNamespace || undefined },
    ],
    currentContext: 'inClusterContext',
  });
  return {
    kc,
    contextName: 'inClusterContext',
    clusterName: 'inCluster',
    userName: 'inClusterUser',
    server,
    namespace: opts.namespace || podNamespace || 'default',
    sources: ['in-cluster'],
  };
}
