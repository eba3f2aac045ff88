// What a controller's `FailedCreate` says went wrong, read from the admission error it quotes.
// The API server refuses a pod before it exists, so this text is all there is: no pod, no
// pod events, no logs. The formats are those of the kube-apiserver's admission plugins.

/** One admission refusal, as data. */
export type CreateError =
  | {
      kind: 'quota-exceeded';
      quota: string;
      /** `requests.cpu` → amounts, as the message prints them. */
      requested: Record<string, string>;
      used: Record<string, string>;
      limited: Record<string, string>;
    }
  | { kind: 'quota-must-specify'; quota: string; resources: string[] }
  | { kind: 'limit-range'; violations: string[] }
  | { kind: 'pod-security'; level: string; checks: string[] }
  | { kind: 'service-account'; namespace: string; name: string }
  | { kind: 'webhook-unreachable'; webhook: string; url?: string; detail: string }
  | { kind: 'webhook-denied'; webhook: string; reason: string }
  | { kind: 'other'; text: string };

/** The message without the event recorder's and the controller's prefixes. */
export function createErrorText(message: string): string {
  return message
    .replace(/^\(combined from similar events\): /, '')
    .replace(/^Error creating: /, '')
    .trim();
}

/** `requests.cpu=40m,requests.memory=64Mi` (the quota plugin's printing of a resource list). */
function resourceList(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0) out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}

/** The checks PodSecurity lists, each `name (detail)`, split at the commas between them. */
function podSecurityChecks(text: string): string[] {
  const checks: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      checks.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last) checks.push(last);
  return checks;
}

/** LimitRanger's refusals (min, max, ratio); several come comma-separated in brackets. */
const LIMIT_RANGE =
  /(?:minimum|maximum) \S+ usage per \w+ is [^,\s]+(?:, but (?:request|limit) is [^,\]\s]+|\.\s+No (?:request|limit) is specified\.?)|\S+ max limit to request ratio per \w+ is [^,\s]+, but provided ratio is [^,\]\s]+/g;

export function parseCreateError(message: string): CreateError {
  const text = createErrorText(message);
  let m = /exceeded quota: ([^,]+), requested: (\S+), used: (\S+), limited: (\S+)/.exec(text);
  if (m)
    return {
      kind: 'quota-exceeded',
      quota: m[1]!,
      requested: resourceList(m[2]!),
      used: resourceList(m[3]!),
      limited: resourceList(m[4]!),
    };
  m = /failed quota: ([^:]+): must specify (.+)$/.exec(text);
  if (m)
    return {
      kind: 'quota-must-specify',
      quota: m[1]!,
      resources: m[2]!.split(',').map((s) => s.trim()),
    };
  m = /violates PodSecurity "([^"]+)": (.+)$/.exec(text);
  if (m) return { kind: 'pod-security', level: m[1]!, checks: podSecurityChecks(m[2]!) };
  m = /error looking up service account ([^/\s]+)\/([^:\s]+):/.exec(text);
  if (m) return { kind: 'service-account', namespace: m[1]!, name: m[2]! };
  m = /failed calling webhook "([^"]+)": (.+)$/.exec(text);
  if (m) {
    const url = /(?:Post|Get) "([^"]+)"/.exec(m[2]!)?.[1];
    return { kind: 'webhook-unreachable', webhook: m[1]!, detail: m[2]!, ...(url ? { url } : {}) };
  }
  m = /admission webhook "([^"]+)" denied the request:? (.*)$/.exec(text);
  if (m) return { kind: 'webhook-denied', webhook: m[1]!, reason: m[2]! };
  const limits = [...text.matchAll(LIMIT_RANGE)];
  if (limits.length > 0) return { kind: 'limit-range', violations: limits.map((l) => l[0].replace(/\.$/, '')) };
  return { kind: 'other', text };
}

/** The Service a webhook URL names (`https://svc.ns.svc:443/path`), when it names one. */
export function webhookServiceOf(url: string | undefined): { name: string; namespace: string } | undefined {
  if (!url) return undefined;
  const host = /^https?:\/\/([^/:]+)/.exec(url)?.[1];
  const m = host ? /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?$/.exec(host) : null;
  return m ? { name: m[1]!, namespace: m[2]! } : undefined;
}
