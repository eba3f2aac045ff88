// storage/pvc-pending: a PersistentVolumeClaim that nothing binds — its StorageClass does not
// exist, it has no class and the cluster has no default, or it waits for a hand-made volume
// that no PersistentVolume matches. Pods that mount it are Pending with the scheduler's
// `pod has unbound immediate PersistentVolumeClaims`; this finding explains them. A claim of
// a WaitForFirstConsumer class waits for its pod by design and is not a finding. A claim that
// names its volume (spec.volumeName) binds that one or none: a volume that does not exist, or
// one reserved for another claim (`volume "<pv>" already bound to a different claim.`, or a
// readable volume whose claimRef names another claim); when that volume is Released with a
// stale claimRef, storage/pv-released's finding is this one's cause. A user who
// may not list StorageClasses or PersistentVolumes gets what the claim's own events say.
import type { KubeEvent, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '../../src/model/k8s.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import type { Evidence, FixPlan, ObjectRef } from '../../src/diagnose/types.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { eventsEvidence, fieldEvidence, refOf } from '../../src/diagnose/evidence.js';
import { manualPlan, nsFlag } from '../../src/diagnose/plans.js';
import { nearestName } from '../../src/diagnose/nearest.js';
import { byName } from '../../src/diagnose/pod-facts.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';
import { durationWords } from '../../src/util/duration.js';
import { listNames } from '../scheduling/lib/cause.js';
import { pvMismatches } from './lib/pv-match.js';

/** The binder retries every 15 s; a claim younger than this is still being served. */
const NEW_CLAIM_MS = 60_000;

const MISSING_CLASS = /storageclass\.storage\.k8s\.io "([^"]*)" not found/;
const NO_CLASS_SET = /no persistent volumes available for this claim and no storage class is set/;
const ALREADY_BOUND = /^volume "([^"]*)" already bound to a different claim\.$/;
const DEFAULT_ANNOTATIONS = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class',
];

type Cause =
  | { kind: 'missing-class'; name: string; nearest?: string }
  | { kind: 'no-default-class' }
  | { kind: 'no-matching-pv'; storageClass: string; nearestPv?: { pv: PersistentVolume; why: string[] } }
  | { kind: 'provisioning-failed'; storageClass: string; message: string }
  | { kind: 'named-volume-missing'; volume: string }
  | { kind: 'volume-taken'; volume: string; holder?: string; released?: boolean };

interface ClaimCase extends Case {
  pvc: PersistentVolumeClaim;
  cause: Cause;
  events: KubeEvent[];
  /** Pods that mount the claim and are not running yet. */
  waiting: Pod[];
}

function className(pvc: PersistentVolumeClaim): string | undefined {
  const c = pvc.spec?.storageClassName;
  return typeof c === 'string' ? c : undefined;
}

function newest(events: readonly KubeEvent[], reason: string): KubeEvent | undefined {
  return [...events].reverse().find((e) => e.reason === reason);
}

function waitingPods(snapshot: Snapshot, pvc: PersistentVolumeClaim): Pod[] {
  return byName(
    snapshot
      .podsUsingClaim(pvc.metadata.namespace ?? '', pvc.metadata.name)
      .filter((p) => !p.spec?.nodeName && (p.status?.phase ?? 'Pending') === 'Pending'),
  );
}

