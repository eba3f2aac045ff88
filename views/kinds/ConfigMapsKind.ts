// ConfigMaps as `kubectl get cm`: how many keys (text and binary); describe lists each key's size.
import { humanAge } from '../../src/format/age.js';
import { AGE_COLUMN } from '../render/columns.js';
import { at, count } from '../data/resources.js';
import { base64Bytes } from './SecretsKind.js';
import type { KindView } from './kind-view.js';

export const configMapsKind: KindView = {
  resource: 'configmaps',
  columns: [
    { key: 'name', title: 'NAME', minWidth: 16, flex: 1, truncate: 'middle' },
    { key: 'data', title: 'DATA', width: 4, align: 'right' },
    AGE_COLUMN,
  ],
  cells: (cm, now) => [
    cm.metadata.name,
    String(count(at(cm, 'data')) + count(at(cm, 'binaryData'))),
    humanAge(cm.metadata.creationTimestamp, now),
  ],
  describe(cm) {
    const sized = (v: unknown, bytes: (s: string) => number) =>
      Object.entries((v ?? {}) as Record<string, unknown>).map(
        ([k, x]) => `${k}:  ${typeof x === 'string' ? bytes(x) : 0} bytes`,
      );
    return [
      'Data',
      '====',
      ...sized(at(cm, 'data'), (s) => Buffer.byteLength(s)),
      '',
      'BinaryData',
      '====',
      ...sized(at(cm, 'binaryData'), base64Bytes),
    ];
  },
};
