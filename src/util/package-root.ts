import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The package's root directory as a file URL ending in '/'. Code runs both from src/ (tests,
 * through vitest) and from dist/src/ (the built binary), so walk up to the package.json.
 */
export function packageRoot(): URL {
  let dir = new URL('./', import.meta.url);
  for (let i = 0; i < 6; i++) {
    if (existsSync(fileURLToPath(new URL('package.json', dir)))) return dir;
    dir = new URL('../', dir);
  }
  throw new Error('kcockpit: cannot find its package.json');
}
