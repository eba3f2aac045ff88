import { describe, expect, it } from 'vitest';
import type { KubeEvent, PersistentVolume, PersistentVolumeClaim } from '../../src/model/k8s.js';
import type { RawFinding } from '../../src/diagnose/types.js';
import { Snapshot, type SnapshotInput } from '../../src/store/snapshot.js';
import { runRules } from '../../src/diagnose/engine.js';
import { rule as pending } from '../scheduling/pending.js';
import { rule as pvcPending } from './pvc-pending.js';
import { rule } from './pv-released.js';
import { NOW, claimNoClass, persistentVolume, podOnNoClassClaim } from '../../test/fixtures/storage/load.js';

function run(input: SnapshotInput): RawFinding[] {
  return rule.diagnose({ snapshot: new Snapshot({ takenAt: NOW, ...input }), now: NOW });
}

const ago = (ms: number) => new Date(NOW - ms).toISOString();

/** pv-archive held claim samples/pvc-no-class (uid of the deleted claim) and was Released when it was deleted. */
function released(extra: Partial<PersistentVolume['spec']> = {}): PersistentVolume {
  const pv = persistentVolume(
    'pv-archive',
    {
      capacity: { storage: '2Gi' },
      claimRef: {
        kind: 'PersistentVolumeClaim',
        namespace: 'samples',
        name: 'pvc-no-class',
        uid: '0b7c1e7e-1d1f-4c55-9a3e-8b4a1f1f0d11',
        apiVersion: 'v1',
        resourceVersion: '81234',
      },
      ...extra,
    },
    'Released',
  );
  (pv.status as Record<string, unknown>)['lastPhaseTransitionTime'] = ago(3 * 3600_000);
  return pv;
}

/** The claim recreated under the old name, asking for the volume by name. */
function naming(): PersistentVolumeClaim {
  const pvc = claimNoClass();
  pvc.spec.volumeName = 'pv-archive';
  return pvc;
}

const bindingRefused = (pvc: PersistentVolumeClaim): KubeEvent => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'pvc-no-class.17e0a', namespace: 'samples', creationTimestamp: ago(60 * 60_000) },
  involvedObject: {
    kind: 'PersistentVolumeClaim',
    namespace: 'samples',
    name: pvc.metadata.name,
    uid: pvc.metadata.uid!,
    apiVersion: 'v1',
  },
  reason: 'FailedBinding',
  message: 'volume "pv-archive" already bound to a different claim.',
  source: { component: 'persistentvolume-controller' },
  firstTimestamp: ago(60 * 60_000),
  lastTimestamp: ago(10_000),
  count: 242,
  type: 'Warning',
});

