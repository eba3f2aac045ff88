// A dialog store's state, re-rendering when it changes.
import { useSyncExternalStore } from 'react';
import type { Store } from '../dialogs/store.js';

export function useStore<S>(store: Store<S>): S {
  return useSyncExternalStore(store.subscribe, () => store.state);
}
