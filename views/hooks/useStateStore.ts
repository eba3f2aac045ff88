// The cockpit's UI state lives in a tiny external store instead of useReducer: key handlers
// read the state as it is *now* (store.get()), not as the last render saw it. A burst of keys
// (`/hotfix` arriving at once) can otherwise reach the view layer before the render that
// opened the prompt, and a letter becomes a command.
import { useState, useSyncExternalStore } from 'react';

export interface StateStore<S, A> {
  get(): S;
  dispatch(action: A): void;
  subscribe(listener: () => void): () => void;
}

export function createStateStore<S, A>(reduce: (state: S, action: A) => S, initial: S): StateStore<S, A> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    dispatch(action) {
      const next = reduce(state, action);
      if (next === state) return;
      state = next;
      for (const l of listeners) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function useStateStore<S, A>(
  reduce: (state: S, action: A) => S,
  init: () => S,
): [S, (action: A) => void, StateStore<S, A>] {
  const [store] = useState(() => createStateStore(reduce, init()));
  const state = useSyncExternalStore(store.subscribe, store.get);
  return [state, store.dispatch, store];
}
