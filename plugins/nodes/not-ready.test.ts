import { describe, expect, it } from 'vitest';
import type { RawFinding } from '../../src/diagnose/types.js';
import type { KubeEvent, Pod } from '../../src/model/k8s.js';
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

  describe('for a user who may not read nodes', () => {
    const unseen = { nodes: [], forbidden: ['nodes'] };
    /** A pod the node controller marked not ready at `at`, and its event. */
    const marked = (name: string, at: string, readyAt = at) => {
      const pod = runningPod(name, 'worker-2');
      pod.status = {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: readyAt }],
      } as Pod['status'];
      const event = {
        metadata: { name: `${name}.18edb5a1c3f2d7e0`, namespace: 'shop', creationTimestamp: at },
        involvedObject: { kind: 'Pod', namespace: 'shop', name, uid: `uid-${name}`, apiVersion: 'v1' },
        reason: 'NodeNotReady',
        message: 'Node is not ready',
        source: { component: 'node-controller' },
        firstTimestamp: at,
        lastTimestamp: at,
        count: 1,
        type: 'Warning',
      } as KubeEvent;
      return { pod, event };
    };

    it('finds the node from its pods the node controller marked, saying what it could not check', () => {
      const a = marked('cart-1', '2026-12-03T09:02:11Z');
      const b = marked('cart-0', '2026-12-03T09:02:11Z');
      const [f, ...rest] = run({
        pods: [a.pod, b.pod, runningPod('web-1', 'worker-1')],
        events: [a.event, b.event],
        ...unseen,
      });
      expect(rest).toEqual([]);
      expect(f!.id).toBe('nodes/not-ready:/Node/worker-2');
      expect(f!.title).toBe('node worker-2 is not ready: 2 pods on it marked not ready by the node controller');
      expect(f!.explanation).toContain(
        'The node controller marked shop/cart-0, shop/cart-1 not ready ("Node is not ready")',
      );
      expect(f!.explanation).toContain(
        'kcockpit may not read nodes, so why worker-2 is not ready, since when, and which other pods it holds could not be checked',
      );
      expect(f!.evidence[0]).toMatchObject({ source: 'event', reason: 'NodeNotReady', text: 'Node is not ready' });
      expect(f!.explains).toEqual([
        { kind: 'Pod', name: 'cart-0', namespace: 'shop' },
        { kind: 'Pod', name: 'cart-1', namespace: 'shop' },
      ]);
      expect(f!.fixes[0]!.commands[0]).toBe('kubectl describe node worker-2');
    });

    it("is quiet once the pod was Ready again since, or without the node controller's event", () => {
      // The node came back and the pod turned Ready, then unready for another reason.
      const later = marked('cart-1', '2026-12-03T09:02:11Z', '2026-12-03T09:05:00Z');
      expect(run({ pods: [later.pod], events: [later.event], ...unseen })).toEqual([]);
      expect(run({ pods: [marked('cart-1', '2026-12-03T09:02:11Z').pod], ...unseen })).toEqual([]);
      const healthy = marked('cart-1', '2026-12-03T09:02:11Z');
      healthy.pod.status!.conditions![0]!.status = 'True';
      expect(run({ pods: [healthy.pod], events: [healthy.event], ...unseen })).toEqual([]);
    });
  });
});
