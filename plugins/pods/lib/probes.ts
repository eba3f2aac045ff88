// Probe settings in words, with Kubernetes' defaults filled in: a learner needs to see that
// an unset timeoutSeconds means 1 second.
import type { ContainerPort, Probe } from '../../../src/model/k8s.js';
import { clip } from '../../../src/diagnose/evidence.js';

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
