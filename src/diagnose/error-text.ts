// Error text that helm and kubectl print (or that helm stores as a release description),
// recognised and taken apart, so rules can explain a failure that left nothing in the
// cluster: a `helm install` that could not build its objects stores no release at all.
// Only wordings the tools really print are matched; each pattern is linear so a pasted
// megabyte of log cannot stall the diagnosis.

export type HelmOperation = 'install' | 'upgrade' | 'rollback' | 'uninstall';

interface Base {
  /** The fragment of the text this was read from (clipped). */
  text: string;
  /** The helm operation whose `Error: <OP> FAILED:` prefix the fragment sits under. */
  operation?: HelmOperation;
  /** The release named by the text (`Upgrade "jaeger" failed`, `"jaeger" has no deployed releases`). */
  release?: string;
}

export type ParsedError =
  | (Base & {
      /** `no matches for kind "Certificate" in version "cert-manager.io/v1"`: the API server does not serve that kind. */
      kind: 'no-matches';
      resourceKind: string;
      apiVersion: string;
      /** `''` for the core group. */
      group: string;
      version: string;
      /** Object names from the `resource mapping not found for name: "x"` form, when given. */
      names: string[];
      namespace?: string;
    })
  | (Base & { kind: 'crds-missing' })
  | (Base & { kind: 'unknown-resource-type'; resource: string })
  | (Base & { kind: 'name-in-use' })
  | (Base & { kind: 'operation-in-progress' })
  | (Base & { kind: 'no-deployed-releases'; release: string })
  | (Base & { kind: 'timeout'; hook?: string })
  | (Base & { kind: 'cluster-unreachable'; server?: string; cause?: string; noKubeconfig: boolean })
  | (Base & { kind: 'unauthorized' })
  | (Base & { kind: 'x509-unknown-authority' })
  | (Base & { kind: 'x509-expired' })
  | (Base & { kind: 'x509-hostname'; validFor?: string })
  | (Base & { kind: 'forbidden'; user: string; verb: string; resource: string; apiGroup?: string; namespace?: string })
  | (Base & { kind: 'webhook-failed'; webhook: string; service?: { namespace: string; name: string }; cause: string })
  | (Base & {
      kind: 'ownership-conflict';
      resourceKind: string;
      name: string;
      namespace?: string;
      wantedRelease?: string;
      wantedNamespace?: string;
      currentRelease?: string;
    })
  | (Base & { kind: 'repo-not-found'; repo: string });

export type ParsedErrorKind = ParsedError['kind'];

const MAX_TEXT = 256 * 1024;
const MAX_PER_PATTERN = 50;
const MAX_FRAGMENT = 600;

function clip(text: string): string {
  return text.length <= MAX_FRAGMENT ? text : `${text.slice(0, MAX_FRAGMENT)}…`;
}

/** The rest of the line from `index` (a fragment to show), clipped. */
function lineFrom(text: string, index: number): string {
  const end = text.indexOf('\n', index);
  return clip(text.slice(index, end < 0 ? undefined : end).trim());
}

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

interface Hit {
  index: number;
  error: ParsedError;
}

function* matches(re: RegExp, text: string): Generator<RegExpExecArray> {
  re.lastIndex = 0;
  let n = 0;
  let m: RegExpExecArray | null;
  while (n < MAX_PER_PATTERN && (m = re.exec(text)) !== null) {
    n++;
    yield m;
    if (m[0].length === 0) re.lastIndex++;
  }
}

// ---- missing kinds ----

