import { describe, expect, it } from 'vitest';
import type { RawFinding } from '../../src/diagnose/types.js';
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
});
