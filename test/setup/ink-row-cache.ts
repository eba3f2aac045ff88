// Component tests render through the same Ink output path as the cockpit: with the row
// cache in place (src/cli/ink-row-cache.ts), so every view test also checks that it draws
// exactly what Ink alone would have drawn.
import { installInkRowCache } from '../../src/cli/ink-row-cache.js';

if (!(await installInkRowCache()))
  throw new Error('the Ink row cache did not install: Ink is not the 6.8 it was written for');
