import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/model/k8s.js';
import type { RawFinding } from '../../src/diagnose/types.js';
import { Snapshot, type SnapshotInput } from '../../src/store/snapshot.js';
import { runRules } from '../../src/diagnose/engine.js';
import { rule as pending } from '../scheduling/pending.js';
import { rule } from './cordoned.js';
import { NOW, cordonedNode, node, podKeptOutByCordon } from '../../test/fixtures/nodes/load.js';

const snap = (input: SnapshotInput) => new Snapshot({ takenAt: NOW, ...input });
const run = (input: SnapshotInput): RawFinding[] => rule.diagnose({ snapshot: snap(input), now: NOW });

/** A Pending pod the scheduler refused everywhere: one node cordoned, one tainted. */
function podEverywhereRefused(): Pod {
  const p = podKeptOutByCordon();
  p.metadata.name = 'web-7c9d';
  p.metadata.uid = 'uid-web-7c9d';
  p.status!.conditions![0]!.message =
    "0/2 nodes are available: 1 node(s) had taint {dedicated: gpu}, that the pod didn't tolerate, 1 node(s) were unschedulable.";
  return p;
}

describe('nodes/cordoned', () => {
  it('links the pod the cordon keeps out and offers kubectl uncordon as a merge-patch', () => {
    const input: SnapshotInput = { nodes: [cordonedNode(), node('worker-2')], pods: [podKeptOutByCordon()] };
    const [f, ...rest] = run(input);
    expect(rest).toHaveLength(0);
    expect(f!.id).toBe('nodes/cordoned:/Node/samples-node-1');
    expect(f!.title).toBe('node samples-node-1 is cordoned: 1 Pending pod cannot use it');
    // Other nodes failed the pod's node selector: the cordon is not all that keeps it out.
    expect(f!.severity).toBe('warning');
    expect(f!.evidence[1]).toMatchObject({
      text: "0/104 nodes are available: 1 node(s) were unschedulable, 103 node(s) didn't match Pod's node affinity/selector.",
    });
    expect(f!.fixes[0]).toMatchObject({
      commands: ['kubectl uncordon samples-node-1'],
      mutates: true,
      steps: [
        {
          action: 'merge-patch',
          ref: { kind: 'Node', name: 'samples-node-1' },
          patch: { spec: { unschedulable: false } },
        },
      ],
    });
    const { findings } = runRules([pending, rule], snap(input));
    const podFinding = findings.find((x) => x.ruleId === 'scheduling/pending')!;
    expect(podFinding.causedBy).toEqual(['nodes/cordoned:/Node/samples-node-1']);
  });

  it('is critical when every node is cordoned or tainted', () => {
    const [f] = run({ nodes: [cordonedNode()], pods: [podEverywhereRefused()] });
    expect(f!.severity).toBe('critical');
    expect(f!.explanation).toContain('every node is cordoned or tainted');
  });

  it('is information only when no pod waits for a place', () => {
    const [f] = run({ nodes: [cordonedNode(), node('worker-2')] });
    expect(f!.severity).toBe('info');
    expect(f!.title).toBe('node samples-node-1 is cordoned');
    expect(f!.explains).toBeUndefined();
  });

  it('gives nothing for schedulable nodes, and ignores DaemonSet pods', () => {
    expect(run({ nodes: [node('worker-1')], pods: [podKeptOutByCordon()] })).toEqual([]);
    const daemon = podEverywhereRefused();
    daemon.metadata.ownerReferences = [
      { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'ds', controller: true },
    ];
    expect(run({ nodes: [cordonedNode()], pods: [daemon] })[0]!.severity).toBe('info');
  });
});
