import { describe, expect, it } from 'vitest';
import type { RawFinding } from '../../src/diagnose/types.js';
import type { KubeEvent } from '../../src/model/k8s.js';
import { Snapshot, type SnapshotInput } from '../../src/store/snapshot.js';
import { rule } from './pressure.js';
import { MEMORY_PRESSURE, NOW, evictedPod, node, runningPod } from '../../test/fixtures/nodes/load.js';

const run = (input: SnapshotInput): RawFinding[] =>
  rule.diagnose({ snapshot: new Snapshot({ takenAt: NOW, ...input }), now: NOW });

describe('nodes/pressure', () => {
  it('reports memory pressure with the pods the kubelet evicted, quoted', () => {
    const input: SnapshotInput = {
      nodes: [node('worker-1', [MEMORY_PRESSURE])],
      pods: [evictedPod('cart-1', 'worker-1'), runningPod('cart-2', 'worker-1')],
    };
    const [f, ...rest] = run(input);
    expect(rest).toHaveLength(0);
    expect(f!.id).toBe('nodes/pressure:/Node/worker-1#MemoryPressure');
    expect(f!.title).toBe('node worker-1 is low on memory (MemoryPressure): 1 pod evicted');
    expect(f!.severity).toBe('critical');
    expect(f!.evidence.map((e) => e.text)).toEqual([
      'MemoryPressure=True KubeletHasInsufficientMemory: kubelet has insufficient memory available',
      'The node was low on resource: memory. Threshold quantity: 100Mi, available: 91548Ki. Container app was using 1843884Ki, request is 256Mi, has larger consumption of memory. ',
    ]);
    expect(f!.explains).toEqual([{ kind: 'Pod', name: 'cart-1', namespace: 'shop' }]);
    expect(f!.fixes[0]).toMatchObject({ mutates: false });
    expect(f!.fixes[0]!.commands).toContain('kubectl top pods -A --sort-by=memory');
  });

  it('is a warning while nothing has been evicted yet', () => {
    const [f] = run({ nodes: [node('worker-1', [MEMORY_PRESSURE])], pods: [runningPod('cart-2', 'worker-1')] });
    expect(f!.severity).toBe('warning');
  });

  it('gives nothing without pressure, even with pods evicted long ago', () => {
    const calm = {
      ...MEMORY_PRESSURE,
      status: 'False',
      reason: 'KubeletHasSufficientMemory',
      message: 'kubelet has sufficient memory available',
    };
    expect(run({ nodes: [node('worker-1', [calm])], pods: [evictedPod('cart-1', 'worker-1')] })).toEqual([]);
  });

  describe('for a user who may not read nodes', () => {
    const evictedEvent = (pod: string, at: string): KubeEvent =>
      ({
        metadata: { name: `${pod}.18edb41c2d9e0a51`, namespace: 'shop', creationTimestamp: at },
        involvedObject: { kind: 'Pod', namespace: 'shop', name: pod, uid: `uid-${pod}`, apiVersion: 'v1' },
        reason: 'Evicted',
        message:
          'The node was low on resource: memory. Threshold quantity: 100Mi, available: 91548Ki. Container app was using 1843884Ki, request is 256Mi, has larger consumption of memory. ',
        source: { component: 'kubelet', host: 'worker-1' },
        firstTimestamp: at,
        lastTimestamp: at,
        count: 1,
        type: 'Warning',
      }) as KubeEvent;
    const unseen = { nodes: [], forbidden: ['nodes'] };

    it('reports the pods the kubelet evicted in the last hour, under their node, saying what it could not check', () => {
      const pods = [
        evictedPod('cart-1', 'worker-1'),
        evictedPod('cart-0', 'worker-1'),
        runningPod('cart-2', 'worker-1'),
      ];
      const events = [evictedEvent('cart-1', '2026-12-03T08:55:00Z'), evictedEvent('cart-0', '2026-12-03T09:01:00Z')];
      const [f, ...rest] = run({ pods, events, ...unseen });
      expect(rest).toEqual([]);
      expect(f!.id).toBe('nodes/pressure:/Node/worker-1#MemoryPressure');
      expect(f!.severity).toBe('critical');
      expect(f!.title).toBe('node worker-1 was low on memory: 2 pods evicted in the last hour');
      expect(f!.explanation).toContain('The kubelet on worker-1 evicted shop/cart-0, shop/cart-1');
      expect(f!.explanation).toContain(
        'kcockpit may not read nodes, so whether worker-1 still reports MemoryPressure, and which other pods it evicted, could not be checked',
      );
      expect(f!.explains).toEqual([
        { kind: 'Pod', name: 'cart-0', namespace: 'shop' },
        { kind: 'Pod', name: 'cart-1', namespace: 'shop' },
      ]);
      expect(f!.evidence.at(-1)).toMatchObject({ source: 'event', reason: 'Evicted' });
      expect(f!.fixes[0]!.commands).toContain('kubectl describe node worker-1');
    });

    it('is quiet for evictions whose event has expired (older than an hour)', () => {
      const pods = [evictedPod('cart-1', 'worker-1')];
      expect(run({ pods, ...unseen })).toEqual([]);
      expect(run({ pods, events: [evictedEvent('cart-1', '2026-12-03T07:55:00Z')], ...unseen })).toEqual([]);
    });
  });
});
