// Which Services a container's configuration names: env values, args and command that hold a
// Service's DNS name (`name`, `name.ns`, `name.ns.svc`, `name.ns.svc.cluster.local`, with or
// without scheme and port). When a crash left no log lines (rotated, no `pods/log` permission,
// a kubelet that does not answer), this is the evidence that still links the container to a
// Service that is down.
import type { Container, Pod, Service } from '../../../src/model/k8s.js';
import type { Snapshot } from '../../../src/store/snapshot.js';
import { nearestName } from '../../../src/diagnose/nearest.js';
import { serviceHealth, type ServiceHealth } from '../../services/lib/service-health.js';
import { redactLogLine, serviceForHost } from './log-dependencies.js';

export interface ConfigReference {
  host: string;
  port?: number;
  /** `spec.containers[0].env[1]`, `spec.containers[0].args[2]` */
  path: string;
  /** What the spec says, credentials masked: `ES_SERVER_URLS=http://elasticsearch-master:9200`. */
  text: string;
  /** Written as an address (scheme or port), not just a word that may be a name. */
  explicit: boolean;
}

/** A dependency inferred from configuration: the reference, and the Service it reaches (if any). */
export interface ConfigDependency {
  reference: ConfigReference;
  /** Undefined when no Service of that name exists. */
  health: ServiceHealth | undefined;
  /** The existing Service in that namespace whose name is closest, when none exists. */
  didYouMean?: string;
  /** The namespace the name resolves in. */
  namespace: string;
  /** The Service name the reference resolves to. */
  name: string;
}

// Env names that hold credentials are never read: their values must not reach evidence.
const SECRET_NAME = /pass|secret|token|key|credential|auth/i;
// Env names and flags that say the value is an address, so a bare `name` counts.
const ADDRESS_NAME = /host|addr|server|endpoint|url|uri|service|broker|dsn|nodes|seeds|upstream|backend|target/i;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
/** Values cut to this length before parsing: config can be large, references are short. */
const MAX_VALUE = 2048;

interface Address {
  host: string;
  port?: number;
  /** Scheme or port given: the value is an address, whatever its name says. */
  strong: boolean;
}

