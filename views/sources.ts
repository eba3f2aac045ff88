// What the cockpit needs from the rest of kcockpit besides the snapshot. Each is optional:
// without it the cockpit still runs and says in the status bar what is not available.
import type { Finding, ObjectRef } from '../src/diagnose/types.js';

export interface LogStreamOptions {
  /** The previous (crashed) container's log, as `kubectl logs --previous`. */
  previous: boolean;
  follow: boolean;
}

/** A running log stream: lines as they arrive (no trailing newline); stop() ends it. */
export type LogStream = AsyncIterable<string> & { stop(): void };

export interface LogSource {
  stream(namespace: string, pod: string, container: string, options: LogStreamOptions): LogStream;
}

export interface PortForwardInfo {
  id: string;
  namespace: string;
  /** What is forwarded, e.g. pod/jaeger-query-5c9d8 (a Service is resolved to a pod). */
  target: string;
  /** Local bind address: 127.0.0.1 unless the user chose otherwise. */
  address: string;
  ports: readonly { local: number; remote: number }[];
  /** `active`, `reconnecting`, `failed: <reason>`... as the port-forward owner words it. */
  state: string;
}

export interface PortForwardSource {
  list(): readonly PortForwardInfo[];
  /** Called when forwards start, stop or change state. Returns unsubscribe. */
  subscribe(listener: () => void): () => void;
}

/**
 * Actions that change something. The cockpit only asks for them; their owners confirm,
 * dry-run and audit. Missing actions (and --readonly, for the mutating ones) are refused
 * with a one-line reason.
 */
export interface CockpitActions {
  fix?(finding: Finding): void;
  portForward?(pod: ObjectRef): void;
  delete?(ref: ObjectRef): void;
  switchContext?(name: string): void;
}
