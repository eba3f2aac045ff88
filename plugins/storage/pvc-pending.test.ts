import { describe, expect, it } from 'vitest';
import type { PersistentVolume, StorageClass } from '../../src/model/k8s.js';
import type { RawFinding } from '../../src/diagnose/types.js';
import { Snapshot, type SnapshotInput } from '../../src/store/snapshot.js';
import { runRules } from '../../src/diagnose/engine.js';
import { rule as pending } from '../scheduling/pending.js';
import { rule } from './pvc-pending.js';
import {
  NOW,
  claimEvents,
  claimMissingClass,
  claimNoClass,
  persistentVolume,
  podOnNoClassClaim,
  schedulingEvents,
  storageClass,
} from '../../test/fixtures/storage/load.js';

function run(input: SnapshotInput): RawFinding[] {
  return rule.diagnose({ snapshot: new Snapshot({ takenAt: NOW, ...input }), now: NOW });
}

const standard = (extra: Partial<StorageClass> = {}) => storageClass('standard', extra);
const NAMESPACE_ONLY = ['storageclasses', 'persistentvolumes', 'nodes'];

describe('storage/pvc-pending — the class does not exist', () => {
  it('says so, quotes the volume controller, and groups claims of the same missing class', () => {
    const [f, ...rest] = run({ pvcs: [claimMissingClass()], storageClasses: [standard()], events: claimEvents() });
    expect(rest).toHaveLength(0);
    expect(f!.id).toBe('storage/pvc-pending:samples/PersistentVolumeClaim/pvc-missing-class');
    expect(f!.title).toBe('claim pvc-missing-class asks for StorageClass "samples-nope", which does not exist');
    expect(f!.severity).toBe('warning');
    expect(f!.groupKey).toBe('storage/missing-class:samples-nope');
    expect(f!.explanation).toContain("The cluster's classes: standard.");
    expect(f!.evidence[0]).toMatchObject({
      source: 'event',
      reason: 'ProvisioningFailed',
      text: 'storageclass.storage.k8s.io "samples-nope" not found',
      count: 3,
    });
  });

  it('names the existing class closest to a misspelt one, in the title and the plan', () => {
    const pvc = claimMissingClass();
    pvc.spec.storageClassName = 'fast-sdd';
    const [f] = run({ pvcs: [pvc], storageClasses: [standard(), storageClass('fast-ssd')] });
    expect(f!.title).toContain('(did you mean "fast-ssd"?)');
    expect(f!.fixes[0]!.title).toBe('Recreate the claim with class "fast-ssd"');
    expect(f!.fixes[0]!.commands).toContain(
      '# in pvc-missing-class.yaml set spec.storageClassName: fast-ssd and remove status, metadata.uid and metadata.resourceVersion',
    );
  });

  it('as a namespace-only user, reads the missing class from the claim event and says it could not list classes', () => {
    const [f] = run({ pvcs: [claimMissingClass()], events: claimEvents(), forbidden: NAMESPACE_ONLY });
    expect(f!.title).toContain('"samples-nope", which does not exist');
    expect(f!.explanation).toContain('kcockpit may not list StorageClasses');
  });
});

describe('storage/pvc-pending — no class and no default', () => {
  const noClassAtAll = () => {
    const pvc = claimNoClass();
    delete pvc.spec.storageClassName;
    return pvc;
  };

  it('offers to mark the only class default with a merge-patch', () => {
    const [f] = run({ pvcs: [noClassAtAll()], storageClasses: [standard()] });
    expect(f!.title).toBe('claim pvc-no-class names no StorageClass and the cluster has no default');
    expect(f!.groupKey).toBe('storage/no-default-class');
    expect(f!.fixes[0]).toMatchObject({
      mutates: true,
      commands: [
        `kubectl patch storageclass standard -p '{"metadata":{"annotations":{"storageclass.kubernetes.io/is-default-class":"true"}}}'`,
      ],
      steps: [
        {
          action: 'merge-patch',
          ref: { kind: 'StorageClass', name: 'standard' },
          patch: { metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } },
        },
      ],
    });
  });

  it('as a namespace-only user, does not claim to know the cluster has no default class', () => {
    const [f] = run({ pvcs: [noClassAtAll()], events: claimEvents(), forbidden: NAMESPACE_ONLY });
    expect(f!.title).toBe('claim pvc-no-class names no StorageClass and got no default class');
    expect(f!.explanation).toContain('kcockpit may not list StorageClasses');
  });

  it('is quiet when a default class exists (the claim is being provisioned)', () => {
    const def = standard();
    def.metadata.annotations = { 'storageclass.kubernetes.io/is-default-class': 'true' };
    expect(run({ pvcs: [noClassAtAll()], storageClasses: [def] })).toEqual([]);
  });
});

