import { describe, expect, it } from 'vitest';
import type { Connection } from '../../src/kube/client.js';
import { CrashLogReader, crashLogTargets, decodeLogLines, type LogTarget } from '../../src/kube/logs.js';
import type { Pod } from '../../src/model/k8s.js';

function pod(name: string, statuses: Pod['status']): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'observability', uid: `uid-${name}` },
    spec: { containers: [{ name: 'jaeger-collector', image: 'jaegertracing/jaeger-collector:1.39.0' }] },
    status: statuses,
  };
}

describe('crashLogTargets', () => {
  it('picks crash-looping containers first, then others that terminated before, by restarts', () => {
    const pods = [
      pod('jaeger-collector-6d9c7b8f5-x2k8q', {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'jaeger-collector',
            ready: false,
            restartCount: 212,
            state: {
              waiting: {
                reason: 'CrashLoopBackOff',
                message:
                  'back-off 5m0s restarting failed container=jaeger-collector pod=jaeger-collector-6d9c7b8f5-x2k8q_observability(uid)',
              },
            },
            lastState: {
              terminated: {
                exitCode: 1,
                reason: 'Error',
                startedAt: '2026-11-21T21:30:00Z',
                finishedAt: '2026-11-21T21:30:04Z',
              },
            },
          },
        ],
      }),
      pod('api-7f9c6d5b4-abcde', {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'api',
            ready: true,
            restartCount: 3,
            state: { running: { startedAt: '2026-11-21T20:00:00Z' } },
            lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
          },
          { name: 'sidecar', ready: true, restartCount: 0, state: { running: {} }, lastState: {} },
        ],
      }),
    ];
    expect(crashLogTargets(pods).map((t) => `${t.pod}/${t.container}`)).toEqual([
      'jaeger-collector-6d9c7b8f5-x2k8q/jaeger-collector',
      'api-7f9c6d5b4-abcde/api',
    ]);
    // What tells a new crash from one already fetched: the pod and the container's restarts.
    expect(crashLogTargets(pods)[0]).toMatchObject({ uid: 'uid-jaeger-collector-6d9c7b8f5-x2k8q', restartCount: 212 });
  });
});

describe('decodeLogLines', () => {
  it('decodes invalid UTF-8 lossily instead of failing', () => {
    const bytes = Buffer.concat([
      Buffer.from('starting collector\n'),
      Buffer.from([0xff, 0xfe, 0x41]),
      Buffer.from('\n'),
    ]);
    expect(decodeLogLines(bytes)).toEqual(['starting collector', '\ufffd\ufffdA']);
  });

  it('keeps the last lines and strips terminal control sequences', () => {
    const text =
      Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n') +
      '\n\u001b[31m{"level":"fatal","msg":"Failed to init storage factory","error":"failed to create primary Elasticsearch client: health check timeout: Head \\"http://elasticsearch-master:9200\\": dial tcp 10.96.12.7:9200: connect: connection refused: no Elasticsearch node available"}\u001b[0m\u0007\n';
    const lines = decodeLogLines(Buffer.from(text), 30);
    expect(lines).toHaveLength(30);
    expect(lines[0]).toBe('line 11');
    expect(lines.at(-1)).toMatch(/^\{"level":"fatal".*no Elasticsearch node available"\}$/);
  });

  it('cuts a single huge line', () => {
    const [line] = decodeLogLines(Buffer.from('x'.repeat(100_000)));
    expect(line!.length).toBeLessThanOrEqual(2000);
  });
});

/** A connection whose log reads answer only when the test says: `pod/container` → resolve. */
function heldLogs() {
  const pending = new Map<string, () => void>();
  const asked: string[] = [];
  let running = 0;
  let mostAtOnce = 0;
  const conn = {
    async getBytes(path: string, query: Record<string, unknown>): Promise<Buffer> {
      const key = `${path.split('/')[6]}/${String(query['container'])}`;
      asked.push(key);
      mostAtOnce = Math.max(mostAtOnce, ++running);
      await new Promise<void>((resolve) => pending.set(key, resolve));
      running--;
      return Buffer.from(`log of ${key}\n`);
    },
  } as unknown as Connection;
  const answer = async (key: string) => {
    pending.get(key)!();
    await new Promise((r) => setImmediate(r));
  };
  return {
    conn,
    asked,
    answer,
    answerAll: async () => {
      for (const k of [...pending.keys()]) await answer(k);
    },
    mostAtOnce: () => mostAtOnce,
  };
}

const target = (pod: string, priority: number): LogTarget => ({
  namespace: 'shop',
  pod,
  container: 'app',
  uid: `uid-${pod}`,
  restartCount: priority % 1_000_000,
  priority,
});

describe('CrashLogReader', () => {
  it('reads a crash-looping container’s log as soon as its page is listed, and not again', async () => {
    const logs = heldLogs();
    const reader = new CrashLogReader(logs.conn, { max: 2, concurrency: 4 });
    reader.offer([target('a', 1_000_005), target('b', 3)]);
    await new Promise((r) => setImmediate(r));
    // Only the looping one is sure to be chosen before every pod is known.
    expect(logs.asked).toEqual(['a/app']);
    const done = reader.finish([target('a', 1_000_005), target('c', 1_000_001), target('b', 3)]);
    await new Promise((r) => setImmediate(r));
    expect(logs.asked).toEqual(['a/app', 'c/app']);
    await logs.answerAll();
    expect((await done).map((t) => t.pod)).toEqual(['a', 'c']);
  });

  it('keeps to its concurrency, and gives only the chosen logs, in their order', async () => {
    const logs = heldLogs();
    const reader = new CrashLogReader(logs.conn, { max: 3, concurrency: 2 });
    // Four loop: the fourth is past `max` and waits to be chosen.
    reader.offer(['p1', 'p2', 'p3', 'p4'].map((p, i) => target(p, 1_000_000 + i)));
    await new Promise((r) => setImmediate(r));
    expect(logs.asked).toEqual(['p1/app', 'p2/app']);
    // A later page held one that restarted more: p1, read early, is not chosen.
    const done = reader.finish([target('p9', 1_000_009), target('p3', 1_000_002), target('p2', 1_000_001)]);
    for (let i = 0; i < 6; i++) await logs.answerAll();
    expect(logs.asked).toEqual(['p1/app', 'p2/app', 'p3/app', 'p9/app']);
    expect(logs.mostAtOnce()).toBe(2);
    expect((await done).map((t) => t.pod)).toEqual(['p9', 'p3', 'p2']);
  });
});
