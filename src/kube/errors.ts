// The one error type for everything that talks to a cluster. Whatever failed underneath
// (client-node's ApiException, a node-fetch FetchError, a Status body, a watch ERROR event,
// a kubeconfig problem), the user sees one line that says what happened, why, and what to
// do. Raw library messages are never shown as they are: ApiException's message embeds the
// response headers and body, and a failing credential plugin may echo a token.

export type KubeErrorKind =
  'config' | 'unreachable' | 'unauthorized' | 'forbidden' | 'notfound' | 'conflict' | 'invalid' | 'server';

/** The `Status` object the API server sends with every error (and in watch ERROR events). */
export interface KubeStatus {
  kind?: string;
  apiVersion?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    kind?: string;
    group?: string;
    causes?: StatusCause[];
  };
}

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** What was being done, so messages can name it: the API server URL and e.g. `list pods`. */
export interface ErrorContext {
  server?: string;
  action?: string;
}

export class KubeError extends Error {
  override readonly name = 'KubeError';
  readonly kind: KubeErrorKind;
  /** HTTP status when the API server answered. */
  readonly code: number | undefined;
  /** `Status.reason` (`Expired`, `AlreadyExists`, `Conflict`, ...) when the server sent one. */
  readonly reason: string | undefined;
  /** The Status's causes: a 422's invalid fields, a 429's disruption budget. */
  readonly causes: readonly StatusCause[];

  constructor(
    kind: KubeErrorKind,
    message: string,
    extra: { code?: number; reason?: string; causes?: readonly StatusCause[] } = {},
  ) {
    super(oneLine(message));
    this.kind = kind;
    this.code = extra.code;
    this.reason = extra.reason;
    this.causes = extra.causes ?? [];
  }

  /** Map anything a cluster call can throw to a KubeError. `what` is the action (`list pods`) or a context. */
  static fromApi(e: unknown, what: string | ErrorContext = {}): KubeError {
    const ctx: ErrorContext = typeof what === 'string' ? { action: what } : what;
    if (e instanceof KubeError) return e;
    const status = asStatus(e);
    if (status?.code !== undefined) return fromHttp(status.code, status, ctx);
    if (isRecord(e)) {
      // client-node's ApiException: {code, body} where body is the response text (a Status JSON) or undefined.
      if (typeof e['code'] === 'number' && e['code'] >= 100 && e['code'] < 600)
        return fromHttp(e['code'], parseStatus(e['body']), ctx);
      // client-node's Watch: Error(statusText) with statusCode.
      if (typeof e['statusCode'] === 'number') return fromHttp(e['statusCode'], parseStatus(e['body']), ctx);
    }
    return fromTransport(e, ctx);
  }
}

/**
 * The RBAC verb a 403 names (`... cannot list resource "secrets" ...` → `list`), so a view
 * can say in one line which permission is missing.
 */
export function forbiddenVerb(message: string): string | undefined {
  return /\bcannot (\w+) resource\b/.exec(message)?.[1];
}

const MAX_MESSAGE = 600;

