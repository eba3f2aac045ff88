// Choosing the pod behind a target and the port traffic goes to inside it. Pure functions over
// objects as the API server sends them.
import type { Pod, PodSpec, Service } from '../model/k8s.js';
import { ForwardError } from './errors.js';
import { compareText } from '../util/order.js';

export const isReady = (p: Pod): boolean =>
  (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** Why traffic cannot go to this pod (`was deleted`-style phrase), or undefined when it can. */
export function unusableReason(p: Pod): string | undefined {
  if (p.metadata.deletionTimestamp) return 'is being deleted';
  const phase = p.status?.phase ?? 'Pending';
  if (phase === 'Running') return undefined;
  if (phase === 'Pending') return 'is not running yet (Pending)';
  return `has stopped (${phase})`;
}

function readySince(p: Pod): string {
  return (
    (p.status?.conditions ?? []).find((c) => c.type === 'Ready')?.lastTransitionTime ??
    p.metadata.creationTimestamp ??
    ''
  );
}

/**
 * The pod to send new connections to: a running pod, ready ones first (kubectl takes the first
 * pod even when it is not ready; a crash-looping pod is still better than none), the longest
 * ready first so a fresh replica is not picked over a warm one; then by name, for stable choices.
 */
export function choosePod(pods: readonly Pod[]): Pod | undefined {
  return pods
    .filter((p) => unusableReason(p) === undefined)
    .sort(
      (a, b) =>
        Number(isReady(b)) - Number(isReady(a)) ||
        compareText(readySince(a), readySince(b)) ||
        compareText(a.metadata.name, b.metadata.name),
    )[0];
}

export interface AvailablePort {
  /** The number to give as REMOTE: a container port, or for a Service its service port. */
  port: number;
  name?: string;
  protocol: string;
  /** The container that declares it (pods, deployments). */
  container?: string;
  /** What a Service port sends to (a number or a container port's name). */
  targetPort?: number | string;
}

export function containerPorts(spec: PodSpec): AvailablePort[] {
  return spec.containers.flatMap((c) =>
    (c.ports ?? []).map((p): AvailablePort => ({
      port: p.containerPort,
      protocol: p.protocol ?? 'TCP',
      container: c.name,
      ...(p.name ? { name: p.name } : {}),
    })),
  );
}

export function servicePorts(svc: Service): AvailablePort[] {
  return (svc.spec.ports ?? []).map((p): AvailablePort => ({
    port: p.port,
    protocol: p.protocol ?? 'TCP',
    targetPort: p.targetPort ?? p.port,
    ...(p.name ? { name: p.name } : {}),
  }));
}

/**
 * The container port a Service port reaches in `pod`, as kubectl maps it: a numeric
 * targetPort as is (0 or absent: the service port itself), a named one looked up among
 * the pod's container ports — which can differ from pod to pod.
 */
export function serviceTargetPort(svc: Service, servicePort: number, pod: Pod): number {
  const sp = (svc.spec.ports ?? []).find((p) => p.port === servicePort);
  if (!sp) {
    const have = servicePorts(svc).map((p) => (p.name ? `${p.port} (${p.name})` : String(p.port)));
    const listed = have.length ? `its ports are ${have.join(', ')}` : 'it declares no ports';
    throw new ForwardError(
      'port',
      `svc/${svc.metadata.name} has no port ${servicePort}: ${listed}; give one of those as REMOTE`,
    );
  }
  const target = sp.targetPort;
  if (target === undefined || target === 0 || target === '') return sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const named = containerPorts(pod.spec).find((p) => p.name === target);
  if (!named) {
    throw new ForwardError(
      'port',
      `pod ${pod.metadata.name} has no container port named "${target}", which svc/${svc.metadata.name}'s port ${servicePort} targets: the Service and the pod template disagree; fix the name in one of them`,
    );
  }
  return named.port;
}
