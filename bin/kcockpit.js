#!/usr/bin/env node
// Entry point. React's development build leaks performance marks in long sessions (ink #869);
// the cockpit is a production program.
process.env.NODE_ENV ??= 'production';

const built = new URL('../dist/src/cli/', import.meta.url);
// The string-width cache must be in place before Ink is loaded (src/cli/width-cache). Without
// it (a Node without module hooks) the cockpit is slower, not wrong.
import(new URL('width-cache/register.js', built).href)
  .then((m) => {
    try {
      m.registerWidthCache();
    } catch {
      // Measured widths are simply not remembered.
    }
  })
  .then(() => import(new URL('entry.js', built).href))
  .catch((err) => {
    if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/src/cli/')) {
      process.stderr.write('kcockpit: not built yet: run `npm run build` (npm ci does it for you)\n');
    } else {
      process.stderr.write(`kcockpit: ${err && err.message ? String(err.message).split('\n')[0] : String(err)}\n`);
    }
    process.exitCode = 2;
  });
