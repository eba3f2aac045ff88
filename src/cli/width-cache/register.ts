// Installs the string-width hook (hooks.ts) for modules loaded from now on: the caller
// imports Ink after this.
import { register } from 'node:module';

export function registerWidthCache(): void {
  register(new URL('./hooks.js', import.meta.url));
}
