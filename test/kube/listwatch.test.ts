import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/kube/client.js';
import { ListWatch, type ListWatchOptions, type LoopState, type WatchEventType } from '../../src/kube/listwatch.js';
import type { KubeObject } from '../../src/model/k8s.js';
import {
  listBody,
  openWatch,
  podFromSample,
  sample,
  sampleLines,
  sendJson,
  startFakeApi,
  until,
  type FakeApi,
} from './fake-api.js';

let api: FakeApi | undefined;
let conn: Connection | undefined;
let loop: ListWatch | undefined;
afterEach(async () => {
  loop?.stop();
  conn?.close();
  await api?.close();
  api = loop = conn = undefined;
});

type Watcher = (res: http.ServerResponse, url: URL, n: number) => void;

/** A fake API server whose list and watch answers each test scripts; counts both. */
async function server(list: (url: URL, n: number) => unknown | { status: number; body: unknown }, watch: Watcher) {
  let lists = 0;
  let watches = 0;
  api = await startFakeApi((_req, res, url) => {
    if (url.searchParams.get('watch')) watch(res, url, ++watches);
    else {
      const answer = list(url, ++lists) as { status?: number; body?: unknown };
      if (typeof answer.status === 'number') sendJson(res, answer.status, answer.body);
      else sendJson(res, 200, answer);
    }
  });
  conn = api.connect();
  return {
    lists: () => lists,
    watches: () => watches,
    watchUrls: () => api!.requests.filter((u) => u.searchParams.get('watch')),
  };
}

/** Runs a loop into a map, recording states, like the live store does. */
function run(extra: Partial<ListWatchOptions<KubeObject>> = {}) {
  const objects = new Map<string, KubeObject>();
  const states: LoopState[] = [];
  const events: [WatchEventType, string][] = [];
  let replaces = 0;
  loop = new ListWatch<KubeObject>({
    conn: conn!,
    path: '/api/v1/namespaces/sample/pods',
    resource: 'pods',
    watchTimeoutSeconds: { min: 5, max: 9 },
    backoffInitialMs: 20,
    backoffMaxMs: 200,
    authRetryMs: 50,
    onPage: (items) => items.forEach((o) => objects.set(o.metadata.name, o)),
    onReplace: (items) => {
      replaces++;
      objects.clear();
      items.forEach((o) => objects.set(o.metadata.name, o));
    },
    onEvent: (type, o) => {
      events.push([type, o.metadata.name]);
      if (type === 'DELETED') objects.delete(o.metadata.name);
      else objects.set(o.metadata.name, o);
    },
    onState: (s) => states.push(s),
    ...extra,
  });
  loop.start();
  return { objects, states, events, replaces: () => replaces };
}

const pod = (name: string, rv: string) => podFromSample(name, 'sample', rv);
const status410 = (): unknown => (JSON.parse(sampleLines('watch-410-gone.jsonl')[0]!) as { object: unknown }).object;

