// Causes about the pod's volumes: a PersistentVolumeClaim that nothing binds (no storage
// class, no provisioner, a missing class) or a volume tied to nodes the pod cannot use.
// The claim's own events say which: the binder and provisioners write them on the claim.
import type { KubeEvent, PersistentVolumeClaim } from '../../../src/model/k8s.js';
import type { Evidence, FixPlan, ObjectRef } from '../../../src/diagnose/types.js';
import { arrayOf } from './placement.js';
import { isMinikube, listNames, thePods, type CauseReport, type PendingGroup } from './cause.js';
import { clip, eventEvidence, fieldEvidence } from '../../../src/diagnose/evidence.js';
import { manualPlan, nsFlag } from '../../../src/diagnose/plans.js';

interface ClaimState {
  name: string;
  pvc: PersistentVolumeClaim | undefined;
  events: KubeEvent[];
}

function claimsOf(group: PendingGroup): ClaimState[] {
  const ns = group.sample.metadata.namespace;
  const names = arrayOf(group.sample.spec?.volumes)
    .map((v) => v?.persistentVolumeClaim?.claimName)
    .filter((n): n is string => typeof n === 'string' && n.length > 0);
  if (group.reason?.claim && !names.includes(group.reason.claim)) names.push(group.reason.claim);
  return names.map((name) => ({
    name,
    pvc: group.snapshot.get<PersistentVolumeClaim>('PersistentVolumeClaim', ns, name),
    events: group.snapshot.eventsFor('PersistentVolumeClaim', ns, name),
  }));
}

const PROVISIONER = /provisioner ["']([^"']+)["']/;

type ClaimProblem =
  | { kind: 'missing' }
  | { kind: 'named-volume'; volume: string }
  | { kind: 'no-class' }
  | { kind: 'empty-class' }
  | { kind: 'provisioner-silent'; provisioner: string; storageClass: string }
  | { kind: 'provisioning-failed'; message: string; storageClass: string }
  | { kind: 'waiting'; storageClass: string };

function problemOf(claim: ClaimState, forbidden: boolean): ClaimProblem | undefined {
  const pvc = claim.pvc;
  if (!pvc) return forbidden ? undefined : { kind: 'missing' };
  if (pvc.status?.phase === 'Bound') return undefined;
  const newest = (reason: string) => [...claim.events].reverse().find((e) => e.reason === reason);
  const failed = newest('ProvisioningFailed');
  const external = newest('ExternalProvisioning');
  // A claim that names its volume binds that one or none: class and provisioner do not matter.
  if (pvc.spec?.volumeName) return { kind: 'named-volume', volume: pvc.spec.volumeName };
  const cls = pvc.spec?.storageClassName;
  if (cls === undefined || cls === null) return { kind: 'no-class' };
  if (cls === '') return { kind: 'empty-class' };
  if (failed?.message) return { kind: 'provisioning-failed', message: failed.message, storageClass: cls };
  const provisioner = external?.message ? PROVISIONER.exec(external.message)?.[1] : undefined;
  if (provisioner) return { kind: 'provisioner-silent', provisioner, storageClass: cls };
  return { kind: 'waiting', storageClass: cls };
}

function claimRef(group: PendingGroup, name: string): ObjectRef {
  const ref: ObjectRef = { kind: 'PersistentVolumeClaim', name };
  if (group.sample.metadata.namespace) ref.namespace = group.sample.metadata.namespace;
  return ref;
}

function storagePlan(group: PendingGroup, problem: ClaimProblem, claim: string): FixPlan {
  const ns = nsFlag(group.sample.metadata.namespace);
  const minikube = isMinikube(group.snapshot);
  const commands: string[] = ['kubectl get storageclass'];
  let description: string;
  switch (problem.kind) {
    case 'no-class':
      description =
        'Make one StorageClass the default so claims without a class get volumes: mark an existing class with the default-class annotation, or install a provisioner that brings one.' +
        (minikube ? ' On minikube, the storage-provisioner and default-storageclass addons do both.' : '') +
        ' Since Kubernetes 1.28 a waiting claim without a class picks up a new default by itself; on older clusters recreate the claim with `storageClassName` set.';
      if (minikube)
        commands.push('minikube addons enable storage-provisioner', 'minikube addons enable default-storageclass');
      commands.push(
        `kubectl patch storageclass <name> -p '{"metadata":{"annotations":{"storageclass.kubernetes.io/is-default-class":"true"}}}'`,
      );
      break;
    case 'named-volume':
      description = `Claim ${claim} binds only PersistentVolume ${problem.volume} (spec.volumeName). The claim's events say why the volume controller does not bind them: a volume that does not exist, or one whose claimRef still names another (perhaps deleted) claim.`;
      commands.push(`kubectl describe pvc ${claim}${ns}`, `kubectl get pv ${problem.volume}`);
      break;
    case 'empty-class':
      description = `Claim ${claim} sets storageClassName to "" (no class), so only a PersistentVolume created by hand without a class can bind it. Create such a volume, or recreate the claim with a StorageClass (a claim's class cannot be changed in place).`;
      commands.push(`kubectl get pv`, `kubectl get pvc ${claim}${ns} -o yaml`);
      break;
    case 'provisioner-silent':
      description =
        `StorageClass ${problem.storageClass} hands volumes to provisioner ${problem.provisioner}, which has not created one. Check that the provisioner's pods are running and look at their logs.` +
        (minikube && problem.provisioner.includes('minikube')
          ? ' On minikube: `minikube addons enable storage-provisioner`.'
          : '');
      if (minikube && problem.provisioner.includes('minikube'))
        commands.push('minikube addons enable storage-provisioner');
      commands.push('kubectl get pods -A | grep -i provisioner');
      break;
    case 'provisioning-failed':
      description = `Provisioning a volume for claim ${claim} from StorageClass ${problem.storageClass} failed (see the event). If the class does not exist, create it or recreate the claim with an existing class (a claim's class cannot be changed in place).`;
      commands.push(`kubectl describe pvc ${claim}${ns}`);
      break;
    case 'waiting':
      description = `Claim ${claim} (StorageClass ${problem.storageClass}) has no volume yet. \`kubectl describe pvc\` shows what the provisioner last said; check that the class's provisioner is running.`;
      commands.push(`kubectl describe pvc ${claim}${ns}`);
      break;
    case 'missing':
      description = `Claim ${claim} does not exist. Create it (a StatefulSet creates its claims from volumeClaimTemplates: its events say why it could not), or fix the claim name in the pod template.`;
      commands.push(`kubectl get pvc${ns}`);
      break;
  }
  return manualPlan({
    id: 'provide-volume',
    title: `Get a volume for claim ${claim}`,
    explanation: description,
    commands,
  });
}