/** Why the claim is not bound, from the classes and volumes when readable, else from its own events. */
function causeOf(snapshot: Snapshot, pvc: PersistentVolumeClaim, events: KubeEvent[]): Cause | undefined {
  const classesReadable = !snapshot.forbidden.has('storageclasses');
  const pvsReadable = !snapshot.forbidden.has('persistentvolumes');
  const failed = newest(events, 'ProvisioningFailed');
  const wanted = className(pvc);
  const named = pvc.spec?.volumeName;
  if (named) {
    const pv = pvsReadable ? snapshot.get<PersistentVolume>('PersistentVolume', undefined, named) : undefined;
    const ref = pv?.spec.claimRef;
    if (pv && ref?.name) {
      const mine = ref.namespace === pvc.metadata.namespace && ref.name === pvc.metadata.name;
      if (mine && (!ref.uid || ref.uid === pvc.metadata.uid)) return undefined; // the binder completes it
      return {
        kind: 'volume-taken',
        volume: named,
        holder: `${ref.namespace ?? ''}/${ref.name}`,
        released: pv.status?.phase === 'Released',
      };
    }
    const taken = ALREADY_BOUND.exec(newest(events, 'FailedBinding')?.message ?? '');
    if (taken) return { kind: 'volume-taken', volume: taken[1]! };
    if (pvsReadable && !pv) return { kind: 'named-volume-missing', volume: named };
    return undefined;
  }

  if (wanted === undefined) {
    if (classesReadable) return snapshot.defaultStorageClass() ? undefined : { kind: 'no-default-class' };
    return newest(events, 'FailedBinding')?.message?.match(NO_CLASS_SET) ? { kind: 'no-default-class' } : undefined;
  }
  if (wanted === '') {
    if (pvsReadable) return noMatchingPv(snapshot, pvc, '');
    return newest(events, 'FailedBinding') ? { kind: 'no-matching-pv', storageClass: '' } : undefined;
  }

  const cls = snapshot.get<StorageClass>('StorageClass', undefined, wanted);
  if (classesReadable && !cls) {
    const cause: Cause = { kind: 'missing-class', name: wanted };
    const nearest = nearestName(
      wanted,
      byName(snapshot.storageClasses).map((c) => c.metadata.name),
    );
    if (nearest) cause.nearest = nearest;
    return cause;
  }
  if (!classesReadable) {
    const missing = failed?.message ? MISSING_CLASS.exec(failed.message) : null;
    if (missing) return { kind: 'missing-class', name: missing[1]! };
  }
  // A claim of a WaitForFirstConsumer class is bound when its first pod is scheduled: waiting is normal.
  if (cls?.volumeBindingMode === 'WaitForFirstConsumer' && !failed) return undefined;
  if (failed?.message) return { kind: 'provisioning-failed', storageClass: wanted, message: failed.message };
  if (cls?.provisioner === 'kubernetes.io/no-provisioner' && pvsReadable) return noMatchingPv(snapshot, pvc, wanted);
  return undefined;
}

function noMatchingPv(snapshot: Snapshot, pvc: PersistentVolumeClaim, storageClass: string): Cause | undefined {
  const candidates = byName(snapshot.persistentVolumes).filter(
    (pv) => (pv.status?.phase ?? 'Available') === 'Available' && !pv.spec.claimRef,
  );
  let nearestPv: { pv: PersistentVolume; why: string[] } | undefined;
  for (const pv of candidates) {
    const why = pvMismatches(pv, pvc, storageClass);
    if (why.length === 0) return undefined; // the binder will take it on its next pass
    if (!nearestPv || why.length < nearestPv.why.length) nearestPv = { pv, why };
  }
  const cause: Cause = { kind: 'no-matching-pv', storageClass };
  if (nearestPv) cause.nearestPv = nearestPv;
  return cause;
}

function* classify({ snapshot, now }: { snapshot: Snapshot; now: number }): Iterable<ClaimCase> {
  for (const pvc of snapshot.pvcs) {
    if (pvc.metadata.deletionTimestamp || (pvc.status?.phase ?? 'Pending') !== 'Pending') continue;
    const created = Date.parse(pvc.metadata.creationTimestamp ?? '');
    if (!Number.isNaN(created) && now - created < NEW_CLAIM_MS) continue;
    const events = snapshot.eventsFor('PersistentVolumeClaim', pvc.metadata.namespace, pvc.metadata.name);
    const cause = causeOf(snapshot, pvc, events);
    if (!cause) continue;
    yield { subject: refOf(pvc, 'PersistentVolumeClaim'), pvc, cause, events, waiting: waitingPods(snapshot, pvc) };
  }
}

