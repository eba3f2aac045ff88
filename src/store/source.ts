import type { Snapshot } from './snapshot.js';

/** Connection state the cockpit header shows. */
export type ConnectionState =
  /** `podsListed`: the pod list is in; the other first lists are still loading. */
  | { state: 'connecting'; podsListed?: true }
  /** `polling`: lists read again every few seconds because their watch is not allowed. */
  | { state: 'live'; polling?: { resources: string[]; everyMs: number } }
  | { state: 'reconnecting'; reason: string; since: number }
  | { state: 'forbidden'; reason: string }
  | { state: 'error'; reason: string };

/**
 * Where views get the cluster picture from. The live store (watch loops) and a fixed
 * snapshot (tests) both implement it; views never talk to the cluster.
 */
export interface SnapshotSource {
  current(): Snapshot;
  /** Called after the snapshot changed; bursts are coalesced by the source. Returns unsubscribe. */
  subscribe(listener: () => void): () => void;
  connection(): ConnectionState;
}
