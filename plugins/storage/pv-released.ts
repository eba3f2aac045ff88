// storage/pv-released: a PersistentVolume in phase Released — the claim it was bound to is
// deleted, but its claimRef still names that claim (and its uid) — that a claim wants now.
// The binder gives a volume with a claimRef only to that exact claim, so a new claim stays
// Pending forever: one that names the volume (spec.volumeName, typical after restoring a
// namespace or recreating a StatefulSet's claim) gets `volume "<pv>" already bound to a
// different claim.`; one that would match it otherwise gets nothing that says why. The fix is
// clearing the claimRef (the volume becomes Available and the controller binds it).
//
// What is not a fault: a Released volume with reclaimPolicy Retain that no claim wants. Keeping
// the data of a deleted claim until an admin decides is what Retain is for (k8sgpt flags every
// Released volume; kcockpit stays quiet). A Released volume with reclaimPolicy Delete that no
// claim wants is reported (warning) once it has been Released for 15 minutes: its provisioner
// should have deleted it within seconds, so the storage behind it leaks (VolumeFailedDelete
// events say why). Claims younger than a minute are left to the binder.
import type { KubeEvent, PersistentVolume, PersistentVolumeClaim, Pod } from '../../src/model/k8s.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import type { Evidence, FixPlan, ObjectRef, RuleContext } from '../../src/diagnose/types.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { eventsEvidence, fieldEvidence, refOf } from '../../src/diagnose/evidence.js';
import { manualPlan, nsFlag } from '../../src/diagnose/plans.js';
import { byName, podRef } from '../../src/diagnose/pod-facts.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';
import { durationWords } from '../../src/util/duration.js';
import { listNames } from '../scheduling/lib/cause.js';
import { pvMismatches } from './lib/pv-match.js';

const NEW_CLAIM_MS = 60_000;
const DELETE_GRACE_MS = 15 * 60_000;
const CLEAR_CLAIM_REF = { spec: { claimRef: null } };

interface Wanting {
  pvc: PersistentVolumeClaim;
  /** The claim names the volume in spec.volumeName; otherwise it would match it. */
  named: boolean;
  events: KubeEvent[];
  pods: Pod[];
}

interface ReleasedCase extends Case {
  pv: PersistentVolume;
  claimRef: NonNullable<PersistentVolume['spec']['claimRef']>;
  wanting: Wanting[];
  /** How long it has been Released, when the volume says (status.lastPhaseTransitionTime). */
  releasedForMs: number | undefined;
  pvEvents: KubeEvent[];
}

const refName = (r: ReleasedCase['claimRef']): string => `${r.namespace ?? ''}/${r.name ?? ''}`;

/** The claim the claimRef names no longer exists (or is a new claim of the same name). */
function claimGone(snapshot: Snapshot, pv: PersistentVolume): boolean {
  const ref = pv.spec.claimRef;
  if (!ref?.name) return false;
  const claim = snapshot.get<PersistentVolumeClaim>('PersistentVolumeClaim', ref.namespace, ref.name);
  return !claim || (!!ref.uid && !!claim.metadata.uid && claim.metadata.uid !== ref.uid);
}

function wantingClaims(snapshot: Snapshot, pv: PersistentVolume, now: number): Wanting[] {
  const out: Wanting[] = [];
  for (const pvc of byName(snapshot.pvcs)) {
    if (pvc.metadata.deletionTimestamp || (pvc.status?.phase ?? 'Pending') !== 'Pending') continue;
    const created = Date.parse(pvc.metadata.creationTimestamp ?? '');
    if (!Number.isNaN(created) && now - created < NEW_CLAIM_MS) continue;
    const named = pvc.spec?.volumeName === pv.metadata.name;
    if (!named && (pvc.spec?.volumeName || pvMismatches(pv, pvc, pvc.spec?.storageClassName ?? '').length > 0))
      continue;
    const ns = pvc.metadata.namespace ?? '';
    out.push({
      pvc,
      named,
      // Events of an earlier claim of the same name are not this one's.
      events: snapshot
        .eventsFor('PersistentVolumeClaim', ns, pvc.metadata.name)
        .filter((e) => !e.involvedObject.uid || !pvc.metadata.uid || e.involvedObject.uid === pvc.metadata.uid),
      pods: byName(
        snapshot.podsUsingClaim(ns, pvc.metadata.name).filter((p) => (p.status?.phase ?? 'Pending') === 'Pending'),
      ),
    });
  }
  // A claim that names the volume is the one it is meant for; others only could use it.
  const named = out.filter((w) => w.named);
  return named.length ? named : out;
}