describe('ListWatch', () => {
  it('lists page by page, then applies watch events, and a bookmark moves the resourceVersion', async () => {
    const s = await server(
      (url) =>
        url.searchParams.get('continue')
          ? listBody('Pod', [pod('b', '102')], '150')
          : listBody('Pod', [pod('a', '101')], '150', { continue: 'next', remainingItemCount: 1 }),
      (res, _url, n) => {
        const w = openWatch(res);
        if (n === 1) {
          w.send({ type: 'ADDED', object: { ...pod('c', '201'), kind: 'Pod', apiVersion: 'v1' } });
          w.send({ type: 'MODIFIED', object: { ...pod('a', '202'), kind: 'Pod', apiVersion: 'v1' } });
          w.send({ type: 'DELETED', object: { ...pod('b', '203'), kind: 'Pod', apiVersion: 'v1' } });
          // The captured bookmark shape: only metadata.resourceVersion is meaningful.
          const bookmark = JSON.parse(sampleLines('watch-stream.jsonl')[1]!) as {
            object: { metadata: { resourceVersion: string } };
          };
          bookmark.object.metadata.resourceVersion = '250';
          w.send(bookmark);
          w.end();
        }
      },
    );
    const r = run({ pageSize: 1 });
    await until(() => s.watches() >= 2, 5000, 'a second watch');
    expect([...r.objects.keys()].sort()).toEqual(['a', 'c']);
    expect(r.objects.get('a')?.metadata.resourceVersion).toBe('202');
    expect(r.objects.get('c')?.metadata.managedFields).toBeUndefined();
    expect(r.events).toEqual([
      ['ADDED', 'c'],
      ['MODIFIED', 'a'],
      ['DELETED', 'b'],
    ]);
    const [first, second] = s.watchUrls();
    expect(first?.searchParams.get('resourceVersion')).toBe('150');
    expect(first?.searchParams.get('allowWatchBookmarks')).toBe('true');
    const timeout = Number(first?.searchParams.get('timeoutSeconds'));
    expect(timeout).toBeGreaterThanOrEqual(5);
    expect(timeout).toBeLessThanOrEqual(9);
    // Normal end: re-watch from the bookmark, no relist.
    expect(second?.searchParams.get('resourceVersion')).toBe('250');
    expect(s.lists()).toBe(2);
    expect(r.states.map((x) => x.state).slice(0, 2)).toEqual(['listing', 'watching']);
  });

  it('relists when the watch stream says 410 Expired in an ERROR event', async () => {
    const s = await server(
      (_url, n) => listBody('Pod', n === 1 ? [pod('old', '1')] : [pod('new', '800')], n === 1 ? '1' : '800'),
      (res, _url, n) => {
        const w = openWatch(res);
        if (n === 1) {
          w.send({ type: 'ERROR', object: status410() });
          w.end();
        }
      },
    );
    const r = run();
    await until(() => s.watches() >= 2);
    expect(s.lists()).toBe(2);
    expect(r.replaces()).toBe(2);
    expect([...r.objects.keys()]).toEqual(['new']);
    expect(s.watchUrls()[1]?.searchParams.get('resourceVersion')).toBe('800');
  });

  it('relists when the watch request itself answers HTTP 410', async () => {
    const s = await server(
      (_url, n) => listBody('Pod', [pod('a', String(n))], String(n * 100)),
      (res, _url, n) => {
        if (n === 1)
          sendJson(res, 410, {
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Failure',
            message: 'too old resource version: 100 (900)',
            reason: 'Expired',
            code: 410,
          });
        else openWatch(res);
      },
    );
    run();
    await until(() => s.watches() >= 2);
    expect(s.lists()).toBe(2);
    expect(s.watchUrls()[1]?.searchParams.get('resourceVersion')).toBe('200');
  });

  it('relists when a restarted server is behind our resourceVersion (504 Too large resource version)', async () => {
    const s = await server(
      (_url, n) => listBody('Pod', [pod('a', '3')], n === 1 ? '9000' : '3'),
      (res, _url, n) => {
        if (n === 1) {
          sendJson(res, 504, {
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Failure',
            message: 'Too large resource version: 9000, current: 3',
            reason: 'Timeout',
            details: {
              causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
              retryAfterSeconds: 1,
            },
            code: 504,
          });
        } else openWatch(res);
      },
    );
    run();
    await until(() => s.watches() >= 2);
    expect(s.lists()).toBe(2);
    expect(s.watchUrls()[1]?.searchParams.get('resourceVersion')).toBe('3');
  });

  it('re-watches from the last event after the server ends the stream (timeoutSeconds reached)', async () => {
    const s = await server(
      () => listBody('Pod', [pod('a', '10')], '10'),
      (res, _url, n) => {
        const w = openWatch(res);
        if (n === 1) {
          w.send({ type: 'MODIFIED', object: { ...pod('a', '11'), kind: 'Pod', apiVersion: 'v1' } });
          w.end();
        }
      },
    );
    run();
    await until(() => s.watches() >= 2);
    expect(s.lists()).toBe(1);
    expect(s.watchUrls()[1]?.searchParams.get('resourceVersion')).toBe('11');
  });

  it('a watchdog aborts a watch that goes silent and watches again (silent TCP stall)', async () => {
    const s = await server(
      () => listBody('Pod', [pod('a', '10')], '10'),
      (res) => {
        openWatch(res); // headers, then nothing: not even a bookmark
      },
    );
    const r = run({ stallTimeoutMs: 150 });
    await until(() => s.watches() >= 3, 5000, 'watchdog re-watches');
    expect(s.lists()).toBe(1);
    expect(r.states.some((x) => x.state === 'reconnecting' || x.state === 'error')).toBe(false);
  });

  it('backs off with growing, jittered delays on 500 and recovers', async () => {
    const s = await server(
      (_url, n) =>
        n <= 3
          ? {
              status: 500,
              body: {
                kind: 'Status',
                apiVersion: 'v1',
                status: 'Failure',
                message: 'etcdserver: request timed out',
                code: 500,
              },
            }
          : listBody('Pod', [pod('a', '5')], '5'),
      (res) => openWatch(res),
    );
    const r = run();
    // The server counts the watch when the request arrives; the loop reports 'watching' only once the response opens.
    await until(() => r.states.at(-1)?.state === 'watching', 5000, 'recovery');
    const retries = r.states.filter(
      (x): x is Extract<LoopState, { state: 'reconnecting' }> => x.state === 'reconnecting',
    );
    expect(retries).toHaveLength(3);
    expect(retries[0]!.reason).toBe(
      'the API server failed while trying to list pods (500 Internal Server Error: etcdserver: request timed out): it may be starting, overloaded or broken; try again in a moment',
    );
    // base 20 → 40 → 80 ms, each jittered into [base/2, base].
    expect(retries[0]!.retryInMs).toBeGreaterThanOrEqual(10);
    expect(retries[0]!.retryInMs).toBeLessThanOrEqual(20);
    expect(retries[1]!.retryInMs).toBeGreaterThanOrEqual(20);
    expect(retries[1]!.retryInMs).toBeLessThanOrEqual(40);
    expect(retries[2]!.retryInMs).toBeGreaterThanOrEqual(40);
    expect(retries[2]!.retryInMs).toBeLessThanOrEqual(80);
    expect(r.states.at(-1)?.state).toBe('watching');
    expect([...r.objects.keys()]).toEqual(['a']);
  });

  it('reports forbidden with the Status message and retries slowly', async () => {
    const s = await server(
      () => ({ status: 403, body: sample('status-403-forbidden.json') }),
      (res) => openWatch(res),
    );
    const r = run();
    await until(() => s.lists() >= 2, 5000, 'a slow retry');
    const forbidden = r.states.find((x) => x.state === 'forbidden');
    expect(forbidden).toMatchObject({ state: 'forbidden', retryInMs: 50 });
    expect(forbidden && 'reason' in forbidden ? forbidden.reason : '').toContain(
      'pods is forbidden: User "viewer" cannot list resource "pods"',
    );
  });

  it('lists again every poll interval when the list is allowed and the watch is not', async () => {
    const forbiddenWatch = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'pods is forbidden: User "lister" cannot watch resource "pods" in API group "" in the namespace "sample"',
      reason: 'Forbidden',
      details: { kind: 'pods' },
      code: 403,
    };
    const s = await server(
      (_url, n) =>
        listBody('Pod', n < 3 ? [pod('web-1', '10')] : [pod('web-1', '10'), pod('web-2', '12')], String(10 + n)),
      (res) => sendJson(res, 403, forbiddenWatch),
    );
    const r = run({ pollIntervalMs: 50 });
    await until(() => r.objects.has('web-2'), 5000, 'a later list');
    const polling = r.states.find((x) => x.state === 'polling');
    expect(polling?.state === 'polling' && polling.reason).toContain(forbiddenWatch.message);
    expect(polling?.state === 'polling' && polling.everyMs).toBeGreaterThanOrEqual(50);
    // One watch refused, then lists only: no watch is tried again while polling.
    expect(s.watches()).toBe(1);
    expect(r.states.some((x) => x.state === 'forbidden')).toBe(false);
  });

  it('reports a resource the server does not serve as unavailable, not as a connection problem', async () => {
    await server(
      () => ({ status: 404, body: '404 page not found' }),
      (res) => openWatch(res),
    );
    const r = run();
    await until(() => r.states.some((x) => x.state === 'unavailable'));
    expect(r.states.some((x) => x.state === 'reconnecting')).toBe(false);
  });

  it('reports rejected credentials as an error', async () => {
    await server(
      () => ({ status: 401, body: sample('status-401-unauthorized.json') }),
      (res) => openWatch(res),
    );
    const r = run();
    await until(() => r.states.some((x) => x.state === 'error'));
    expect(r.states.find((x) => x.state === 'error')).toMatchObject({
      reason: expect.stringMatching(/^the API server rejected your credentials \(401 Unauthorized\)/),
    });
  });

  it('stop() ends the loop quietly: no error state, no more requests', async () => {
    const s = await server(
      () => listBody('Pod', [pod('a', '1')], '1'),
      (res) => openWatch(res),
    );
    const r = run();
    await until(() => s.watches() === 1);
    await new Promise((res) => setTimeout(res, 20));
    loop!.stop();
    const requests = api!.requests.length;
    await new Promise((res) => setTimeout(res, 150));
    expect(api!.requests.length).toBe(requests);
    expect(r.states.at(-1)).toEqual({ state: 'stopped' });
    expect(r.states.filter((x) => x.state === 'reconnecting' || x.state === 'error')).toEqual([]);
  });
});
