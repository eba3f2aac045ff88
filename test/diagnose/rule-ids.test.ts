// Rule ids are a public contract (scripts, --fail-on, `kcockpit fix <rule-id>`): docs/rules.md,
// the built-in registry and RULE_IDS list the same rules, and every rule id the code names
// belongs to a rule that exists.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../plugins/index.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUILTIN = new Set<string>(Object.values(RULE_IDS));

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

const FILES = ['src', 'views', 'plugins', 'bench', 'test'].flatMap(sourceFiles);
const isTest = (file: string): boolean => file.startsWith('test/') || /\.test\.tsx?$/.test(file);

/** The code without its comments, which may speak of rules freely. */
function code(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const Q = `['"\`]`;
/** Where code names a rule: a finding id, `ruleId: 'x'`, `ruleId === 'x'`, `.ruleId).toBe('x')`, `explainsOnly: [...]`. */
const NAMED = [
  new RegExp(`${Q}([a-z0-9-]+/[a-z0-9-]+):[a-z0-9-.]*/[A-Z][A-Za-z]*/`, 'g'),
  new RegExp(`ruleId\\)?\\s*(?::|===|!==|\\)\\.toBe\\()\\s*${Q}([^'"\`]+)${Q}`, 'g'),
];
const EXPLAINS_ONLY = /explainsOnly:\s*\[([^\]]*)\]/g;
/** Rules a file defines itself (test doubles, plugin fixtures): `id: 'area/name'`. */
const DEFINED = new RegExp(`\\bid:\\s*${Q}([a-z0-9-]+/[a-z0-9-]+)${Q}`, 'g');

describe('rule ids', () => {
  it('docs/rules.md, the built-in registry and RULE_IDS list the same rules', () => {
    const table = readFileSync(join(ROOT, 'docs/rules.md'), 'utf8');
    const documented = [...table.matchAll(/^\| `([a-z0-9-]+\/[a-z0-9-]+)` \|/gm)].map((m) => m[1]!);
    const registered = builtinRules.map((r) => r.id);
    expect(new Set(registered).size).toBe(registered.length);
    expect([...documented].sort()).toEqual([...BUILTIN].sort());
    expect([...registered].sort()).toEqual([...BUILTIN].sort());
  });

  it('every rule the code names exists', () => {
    const unknown: string[] = [];
    for (const file of FILES) {
      const text = code(file);
      const known = new Set([...BUILTIN, ...[...text.matchAll(DEFINED)].map((m) => m[1]!)]);
      const named = [
        ...NAMED.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]!)),
        ...[...text.matchAll(EXPLAINS_ONLY)].flatMap((m) =>
          [...m[1]!.matchAll(/['"`]([^'"`]+)['"`]/g)].map((x) => x[1]!),
        ),
      ];
      for (const id of named) if (!known.has(id)) unknown.push(`${file}: ${id}`);
    }
    expect(unknown).toEqual([]);
  });

  it('code outside tests names built-in rules through RULE_IDS, not as strings', () => {
    const ids = [...BUILTIN].map((id) => id.replace(/[/-]/g, (c) => `\\${c}`)).join('|');
    // A rule id inside a string, not a path such as './pods/crashloop.js'.
    const literal = new RegExp(`(?<![\\w./-])(?:${ids})(?![\\w/-]|\\.js)`, 'g');
    const strings = /'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g;
    const offenders: string[] = [];
    for (const file of FILES) {
      // The CLI's help and messages show ids as examples for people.
      if (isTest(file) || file === 'src/diagnose/rule-ids.ts' || file.startsWith('src/cli/')) continue;
      for (const s of code(file).match(strings) ?? [])
        for (const m of s.match(literal) ?? []) offenders.push(`${relative('.', file)}: ${m}`);
    }
    expect(offenders).toEqual([]);
  });
});
