import { describe, expect, it } from 'vitest';
import { stripNoiseFromJson } from '../../src/kube/strip-json.js';
import { trimObject } from '../../src/kube/trim.js';
import type { KubeObject } from '../../src/model/k8s.js';
import { sample } from './fake-api.js';

/** What parsing then trimming gives: the stripped text must parse to exactly this. */
function trimmedParse(text: string): unknown {
  const list = JSON.parse(text) as { items: KubeObject[] };
  for (const o of list.items) trimObject(o);
  return list;
}

describe('stripNoiseFromJson', () => {
  it('cuts managedFields and last-applied from the captured list, leaving the same objects as trimming', () => {
    const text = JSON.stringify(sample('list-paged-limit1.json'));
    expect(text).toContain('"managedFields":');
    expect(text).toContain('last-applied-configuration');
    const stripped = stripNoiseFromJson(text);
    expect(stripped).not.toContain('"managedFields":');
    expect(stripped).not.toContain('last-applied-configuration');
    expect(JSON.parse(stripped)).toEqual(trimmedParse(text));
  });

  it('removes members in first, middle and last position', () => {
    const mf = '"managedFields":[{"manager":"kubectl","fieldsV1":{"f:metadata":{"f:labels":{"k:{\\"a]\\":1}":{}}}}}]';
    for (const meta of [`{${mf},"name":"a"}`, `{"name":"a",${mf},"uid":"u"}`, `{"name":"a",${mf}}`, `{${mf}}`]) {
      const text = `{"items":[{"metadata":${meta}}]}`;
      expect(JSON.parse(stripNoiseFromJson(text))).toEqual(trimmedParse(text));
    }
  });

  it('never touches the words inside a string value', () => {
    const obj = {
      items: [
        {
          metadata: {
            name: 'x',
            annotations: {
              note: 'see "managedFields":[1] and ,"managedFields":[2]',
              'kubectl.kubernetes.io/last-applied-configuration': '{"a":"b\\"c"}',
            },
          },
          data: { 'config.json': '{"managedFields":[{"not":"metadata"}]}' },
        },
      ],
    };
    const text = JSON.stringify(obj);
    const parsed = JSON.parse(stripNoiseFromJson(text)) as typeof obj;
    expect(parsed.items[0]!.metadata.annotations.note).toBe(obj.items[0]!.metadata.annotations.note);
    expect(parsed.items[0]!.data['config.json']).toBe(obj.items[0]!.data['config.json']);
    expect(parsed.items[0]!.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toBeUndefined();
  });

  it('leaves text it does not understand unchanged', () => {
    expect(stripNoiseFromJson('{"items":[]}')).toBe('{"items":[]}');
    const truncated = '{"metadata":{"managedFields":[{"manager":"k"';
    expect(stripNoiseFromJson(truncated)).toBe(truncated);
    const spaced = '{"metadata": {"managedFields": []}}';
    expect(stripNoiseFromJson(spaced)).toBe(spaced);
  });
});
