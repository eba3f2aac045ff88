// A Secret's values, for the one place kcockpit shows one: shift-x in the cockpit, one key at
// a time, after a y/n question (dialogs/reveal-session.ts). Nothing else calls this; describe,
// YAML, logs, audit lines and every non-interactive output show sizes or masks only.
import type { KubeObject } from '../../src/model/k8s.js';
import { inert } from '../../src/format/inert.js';

/** The Secret's `data` (base64 values by key); empty when it has none. */
export function secretKeys(secret: KubeObject): Readonly<Record<string, string>> {
  const data = (secret as { data?: unknown }).data;
  if (!data || typeof data !== 'object') return {};
  return Object.fromEntries(
    Object.entries(data as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

/**
 * One value decoded, as lines safe for the terminal: what a control character would do is
 * shown instead (src/format/inert.ts), and bytes that are not UTF-8 show as U+FFFD.
 */
export function decodedLines(base64: string): string[] {
  const text = Buffer.from(base64, 'base64').toString('utf8');
  if (text === '') return ['(empty)'];
  return text.split(/\r?\n/).map((l) => inert(l));
}
