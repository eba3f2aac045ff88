// User rule plugins: .js/.mjs files in a plugins folder (default
// $XDG_CONFIG_HOME/kcockpit/plugins), each exporting `rule` or `rules` with the same API
// as the built-in rules. A broken plugin is reported and skipped, never fatal.
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Rule } from './types.js';

export function defaultPluginDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env['XDG_CONFIG_HOME'] || join(homedir(), '.config');
  return join(base, 'kcockpit', 'plugins');
}

export function isRule(value: unknown): value is Rule {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r['id'] === 'string' &&
    /^[a-z0-9-]+\/[a-z0-9-]+$/.test(r['id']) &&
    typeof r['title'] === 'string' &&
    typeof r['diagnose'] === 'function'
  );
}

export interface LoadedPlugins {
  rules: Rule[];
  problems: string[];
}

export async function loadUserRules(dir: string, builtinIds: ReadonlySet<string>): Promise<LoadedPlugins> {
  const result: LoadedPlugins = { rules: [], problems: [] };
  if (!existsSync(dir)) return result;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.js') || f.endsWith('.mjs'))
    .sort();
  const seen = new Set(builtinIds);
  for (const file of files) {
    const path = resolve(dir, file);
    try {
      const mod = (await import(pathToFileURL(path).href)) as { rule?: unknown; rules?: unknown };
      const candidates = [
        ...(mod.rule !== undefined ? [mod.rule] : []),
        ...(Array.isArray(mod.rules) ? mod.rules : []),
      ];
      if (candidates.length === 0) result.problems.push(`plugin ${file} exports no \`rule\` or \`rules\`; skipped`);
      for (const c of candidates) {
        if (!isRule(c))
          result.problems.push(`plugin ${file}: not a rule (needs id "area/name", title, diagnose()); skipped`);
        else if (seen.has(c.id)) result.problems.push(`plugin ${file}: rule id ${c.id} is already taken; skipped`);
        else {
          seen.add(c.id);
          result.rules.push(c);
        }
      }
    } catch (err) {
      result.problems.push(
        `plugin ${file} failed to load: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
      );
    }
  }
  return result;
}
