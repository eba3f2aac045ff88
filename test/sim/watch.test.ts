import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/sim/scenario.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { call, events, sampleText, startScenario, stream, TABLE_ACCEPT, type Stream } from './helpers.js';

let srv: SimServer;
const open: Stream[] = [];
beforeEach(async () => {
  srv = await startScenario('s1-jaeger', { bookmarkIntervalMs: 200 });
});
afterEach(async () => {
  for (const s of open.splice(0)) s.close();
  await srv.close();
});

async function watch(path: string, accept?: string): Promise<Stream> {
  const s = await stream(srv, path, accept ? { accept } : {});
  open.push(s);
  return s;
}

const addConfigMap = (name: string, labels: Record<string, string> = {}) =>
  call(srv, '/api/v1/namespaces/observability/configmaps', {
    method: 'POST',
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { a: '1' } },
  });

describe('watch', () => {
  it('sends headers at once, then ADDED for the current state when resourceVersion is absent or 0', async () => {
    const w = await watch('/api/v1/namespaces/observability/pods?watch=1&resourceVersion=0');
    expect(w.status).toBe(200);
    const evs = events(await w.waitFor(6));
    expect(evs.map((e) => e.type)).toEqual(Array(6).fill('ADDED'));
    expect(evs[0]?.object['kind']).toBe('Pod');
    expect(evs[0]?.object['apiVersion']).toBe('v1');
  });

  it('replays what happened after a resourceVersion, then streams new changes', async () => {
    const rv = srv.state.resourceVersion;
    await addConfigMap('one');
    await call(srv, '/api/v1/namespaces/observability/configmaps/one', { method: 'DELETE' });
    const w = await watch(`/api/v1/namespaces/observability/configmaps?watch=true&resourceVersion=${rv}`);
    expect(events(await w.waitFor(2)).map((e) => `${e.type} ${e.object['metadata'].name}`)).toEqual([
      'ADDED one',
      'DELETED one',
    ]);
    await addConfigMap('two');
    const evs = events(await w.waitFor(3));
    expect(evs[2]?.type).toBe('ADDED');
    expect(Number(evs[2]?.object['metadata'].resourceVersion)).toBeGreaterThan(
      Number(evs[1]?.object['metadata'].resourceVersion),
    );
  });

  it('answers a too-old resourceVersion with an HTTP 200 stream whose only event is the 410 Expired Status', async () => {
    await addConfigMap('bump');
    srv.state.compact();
    const w = await watch('/api/v1/namespaces/observability/pods?watch=1&resourceVersion=1');
    await w.ended;
    expect(w.status).toBe(200);
    const real = JSON.parse(sampleText('watch-410-gone.jsonl').trim());
    expect(w.lines).toHaveLength(1);
    const ev = events(w.lines)[0];
    expect(ev).toEqual({
      ...real,
      object: { ...real.object, message: `too old resource version: 1 (${srv.state.compactedRevision})` },
    });
  });

  it('sends BOOKMARK events carrying only a resourceVersion, like the sample', async () => {
    const w = await watch(
      `/api/v1/namespaces/observability/pods?watch=1&allowWatchBookmarks=true&resourceVersion=${srv.state.resourceVersion}`,
    );
    const [line] = await w.waitFor(1, 3000);
    const bookmark = JSON.parse(line as string);
    const real = JSON.parse(sampleText('watch-stream.jsonl').trim().split('\n')[1] as string);
    expect(bookmark).toEqual({
      ...real,
      object: {
        ...real.object,
        metadata: { ...real.object.metadata, resourceVersion: String(srv.state.resourceVersion) },
      },
    });
  });

  it('ends the stream at timeoutSeconds', async () => {
    const started = Date.now();
    const w = await watch(
      `/api/v1/namespaces/observability/pods?watch=1&timeoutSeconds=1&resourceVersion=${srv.state.resourceVersion}`,
    );
    await w.ended;
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('applies selectors: an object leaving the selection is DELETED for this watch, one entering is ADDED', async () => {
    await addConfigMap('flip', { team: 'a' });
    const w = await watch(
      `/api/v1/namespaces/observability/configmaps?watch=1&labelSelector=team%3Da&resourceVersion=${srv.state.resourceVersion}`,
    );
    const patch = (team: string) =>
      call(srv, '/api/v1/namespaces/observability/configmaps/flip', {
        method: 'PATCH',
        contentType: 'application/merge-patch+json',
        body: { metadata: { labels: { team } } },
      });
    await patch('b');
    await patch('a');
    await addConfigMap('other', { team: 'b' });
    await patch('a');
    expect(events(await w.waitFor(3)).map((e) => `${e.type} ${e.object['metadata'].name}`)).toEqual([
      'DELETED flip',
      'ADDED flip',
      'MODIFIED flip',
    ]);
  });

  it('streams Table rows to kubectl get -w, with column definitions only in the first event', async () => {
    const w = await watch(
      `/api/v1/namespaces/observability/pods?watch=1&resourceVersion=0&fieldSelector=metadata.name%3Delasticsearch-master-0`,
      TABLE_ACCEPT,
    );
    await w.waitFor(1);
    await call(srv, '/api/v1/namespaces/observability/pods/elasticsearch-master-0', {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { metadata: { labels: { x: 'y' } } },
    });
    const [first, second] = events(await w.waitFor(2));
    expect(first?.object['kind']).toBe('Table');
    expect(first?.object['columnDefinitions']).toHaveLength(9);
    expect(second?.object['columnDefinitions']).toBeNull();
    expect(second?.object['rows'][0].cells.slice(0, 3)).toEqual(['elasticsearch-master-0', '0/1', 'Running']);
  });

  it('a future resourceVersion waits for it and then answers 504 Too large resource version', async () => {
    const res = await call(
      srv,
      `/api/v1/namespaces/observability/pods?watch=1&resourceVersion=${srv.state.resourceVersion + 1000}`,
    );
    expect(res.status).toBe(504);
    expect(res.json()['message']).toBe(
      `Too large resource version: ${srv.state.resourceVersion + 1000}, current: ${srv.state.resourceVersion}`,
    );
  }, 10_000);

  it('open watches end when the server goes away; a server restarted on the same port is trusted by the same clients', async () => {
    const w = await watch('/api/v1/namespaces/observability/pods?watch=1');
    await w.waitFor(6);
    const { port, tls } = srv;
    await srv.close();
    await w.ended;
    srv = await startSimServer({ scenario: loadScenario('s1-jaeger'), port, tls });
    expect((await call(srv, '/api/v1/namespaces/observability/pods')).status).toBe(200);
  });
});
