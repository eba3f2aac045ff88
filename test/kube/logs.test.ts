import { describe, expect, it } from 'vitest';
import { crashLogTargets, decodeLogLines } from '../../src/kube/logs.js';
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
