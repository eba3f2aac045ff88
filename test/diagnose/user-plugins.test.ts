import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPluginDir, loadUserRules } from '../../src/diagnose/user-plugins.js';

function pluginDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kcockpit-plugins-'));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return dir;
}

describe('user rule plugins', () => {
  it('loads valid rules and skips broken ones with a one-line reason', async () => {
    const dir = pluginDir({
      'a-good.mjs': "export const rule = { id: 'team/good', title: 'Good', diagnose: () => [] };",
      'b-many.js':
        "export const rules = [{ id: 'team/one', title: 'One', diagnose: () => [] }, { id: 'bad id', title: 'x', diagnose: () => [] }];",
      'c-dup.mjs': "export const rule = { id: 'pods/image-pull', title: 'Dup', diagnose: () => [] };",
      'd-empty.mjs': 'export const nothing = 1;',
      'e-syntax.mjs': 'export const rule = {',
      'notes.txt': 'ignored',
    });
    const { rules, problems } = await loadUserRules(dir, new Set(['pods/image-pull']));
    expect(rules.map((r) => r.id)).toEqual(['team/good', 'team/one']);
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/b-many.js: not a rule/);
    expect(problems.join('\n')).toMatch(/c-dup.mjs: rule id pods\/image-pull is already taken/);
    expect(problems.join('\n')).toMatch(/d-empty.mjs exports no/);
    expect(problems.join('\n')).toMatch(/e-syntax.mjs failed to load/);
    for (const p of problems) expect(p).not.toContain('\n');
  });

  it('finds nothing in a folder that does not exist', async () => {
    expect(await loadUserRules('/nonexistent/kcockpit', new Set())).toEqual({ rules: [], problems: [] });
  });

  it('defaults to $XDG_CONFIG_HOME/kcockpit/plugins', () => {
    expect(defaultPluginDir({ XDG_CONFIG_HOME: '/x' })).toBe('/x/kcockpit/plugins');
  });
});
