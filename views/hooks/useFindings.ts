import { useSyncExternalStore } from 'react';
import type { FindingsSource, FindingsState } from '../../src/diagnose/live.js';

const NONE: FindingsState = { version: -1, findings: [], errors: [], durationMs: 0 };
const noSubscribe = () => () => undefined;

/** The newest findings of a background diagnosis, or undefined when the cockpit diagnoses inline. */
export function useFindings(source: FindingsSource | undefined): FindingsState | undefined {
  const state = useSyncExternalStore(source ? (l) => source.subscribe(l) : noSubscribe, () =>
    source ? source.current() : NONE,
  );
  return source ? state : undefined;
}