function* classify({ snapshot, now }: RuleContext): Iterable<ReleasedCase> {
  if (snapshot.forbidden.has('persistentvolumes')) return;
  for (const pv of byName(snapshot.persistentVolumes)) {
    if (pv.status?.phase !== 'Released' || !pv.spec.claimRef || !claimGone(snapshot, pv)) continue;
    const wanting = wantingClaims(snapshot, pv, now);
    const since = Date.parse((pv.status as { lastPhaseTransitionTime?: string }).lastPhaseTransitionTime ?? '');
    const releasedForMs = Number.isNaN(since) ? undefined : now - since;
    const pvEvents = snapshot.eventsFor('PersistentVolume', undefined, pv.metadata.name);
    if (wanting.length === 0) {
      // Retain keeps a released volume on purpose; only a Delete volume left behind is a fault.
      if ((pv.spec.persistentVolumeReclaimPolicy ?? 'Retain') !== 'Delete') continue;
      const failedDelete = pvEvents.some((e) => e.reason === 'VolumeFailedDelete');
      if (!failedDelete && (releasedForMs === undefined || releasedForMs < DELETE_GRACE_MS)) continue;
    }
    yield {
      subject: { kind: 'PersistentVolume', name: pv.metadata.name },
      objects: wanting.flatMap((w) => [refOf(w.pvc, 'PersistentVolumeClaim'), ...w.pods.map(podRef)]),
      pv,
      claimRef: pv.spec.claimRef,
      wanting,
      releasedForMs,
      pvEvents,
    };
  }
}

function explain({ lead: c }: CaseGroup<ReleasedCase>): Explained {
  const pv = c.pv.metadata.name;
  const policy = c.pv.spec.persistentVolumeReclaimPolicy ?? 'Retain';
  const since = c.releasedForMs !== undefined ? ` for ${durationWords(c.releasedForMs)}` : '';
  const evidence: Evidence[] = [
    fieldEvidence(c.pv, 'status.phase', 'Released'),
    fieldEvidence(
      c.pv,
      'spec.claimRef',
      `${refName(c.claimRef)}${c.claimRef.uid ? ` (uid ${c.claimRef.uid})` : ''}`,
      'spec',
    ),
    fieldEvidence(c.pv, 'spec.persistentVolumeReclaimPolicy', policy, 'spec'),
  ];
  if (c.wanting.length === 0) {
    evidence.unshift(
      ...eventsEvidence(
        c.pvEvents.filter((e) => e.reason === 'VolumeFailedDelete'),
        2,
      ),
    );
    return {
      severity: 'warning',
      title: `PersistentVolume ${pv} is Released${since} but was never deleted (reclaimPolicy Delete)`,
      explanation: `Claim ${refName(c.claimRef)} was deleted, and with reclaimPolicy Delete its provisioner should have deleted the volume and the storage behind it within seconds. It has not, so the storage is still there and still billed. The provisioner's VolumeFailedDelete events, or its logs, say why (credentials, a disk still attached somewhere).`,
      evidence,
    };
  }
  const claims = c.wanting.map((w) => `${w.pvc.metadata.namespace}/${w.pvc.metadata.name}`);
  const named = c.wanting.some((w) => w.named);
  const pods = c.wanting.flatMap((w) => w.pods);
  const sameName = c.wanting.some(
    (w) => w.pvc.metadata.name === c.claimRef.name && w.pvc.metadata.namespace === c.claimRef.namespace,
  );
  const who = `claim ${listNames(claims, 3)}`;
  const how = named
    ? `${who} names it (spec.volumeName)${sameName ? " and even has the old claim's name, but it is a new object with a new uid" : ''}, and the volume controller refuses it (volume "${pv}" already bound to a different claim.)`
    : `${who} would match it (class, size, access modes), but the binder skips a volume whose claimRef names another claim`;
  evidence.unshift(
    ...c.wanting.flatMap((w) =>
      eventsEvidence(
        w.events.filter((e) => e.reason === 'FailedBinding'),
        1,
      ),
    ),
  );
  for (const w of c.wanting) if (w.named) evidence.push(fieldEvidence(w.pvc, 'spec.volumeName', pv, 'spec'));
  const data =
    policy === 'Retain'
      ? ` It still holds the deleted claim's data (reclaimPolicy Retain), and the new claim gets it as it is — usually why the volume is reused; if that data must not be handed over, wipe it or create a new volume instead.`
      : '';
  const explained: Explained = {
    severity: pods.length > 0 ? 'critical' : 'warning',
    title: `PersistentVolume ${pv} is Released but still reserved for deleted claim ${refName(c.claimRef)}: ${who} cannot bind it`,
    explanation: `Claim ${refName(c.claimRef)} was deleted; the volume became Released${since} and its claimRef still names that claim${c.claimRef.uid ? ` (uid ${c.claimRef.uid})` : ''}. ${how[0]!.toUpperCase()}${how.slice(1)}. So it stays Pending${pods.length ? `, and ${pods.length === 1 ? `pod ${pods[0]!.metadata.name} waits` : `${pods.length} pods wait`} for it` : ''}. Clearing the volume's claimRef makes it Available, and the controller binds it to the waiting claim.${data}`,
    evidence,
    // The claims' own findings explain their pods: volume → claim → pod.
    explains: c.wanting.map((w): ObjectRef => refOf(w.pvc, 'PersistentVolumeClaim')),
    explainsOnly: [RULE_IDS.pvcPending],
  };
  return explained;
}

