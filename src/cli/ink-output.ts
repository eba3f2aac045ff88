// Ink's Output class, which Ink does not export, for the row cache (ink-row-cache.ts).
// From source (the tests) it is the file beside Ink's resolved entry point: an ES module is
// one instance per URL, so this is the class Ink's renderer uses. In the bundle Ink is
// inside the bundle, and scripts/bundle.mjs replaces this module with an import of the
// same file, resolved at build time, and the version it bundled: a file loaded from
// node_modules at run time would be a second Output that Ink never uses.
import { readFileSync } from 'node:fs';

export interface InkOutputModule {
  /** build/output.js's default export. */
  Output: unknown;
  version: string;
}

export async function loadInkOutput(): Promise<InkOutputModule> {
  const entry = import.meta.resolve('ink');
  const pkg = JSON.parse(readFileSync(new URL('../package.json', entry), 'utf8')) as { version?: string };
  const { default: Output } = (await import(new URL('./output.js', entry).href)) as { default: unknown };
  return { Output, version: pkg.version ?? '' };
}
