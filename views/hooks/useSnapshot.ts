// The current snapshot and connection state of a SnapshotSource. A new snapshot object is
// taken only when its version changes, so everything memoised on it (the diagnosis first
// of all) is computed once per version, however often the source notifies.
import { useEffect, useState } from 'react';
import type { Snapshot } from '../../src/store/snapshot.js';
import type { ConnectionState, SnapshotSource } from '../../src/store/source.js';

/** Same state, reason and polled lists: the header would not change. */
function sameConnection(a: ConnectionState, b: ConnectionState): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function useSnapshot(source: SnapshotSource): { snapshot: Snapshot; connection: ConnectionState } {
  const [snapshot, setSnapshot] = useState(() => source.current());
  const [connection, setConnection] = useState(() => source.connection());
  useEffect(() => {
    const update = () => {
      const next = source.current();
      setSnapshot((prev) => (prev === next || prev.version === next.version ? prev : next));
      const state = source.connection();
      setConnection((prev) => (sameConnection(prev, state) ? prev : state));
    };
    const unsubscribe = source.subscribe(update);
    // The source may have moved on between the first render and this subscription.
    update();
    return unsubscribe;
  }, [source]);
  return { snapshot, connection };
}
