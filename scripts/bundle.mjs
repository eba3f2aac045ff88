// The program that ships: esbuild bundles the sources into dist/bundle/ (tsc stays the type
// check and still builds dist/ for the plugin API). `bin/kcockpit.js` runs the bundle;
// `npm run bench` runs dist/bench-bundle/, built the same way, so it measures what ships.
// Why a bundle, and what it measured: docs/decisions/0011-start-up.md.
//
// Besides putting every module in a few files (Node resolves and reads ~1,000 modules
// otherwise), it decides three things at build time that would otherwise cost at run time:
// - every `string-width` import gets the remembering wrapper (src/cli/width-cache.ts)
//   around the version its importer would have had;
// - src/cli/ink-output.ts becomes a static import of the bundled Ink's Output class;
// - client-node's modules are taken as free of side effects, so the generated models that
//   kcockpit never uses are left out, and node-fetch's whatwg-url fallback (Node has URL)
//   is not bundled;
// - yoga-layout decodes its inlined WebAssembly without fetch().
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const WIDTH_CACHE = path.join(root, 'src/cli/width-cache.ts');
const INK_OUTPUT = path.join(root, 'src/cli/ink-output.ts');

/** Resolve `specifier` as `importer` would have, without this plugin's own rule. */
async function resolveAsUsual(build, specifier, args) {
  const r = await build.resolve(specifier, {
    kind: args.kind,
    importer: args.importer,
    resolveDir: args.resolveDir,
    pluginData: { asUsual: true },
  });
  if (r.errors.length > 0) throw new Error(r.errors[0].text);
  return r.path;
}

/** `import stringWidth from 'string-width'` → rememberWidths(that string-width), one per version. */
const stringWidthCache = {
  name: 'string-width-cache',
  setup(build) {
    build.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData?.asUsual) return undefined;
      return { path: await resolveAsUsual(build, 'string-width', args), namespace: 'width-cache' };
    });
    build.onLoad({ filter: /.*/, namespace: 'width-cache' }, (args) => ({
      contents: [
        `import measure from ${JSON.stringify(args.path)};`,
        `import { rememberWidths } from ${JSON.stringify(WIDTH_CACHE)};`,
        'export default rememberWidths(measure);',
      ].join('\n'),
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

/** src/cli/ink-output.ts, with the bundled Ink's Output (loaded when asked for, as Ink itself) and version. */
const inkOutput = {
  name: 'ink-output',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]cli[\\/]ink-output\.ts$/ }, async (args) => {
      if (args.path !== INK_OUTPUT) return undefined;
      const entry = await resolveAsUsual(build, 'ink', { kind: 'import-statement', resolveDir: root });
      const { version } = JSON.parse(readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8'));
      return {
        contents: [
          'export async function loadInkOutput() {',
          `  const { default: Output } = await import(${JSON.stringify(path.join(path.dirname(entry), 'output.js'))});`,
          `  return { Output, version: ${JSON.stringify(version)} };`,
          '}',
        ].join('\n'),
        resolveDir: root,
        loader: 'js',
      };
    });
  },
};

/**
 * client-node's package does not say its modules are free of side effects, so a bundler
 * keeps every generated model the serializer lists. They are (classes and re-exports), and
 * kcockpit reads raw JSON (decision 0002): only what it imports is kept.
 */
const clientNodeWithoutSideEffects = {
  name: 'client-node-side-effect-free',
  setup(build) {
    build.onResolve({ filter: /^@kubernetes\/client-node(\/.*)?$|^\.\.?\// }, async (args) => {
      if (args.pluginData?.asUsual) return undefined;
      const inClientNode = (p) => /[\\/]@kubernetes[\\/]client-node[\\/]/.test(p);
      if (!args.path.startsWith('@kubernetes/') && !inClientNode(args.importer)) return undefined;
      const resolved = await resolveAsUsual(build, args.path, args);
      return inClientNode(resolved) ? { path: resolved, sideEffects: false } : undefined;
    });
  },
};

/** node-fetch 2 falls back to whatwg-url (and its 300 KB Unicode table) only where Node has no URL. */
const noWhatwgUrl = {
  name: 'no-whatwg-url',
  setup(build) {
    build.onResolve({ filter: /^whatwg-url$/ }, () => ({ path: 'whatwg-url', namespace: 'node-url' }));
    build.onLoad({ filter: /.*/, namespace: 'node-url' }, () => ({
      contents: 'export const URL = globalThis.URL; export default { URL };',
      loader: 'js',
    }));
  },
};

/**
 * yoga-layout 3.2's Emscripten loader fetch()es its own inlined `data:` URL whenever a global
 * fetch exists, as it does in Node 18+: that loads Node's undici and decodes the WebAssembly
 * through it, ~40 ms of CPU and ~0.1 s of the cockpit's start (decisions/0011). Its streaming
 * path beside it already decodes a `data:` URL in place; the plain path is made to do the
 * same. The build fails if the loader no longer has that text: then look whether the patch
 * is still needed (remove this plugin if yoga-layout checks for a data URL itself).
 */
const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(build) {
    const FETCHES = 'function ya(){return w||"function"!=typeof fetch?';
    const DECODES = 'function ya(){return w||ua(H)||"function"!=typeof fetch?';
    build.onLoad({ filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (source.split(FETCHES).length !== 2)
        throw new Error(`${args.path}: the loader changed; review yogaWithoutFetch in scripts/bundle.mjs`);
      return { contents: source.replace(FETCHES, DECODES), loader: 'js' };
    });
  },
};

/** Options shared by the program and the bench. */
export function bundleOptions(entryPoints, outdir) {
  return {
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // React's development build leaks performance marks in long sessions (ink #869).
    define: { 'process.env.NODE_ENV': '"production"' },
    // CommonJS dependencies call require() for Node's own modules.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
    },
    // Optional at run time in their packages, and not installed: ws's native helpers,
    // Ink's devtools (only with DEV=true).
    external: ['bufferutil', 'utf-8-validate', 'react-devtools-core'],
    plugins: [stringWidthCache, inkOutput, clientNodeWithoutSideEffects, noWhatwgUrl, yogaWithoutFetch],
    logLevel: 'warning',
    legalComments: 'none',
    metafile: true,
  };
}

export async function bundle() {
  // Chunk names carry a hash: stale ones would pile up and ship.
  for (const dir of ['dist/bundle', 'dist/bench-bundle'])
    rmSync(path.join(root, dir), { recursive: true, force: true });
  const program = await esbuild.build(
    bundleOptions({ kcockpit: path.join(root, 'src/cli/entry.ts') }, path.join(root, 'dist/bundle')),
  );
  const bench = await esbuild.build(
    bundleOptions({ run: path.join(root, 'bench/run.ts') }, path.join(root, 'dist/bench-bundle')),
  );
  return { program: program.metafile, bench: bench.metafile };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundle();
