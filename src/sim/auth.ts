// Who is calling and what they may do. Three bearer tokens are known: an admin, a viewer
// who may only get/list/watch inside one namespace (cluster-wide lists answer the real 403)
// and, like a Role that leaves them out, not the resources a scenario denies it (`pods/log`),
// and an expired token the server rejects with 401. A request without a token is
// system:anonymous, which real clusters allow /version and the health checks only.
import type { ResourceDef } from './resources.js';
import { forbidden, unauthorized } from './status.js';

export interface SimUsers {
  adminToken: string;
  viewerToken: string;
  expiredToken: string;
  /** The user name the viewer's 403 messages carry. */
  viewerName: string;
  viewerNamespace: string;
  /** `resource` or `resource/subresource` the viewer may not read in its namespace either. */
  viewerDenied?: readonly string[];
}

export type Caller =
  | { kind: 'admin'; name: string }
  | { kind: 'viewer'; name: string; namespace: string; denied: ReadonlySet<string> }
  | { kind: 'anonymous'; name: string };

export const DEFAULT_TOKENS = {
  adminToken: 'kcockpit-sim-admin-token',
  viewerToken: 'kcockpit-sim-viewer-token',
  expiredToken: 'kcockpit-sim-expired-token',
};

const PUBLIC_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz']);

/** Resolve the Authorization header; throws the 401 Status for unknown or expired tokens. */
export function authenticate(header: string | undefined, users: SimUsers): Caller {
  if (!header) return { kind: 'anonymous', name: 'system:anonymous' };
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  const token = m?.[1]?.trim();
  if (token === users.adminToken) return { kind: 'admin', name: 'kubernetes-admin' };
  if (token === users.viewerToken)
    return {
      kind: 'viewer',
      name: users.viewerName,
      namespace: users.viewerNamespace,
      denied: new Set(users.viewerDenied ?? []),
    };
  throw unauthorized();
}

export interface RequestAttrs {
  verb: string;
  path: string;
  def?: ResourceDef;
  subresource?: string;
  namespace?: string;
  name?: string;
}

const READ_VERBS = new Set(['get', 'list', 'watch']);

/** Throws the 403 Status the real authorizer would answer. */
export function authorize(caller: Caller, a: RequestAttrs): void {
  if (caller.kind === 'admin') return;
  if (!a.def) {
    // Non-resource paths: discovery is open to every authenticated user, health to everyone.
    if (PUBLIC_PATHS.has(a.path) || (caller.kind === 'viewer' && a.verb === 'get')) return;
    throw forbidden({ user: caller.name, verb: a.verb, path: a.path });
  }
  const resource = a.subresource ? `${a.def.resource}/${a.subresource}` : a.def.resource;
  const allowed =
    caller.kind === 'viewer' &&
    READ_VERBS.has(a.verb) &&
    a.namespace === caller.namespace &&
    a.subresource !== 'portforward' &&
    !caller.denied.has(resource);
  if (!allowed)
    throw forbidden({
      user: caller.name,
      verb: a.verb,
      def: a.def,
      subresource: a.subresource,
      namespace: a.namespace,
      name: a.name,
    });
}
