import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseListPage } from '../../src/kube/list-page.js';
import { cutNoise } from '../../src/kube/strip-json.js';
import { readFileSync } from 'node:fs';
import { podFromSample, sample } from './fake-api.js';

const simSample = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../sim/samples/${name}`, import.meta.url), 'utf8'));

/** What a whole parse of the page gives (after the same cut): parsing by groups must give exactly this. */
function wholeParse(text: string): unknown {
  const bytes = Buffer.from(text);
  return JSON.parse(bytes.toString('utf8', 0, cutNoise(bytes)));
}

/** The compact JSON the API server writes. */
function page(list: unknown): string {
  return JSON.stringify(list);
}

const podList = (n: number) => ({
  kind: 'PodList',
  apiVersion: 'v1',
  metadata: { resourceVersion: '23553', continue: 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MjM1NTN9' },
  items: Array.from({ length: n }, (_, i) => podFromSample(`web-${i}`, 'shop', String(1000 + i))),
});

/** A StatefulSet with two claim templates: `},{"metadata":` occurs inside it, as between items. */
const statefulSet = (i: number) => ({
  metadata: { name: `db-${i}`, namespace: 'shop', uid: `uid-db-${i}`, resourceVersion: String(500 + i) },
  spec: {
    replicas: 3,
    serviceName: `db-${i}`,
    selector: { matchLabels: { app: `db-${i}` } },
    template: {
      metadata: { labels: { app: `db-${i}` } },
      spec: {
        containers: [{ name: 'postgres', image: 'postgres:16.4', env: [{ name: 'PGDATA', value: 'x'.repeat(900) }] }],
      },
    },
    volumeClaimTemplates: ['data', 'wal'].map((name) => ({
      metadata: { name },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
    })),
  },
  status: { replicas: 3, readyReplicas: 3 },
});

const parses = () => vi.spyOn(JSON, 'parse');
afterEach(() => vi.restoreAllMocks());

describe('parseListPage', () => {
  it('reads a page of 400 pods as a whole parse does, without ever parsing a string of the page’s size', () => {
    const text = page(podList(400));
    expect(text.length).toBeGreaterThan(1_000_000);
    const expected = wholeParse(text);
    const spy = parses();
    expect(parseListPage(Buffer.from(text))).toEqual(expected);
    const longest = Math.max(...spy.mock.calls.map(([s]) => s.length));
    // Each group is a young string: under V8's 128 KB large-object size.
    expect(longest).toBeLessThan(128 * 1024);
    expect(spy.mock.calls.length).toBeGreaterThan(10);
  });

  it('a cut that falls inside an item (between two claim templates) is passed over', () => {
    const list = {
      kind: 'StatefulSetList',
      apiVersion: 'apps/v1',
      metadata: { resourceVersion: '9' },
      items: Array.from({ length: 300 }, (_, i) => statefulSet(i)),
    };
    const text = page(list);
    const spy = parses();
    expect(parseListPage(Buffer.from(text))).toEqual(list);
    // Still in groups, not given up for a whole parse.
    expect(Math.max(...spy.mock.calls.map(([s]) => s.length))).toBeLessThan(128 * 1024);
  });

  it('reads Tables by their rows, and the captured lists as they are', () => {
    for (const name of ['table-pods.json', 'table-samples-widgets-includeObject-Object.json']) {
      const text = page(simSample(name));
      expect(parseListPage(Buffer.from(text)), name).toEqual(wholeParse(text));
    }
    for (const name of ['list-paged-limit1.json', 'events-core-v1-list.json']) {
      const text = page(sample(name));
      expect(parseListPage(Buffer.from(text)), name).toEqual(wholeParse(text));
    }
    const rows = Array.from({ length: 2000 }, (_, i) => ({
      cells: [`web-${i}`, '1/1', 'Running', 0, '5d'],
      object: {
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: { name: `web-${i}`, namespace: 'shop' },
      },
    }));
    const table = {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: '77' },
      columnDefinitions: [{ name: 'Name', type: 'string', format: 'name', description: 'Name', priority: 0 }],
      rows,
    };
    const spy = parses();
    expect(parseListPage(Buffer.from(page(table)))).toEqual(table);
    expect(spy.mock.calls.length).toBeGreaterThan(2);
  });

  it('an empty list, and text not shaped like a list page, read as a whole parse does', () => {
    for (const text of [
      '{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[]}',
      '{"items":[1,2,3]}',
      '{"items":[{"a":1}],"more":true}',
      '[{"items":[]}]',
      '{"metadata":{"items":[{"a":1}]},"items":[{"b":2}]}',
    ]) {
      expect(parseListPage(Buffer.from(text)), text).toEqual(JSON.parse(text));
    }
  });

  it('bad JSON is a SyntaxError, as from JSON.parse', () => {
    const text = page(podList(100));
    for (const broken of [text.slice(0, -3), text.replace('"web-50"', '"web-50'), '<html>Bad Gateway</html>'])
      expect(() => parseListPage(Buffer.from(broken))).toThrow(SyntaxError);
  });

  it('maps each element as soon as its group is parsed, told the page it is on', () => {
    const list = podList(400);
    const spy = parses();
    const heads: unknown[] = [];
    const each = vi.fn((pod: unknown) => {
      const name = (pod as { metadata: { name: string } }).metadata.name;
      // Every other pod left out.
      return Number(name.slice('web-'.length)) % 2 === 0 ? `PodList/${name}` : undefined;
    });
    const parsed = parseListPage(Buffer.from(page(list)), (head) => {
      heads.push(structuredClone(head));
      return each;
    }) as { items: unknown[]; metadata: unknown };
    expect(heads).toEqual([{ kind: 'PodList', apiVersion: 'v1', metadata: list.metadata }]);
    expect(parsed.metadata).toEqual(list.metadata);
    expect(parsed.items).toEqual(list.items.filter((_, i) => i % 2 === 0).map((p) => `PodList/${p.metadata.name}`));
    // The head is parsed first, then the first group, whose pods are mapped before the
    // second group is parsed: not all at the end, when the page's objects have grown old.
    const parsesInOrder = spy.mock.invocationCallOrder;
    expect(parsesInOrder.length).toBeGreaterThan(3);
    expect(each.mock.invocationCallOrder[0]).toBeGreaterThan(parsesInOrder[1]!);
    expect(each.mock.invocationCallOrder[0]).toBeLessThan(parsesInOrder[2]!);
  });

  it('maps the elements of a page it parses whole, too', () => {
    const text = '{"kind":"PodList","metadata":{"resourceVersion":"1"},"items":[{"a":1},{"a":2}],"more":true}';
    const parsed = parseListPage(Buffer.from(text), (head) => (el) => ({ ...(el as object), list: head.kind }));
    expect(parsed).toEqual({
      kind: 'PodList',
      metadata: { resourceVersion: '1' },
      more: true,
      items: [
        { a: 1, list: 'PodList' },
        { a: 2, list: 'PodList' },
      ],
    });
  });
});
