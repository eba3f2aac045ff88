// Every rule a diagnosis runs: the built-in rules (plugins/index.ts), then the user's plugins
// from one folder. `kcockpit diagnose`, `kcockpit fix` and the cockpit all take their rules here.
import { builtinRules } from '../../plugins/index.js';
import { loadUserRules } from './user-plugins.js';
import type { Rule } from './types.js';

/**
 * Events no built-in rule reads: the progress reports of a healthy cluster, one for every pod
 * scheduled and every replica created, deleted or scaled (40% of the events of `large:10000`,
 * decisions/0024). `diagnose` leaves them on the server; the cockpit reads every event for its
 * events view, and the findings are the same either way (test/store/projection.test.ts).
 */
export const ROUTINE_EVENT_REASONS: readonly string[] = [
  'Scheduled',
  'SuccessfulCreate',
  'SuccessfulDelete',
  'ScalingReplicaSet',
];

/** The event reasons a diagnosis by `rules` may leave unread: none once a user plugin's rule, which may read any, is among them. */
export function unreadEventReasons(rules: readonly Rule[]): readonly string[] {
  return rules.every((r) => builtinRules.includes(r)) ? ROUTINE_EVENT_REASONS : [];
}

/** Built-in rules first; a user plugin that cannot be used is skipped with one `warn` line. */
export async function loadRules(pluginDir: string, warn: (line: string) => void): Promise<Rule[]> {
  const user = await loadUserRules(pluginDir, new Set(builtinRules.map((r) => r.id)));
  for (const p of user.problems) warn(p);
  return [...builtinRules, ...user.rules];
}
