// The remembering string-width (src/cli/width-cache.ts) must answer exactly what the
// string-width it wraps answers, the first time and from memory, for each version the
// bundle wraps (Ink, widest-line and cli-truncate use 8.x; wrap-ansi 7.x). That the bundle
// really routes Ink's measurements through it is checked on the real binary, in
// test/e2e/speedups.tmux.test.ts.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rememberWidths, widthCacheStats, type StringWidth } from '../../src/cli/width-cache.js';

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
  '±×',
];
const OPTIONS = [undefined, { countAnsiEscapeCodes: true }, { ambiguousIsNarrow: false }];

/** string-width as `importer` (a package name) resolves it: the nearest node_modules up. */
async function stringWidthOf(importer: string): Promise<{ version: string; measure: StringWidth }> {
  let dir = dirname(fileURLToPath(import.meta.resolve(importer)));
  while (!existsSync(join(dir, 'node_modules', 'string-width'))) dir = dirname(dir);
  const pkgDir = join(dir, 'node_modules', 'string-width');
  const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string };
  const { default: measure } = (await import(pathToFileURL(join(pkgDir, 'index.js')).href)) as {
    default: StringWidth;
  };
  return { version, measure };
}

describe('the string-width cache', () => {
  for (const importer of ['widest-line', 'wrap-ansi']) {
    it(`measures as ${importer}'s string-width does, the first time and from memory`, async () => {
      const { measure } = await stringWidthOf(importer);
      const cached = rememberWidths(measure);
      const before = widthCacheStats();
      for (let round = 0; round < 2; round++)
        for (const text of SAMPLES)
          for (const options of OPTIONS)
            expect(cached(text, options), `${JSON.stringify(text)} ${JSON.stringify(options)}`).toBe(
              measure(text, options),
            );
      const after = widthCacheStats();
      const nonEmpty = (SAMPLES.length - 1) * OPTIONS.length;
      expect(after.calls - before.calls).toBe(2 * nonEmpty);
      expect(after.measured - before.measured).toBe(nonEmpty);
    });
  }

  it('wraps two different versions: each keeps its own answers', async () => {
    const versions = new Set([
      (await stringWidthOf('widest-line')).version,
      (await stringWidthOf('wrap-ansi')).version,
    ]);
    expect(versions.size).toBe(2);
  });
});