function plans({ lead: c }: CaseGroup<ReleasedCase>): FixPlan[] {
  const pv = c.pv.metadata.name;
  if (c.wanting.length === 0)
    return [
      manualPlan({
        id: 'check-volume-deletion',
        title: `Find out why ${pv} was not deleted`,
        explanation: `Delete the PersistentVolume by hand only once the storage behind it is deleted too (or is known to be gone): deleting the object alone leaves the disk behind.`,
        commands: [`kubectl describe pv ${pv}`, `kubectl get pv ${pv} -o jsonpath='{.spec.csi.driver}{"\\n"}'`],
      }),
    ];
  const policy = c.pv.spec.persistentVolumeReclaimPolicy ?? 'Retain';
  const claims = c.wanting.map((w) => `${w.pvc.metadata.name}${nsFlag(w.pvc.metadata.namespace)}`);
  return [
    {
      id: 'clear-claim-ref',
      title: `Clear the stale claimRef of PersistentVolume ${pv}`,
      explanation: `The volume becomes Available and the volume controller binds it to ${c.wanting.length === 1 ? `claim ${c.wanting[0]!.pvc.metadata.namespace}/${c.wanting[0]!.pvc.metadata.name}` : 'the waiting claim'}.${policy === 'Retain' ? ` Warning: the volume still holds the data of deleted claim ${refName(c.claimRef)} (reclaimPolicy Retain), and the new claim gets it as it is.` : ''}`,
      commands: [`kubectl patch pv ${pv} -p '${JSON.stringify(CLEAR_CLAIM_REF)}'`, `kubectl get pvc ${claims[0]}`],
      steps: [
        {
          action: 'merge-patch',
          ref: { kind: 'PersistentVolume', name: pv, apiVersion: 'v1' },
          patch: CLEAR_CLAIM_REF,
          description: `Remove spec.claimRef from PersistentVolume ${pv} (it names deleted claim ${refName(c.claimRef)})`,
        },
      ],
      mutates: true,
    },
  ];
}

export const rule = defineRule<ReleasedCase>({
  id: RULE_IDS.pvReleased,
  title: 'Released PersistentVolumes a claim cannot bind',
  needs: ['persistentvolumes'],
  classify,
  explain,
  plans,
});