function problemWords(problem: ClaimProblem): string {
  switch (problem.kind) {
    case 'missing':
      return 'does not exist';
    case 'named-volume':
      return `names PersistentVolume ${problem.volume} (spec.volumeName) and is not bound to it`;
    case 'no-class':
      return 'has no storage class and the cluster has no default one that provisions it';
    case 'empty-class':
      return 'asks for a pre-created volume without a class (storageClassName "") and none is available';
    case 'provisioner-silent':
      return `waits for provisioner ${problem.provisioner} (StorageClass ${problem.storageClass}) to create a volume`;
    case 'provisioning-failed':
      return `could not be provisioned from StorageClass ${problem.storageClass}`;
    case 'waiting':
      return `has no volume yet (StorageClass ${problem.storageClass})`;
  }
}

export function explainUnboundClaim(group: PendingGroup): CauseReport {
  const forbidden = group.snapshot.forbidden.has('persistentvolumeclaims');
  const claims = claimsOf(group).slice(0, 5);
  const evidence: Evidence[] = [];
  const objects: ObjectRef[] = [];
  const sentences: string[] = [];
  let first: { claim: string; problem: ClaimProblem } | undefined;
  for (const claim of claims) {
    const problem = problemOf(claim, forbidden);
    if (!problem) continue;
    first ??= { claim: claim.name, problem };
    objects.push(claimRef(group, claim.name));
    if (claim.pvc) {
      evidence.push(fieldEvidence(claim.pvc, 'status.phase', claim.pvc.status?.phase ?? '(none)'));
      evidence.push(
        fieldEvidence(claim.pvc, 'spec.storageClassName', claim.pvc.spec?.storageClassName ?? '(not set)', 'spec'),
      );
      for (const e of claim.events.slice(-2)) evidence.push({ ...eventEvidence(e), text: clip(e.message ?? '') });
    }
    sentences.push(
      `claim ${claim.name}${claim.pvc ? ` is ${claim.pvc.status?.phase ?? 'not bound'} and` : ''} ${problemWords(problem)}`,
    );
  }

  if (!first) {
    const why = forbidden
      ? 'kcockpit may not read PersistentVolumeClaims, so it cannot say which one'
      : 'its claims look bound now, so the next scheduling attempt may succeed';
    return {
      title: 'a PersistentVolumeClaim is not bound',
      explanation: `The scheduler waits until every PersistentVolumeClaim of the pod is bound to a volume; ${why}. \`kubectl describe pvc\` shows each claim's state and events.`,
      evidence,
      fixes: [],
    };
  }
  const plan = storagePlan(group, first.problem, first.claim);
  return {
    title: `PersistentVolumeClaim ${first.claim} ${first.problem.kind === 'missing' ? 'does not exist' : 'is not bound'}`,
    explanation: `${thePods(group).replace(/^t/, 'T')} use${group.pods.length === 1 ? 's' : ''} PersistentVolumeClaims, and the scheduler waits until each is bound to a volume: ${sentences.join('; ')}. ${plan.explanation}`,
    evidence,
    fixes: [plan],
    objects,
  };
}

export function explainVolumeNodeAffinity(group: PendingGroup): CauseReport {
  const claims = claimsOf(group).filter((c) => c.pvc?.spec?.volumeName);
  const volumes = claims.map((c) => c.pvc!.spec.volumeName!);
  const description = `See where each volume may be used with \`kubectl get pv <name> -o jsonpath='{.spec.nodeAffinity}'\`, then make one of those nodes usable for the pod (free room, tolerate its taint, match its labels), or move the data to a volume in the right place.`;
  return {
    title: 'its volume is tied to nodes it cannot use',
    explanation: `The PersistentVolume${volumes.length === 1 ? '' : 's'} of ${thePods(group)}${volumes.length ? ` (${listNames(volumes)})` : ''} can only be used from certain nodes or one zone (a local volume, or a cloud disk that lives in one zone), and none of those nodes can take the pod. ${description}`,
    evidence: claims.slice(0, 5).map((c) => fieldEvidence(c.pvc!, 'spec.volumeName', c.pvc!.spec.volumeName!, 'spec')),
    fixes: [
      manualPlan({
        id: 'inspect-volume-placement',
        title: 'Find where the volume can be used',
        explanation: description,
        commands: volumes.length
          ? volumes.map((v) => `kubectl get pv ${v} -o jsonpath='{.spec.nodeAffinity}'`)
          : ['kubectl get pv'],
      }),
    ],
  };
}
