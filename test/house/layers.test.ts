// The layer check must catch what it claims to: each probe below breaks one rule of the
// house, and dependency-cruiser (with the project's own config) must name that rule.
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const tag = `layer-probe-${process.pid}`;
const probes: Record<string, { file: string; text: string }> = {
  'views-not-cluster-or-cli': { file: `views/${tag}.ts`, text: `export * from '../src/kube/client.js';\n` },
  'pure-diagnosis': { file: `plugins/${tag}.ts`, text: `export * from '../src/store/live.js';\n` },
  'pure-diagnosis-no-io-modules': { file: `src/diagnose/${tag}.ts`, text: `export * from 'node:fs';\n` },
  'kube-not-store': { file: `src/kube/${tag}.ts`, text: `export * from '../store/snapshot.js';\n` },
  'model-is-a-leaf': { file: `src/model/${tag}.ts`, text: `export * from '../diagnose/engine.js';\n` },
  'format-names-diagnosis-types-only': {
    file: `src/format/${tag}.ts`,
    text: `export * from '../diagnose/types.js';\n`,
  },
  'no-cycles': { file: `src/util/${tag}.ts`, text: `export * from './${tag}-b.js';\nexport const a = 1;\n` },
};
const cycleOther = { file: `src/util/${tag}-b.ts`, text: `export * from './${tag}.js';\nexport const b = 2;\n` };

afterAll(() => {
  for (const p of [...Object.values(probes), cycleOther]) rmSync(p.file, { force: true });
});

describe('the layer check', () => {
  it('names each broken rule of the house', async () => {
    for (const p of [...Object.values(probes), cycleOther]) writeFileSync(p.file, p.text);
    const files = [...Object.values(probes), cycleOther].map((p) => p.file);
    const out = await run(
      'npx',
      ['depcruise', ...files, '--config', '.dependency-cruiser.cjs', '--output-type', 'err'],
      { encoding: 'utf8' },
    ).then(
      () => '',
      (e: { stdout?: string }) => e.stdout ?? '',
    );
    for (const rule of Object.keys(probes)) expect(out, rule).toMatch(new RegExp(`error ${rule}: \\S*${tag}`));
  }, 60_000);
});
