// Registry credentials for a pull secret, and the Secret itself. The Secret is byte for byte
// what `kubectl create secret docker-registry` writes; the credentials come from flags, from
// the Docker config file when it holds them inline, or from the user (hidden input). A
// config that delegates to a credential store (credsStore/credHelpers, Docker Desktop's
// default) holds no usable secret: kcockpit does not run credential helpers, it asks.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../model/k8s.js';
import type { CredentialInput, Prompter } from './types.js';

export interface Credentials {
  username: string;
  password: string;
}

const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/** `https://index.docker.io/v1/`, `docker.io` and `registry-1.docker.io` all name Docker Hub. */
export function registryHost(server: string): string {
  const host = server
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .split('/')[0]!
    .toLowerCase();
  return DOCKER_HUB_HOSTS.has(host) ? 'docker.io' : host;
}

export function registryName(server: string): string {
  const host = registryHost(server);
  return host === 'docker.io' ? 'Docker Hub' : host;
}

interface DockerAuthEntry {
  auth?: unknown;
  username?: unknown;
  password?: unknown;
}

interface DockerConfigFile {
  auths?: Record<string, DockerAuthEntry>;
  credsStore?: unknown;
  credHelpers?: Record<string, unknown>;
}

export type ConfigLookup =
  | { kind: 'found'; credentials: Credentials; path: string }
  /** The file delegates to a credential helper: it holds no password kcockpit can read. */
  | { kind: 'helper'; helper: string; field: 'credsStore' | 'credHelpers'; path: string }
  | { kind: 'none'; why: string };

export function dockerConfigPath(env: NodeJS.ProcessEnv, explicit?: string): string {
  if (explicit) return explicit;
  const dir = env['DOCKER_CONFIG'] || join(env['HOME'] || homedir(), '.docker');
  return join(dir, 'config.json');
}

function decodeAuth(entry: DockerAuthEntry): Credentials | undefined {
  if (typeof entry.username === 'string' && typeof entry.password === 'string' && entry.username && entry.password) {
    return { username: entry.username, password: entry.password };
  }
  if (typeof entry.auth !== 'string' || entry.auth === '') return undefined;
  const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Look up inline credentials for `server` in a Docker config file. Never throws. */
export function lookupDockerConfig(path: string, server: string): ConfigLookup {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return {
      kind: 'none',
      why: (e as NodeJS.ErrnoException).code === 'ENOENT' ? `${path} does not exist` : `${path} cannot be read`,
    };
  }
  let config: DockerConfigFile;
  try {
    config = JSON.parse(text) as DockerConfigFile;
  } catch {
    return { kind: 'none', why: `${path} is not valid JSON` };
  }
  if (typeof config !== 'object' || config === null) return { kind: 'none', why: `${path} is not a Docker config` };
  const host = registryHost(server);
  for (const [key, entry] of Object.entries(config.auths ?? {})) {
    if (registryHost(key) !== host || typeof entry !== 'object' || entry === null) continue;
    const credentials = decodeAuth(entry);
    if (credentials) return { kind: 'found', credentials, path };
  }
  const helper = Object.entries(config.credHelpers ?? {}).find(([key]) => registryHost(key) === host);
  if (helper && typeof helper[1] === 'string') return { kind: 'helper', helper: helper[1], field: 'credHelpers', path };
  if (typeof config.credsStore === 'string' && config.credsStore !== '')
    return { kind: 'helper', helper: config.credsStore, field: 'credsStore', path };
  return { kind: 'none', why: `${path} has no entry for ${registryName(server)}` };
}

/**
 * Flags first (what the user typed wins), then the config file, then the user. `note` says
 * where they came from, for the progress log: it never holds a credential.
 */
export async function resolveCredentials(
  server: string,
  input: CredentialInput,
  prompter: Prompter,
  env: NodeJS.ProcessEnv,
  note: (line: string) => void,
): Promise<Credentials> {
  const label = registryName(server);
  if (input.username && input.password) {
    note(`using the ${label} credentials given by --username and --password-stdin`);
    return { username: input.username, password: input.password };
  }
  if (input.password === undefined) {
    const found = lookupDockerConfig(dockerConfigPath(env, input.dockerConfigPath), server);
    if (found.kind === 'found' && (!input.username || input.username === found.credentials.username)) {
      note(`using the ${label} credentials of ${found.credentials.username} from ${found.path}`);
      return found.credentials;
    }
    if (found.kind === 'helper') {
      note(
        `${found.path} keeps its ${label} credentials in the credential helper "${found.helper}" (${found.field}), not in the file, so kcockpit cannot read them: it asks for a username and an access token instead`,
      );
    } else if (found.kind === 'none') {
      note(`no usable ${label} credentials: ${found.why}; kcockpit asks for a username and an access token`);
    }
  }
  const username = (input.username ?? (await prompter.text(`${label} username`))).trim();
  if (!username) throw new Error(`a ${label} username is needed to create the pull secret`);
  const password = input.password ?? (await prompter.secret(`${label} access token (or password) for ${username}`));
  if (!password) throw new Error(`an access token (or password) is needed to create the pull secret`);
  return { username, password };
}

/** The `.dockerconfigjson` kubectl writes: `{"auths":{SERVER:{username,password,auth}}}`. */
export function dockerConfigJson(server: string, c: Credentials): string {
  const auth = Buffer.from(`${c.username}:${c.password}`).toString('base64');
  return JSON.stringify({ auths: { [server]: { username: c.username, password: c.password, auth } } });
}

export function pullSecretObject(namespace: string, name: string, server: string, c: Credentials): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(dockerConfigJson(server, c)).toString('base64') },
  } as KubeObject;
}

/** What a preview shows before credentials are known. */
export function pullSecretPlaceholder(namespace: string, name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': '<registry credentials, hidden>' },
  } as KubeObject;
}

/** Whether an existing Secret already holds credentials for `server` (so it can be reused). */
export function holdsCredentialsFor(secret: KubeObject, server: string): boolean {
  const s = secret as KubeObject & { type?: string; data?: Record<string, string> };
  if (s.type !== 'kubernetes.io/dockerconfigjson') return false;
  try {
    const config = JSON.parse(
      Buffer.from(s.data?.['.dockerconfigjson'] ?? '', 'base64').toString('utf8'),
    ) as DockerConfigFile;
    const host = registryHost(server);
    return Object.keys(config.auths ?? {}).some((k) => registryHost(k) === host);
  } catch {
    return false;
  }
}