const NO_MATCHES = /no matches for kind "([^"\n]{1,253})" in version "([^"\n]{1,253})"/g;
// The object the mapping was for, written just before: `resource mapping not found for name: "x" namespace: "y" from "f": `
const MAPPING_PREFIX = /resource mapping not found for name: "([^"\n]*)" namespace: "([^"\n]*)"[^\n]{0,300}$/;

function noMatches(text: string): Hit[] {
  const byKey = new Map<string, Hit>();
  for (const m of matches(NO_MATCHES, text)) {
    const resourceKind = m[1]!;
    const apiVersion = m[2]!;
    const before = text.slice(Math.max(0, m.index - 400), m.index);
    const mapping = MAPPING_PREFIX.exec(before);
    const key = `${resourceKind}|${apiVersion}`;
    const known = byKey.get(key);
    if (known && known.error.kind === 'no-matches') {
      if (mapping?.[1] && !known.error.names.includes(mapping[1])) known.error.names.push(mapping[1]);
      continue;
    }
    const error: ParsedError = {
      kind: 'no-matches',
      resourceKind,
      apiVersion,
      ...splitApiVersion(apiVersion),
      names: [],
      text: clip(m[0]),
    };
    if (mapping?.[1]) error.names.push(mapping[1]);
    if (mapping?.[2]) error.namespace = mapping[2];
    byKey.set(key, { index: m.index, error });
  }
  return [...byKey.values()];
}

// ---- the other recognised errors ----

interface Pattern {
  re: RegExp;
  build(m: RegExpExecArray, text: string): ParsedError | undefined;
}

const PATTERNS: Pattern[] = [
  {
    re: /ensure CRDs are installed first/g,
    build: (m) => ({ kind: 'crds-missing', text: m[0] }),
  },
  {
    re: /the server doesn't have a resource type "([^"\n]{1,253})"/g,
    build: (m) => ({ kind: 'unknown-resource-type', resource: m[1]!, text: m[0] }),
  },
  {
    re: /cannot re-use a name that is still in use/g,
    build: (m) => ({ kind: 'name-in-use', text: m[0] }),
  },
  {
    re: /another operation \(install\/upgrade\/rollback\) is in progress/g,
    build: (m) => ({ kind: 'operation-in-progress', text: m[0] }),
  },
  {
    re: /"([^"\n]{1,53})" has no deployed releases/g,
    build: (m) => ({ kind: 'no-deployed-releases', release: m[1]!, text: m[0] }),
  },
  {
    re: /(?:failed (pre-install|post-install|pre-upgrade|post-upgrade|pre-rollback|post-rollback|pre-delete|post-delete):[\s\S]{0,200}?)?(?:context deadline exceeded|timed out waiting for the condition)/g,
    build: (m, text) => {
      // A webhook call or a connection to the API server that timed out is explained as such.
      const line = text.slice(lineStart(text, m.index), m.index);
      if (/failed calling webhook|cluster unreachable|Unable to connect to the server/.test(line)) return undefined;
      const e: ParsedError = { kind: 'timeout', text: clip(m[0]) };
      if (m[1]) e.hook = m[1];
      return e;
    },
  },
  {
    re: /Kubernetes cluster unreachable: ?([^\n]{0,400})|The connection to the server ([^\s]{1,255}) was refused|Unable to connect to the server: ([^\n]{0,400})/g,
    build: (m) => {
      const detail = (m[1] ?? m[3] ?? '').trim();
      // A TLS or credentials failure is the more specific error; its own pattern reports it.
      if (/x509:|provide credentials|Unauthorized/.test(detail)) return undefined;
      const url = /Get "(https?:\/\/[^/"\s]+)/.exec(detail)?.[1];
      const host = m[2] ?? url?.replace(/^https?:\/\//, '') ?? /dial tcp ([^\s:]+:\d+)/.exec(detail)?.[1];
      const e: ParsedError = {
        kind: 'cluster-unreachable',
        text: clip(m[0]),
        noKubeconfig: host === 'localhost:8080' || host === '127.0.0.1:8080',
      };
      if (host) e.server = host;
      const cause =
        /(connection refused|no route to host|i\/o timeout|no such host|network is unreachable|connection reset by peer|EOF)\b/.exec(
          detail,
        )?.[1] ?? (m[2] ? 'connection refused' : undefined);
      if (cause) e.cause = cause;
      return e;
    },
  },
  {
    re: /You must be logged in to the server(?: \(Unauthorized\))?|the server has asked for the client to provide credentials/g,
    build: (m) => ({ kind: 'unauthorized', text: m[0] }),
  },
  {
    re: /x509: certificate signed by unknown authority/g,
    build: (m, text) =>
      inWebhookCall(text, m.index)
        ? undefined
        : { kind: 'x509-unknown-authority', text: lineFrom(text, lineStart(text, m.index)) },
  },
  {
    re: /x509: certificate has expired or is not yet valid/g,
    build: (m, text) =>
      inWebhookCall(text, m.index)
        ? undefined
        : { kind: 'x509-expired', text: lineFrom(text, lineStart(text, m.index)) },
  },
  {
    re: /x509: certificate is valid for ([^\n]{1,300}?), not ([^\s,]{1,255})/g,
    build: (m, text) =>
      inWebhookCall(text, m.index) ? undefined : { kind: 'x509-hostname', validFor: m[1]!, text: clip(m[0]) },
  },
  {
    re: /User "([^"\n]{0,255})" cannot ([a-z]{1,40}) resource "([^"\n]{1,253})"(?: in API group "([^"\n]{0,253})")?(?: in the namespace "([^"\n]{1,63})")?/g,
    build: (m, text) => {
      const e: ParsedError = {
        kind: 'forbidden',
        user: m[1]!,
        verb: m[2]!,
        resource: m[3]!,
        text: lineFrom(text, lineStart(text, m.index)),
      };
      if (m[4] !== undefined) e.apiGroup = m[4];
      if (m[5]) e.namespace = m[5];
      return e;
    },
  },
  {
    re: /failed calling webhook "([^"\n]{1,253})": ?([^\n]{0,600})/g,
    build: (m) => {
      const cause = m[2]!.replace(/^failed to call webhook: /, '').trim();
      const e: ParsedError = { kind: 'webhook-failed', webhook: m[1]!, cause: clip(cause), text: clip(m[0]) };
      const svc = /https:\/\/([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc\b/.exec(cause);
      if (svc) e.service = { name: svc[1]!, namespace: svc[3]! };
      return e;
    },
  },
  {
    re: /Unable to continue with (?:install|update|upgrade): ([A-Za-z]{1,63}) "([^"\n]{1,253})" in namespace "([^"\n]{0,63})" exists and cannot be imported into the current release([^\n]{0,1000})/g,
    build: (m) => {
      const rest = m[4] ?? '';
      const e: ParsedError = { kind: 'ownership-conflict', resourceKind: m[1]!, name: m[2]!, text: clip(m[0]) };
      if (m[3]) e.namespace = m[3];
      const wanted = /"meta\.helm\.sh\/release-name"(?::| must equal) (?:must be set to )?"([^"]*)"/.exec(rest)?.[1];
      if (wanted) e.wantedRelease = wanted;
      const wantedNs = /"meta\.helm\.sh\/release-namespace"(?::| must equal) (?:must be set to )?"([^"]*)"/.exec(
        rest,
      )?.[1];
      if (wantedNs) e.wantedNamespace = wantedNs;
      const current = /release-name" must equal "[^"]*": current value is "([^"]*)"/.exec(rest)?.[1];
      if (current) e.currentRelease = current;
      return e;
    },
  },
  {
    re: /\brepo ([A-Za-z0-9][\w.-]{0,100}) not found/g,
    build: (m) => ({ kind: 'repo-not-found', repo: m[1]!, text: m[0] }),
  },
];

