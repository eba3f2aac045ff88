// URL paths of the Kubernetes API, parsed into what they address:
//   /api/v1/namespaces/{ns}/pods/{name}/log  → resource pods in ns, name, subresource log
//   /apis/apps/v1/deployments                → all-namespaces list of deployments
//   /api/v1/namespaces/{name}/status         → the namespaces resource itself
import type { ResourceDef, ResourceRegistry } from './resources.js';

export type Route =
  | { type: 'version' | 'health' | 'api' | 'apis' }
  | { type: 'group'; group: string }
  | { type: 'groupVersion'; group: string; version: string }
  | { type: 'resource'; def: ResourceDef; namespace?: string; name?: string; subresource?: string };

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function parseRoute(path: string, registry: ResourceRegistry): Route | undefined {
  if (path === '/version') return { type: 'version' };
  if (path === '/healthz' || path === '/livez' || path === '/readyz') return { type: 'health' };
  if (path === '/api') return { type: 'api' };
  if (path === '/apis') return { type: 'apis' };
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 2) {
    group = '';
    version = parts[1] as string;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 2) {
    group = parts[1] as string;
    if (parts.length === 2) return { type: 'group', group };
    version = parts[2] as string;
    rest = parts.slice(3);
  } else return undefined;
  if (rest.length === 0) return { type: 'groupVersion', group, version };

  let namespace: string | undefined;
  if (
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    !(group === '' && rest.length === 3 && NAMESPACE_SUBRESOURCES.has(rest[2] as string))
  ) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource, ...extra] = rest;
  if (!resource || extra.length) return undefined;
  const def = registry.byResource(group, version, resource);
  if (!def) return undefined;
  // A namespaced resource is never addressed by name without its namespace, and the reverse.
  if (namespace && !def.namespaced) return undefined;
  if (!namespace && def.namespaced && name) return undefined;
  const route: Route = { type: 'resource', def };
  if (namespace) route.namespace = namespace;
  if (name) route.name = name;
  if (subresource) route.subresource = subresource;
  return route;
}
