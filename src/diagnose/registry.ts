// Every rule a diagnosis runs: the built-in rules (plugins/index.ts), then the user's plugins
// from one folder. `kcockpit diagnose`, `kcockpit fix` and the cockpit all take their rules here.
import { builtinRules } from '../../plugins/index.js';
import { loadUserRules } from './user-plugins.js';
import type { Rule } from './types.js';

/** Built-in rules first; a user plugin that cannot be used is skipped with one `warn` line. */
export async function loadRules(pluginDir: string, warn: (line: string) => void): Promise<Rule[]> {
  const user = await loadUserRules(pluginDir, new Set(builtinRules.map((r) => r.id)));
  for (const p of user.problems) warn(p);
  return [...builtinRules, ...user.rules];
}
