import { describe, expect, it } from 'vitest';
import type { RawFinding } from '../../src/diagnose/types.js';
import { Snapshot, type SnapshotInput } from '../../src/store/snapshot.js';
import { rule } from './not-ready.js';
import { NOW, UNKNOWN_READY, node, podKeptOutByCordon, runningPod } from '../../test/fixtures/nodes/load.js';

const run = (input: SnapshotInput): RawFinding[] =>
  rule.diagnose({ snapshot: new Snapshot({ takenAt: NOW, ...input }), now: NOW });

describe('nodes/not-ready', () => {
  it('says how long, quotes the controller, and explains the pods on it and those kept off', () => {
    const kept = podKeptOutByCordon();
    kept.status!.conditions![0]!.message =
      "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had taint {node.kubernetes.io/unreachable: }, that the pod didn't tolerate.";
    const input: SnapshotInput = {
      nodes: [node('worker-1', [UNKNOWN_READY]), node('worker-2')],
      pods: [runningPod('cart-1', 'worker-1'), runningPod('cart-2', 'worker-2'), kept],
    };
    const [f, ...rest] = run(input);
    expect(rest).toHaveLength(0);
    expect(f!.title).toBe('node worker-1 is NotReady for 20 minutes with 1 pod on it');
    expect(f!.severity).toBe('critical');
    expect(f!.explanation).toContain('its kubelet has stopped reporting ("Kubelet stopped posting node status.")');
    expect(f!.evidence[0]).toMatchObject({
      path: 'status.conditions[0]',
      text: 'Ready=Unknown NodeStatusUnknown: Kubelet stopped posting node status.',
    });
    expect(f!.explains).toEqual([
      { kind: 'Pod', name: 'cart-1', namespace: 'shop' },
      { kind: 'Pod', name: 'pinned-to-cordoned', namespace: 'samples' },
    ]);
    expect(f!.groupKey).toBe('nodes/not-ready');
    expect(f!.fixes[0]!.commands).toContain('kubectl describe node worker-1');
  });

  it('gives nothing for Ready nodes', () => {
    expect(run({ nodes: [node('worker-1'), node('worker-2')], pods: [runningPod('cart-1', 'worker-1')] })).toEqual([]);
  });
});
