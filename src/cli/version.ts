import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../util/package-root.js';

export const VERSION: string = (
  JSON.parse(readFileSync(fileURLToPath(new URL('package.json', packageRoot())), 'utf8')) as { version: string }
).version;
