// `kcockpit/plugin` (src/plugin.ts) stays pure and documented: nothing it reaches imports a
// package (Ink, client-node) or a Node module, so a user's plugin loads in no time and its
// declarations need nothing else; and the helpers docs/plugin-api.md lists are what it exports.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as entry from '../../src/plugin.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SPECIFIER = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*'([^']+)'|(?:^|\n)\s*import\s*'([^']+)'/g;

/** Every module the entry reaches, and every specifier that is not a relative path. */
function reach(
  file: string,
  seen = new Set<string>(),
  outside = new Set<string>(),
): { seen: Set<string>; outside: Set<string> } {
  seen.add(file);
  for (const m of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
    const spec = (m[1] ?? m[2])!;
    if (!spec.startsWith('.')) {
      outside.add(`${spec} (from ${file.slice(ROOT.length)})`);
      continue;
    }
    const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
    if (!seen.has(target)) reach(target, seen, outside);
  }
  return { seen, outside };
}

describe('kcockpit/plugin', () => {
  it('reaches no package and no Node module', () => {
    const { seen, outside } = reach(join(ROOT, 'src/plugin.ts'));
    expect(seen.size).toBeGreaterThan(10);
    expect([...outside]).toEqual([]);
  });

  it('exports every helper docs/plugin-api.md lists, and the docs list every helper it exports', () => {
    const doc = readFileSync(join(ROOT, 'docs/plugin-api.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Helpers'), doc.indexOf('\n## ', doc.indexOf('## Helpers') + 1));
    const documented = [...section.matchAll(/^\| `(\w+)`/gm)].map((m) => m[1]!).sort();
    expect(documented.length).toBeGreaterThan(10);
    expect(documented).toEqual(Object.keys(entry).sort());
  });
});
