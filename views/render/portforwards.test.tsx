import { describe, expect, it } from 'vitest';
import { forwardInfo } from '../testing/fakes.js';
import { forwardLabel, humanBytes, portForwardColumns, portForwardRow } from './portforwards.js';

const info = {
  ...forwardInfo(
    '1',
    {
      target: { kind: 'Service', namespace: 'observability', name: 'jaeger-query' },
      ports: [{ local: 8080, remote: 16686 }],
      address: '127.0.0.1',
    },
    'jaeger-query-5c9d8f7b6-qk4lm',
  ),
  connections: 3,
  bytesIn: 1536,
  bytesOut: 5_400_000,
};

describe('port-forward rows', () => {
  it('humanises bytes in at most 8 columns', () => {
    expect([0, 512, 1023, 1024, 1536, 10_240, 1_048_575, 5_400_000, 3 * 1024 ** 3].map(humanBytes)).toEqual([
      '0 B',
      '512 B',
      '1023 B',
      '1.0 KiB',
      '1.5 KiB',
      '10 KiB',
      '1.0 MiB',
      '5.1 MiB',
      '3.0 GiB',
    ]);
  });

  it('shows target, pod, address, ports, state, connections, bytes and detail', () => {
    expect(portForwardColumns(false).map((c) => c.title)).toEqual([
      'TARGET',
      'POD',
      'ADDRESS',
      'PORTS',
      'STATE',
      'CONN',
      'IN',
      'OUT',
      'DETAIL',
    ]);
    expect(portForwardRow(info, false)).toEqual({
      cells: [
        'svc/jaeger-query',
        'jaeger-query-5c9d8f7b6-qk4lm',
        '127.0.0.1',
        '8080:16686',
        'active',
        '3',
        '1.5 KiB',
        '5.1 MiB',
        '',
      ],
    });
    const moved = portForwardRow(
      {
        ...info,
        state: 'reconnecting',
        detail: 'pod jaeger-query-5c9d8f7b6-qk4lm went away; moving to a new ready pod',
      },
      true,
    );
    expect(moved.cells[0]).toBe('observability');
    expect(moved.style).toBe('warning');
    expect(portForwardRow({ ...info, state: 'failed' }, false).style).toBe('critical');
  });

  it('names a forward the way questions and messages show it', () => {
    expect(forwardLabel(info)).toBe('127.0.0.1:8080 → svc/jaeger-query:16686');
  });
});