function oneLine(text: string): string {
  const flat = redact(text)
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE - 1)}…` : flat;
}

/** Credentials that can appear in plugin output or echoed headers. */
function redact(text: string): string {
  return text
    .replace(/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 <redacted>')
    .replace(
      /("?(?:token|password|access_token|id_token|refresh_token|client-key-data)"?\s*[:=]\s*"?)[^"\s,}]+/gi,
      '$1<redacted>',
    );
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function asStatus(v: unknown): KubeStatus | undefined {
  return isRecord(v) && v['kind'] === 'Status' && typeof v['code'] === 'number' ? (v as KubeStatus) : undefined;
}

/** A Status from a response body that may be a parsed object, a JSON string, or anything else. */
function parseStatus(body: unknown): KubeStatus | undefined {
  if (typeof body === 'string') {
    try {
      return asStatus(JSON.parse(body));
    } catch {
      return undefined;
    }
  }
  return asStatus(body);
}

const HTTP_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function httpText(code: number): string {
  return `${code}${HTTP_TEXT[code] ? ` ${HTTP_TEXT[code]}` : ''}`;
}

function fromHttp(code: number, status: KubeStatus | undefined, ctx: ErrorContext): KubeError {
  const causes = status?.details?.causes ?? [];
  const extra = {
    code,
    ...(status?.reason !== undefined ? { reason: status.reason } : {}),
    ...(causes.length > 0 ? { causes } : {}),
  };
  const msg = status?.message?.trim();
  const doing = ctx.action ? ` while trying to ${ctx.action}` : '';
  switch (code) {
    case 401:
      return new KubeError(
        'unauthorized',
        `the API server rejected your credentials (${httpText(401)}): your token may have expired; log in again or refresh your kubeconfig`,
        extra,
      );
    case 403: {
      const what = msg || `you are not allowed to ${ctx.action ?? 'do this'}`;
      const hint = /at the cluster scope/.test(what) ? 'try -n <namespace>' : 'ask a cluster admin for this permission';
      return new KubeError('forbidden', `forbidden: ${what} (${hint})`, extra);
    }
    case 404: {
      const what =
        msg || `the API server does not serve ${ctx.action ? `what is needed to ${ctx.action}` : 'this resource'}`;
      return new KubeError(
        'notfound',
        `not found: ${what} (check the name, the namespace (-n) and the context)`,
        extra,
      );
    }
    case 409: {
      const hint =
        status?.reason === 'Conflict' ? ' (it changed while kcockpit was working on it: reload and try again)' : '';
      return new KubeError('conflict', `conflict: ${msg || httpText(409)}${hint}`, extra);
    }
    case 400:
    case 422:
      return new KubeError(
        'invalid',
        `invalid: ${msg || `the API server refused the request${doing} (${httpText(code)})`}`,
        extra,
      );
    case 410:
      return new KubeError(
        'server',
        `the data kcockpit had is too old for the API server (${httpText(410)}${msg ? `: ${msg}` : ''}): reload to read it again`,
        extra,
      );
    case 429: {
      // The eviction API's "no": a PodDisruptionBudget allows no disruption now, and names itself.
      const budget = causes.find((c) => c.reason === 'DisruptionBudget')?.message;
      if (budget) return new KubeError('server', `${msg ?? 'Cannot evict pod'} ${budget}`, extra);
      return new KubeError(
        'server',
        `the API server is overloaded (${httpText(429)})${doing}: try again in a moment`,
        extra,
      );
    }
    default: {
      const why = msg ? `${httpText(code)}: ${msg}` : httpText(code);
      const advice =
        code >= 500
          ? 'it may be starting, overloaded or broken; try again in a moment'
          : 'this is unexpected; check the cluster and try again';
      return new KubeError('server', `the API server failed${doing} (${why}): ${advice}`, extra);
    }
  }
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'connection timed out',
  ESOCKETTIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EADDRNOTAVAIL: 'address not available',
  UND_ERR_SOCKET: 'connection closed',
  ERR_STREAM_PREMATURE_CLOSE: 'connection closed mid-answer',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};

const TLS_CODES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed and not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chain ends in an untrusted self-signed CA',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate is not signed by a trusted CA',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its certificate is not signed by a trusted CA',
  CERT_HAS_EXPIRED: 'its certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: "its certificate does not name the server's address",
  ERR_SSL_WRONG_VERSION_NUMBER: 'it does not speak TLS on that port',
  EPROTO: 'the TLS handshake failed',
};

function errorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  // node-fetch puts the system code on the error; undici nests it in `cause`.
  for (let depth = 0; depth < 3 && isRecord(cur); depth++) {
    if (typeof cur['code'] === 'string') return cur['code'];
    cur = cur['cause'];
  }
  return undefined;
}

function serverOf(e: unknown, ctx: ErrorContext): string {
  if (ctx.server) return ctx.server;
  const m = e instanceof Error ? /request to (\S+?) failed/.exec(e.message) : null;
  if (m?.[1]) {
    try {
      return new URL(m[1]).origin;
    } catch {
      // fall through
    }
  }
  return 'the configured address';
}

function fromTransport(e: unknown, ctx: ErrorContext): KubeError {
  const code = errorCode(e);
  const name = e instanceof Error ? e.name : '';
  const server = serverOf(e, ctx);
  if (code && NETWORK_CODES[code]) {
    return new KubeError(
      'unreachable',
      `cannot reach the API server at ${server} (${NETWORK_CODES[code]}): is the cluster running? check your kubeconfig's server address`,
    );
  }
  if (code && TLS_CODES[code]) {
    return new KubeError(
      'unreachable',
      `cannot talk securely to the API server at ${server} (${TLS_CODES[code]}): check certificate-authority-data and the server address in your kubeconfig`,
    );
  }
  if (name === 'TimeoutError' || (name === 'AbortError' && /timeout|timed out/i.test(String((e as Error).message)))) {
    return new KubeError(
      'unreachable',
      `the API server at ${server} did not answer in time: is the cluster running and reachable from here?`,
    );
  }
  if (name === 'AbortError')
    return new KubeError(
      'server',
      `the request to the API server was cancelled${ctx.action ? ` while trying to ${ctx.action}` : ''}`,
    );
  if (code === 'ENOENT' && e instanceof Error && /spawn/.test(e.message)) {
    const cmd = /spawn (\S+)/.exec(e.message)?.[1] ?? 'the credential plugin';
    return new KubeError(
      'config',
      `the kubeconfig's credential plugin "${cmd}" could not be run (not found): install it or fix users[].user.exec.command in your kubeconfig`,
    );
  }
  const text = e instanceof Error ? e.message : String(e);
  return new KubeError(
    'server',
    `unexpected failure${ctx.action ? ` while trying to ${ctx.action}` : ''}: ${text || name || 'unknown error'}`,
  );
}
