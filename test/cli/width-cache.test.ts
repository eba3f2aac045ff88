// The string-width hook the cockpit installs before Ink loads (src/cli/width-cache): every
// import of string-width gets the remembering wrapper around the version the importer would
// have had, and the wrapper answers exactly what that version answers. Run in a child
// process, since a resolve hook applies to a whole process from its registration on.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REGISTER = fileURLToPath(new URL('../../dist/src/cli/width-cache/register.js', import.meta.url));
const WIDEST_LINE = import.meta.resolve('widest-line');

const SAMPLES = [
  '',
  'jaeger-collector',
  '● live',
  '日本語',
  '🙂 ok',
  'e\u0301',
  '\u001b[31mImagePullBackOff\u001b[39m',
  'pods(all) [1/10000] │ …',
  '\t',
];

function inChild(body: string): unknown {
  const script = `import { registerWidthCache } from ${JSON.stringify(REGISTER)};\nregisterWidthCache();\n${body}`;
  return JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }),
  ) as unknown;
}

describe('the string-width cache', () => {
  it('is what string-width resolves to, for Ink and its helpers too', () => {
    const resolved = inChild(
      `process.stdout.write(JSON.stringify([import.meta.resolve('string-width'), (await import(${JSON.stringify(WIDEST_LINE)})).default('● live\\nab')]))`,
    ) as [string, number];
    expect(resolved[0]).toMatch(/width-cache\/width\.js\?of=.*string-width/);
    expect(resolved[1]).toBe(6);
  });

  it('measures every text as string-width itself does, the first time and from memory', () => {
    const body = `
      const { default: cached } = await import('string-width');
      const real = (await import(new URL(import.meta.resolve('string-width')).searchParams.get('of'))).default;
      const samples = ${JSON.stringify(SAMPLES)};
      const options = [undefined, { countAnsiEscapeCodes: true }, { ambiguousIsNarrow: false }];
      const rows = [];
      for (let round = 0; round < 2; round++)
        for (const s of samples) for (const o of options) rows.push([s, o ?? null, cached(s, o), real(s, o)]);
      process.stdout.write(JSON.stringify(rows));`;
    const rows = inChild(body) as [string, unknown, number, number][];
    expect(rows).toHaveLength(SAMPLES.length * 3 * 2);
    for (const [text, options, cached, real] of rows)
      expect(cached, `${JSON.stringify(text)} ${JSON.stringify(options)}`).toBe(real);
  });
});
