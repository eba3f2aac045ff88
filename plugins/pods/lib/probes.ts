// Probe settings in words, with Kubernetes' defaults filled in: a learner needs to see that
// an unset timeoutSeconds means 1 second.
import type { Container, ContainerPort, Probe } from '../../../src/model/k8s.js';
import { clip } from '../../../src/diagnose/evidence.js';
import { nearestName } from '../../../src/diagnose/nearest.js';

const PROBE_DEFAULTS = { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 } as const;

export interface ProbeTimings {
  initialDelaySeconds: number;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
}

export function probeTimings(probe: Probe): ProbeTimings {
  const n = (v: unknown, d: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);
  return {
    initialDelaySeconds: n(probe.initialDelaySeconds, PROBE_DEFAULTS.initialDelaySeconds),
    periodSeconds: n(probe.periodSeconds, PROBE_DEFAULTS.periodSeconds),
    timeoutSeconds: n(probe.timeoutSeconds, PROBE_DEFAULTS.timeoutSeconds),
    failureThreshold: n(probe.failureThreshold, PROBE_DEFAULTS.failureThreshold),
  };
}

function check(probe: Probe): string {
  if (probe.httpGet) return `HTTP GET ${probe.httpGet.path ?? '/'} on port ${probe.httpGet.port}`;
  if (probe.tcpSocket) return `TCP connect to port ${probe.tcpSocket.port}`;
  // Exec probes are often whole scripts: the first words say enough.
  if (probe.exec)
    return `exec ${clip((Array.isArray(probe.exec.command) ? probe.exec.command : []).join(' ').replace(/\s+/g, ' '), 80)}`;
  return 'check';
}

/** `HTTP GET /healthz on port 8080; initialDelaySeconds 0 (default), periodSeconds 10, ...` */
export function describeProbe(probe: Probe): string {
  const t = probeTimings(probe);
  const field = (name: keyof ProbeTimings): string =>
    `${name} ${t[name]}${probe[name] === undefined ? ' (default)' : ''}`;
  return `${check(probe)}; ${field('initialDelaySeconds')}, ${field('periodSeconds')}, ${field('timeoutSeconds')}, ${field('failureThreshold')}`;
}

/** The probed port, when the probe names one. */
export function probePort(probe: Probe): number | string | undefined {
  return probe.httpGet?.port ?? probe.tcpSocket?.port;
}

/** Whether the container declares the probed port (by number or name); undefined when it cannot tell. */
export function declaresPort(
  ports: readonly ContainerPort[] | undefined,
  port: number | string | undefined,
): boolean | undefined {
  if (port === undefined || !Array.isArray(ports) || ports.length === 0) return undefined;
  return ports.some(
    (p) =>
      p?.containerPort === port ||
      (p?.name !== undefined && p.name === port) ||
      String(p?.containerPort) === String(port),
  );
}

export type ProbeFailure = 'timeout' | 'refused' | 'status' | 'other';

/** What a `... probe failed: ...` message says went wrong. */
export function probeFailureKind(message: string): ProbeFailure {
  if (/timeout|deadline exceeded|timed out/i.test(message)) return 'timeout';
  if (/connection refused|connect: connection reset/i.test(message)) return 'refused';
  if (/statuscode: \d+/i.test(message)) return 'status';
  return 'other';
}

export type ProbeField = 'livenessProbe' | 'readinessProbe' | 'startupProbe';
const PROBE_FIELDS: readonly ProbeField[] = ['livenessProbe', 'readinessProbe', 'startupProbe'];

/**
 * A probe that cannot pass however healthy the app is: it dials a port the container does
 * not declare (and is refused), or asks for a path the app answers with 404. `suggest` is
 * the did-you-mean: the declared port (by the closest name, else the port another probe of
 * the container uses, else the only one), or the path another probe on the same port asks.
 */
export type ProbeMisfit =
  | { kind: 'undeclared-port'; port: number | string; declared: number[]; suggest?: number | string }
  | { kind: 'path-not-found'; path: string; port: number | string; suggest?: string };

export function probeMisfit(
  container: Container | undefined,
  field: ProbeField,
  message: string,
): ProbeMisfit | undefined {
  const probe = container?.[field];
  if (!container || !probe) return undefined;
  const port = probePort(probe);
  const others = PROBE_FIELDS.filter((f) => f !== field)
    .map((f) => container[f])
    .filter((p): p is Probe => !!p);
  const ports = Array.isArray(container.ports) ? container.ports : [];
  if (probeFailureKind(message) === 'refused' && port !== undefined && declaresPort(ports, port) === false) {
    const declared = ports.map((p) => p?.containerPort).filter((p): p is number => typeof p === 'number');
    const byName =
      typeof port === 'string'
        ? nearestName(
            port,
            ports.map((p) => p?.name).filter((n): n is string => typeof n === 'string'),
          )
        : undefined;
    const fromOther = others.map(probePort).find((p) => p !== undefined && declaresPort(ports, p) === true);
    const suggest = byName ?? fromOther ?? (declared.length === 1 ? declared[0] : undefined);
    return { kind: 'undeclared-port', port, declared, ...(suggest !== undefined ? { suggest } : {}) };
  }
  const status = /statuscode: (\d+)/i.exec(message);
  if (status?.[1] === '404' && probe.httpGet && port !== undefined) {
    const path = probe.httpGet.path ?? '/';
    const suggest = others.find(
      (p) => p.httpGet && String(probePort(p)) === String(port) && (p.httpGet.path ?? '/') !== path,
    )?.httpGet?.path;
    return { kind: 'path-not-found', path, port, ...(suggest !== undefined ? { suggest } : {}) };
  }
  return undefined;
}

/** What is wrong with the probe, in one sentence with its did-you-mean. */
export function misfitText(m: ProbeMisfit, kind: string): string {
  if (m.kind === 'undeclared-port')
    return `The ${kind} probe dials port ${String(m.port)}, which the container does not declare (it declares ${m.declared.join(', ') || 'no ports'}), and nothing answers there: the probe can never pass, however healthy the app is.${m.suggest !== undefined ? ` Did you mean port ${String(m.suggest)}?` : ''}`;
  return `The app answers 404 Not Found for ${m.path} on port ${String(m.port)}: it does not serve that path, so the probe can never pass, however healthy the app is.${m.suggest !== undefined ? ` Did you mean ${m.suggest}, which another probe of the container asks for?` : ''}`;
}

/** Seconds a liveness probe allows a fresh container before the kill: its delay plus the failures it tolerates. */
export function livenessAllowance(probe: Probe): number {
  const t = probeTimings(probe);
  return t.initialDelaySeconds + t.failureThreshold * t.periodSeconds;
}