/** The addresses in one value: URLs, host:port, lists of them, or a bare host name. */
export function addressesIn(value: string, addressName: boolean): Address[] {
  const out: Address[] = [];
  for (const raw of value.slice(0, MAX_VALUE).split(/[\s,;"'()[\]{}<>]+/)) {
    let token = raw;
    const scheme = /^[a-z][a-z0-9+.-]*:\/\/+/i.exec(token);
    if (scheme) token = token.slice(scheme[0].length);
    token = token.replace(/^[^@/]*@/, '').split(/[/?#]/)[0]!;
    const m = /^([a-z0-9.-]+?)\.?(?::(\d{1,5}))?$/i.exec(token);
    if (!m) continue;
    const host = m[1]!.toLowerCase();
    const port = m[2] ? Number(m[2]) : undefined;
    if (IPV4.test(host) || !host.split('.').every((l) => DNS_LABEL.test(l)) || !/^[a-z]/.test(host)) continue;
    const strong = !!scheme || port !== undefined;
    if (!strong && !addressName) continue;
    out.push(port === undefined ? { host, strong } : { host, port, strong });
  }
  return out;
}

/**
 * configReferences' answers. Replicas hold the same container object (the projection shares
 * parts equal to a twin's), so the env of a Deployment's crashing pods is read once, not once
 * a pod, and again on every diagnosis the cockpit runs.
 */
const referencesOf = new WeakMap<Container, Map<string, ConfigReference[]>>();

/** Every address the container's env values, command and args name, in spec order. */
export function configReferences(container: Container, specPath: string): ConfigReference[] {
  // A cluster's JSON is not always what its type says: only an object can be a WeakMap key.
  if (typeof container !== 'object' || container === null) return readReferences(container, specPath);
  let byPath = referencesOf.get(container);
  if (!byPath) referencesOf.set(container, (byPath = new Map()));
  let refs = byPath.get(specPath);
  if (!refs) byPath.set(specPath, (refs = readReferences(container, specPath)));
  return refs;
}

function readReferences(container: Container, specPath: string): ConfigReference[] {
  const refs: ConfigReference[] = [];
  const add = (value: string, addressName: boolean, path: string, text: string): void => {
    for (const a of addressesIn(value, addressName))
      refs.push({
        host: a.host,
        ...(a.port !== undefined ? { port: a.port } : {}),
        path,
        text: redactLogLine(text),
        explicit: a.strong,
      });
  };
  (Array.isArray(container.env) ? container.env : []).forEach((e, i) => {
    if (!e || typeof e.name !== 'string' || typeof e.value !== 'string' || SECRET_NAME.test(e.name)) return;
    add(e.value, ADDRESS_NAME.test(e.name), `${specPath}.env[${i}]`, `${e.name}=${e.value}`);
  });
  for (const field of ['command', 'args'] as const) {
    const list = container[field];
    (Array.isArray(list) ? list : []).forEach((arg, i) => {
      if (typeof arg !== 'string') return;
      const flag = /^--?([\w.-]+)=(.*)$/s.exec(arg);
      if (flag && SECRET_NAME.test(flag[1]!)) return;
      add(flag ? flag[2]! : arg, flag ? ADDRESS_NAME.test(flag[1]!) : false, `${specPath}.${field}[${i}]`, arg);
    });
  }
  return refs;
}

/**
 * The name and namespace a host resolves to from a pod in `namespace`, when it is shaped like
 * a Service's DNS name; undefined for names outside the cluster.
 */
function serviceName(snapshot: Snapshot, namespace: string, host: string): { name: string; ns: string } | undefined {
  const parts = host.split('.');
  if (parts.length === 1) return { name: parts[0]!, ns: namespace };
  const tail = parts.slice(2).join('.');
  if (parts.length >= 3 && (tail === 'svc' || tail === 'svc.cluster.local')) return { name: parts[0]!, ns: parts[1]! };
  // `name.ns` is a Service only when `ns` is a namespace kcockpit knows of.
  const known = snapshot.namespaces.some((n) => n.metadata.name === parts[1]) || parts[1] === namespace;
  if (parts.length === 2 && known) return { name: parts[0]!, ns: parts[1]! };
  return undefined;
}

/**
 * The first Service the container's configuration names that cannot serve it: missing (for
 * an address written as one: with a scheme, a port or a `.svc` name), selecting no pods, or
 * with no ready pod. Services that select the pod itself (peer discovery) are left out.
 */
export function brokenConfigDependency(
  snapshot: Snapshot,
  pod: Pod,
  container: Container | undefined,
  specPath: string | undefined,
): ConfigDependency | undefined {
  if (!container || !specPath) return undefined;
  const ns = pod.metadata.namespace ?? '';
  for (const reference of configReferences(container, specPath)) {
    const resolved = serviceName(snapshot, ns, reference.host);
    if (!resolved) continue;
    const service: Service | undefined = serviceForHost(snapshot, ns, reference.host);
    if (!service) {
      if (snapshot.forbidden.has('services')) continue;
      // A bare word that names nothing is more likely a setting than a Service that is missing.
      if (reference.host.split('.').length === 1 && !reference.explicit) continue;
      const others = snapshot.inNamespace<Service>('Service', resolved.ns).map((s) => s.metadata.name);
      const didYouMean = nearestName(resolved.name, others);
      return {
        reference,
        health: undefined,
        namespace: resolved.ns,
        name: resolved.name,
        ...(didYouMean ? { didYouMean } : {}),
      };
    }
    const health = serviceHealth(snapshot, service);
    if (health.state === 'serving' || health.pods.includes(pod)) continue;
    return { reference, health, namespace: resolved.ns, name: service.metadata.name };
  }
  return undefined;
}
