// Finds what a crashed container was trying to reach, from its last log lines: a line that
// reports a connection failure and names a host (URL, host:port, DNS lookup). The host is
// then matched to a Service in the snapshot the way cluster DNS resolves it.
import type { Service } from '../../../src/model/k8s.js';
import type { Snapshot } from '../../../src/store/snapshot.js';

const FAILURE =
  /connection refused|no such host|no elasticsearch node available|i\/o timeout|timed? ?out|timeout|could not connect|couldn't connect|unable to connect|failed to connect|connection reset|unknownhostexception|name or service not known|temporary failure in name resolution|could not translate host name|econnrefused|enotfound|eai_again|no route to host|network is unreachable/i;

// Strong patterns name a host outright, so a single-label name (`rabbitmq`) is trusted.
const STRONG: readonly RegExp[] = [
  /\b[a-z][a-z0-9+.-]*:\/\/(?:[^@\s/"'\\]+@)?([a-z0-9][a-z0-9.-]*)(?::(\d{1,5}))?/gi,
  /\blookup ([a-z0-9][a-z0-9.-]*)/gi,
  /\b(?:ENOTFOUND|EAI_AGAIN) ([a-z0-9][a-z0-9.-]*)/g,
  /UnknownHostException: ([a-z0-9][a-z0-9.-]*)/gi,
  /could not translate host name "([^"]+)"/gi,
  // libpq: connection to server at "postgres" (10.96.44.10), port 5433 failed: Connection refused
  /connection to server at "([^"]+)"(?: \([^)]*\))?, port (\d{1,5})/gi,
];
const HOST_PORT = /(?<![\w.:/-])([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*):(\d{1,5})\b/gi;

// `main.go:107` is a source position, not a host.
const SOURCE_FILE =
  /\.(go|py|java|js|mjs|cjs|ts|rb|rs|c|cc|cpp|h|hpp|kt|scala|cs|php|ex|exs|sh|lua|pl|swift|dart|clj|erl|groovy|class|jar|log|yaml|yml|json|conf)$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const LOCAL = new Set(['localhost', '0.0.0.0', '127.0.0.1']);

/**
 * Lines are cut to this length before any pattern runs: a hostile megabyte-long line must
 * not make the regular expressions (linear per start position) quadratic in practice.
 */
const MAX_LINE = 4096;

export interface DependencyHint {
  host: string;
  port?: number;
  /** The log line that named it. */
  line: string;
}

function accept(host: string, port: number | undefined, strong: boolean): boolean {
  if (LOCAL.has(host) || host.startsWith('127.') || SOURCE_FILE.test(host)) return false;
  // Port 53 is the DNS server in "lookup x on 10.96.0.10:53", not the dependency.
  if (port === 53) return false;
  if (IPV4.test(host)) return true;
  if (!/^[a-z]/.test(host)) return false;
  return strong || host.includes('.') || host.includes('-');
}

/** Hosts named by connection-failure lines, the most recent line first. */
export function dependencyHints(lines: readonly string[]): DependencyHint[] {
  const hints: DependencyHint[] = [];
  const seen = new Set<string>();
  for (const fullLine of [...lines].reverse()) {
    const line = fullLine.slice(0, MAX_LINE);
    if (!FAILURE.test(line)) continue;
    const add = (rawHost: string, rawPort: string | undefined, strong: boolean): void => {
      const host = rawHost.toLowerCase().replace(/\.$/, '');
      const port = rawPort ? Number(rawPort) : undefined;
      const key = `${host}:${port ?? ''}`;
      if (seen.has(key) || !accept(host, port, strong)) return;
      seen.add(key);
      hints.push(port === undefined ? { host, line } : { host, port, line });
    };
    for (const re of STRONG) for (const m of line.matchAll(re)) add(m[1]!, m[2], true);
    for (const m of line.matchAll(HOST_PORT)) add(m[1]!, m[2], false);
  }
  return hints;
}

/**
 * The Service a host name or IP reaches from a pod in `namespace`: `svc`, `svc.ns`,
 * `svc.ns.svc[.cluster.local]`, a pod of a headless Service `pod.svc.ns.svc...`, or a
 * Service's cluster IP.
 */
export function serviceForHost(snapshot: Snapshot, namespace: string, host: string): Service | undefined {
  if (IPV4.test(host)) return snapshot.services.find((s) => s.spec?.clusterIP === host);
  const parts = host.split('.');
  const candidates: [string, string][] = [];
  if (parts.length === 1) candidates.push([parts[0]!, namespace]);
  if (parts.length === 2 || parts[2] === 'svc') candidates.push([parts[0]!, parts[1]!]);
  if (parts[3] === 'svc') candidates.push([parts[1]!, parts[2]!]);
  for (const [name, ns] of candidates) {
    const svc = snapshot.get<Service>('Service', ns, name);
    if (svc) return svc;
  }
  return undefined;
}

// Credentials in URLs and key=value pairs never reach evidence.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)[^@\s/]+@/gi;
const KEY_VALUE_SECRET =
  /\b([\w-]*?(?:password|passwd|pwd|secret|token|api[_-]?key))(["']?\s*[=:]\s*["']?)[^\s"',&]+/gi;

/** The line (cut to a bounded length) with credentials masked. */
export function redactLogLine(line: string): string {
  return line.slice(0, MAX_LINE).replace(URL_CREDENTIALS, '$1***@').replace(KEY_VALUE_SECRET, '$1$2***');
}

/**
 * The readable part of a log line: for a structured JSON line (zap, logrus, bunyan...) its
 * message and error fields, which is what a person would read out of it.
 */
export function logExcerpt(line: string): string {
  const trimmed = line.slice(0, MAX_LINE * 4).trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (parsed && typeof parsed === 'object') {
        const fields = parsed as Record<string, unknown>;
        const text = (key: string): string | undefined =>
          typeof fields[key] === 'string' ? (fields[key] as string) : undefined;
        const msg = text('msg') ?? text('message');
        const err = text('error') ?? text('err');
        const joined = [msg, err].filter(Boolean).join(': ');
        if (joined) return joined;
      }
    } catch {
      // Not JSON after all: the line as written is the best excerpt.
    }
  }
  return trimmed;
}