function claimWords(c: ClaimCase, now: number): string {
  const created = Date.parse(c.pvc.metadata.creationTimestamp ?? '');
  const since = Number.isNaN(created) ? '' : ` for ${durationWords(now - created)}`;
  const pods = c.waiting.map((p) => p.metadata.name);
  const who =
    pods.length === 0
      ? 'No pod uses it yet.'
      : `${pods.length === 1 ? `Pod ${pods[0]} mounts it and is` : `${pods.length} pods mount it (${listNames(pods, 4)}) and are`} Pending until it is bound: the scheduler says "pod has unbound immediate PersistentVolumeClaims".`;
  return `Claim ${c.pvc.metadata.name} has been Pending${since}. ${who}`;
}

function classesNote(snapshot: Snapshot): string {
  const names = byName(snapshot.storageClasses).map((c) => c.metadata.name);
  return names.length > 0
    ? `The cluster's classes: ${listNames(names, 6)}.`
    : 'The cluster has no StorageClass at all.';
}

function explain(group: CaseGroup<ClaimCase>, { snapshot, now }: { snapshot: Snapshot; now: number }): Explained {
  const c = group.lead;
  const { pvc, cause } = c;
  const evidence: Evidence[] = [];
  const classField = fieldEvidence(pvc, 'spec.storageClassName', className(pvc) ?? '(not set)', 'spec');
  let title: string;
  let why: string;
  let groupKey: string | undefined;
  switch (cause.kind) {
    case 'missing-class': {
      title = `claim ${pvc.metadata.name} asks for StorageClass "${cause.name}", which does not exist${cause.nearest ? ` (did you mean "${cause.nearest}"?)` : ''}`;
      const known = snapshot.forbidden.has('storageclasses')
        ? 'kcockpit may not list StorageClasses, so it cannot say which classes do exist; the volume controller reported this one missing.'
        : classesNote(snapshot);
      why = `No StorageClass is named "${cause.name}", so no provisioner will ever create its volume. ${known}${cause.nearest ? ` "${cause.nearest}" is the closest name: probably what was meant.` : ''} A claim's class cannot be changed: recreate the claim with a class that exists (for a StatefulSet, fix its volumeClaimTemplates and delete the Pending claim so the controller makes a new one).`;
      groupKey = `storage/missing-class:${cause.name}`;
      evidence.push(
        ...eventsEvidence(
          c.events.filter((e) => e.reason === 'ProvisioningFailed'),
          1,
        ),
        classField,
      );
      break;
    }
    case 'no-default-class':
      // Whether a default exists is the cluster's to say; a viewer who cannot list classes knows only the controller's word.
      title = snapshot.forbidden.has('storageclasses')
        ? `claim ${pvc.metadata.name} names no StorageClass and got no default class`
        : `claim ${pvc.metadata.name} names no StorageClass and the cluster has no default`;
      why = snapshot.forbidden.has('storageclasses')
        ? 'It sets no storageClassName, and the volume controller reports no volume and no class for it ("no storage class is set"). kcockpit may not list StorageClasses to say whether a default exists. Ask an admin to mark one class as the default, or set storageClassName on the claim.'
        : `It sets no storageClassName, so it needs the default class — and no StorageClass is marked default (annotation storageclass.kubernetes.io/is-default-class: "true"). ${classesNote(snapshot)} Mark one as the default (since Kubernetes 1.28 a waiting claim then gets it by itself), or recreate the claim with a class.`;
      groupKey = 'storage/no-default-class';
      evidence.push(
        ...eventsEvidence(
          c.events.filter((e) => e.reason === 'FailedBinding'),
          1,
        ),
        classField,
      );
      break;
    case 'no-matching-pv': {
      const near = cause.nearestPv;
      title = `claim ${pvc.metadata.name} waits for a PersistentVolume and none matches`;
      why = `Its class ${cause.storageClass === '' ? '("" — no class)' : `"${cause.storageClass}" has no provisioner, so it`} binds only volumes created by hand, and no available PersistentVolume matches its size, access modes, class and selector.${near ? ` The closest, ${near.pv.metadata.name}, fails on: ${near.why.join('; ')}.` : snapshot.forbidden.has('persistentvolumes') ? ' kcockpit may not list PersistentVolumes, so it cannot say which comes closest; the volume controller reports none available.' : ' There is no available PersistentVolume at all.'} Create a PersistentVolume that fits, or change the claim.`;
      evidence.push(
        ...eventsEvidence(
          c.events.filter((e) => e.reason === 'FailedBinding'),
          1,
        ),
        classField,
        fieldEvidence(pvc, 'spec.resources.requests.storage', pvc.spec?.resources?.requests?.['storage'] ?? '', 'spec'),
        fieldEvidence(pvc, 'spec.accessModes', (pvc.spec?.accessModes ?? []).join(', '), 'spec'),
      );
      if (near) evidence.push(fieldEvidence(near.pv, 'status.phase', near.pv.status?.phase ?? 'Available'));
      break;
    }
    case 'named-volume-missing':
      title = `claim ${pvc.metadata.name} asks for PersistentVolume ${cause.volume}, which does not exist`;
      why = `It names its volume (spec.volumeName: ${cause.volume}), so it binds that one or none, and no PersistentVolume has that name; the volume controller waits without a word. Create the volume, or recreate the claim without volumeName.`;
      evidence.push(fieldEvidence(pvc, 'spec.volumeName', cause.volume, 'spec'));
      break;
    case 'volume-taken':
      title = `claim ${pvc.metadata.name} asks for PersistentVolume ${cause.volume}, which is reserved for another claim`;
      why = `It names its volume (spec.volumeName: ${cause.volume}), and the volume's claimRef names a different claim${cause.holder ? ` (${cause.holder}${cause.released ? ', deleted: the volume is Released' : ''})` : ''}, so the volume controller refuses to bind them. ${
        cause.released
          ? `The storage/pv-released finding of volume ${cause.volume} has the fix: clearing its claimRef.`
          : `${snapshot.forbidden.has('persistentvolumes') ? 'kcockpit may not read PersistentVolumes to say which claim; if' : 'If'} that claim was deleted (the volume is Released), clearing the volume's claimRef frees it: kubectl patch pv ${cause.volume} -p '{"spec":{"claimRef":null}}' — cluster-scoped, so usually an admin's job. If another claim still uses it, this claim needs a volume of its own.`
      }`;
      evidence.push(
        ...eventsEvidence(
          c.events.filter((e) => e.reason === 'FailedBinding'),
          1,
        ),
        fieldEvidence(pvc, 'spec.volumeName', cause.volume, 'spec'),
      );
      break;
    case 'provisioning-failed':
      title = `the provisioner of class "${cause.storageClass}" fails to create claim ${pvc.metadata.name}'s volume`;
      why = `The provisioner reports an error each time it tries: "${cause.message}". The message names the cause (a quota at the cloud provider, a bad parameter in the class, missing credentials); fix that and the next retry binds the claim.`;
      groupKey = `storage/provisioning-failed:${cause.storageClass}`;
      evidence.push(
        ...eventsEvidence(
          c.events.filter((e) => e.reason === 'ProvisioningFailed'),
          2,
        ),
        classField,
      );
      break;
  }
  const explained: Explained = {
    severity: c.waiting.length > 0 ? 'critical' : 'warning',
    title,
    explanation: `${claimWords(c, now)} ${why}`,
    evidence,
  };
  if (groupKey) explained.groupKey = groupKey;
  if (c.waiting.length > 0) {
    explained.explains = c.waiting.map((p): ObjectRef => refOf(p, 'Pod'));
    explained.explainsOnly = [RULE_IDS.pending];
  }
  return explained;
}

