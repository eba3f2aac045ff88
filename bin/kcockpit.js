#!/usr/bin/env node
// Entry point: runs the bundle (scripts/bundle.mjs builds it; docs/decisions/0011-start-up.md).
import module from 'node:module';

// V8's compiled code kept between runs, where Node has it (22.1+); Node 20 has no cache for
// ES modules. A cache that cannot be used costs nothing but the time to find that out.
if (typeof module.enableCompileCache === 'function') {
  let failure;
  try {
    const result = module.enableCompileCache();
    if (result.status === module.constants.compileCacheStatus.FAILED) failure = result.message;
  } catch (err) {
    failure = err instanceof Error ? err.message : String(err);
  }
  if (failure && (process.env.KCOCKPIT_DEBUG || process.argv.includes('--debug')))
    process.stderr.write(`kcockpit: debug: compile cache: off (${failure.split('\n')[0]})\n`);
}

import('../dist/bundle/kcockpit.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/bundle/')) {
    process.stderr.write('kcockpit: not built yet: run `npm run build` (npm ci does it for you)\n');
  } else {
    process.stderr.write(`kcockpit: ${err && err.message ? String(err.message).split('\n')[0] : String(err)}\n`);
  }
  process.exitCode = 2;
});