function lineStart(text: string, index: number): number {
  return text.lastIndexOf('\n', index) + 1;
}

/** Whether a TLS error sits inside a `failed calling webhook` message on the same line. */
function inWebhookCall(text: string, index: number): boolean {
  return text.slice(lineStart(text, index), index).includes('failed calling webhook');
}

// ---- context: which helm operation, which release ----

const OPERATION_PREFIX =
  /Error: (INSTALLATION|UPGRADE|ROLLBACK|UNINSTALLATION) FAILED:|\b(Release|Upgrade|Rollback) "([^"\n]{1,53})" failed:/g;

const OPERATIONS: Record<string, HelmOperation> = {
  INSTALLATION: 'install',
  UPGRADE: 'upgrade',
  ROLLBACK: 'rollback',
  UNINSTALLATION: 'uninstall',
  Release: 'install',
  Upgrade: 'upgrade',
  Rollback: 'rollback',
};

interface Context {
  index: number;
  operation: HelmOperation;
  release?: string;
}

function contexts(text: string): Context[] {
  const out: Context[] = [];
  for (const m of matches(OPERATION_PREFIX, text)) {
    const c: Context = { index: m.index, operation: OPERATIONS[m[1] ?? m[2] ?? ''] ?? 'install' };
    if (m[3]) c.release = m[3];
    out.push(c);
  }
  return out;
}

/**
 * Recognise helm and kubectl errors in free text. Returns them in the order they appear,
 * one entry per distinct missing kind; never throws.
 */
export function parseErrorText(input: unknown): ParsedError[] {
  if (typeof input !== 'string' || input.length === 0) return [];
  const text = input.length > MAX_TEXT ? input.slice(0, MAX_TEXT) : input;
  const hits: Hit[] = noMatches(text);
  for (const p of PATTERNS) {
    for (const m of matches(p.re, text)) {
      const error = p.build(m, text);
      if (error) hits.push({ index: m.index, error });
    }
  }
  // "ensure CRDs are installed first" only adds something when no missing kind was named.
  const named = hits.some((h) => h.error.kind === 'no-matches');
  const kept = hits.filter((h) => !(named && h.error.kind === 'crds-missing'));
  const ctx = contexts(text);
  const seen = new Set<string>();
  const out: ParsedError[] = [];
  for (const hit of kept.sort((a, b) => a.index - b.index)) {
    const key =
      hit.error.kind === 'no-matches'
        ? `${hit.error.resourceKind}|${hit.error.apiVersion}`
        : `${hit.error.kind}|${hit.error.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let context: Context | undefined;
    for (const c of ctx) if (c.index <= hit.index) context = c;
    if (context) {
      hit.error.operation = context.operation;
      if (context.release && !hit.error.release) hit.error.release = context.release;
    }
    out.push(hit.error);
  }
  return out;
}
