// The rules a command runs, from its flags. Shared by the subcommands that diagnose
// (`diagnose`, `fix`, the cockpit), so none of them imports another.
import { existsSync } from 'node:fs';
import { loadRules } from '../diagnose/registry.js';
import { defaultPluginDir } from '../diagnose/user-plugins.js';
import type { Rule } from '../diagnose/types.js';
import { CliError } from './errors.js';

/** `--plugins <dir>` must exist; the default folder may be absent. */
export async function rulesFor(flags: { plugins?: string | undefined }, warn: (line: string) => void): Promise<Rule[]> {
  if (flags.plugins !== undefined && !existsSync(flags.plugins))
    throw new CliError(`--plugins: no such directory: ${flags.plugins}`);
  return loadRules(flags.plugins ?? defaultPluginDir(), warn);
}