describe('storage/pvc-pending — waiting for a hand-made volume', () => {
  const small = (): PersistentVolume => persistentVolume('pv-small', { capacity: { storage: '500Mi' } });

  it('says why the nearest volume does not fit, and explains the Pending pod', () => {
    const input: SnapshotInput = {
      pvcs: [claimNoClass()],
      pods: [podOnNoClassClaim()],
      persistentVolumes: [
        small(),
        persistentVolume('pv-rwx', { accessModes: ['ReadWriteMany'], capacity: { storage: '100Mi' } }),
      ],
      events: [...claimEvents(), ...schedulingEvents()],
    };
    const [f] = run(input);
    expect(f!.severity).toBe('critical');
    expect(f!.explanation).toContain('Pod pvc-user-noclass mounts it and is Pending until it is bound');
    expect(f!.explanation).toContain('The closest, pv-small, fails on: it holds 500Mi, the claim asks for 1Gi.');
    expect(f!.evidence[0]).toMatchObject({
      reason: 'FailedBinding',
      text: 'no persistent volumes available for this claim and no storage class is set',
    });

    const { findings } = runRules([pending, rule], new Snapshot({ takenAt: NOW, ...input }));
    const podFinding = findings.find((x) => x.ruleId === 'scheduling/pending')!;
    expect(podFinding.causedBy).toEqual(['storage/pvc-pending:samples/PersistentVolumeClaim/pvc-no-class']);
  });

  it('is quiet when an available volume fits (the binder takes it on its next pass)', () => {
    expect(run({ pvcs: [claimNoClass()], persistentVolumes: [persistentVolume('pv-fits', {})] })).toEqual([]);
  });

  it('as a namespace-only user, still reports the claim from its FailedBinding event', () => {
    const [f] = run({ pvcs: [claimNoClass()], events: claimEvents(), forbidden: NAMESPACE_ONLY });
    expect(f!.explanation).toContain('kcockpit may not list PersistentVolumes');
  });
});

describe('storage/pvc-pending — healthy and normal claims give nothing', () => {
  it('a bound claim, a claim younger than a minute, a WaitForFirstConsumer claim without a pod', () => {
    const bound = claimMissingClass();
    bound.status = { phase: 'Bound' };
    const young = claimMissingClass();
    young.metadata.creationTimestamp = new Date(NOW - 20_000).toISOString();
    const wffc = claimMissingClass();
    wffc.spec.storageClassName = 'local';
    const local = storageClass('local', { volumeBindingMode: 'WaitForFirstConsumer' });
    for (const pvc of [bound, young, wffc])
      expect(run({ pvcs: [pvc], storageClasses: [standard(), local] })).toEqual([]);
  });
});

describe('storage/pvc-pending — a claim that names its volume', () => {
  const naming = () => {
    const pvc = claimNoClass();
    pvc.spec.volumeName = 'pv-archive';
    return pvc;
  };
  const refused = (pvc: ReturnType<typeof claimNoClass>) => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'pvc-no-class.17e0a', namespace: 'samples' },
    involvedObject: {
      kind: 'PersistentVolumeClaim',
      namespace: 'samples',
      name: pvc.metadata.name,
      uid: pvc.metadata.uid!,
    },
    reason: 'FailedBinding',
    message: 'volume "pv-archive" already bound to a different claim.',
    source: { component: 'persistentvolume-controller' },
    lastTimestamp: new Date(NOW - 10_000).toISOString(),
    count: 12,
    type: 'Warning',
  });

  it('as a namespace-only user, reads the refusal from the claim’s event and explains its pod', () => {
    const pvc = naming();
    const input: SnapshotInput = {
      pvcs: [pvc],
      pods: [podOnNoClassClaim()],
      events: [refused(pvc)],
      forbidden: NAMESPACE_ONLY,
    };
    const [f] = run(input);
    expect(f!.title).toBe(
      'claim pvc-no-class asks for PersistentVolume pv-archive, which is reserved for another claim',
    );
    expect(f!.explanation).toContain('kcockpit may not read PersistentVolumes to say which claim');
    expect(f!.evidence[0]).toMatchObject({ reason: 'FailedBinding', count: 12 });
    expect(f!.fixes[0]).toMatchObject({ id: 'free-named-volume', mutates: false });
    const { findings } = runRules([pending, rule], new Snapshot({ takenAt: NOW, ...input }));
    expect(findings.find((x) => x.ruleId === 'scheduling/pending')!.causedBy).toEqual([f!.id]);
  });

  it('a volume that does not exist: the controller says nothing, the finding does', () => {
    const [f] = run({ pvcs: [naming()], persistentVolumes: [] });
    expect(f!.title).toBe('claim pvc-no-class asks for PersistentVolume pv-archive, which does not exist');
  });

  it('reads a volume reserved for another claim from the volume itself, and is quiet while the named volume can bind', () => {
    const reserved = persistentVolume(
      'pv-archive',
      { claimRef: { namespace: 'samples', name: 'pvc-other', uid: 'other' } },
      'Bound',
    );
    const [f] = run({ pvcs: [naming()], persistentVolumes: [reserved] });
    expect(f!.explanation).toContain('names a different claim (samples/pvc-other), so the volume controller refuses');
    expect(run({ pvcs: [naming()], persistentVolumes: [persistentVolume('pv-archive', {})] })).toEqual([]);
    const mine = persistentVolume('pv-archive', { claimRef: { namespace: 'samples', name: 'pvc-no-class' } }, 'Bound');
    expect(run({ pvcs: [naming()], persistentVolumes: [mine] })).toEqual([]);
  });
});