describe('storage/pv-released — a claim wants a volume still reserved for a deleted claim', () => {
  it('a claim naming the volume: says why it cannot bind, explains the claim and its pod, plans the patch', () => {
    const pvc = naming();
    const pod = podOnNoClassClaim();
    const input: SnapshotInput = {
      pvcs: [pvc],
      pods: [pod],
      persistentVolumes: [released()],
      events: [bindingRefused(pvc)],
    };
    const [f, ...rest] = run(input);
    expect(rest).toEqual([]);
    expect(f!.id).toBe('storage/pv-released:/PersistentVolume/pv-archive');
    expect(f!.severity).toBe('critical');
    expect(f!.title).toBe(
      'PersistentVolume pv-archive is Released but still reserved for deleted claim samples/pvc-no-class: claim samples/pvc-no-class cannot bind it',
    );
    expect(f!.explanation).toContain("even has the old claim's name, but it is a new object with a new uid");
    expect(f!.explanation).toContain("It still holds the deleted claim's data (reclaimPolicy Retain)");
    expect(f!.evidence[0]).toMatchObject({
      reason: 'FailedBinding',
      text: 'volume "pv-archive" already bound to a different claim.',
      count: 242,
    });
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({
        path: 'spec.claimRef',
        text: 'samples/pvc-no-class (uid 0b7c1e7e-1d1f-4c55-9a3e-8b4a1f1f0d11)',
      }),
    );
    expect(f!.fixes).toEqual([
      expect.objectContaining({
        id: 'clear-claim-ref',
        mutates: true,
        commands: [
          `kubectl patch pv pv-archive -p '{"spec":{"claimRef":null}}'`,
          'kubectl get pvc pvc-no-class -n samples',
        ],
        steps: [
          expect.objectContaining({
            action: 'merge-patch',
            ref: { kind: 'PersistentVolume', name: 'pv-archive', apiVersion: 'v1' },
            patch: { spec: { claimRef: null } },
          }),
        ],
      }),
    ]);
    expect(f!.fixes[0]!.explanation).toContain('Warning: the volume still holds the data of deleted claim');

    // The chain: the volume explains the claim's finding, which explains the Pending pod.
    const { findings } = runRules([pending, pvcPending, rule], new Snapshot({ takenAt: NOW, ...input }));
    expect(findings.map((x) => x.ruleId).sort()).toEqual([
      'scheduling/pending',
      'storage/pv-released',
      'storage/pvc-pending',
    ]);
    const claimFinding = findings.find((x) => x.ruleId === 'storage/pvc-pending')!;
    expect(claimFinding.causedBy).toEqual([f!.id]);
    expect(claimFinding.title).toBe(
      'claim pvc-no-class asks for PersistentVolume pv-archive, which is reserved for another claim',
    );
    expect(claimFinding.explanation).toContain(
      '(samples/pvc-no-class, deleted: the volume is Released), so the volume controller refuses to bind them. The storage/pv-released finding of volume pv-archive has the fix',
    );
    const podFinding = findings.find((x) => x.ruleId === 'scheduling/pending')!;
    expect(podFinding.causedBy).toEqual([claimFinding.id]);
    expect(podFinding.explanation).toContain(
      'claim pvc-no-class is Pending and names PersistentVolume pv-archive (spec.volumeName) and is not bound to it',
    );
  });

  it('a claim that would match it: linked under the volume, above the claim’s own finding', () => {
    const pvc = claimNoClass();
    const input: SnapshotInput = { pvcs: [pvc], pods: [podOnNoClassClaim()], persistentVolumes: [released()] };
    const [f] = run(input);
    expect(f!.explanation).toContain('would match it (class, size, access modes)');
    const { findings } = runRules([pending, pvcPending, rule], new Snapshot({ takenAt: NOW, ...input }));
    const claimFinding = findings.find((x) => x.ruleId === 'storage/pvc-pending')!;
    expect(claimFinding.causedBy).toEqual(['storage/pv-released:/PersistentVolume/pv-archive']);
  });

  it('no warning about data when the volume would have been deleted anyway (reclaimPolicy Delete)', () => {
    const [f] = run({ pvcs: [naming()], persistentVolumes: [released({ persistentVolumeReclaimPolicy: 'Delete' })] });
    expect(f!.severity).toBe('warning');
    expect(f!.fixes[0]!.explanation).not.toContain('Warning');
  });
});

describe('storage/pv-released — a Released volume nobody wants', () => {
  it('Retain: kept on purpose, no finding', () => {
    expect(run({ persistentVolumes: [released()] })).toEqual([]);
  });

  it('Delete, Released for hours: the provisioner did not delete it', () => {
    const [f] = run({ persistentVolumes: [released({ persistentVolumeReclaimPolicy: 'Delete' })] });
    expect(f!.severity).toBe('warning');
    expect(f!.title).toBe(
      'PersistentVolume pv-archive is Released for 3 hours but was never deleted (reclaimPolicy Delete)',
    );
    expect(f!.fixes[0]).toMatchObject({ id: 'check-volume-deletion', mutates: false });
  });

  it('Delete, Released a minute ago: the provisioner is on it', () => {
    const pv = released({ persistentVolumeReclaimPolicy: 'Delete' });
    (pv.status as Record<string, unknown>)['lastPhaseTransitionTime'] = ago(60_000);
    expect(run({ persistentVolumes: [pv] })).toEqual([]);
  });
});

describe('storage/pv-released — healthy and unknowable', () => {
  it('a Bound volume, a Released volume whose claim is back (same uid), a claim younger than a minute', () => {
    const bound = released();
    bound.status = { phase: 'Bound' };
    expect(run({ pvcs: [naming()], persistentVolumes: [bound] })).toEqual([]);
    const back = naming();
    back.metadata.uid = '0b7c1e7e-1d1f-4c55-9a3e-8b4a1f1f0d11';
    expect(run({ pvcs: [back], persistentVolumes: [released()] })).toEqual([]);
    const young = naming();
    young.metadata.creationTimestamp = ago(10_000);
    expect(run({ pvcs: [young], persistentVolumes: [released()] })).toEqual([]);
  });

  it('a namespace-only user cannot list volumes: says nothing', () => {
    expect(run({ pvcs: [naming()], forbidden: ['persistentvolumes'] })).toEqual([]);
  });
});