function plans(group: CaseGroup<ClaimCase>, { snapshot }: { snapshot: Snapshot }): FixPlan[] {
  const { pvc, cause } = group.lead;
  const name = pvc.metadata.name;
  const ns = nsFlag(pvc.metadata.namespace);
  const recreate = (cls: string): string[] => [
    `kubectl get pvc ${name}${ns} -o yaml > ${name}.yaml`,
    `# in ${name}.yaml set spec.storageClassName: ${cls} and remove status, metadata.uid and metadata.resourceVersion`,
    `kubectl delete pvc ${name}${ns}`,
    `kubectl apply -f ${name}.yaml`,
  ];
  switch (cause.kind) {
    case 'missing-class': {
      const target = cause.nearest ?? '<existing-class>';
      return [
        manualPlan({
          id: 'recreate-claim-with-class',
          title: cause.nearest
            ? `Recreate the claim with class "${cause.nearest}"`
            : 'Recreate the claim with a class that exists',
          explanation: `storageClassName cannot be changed on an existing claim. Recreate ${name} with ${cause.nearest ? `"${cause.nearest}", the existing class closest to "${cause.name}"` : 'one of `kubectl get storageclass`'}. A Pending claim holds no data, so deleting it loses nothing.`,
          commands: ['kubectl get storageclass', ...recreate(target)],
        }),
      ];
    }
    case 'no-default-class': {
      const only = snapshot.storageClasses.length === 1 ? snapshot.storageClasses[0]!.metadata.name : undefined;
      const patch = { metadata: { annotations: { [DEFAULT_ANNOTATIONS[0]!]: 'true' } } };
      const command = `kubectl patch storageclass ${only ?? '<name>'} -p '${JSON.stringify(patch)}'`;
      if (only)
        return [
          {
            id: 'mark-default-class',
            title: `Make StorageClass ${only} the default`,
            explanation: `${only} is the cluster's only class: marking it default lets claims without a class use it. Since Kubernetes 1.28 the waiting claim picks it up by itself; on older clusters recreate the claim.`,
            commands: [command],
            steps: [
              {
                action: 'merge-patch',
                ref: { kind: 'StorageClass', name: only },
                patch,
                description: `Annotate StorageClass ${only} as the default class`,
              },
            ],
            mutates: true,
          },
        ];
      return [
        manualPlan({
          id: 'mark-default-class',
          title: 'Make one StorageClass the default, or give the claim a class',
          explanation: `Pick the class claims without one should get and annotate it as the default; or recreate ${name} with storageClassName set.`,
          commands: ['kubectl get storageclass', command],
        }),
      ];
    }
    case 'no-matching-pv':
      return [
        manualPlan({
          id: 'create-matching-pv',
          title: 'Create a PersistentVolume the claim can bind',
          explanation: `Create a PersistentVolume with class "${cause.storageClass}", at least ${pvc.spec?.resources?.requests?.['storage'] ?? 'the requested size'}, access modes ${(pvc.spec?.accessModes ?? []).join(', ') || 'as requested'}${pvc.spec?.selector ? ' and the labels the claim selects' : ''}; or use a class with a provisioner.`,
          commands: ['kubectl get pv', `kubectl describe pvc ${name}${ns}`],
        }),
      ];
    case 'named-volume-missing':
      return [
        manualPlan({
          id: 'create-named-volume',
          title: `Create PersistentVolume ${cause.volume}, or let the claim bind any volume`,
          explanation: `A claim's volumeName cannot be changed once set: create the volume it names, or recreate the claim without spec.volumeName.`,
          commands: ['kubectl get pv', `kubectl get pvc ${name}${ns} -o yaml`],
        }),
      ];
    case 'volume-taken':
      return [
        manualPlan({
          id: 'free-named-volume',
          title: `Find out which claim holds ${cause.volume}`,
          explanation: `Only clear the claimRef if the claim it names is gone: a volume still in use must not be handed to a second claim.`,
          commands: [
            `kubectl get pv ${cause.volume} -o jsonpath='{.status.phase} {.spec.claimRef.namespace}/{.spec.claimRef.name}{"\n"}'`,
            `kubectl patch pv ${cause.volume} -p '{"spec":{"claimRef":null}}'`,
          ],
        }),
      ];
    case 'provisioning-failed':
      return [
        manualPlan({
          id: 'check-provisioner',
          title: `Fix what the provisioner of "${cause.storageClass}" reports`,
          explanation: `The provisioner's error names the cause; check the class's parameters and the provisioner's logs.`,
          commands: [`kubectl describe pvc ${name}${ns}`, `kubectl get storageclass ${cause.storageClass} -o yaml`],
        }),
      ];
  }
}

export const rule = defineRule<ClaimCase>({
  id: RULE_IDS.pvcPending,
  title: 'PersistentVolumeClaims that nothing binds',
  classify,
  explain,
  plans,
});
