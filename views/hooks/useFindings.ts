import { useCallback, useSyncExternalStore } from 'react';
import type { FindingsSource, FindingsState } from '../../src/diagnose/live.js';

/** The newest findings of the background diagnosis (src/diagnose/live.ts). */
export function useFindings(source: FindingsSource): FindingsState {
  const subscribe = useCallback((listener: () => void) => source.subscribe(listener), [source]);
  return useSyncExternalStore(subscribe, () => source.current());
}
