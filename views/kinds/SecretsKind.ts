// Secrets as `kubectl get secrets`: type and key count, never a value. Describe lists each
// key with its size in bytes, as `kubectl describe secret` does.
import { humanAge } from '../../src/format/age.js';
import { AGE_COLUMN } from '../render/columns.js';
import { at, count, text } from '../data/resources.js';
import type { KindView } from './kind-view.js';

/** Bytes a base64 value decodes to, counted without decoding it. */
export function base64Bytes(value: string): number {
  const v = value.replace(/\s/g, '');
  const padding = v.endsWith('==') ? 2 : v.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((v.length * 3) / 4) - padding);
}

/** `kubectl describe secret`'s Type and Data sections: keys and sizes only. */
export function secretDescribe(secret: unknown): string[] {
  const data = at(secret, 'data');
  const entries = data && typeof data === 'object' ? Object.entries(data as Record<string, unknown>) : [];
  const width = Math.max(0, ...entries.map(([k]) => k.length));
  return [
    `Type:  ${text(at(secret, 'type'), 'Opaque')}`,
    '',
    'Data',
    '====',
    ...entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${(k + ':').padEnd(width + 1)}  ${typeof v === 'string' ? base64Bytes(v) : 0} bytes`),
  ];
}

export const secretsKind: KindView = {
  resource: 'secrets',
  columns: [
    { key: 'name', title: 'NAME', minWidth: 16, flex: 1, truncate: 'middle' },
    { key: 'type', title: 'TYPE', minWidth: 6 },
    { key: 'data', title: 'DATA', width: 4, align: 'right' },
    AGE_COLUMN,
  ],
  cells: (s, now) => [
    s.metadata.name,
    text(at(s, 'type'), 'Opaque'),
    String(count(at(s, 'data'))),
    humanAge(s.metadata.creationTimestamp, now),
  ],
  describe: secretDescribe,
};
