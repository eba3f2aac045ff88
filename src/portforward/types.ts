// Port-forward sessions: pods, Services and Deployments, several ports at once, kept running
// in the background of the cockpit and re-resolved to a new ready pod when theirs dies.
import type { ObjectRef } from '../model/ref.js';

export interface PortPair {
  local: number;
  remote: number;
}

export interface ForwardRequest {
  /** pod/NAME, svc/NAME or deploy/NAME (kind Pod, Service or Deployment). */
  target: ObjectRef;
  ports: PortPair[];
  /** Bind address; default 127.0.0.1. 0.0.0.0 exposes the port to the network: callers warn first. */
  address: string;
}

export type ForwardState = 'starting' | 'active' | 'reconnecting' | 'failed' | 'stopped';

export interface ForwardInfo {
  id: string;
  namespace: string;
  /** What the user asked for, e.g. svc/jaeger-query. */
  target: string;
  /** The pod traffic goes to now. */
  pod: string;
  address: string;
  ports: readonly PortPair[];
  state: ForwardState;
  /** One line: why it failed, or which pod it moved to. */
  detail?: string;
  /** Local connections accepted so far. */
  connections: number;
  /** Bytes from the pod to local clients. */
  bytesIn: number;
  /** Bytes from local clients to the pod. */
  bytesOut: number;
}
