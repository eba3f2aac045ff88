// Plans for the everyday actions the cockpit offers on any row (ctrl-d on a pod, restart on a
// workload): built as FixPlans so they go through the same runner — dry run, confirmation,
// --readonly refusal, audit — as the fixes rules propose.
import type { FixPlan } from '../model/fix-plan.js';
import type { ObjectRef } from '../model/ref.js';
import type { KubeObject } from '../model/k8s.js';
import { commandFor, kubectlRef } from './commands.js';

/** Delete any object (ctrl-d on a row that is not a pod). A delete cannot be undone. */
export function deleteObjectPlan(ref: ObjectRef): FixPlan {
  const step = { action: 'delete' as const, ref, description: `Delete ${ref.kind} ${ref.name}.` };
  return {
    id: 'delete',
    title: `Delete ${ref.kind} ${ref.name}`,
    explanation: `Deletes the ${ref.kind}. What it owns is deleted with it (Kubernetes' garbage collector follows owner references), and a delete cannot be undone.`,
    commands: [commandFor(step) ?? ''],
    steps: [step],
    mutates: true,
  };
}

/** Delete a pod; with a controller (`owner`), that restarts it: the controller makes a new one. Other kinds: deleteObjectPlan. */
export function deletePodPlan(ref: ObjectRef, owner?: ObjectRef): FixPlan {
  if (ref.kind !== 'Pod') return deleteObjectPlan(ref);
  const step = {
    action: 'delete' as const,
    ref,
    description: owner
      ? `Delete pod ${ref.name}; its ${owner.kind} ${owner.name} creates a replacement.`
      : `Delete pod ${ref.name}.`,
  };
  return {
    id: 'delete-pod',
    title: owner
      ? `Restart pod ${ref.name} (delete it; ${owner.kind} ${owner.name} makes a new one)`
      : `Delete pod ${ref.name}`,
    explanation: owner
      ? `Deletes the pod. Its ${owner.kind} notices one pod is missing and creates a new one from its template, so this is how a single pod is restarted. The pod's containers get their termination grace period to stop.`
      : 'Deletes the pod. No controller owns it, so nothing creates it again: it is gone for good unless you create it yourself.',
    commands: [commandFor(step) ?? ''],
    steps: [step],
    mutates: true,
  };
}

/** `kubectl rollout restart`: replaces every pod of a Deployment, StatefulSet or DaemonSet, the controller's way. */
export function rolloutRestartPlan(ref: ObjectRef): FixPlan {
  const step = {
    action: 'rollout-restart' as const,
    ref,
    description: `Restart ${ref.kind} ${ref.name}: stamp its pod template with the time, so its controller replaces the pods one by one.`,
  };
  return {
    id: 'rollout-restart',
    title: `Restart ${ref.kind} ${ref.name} (rollout restart)`,
    explanation: `Sets the annotation kubectl.kubernetes.io/restartedAt on the pod template, as \`kubectl rollout restart\` does. The template changed, so the controller rolls out new pods under its update strategy (a Deployment keeps serving while it does). Use it when pods must pick up something that only applies at pod creation: a changed Secret or ConfigMap, or a ServiceAccount's pull secrets.`,
    commands: [
      commandFor(step) ?? '',
      `kubectl rollout status ${kubectlRef(ref)}${ref.namespace ? ` -n ${ref.namespace}` : ''}`,
    ],
    steps: [step],
    mutates: true,
  };
}

const nsFlag = (ref: ObjectRef): string => (ref.namespace ? ` -n ${ref.namespace}` : '');

/** `kubectl scale`: through the scale subresource; Deployments, StatefulSets and ReplicaSets. */
export function scalePlan(ref: ObjectRef, replicas: number): FixPlan {
  const step = {
    action: 'scale' as const,
    ref,
    replicas,
    description: `Scale ${ref.kind} ${ref.name} to ${replicas} replicas.`,
  };
  return {
    id: 'scale',
    title: `Scale ${ref.kind} ${ref.name} to ${replicas}`,
    explanation: `Sets the replica count through the scale subresource, as \`kubectl scale\` does; the controller creates or removes pods to match. When Helm or an autoscaler manages ${ref.name}, they set it back at their next run.`,
    commands: [commandFor(step) ?? ''],
    steps: [step],
    mutates: true,
  };
}

/** `kubectl cordon` / `uncordon`: whether the scheduler may place new pods on the node. */
export function cordonPlan(node: ObjectRef, cordon: boolean): FixPlan {
  const ref: ObjectRef = { kind: 'Node', name: node.name };
  const step = {
    action: 'merge-patch' as const,
    ref,
    // kubectl uncordon sends unschedulable: false; null removes the field, as a fresh node has it.
    patch: { spec: { unschedulable: cordon ? true : null } },
    description: cordon
      ? `Cordon node ${ref.name}: mark it unschedulable.`
      : `Uncordon node ${ref.name}: let the scheduler use it again.`,
  };
  return {
    id: cordon ? 'cordon' : 'uncordon',
    title: `${cordon ? 'Cordon' : 'Uncordon'} node ${ref.name}`,
    explanation: cordon
      ? 'Marks the node unschedulable: the scheduler places no new pod on it; the pods running there stay. Drain evicts them too.'
      : 'Marks the node schedulable again: new pods may be placed on it. Pods evicted earlier do not come back by themselves.',
    commands: [`kubectl ${cordon ? 'cordon' : 'uncordon'} ${ref.name}`],
    steps: [step],
    mutates: true,
  };
}

/** `kubectl drain --ignore-daemonsets --delete-emptydir-data`: cordon, then evict through the eviction API. */
export function drainPlan(node: ObjectRef): FixPlan {
  const ref: ObjectRef = { kind: 'Node', name: node.name };
  const step = {
    action: 'drain' as const,
    ref,
    description: `Drain node ${ref.name}: cordon it, then evict its pods (PodDisruptionBudgets permitting).`,
  };
  return {
    id: 'drain',
    title: `Drain node ${ref.name}`,
    explanation:
      'Cordons the node, then asks the eviction API to remove each pod, so PodDisruptionBudgets are honoured: a pod its budget protects now stays, and is named. DaemonSet pods and mirror pods stay (as with --ignore-daemonsets); pods no controller owns stay too (kubectl wants --force for those, since nothing recreates them). emptyDir data of evicted pods is lost. Evictions cannot be undone; uncordon makes the node schedulable again.',
    commands: [commandFor(step) ?? '', `kubectl uncordon ${ref.name}`],
    steps: [step],
    mutates: true,
  };
}

/** A Job name as kubectl users make them: `<cronjob>-manual-<suffix>`, within the 63 characters a name label allows. */
export function manualJobName(cronJob: string, now: number): string {
  const suffix = Math.floor(now / 1000)
    .toString(36)
    .slice(-6);
  return `${cronJob.slice(0, 63 - '-manual-'.length - suffix.length)}-manual-${suffix}`;
}

/** `kubectl create job NAME --from=cronjob/CJ`: run a CronJob now. */
export function triggerCronJobPlan(ref: ObjectRef, now: number): FixPlan {
  const step = {
    action: 'create-job-from-cronjob' as const,
    ref,
    jobName: manualJobName(ref.name, now),
    description: `Create Job ${manualJobName(ref.name, now)} from CronJob ${ref.name}'s template.`,
  };
  return {
    id: 'trigger-cronjob',
    title: `Run CronJob ${ref.name} now`,
    explanation:
      "Creates a Job from the CronJob's job template, owned by the CronJob, as `kubectl create job --from=cronjob/…` does. The schedule is not touched; the CronJob's concurrency policy does not apply to a Job made by hand.",
    commands: [commandFor(step) ?? ''],
    steps: [step],
    mutates: true,
  };
}

/** `kubectl edit`'s write: the object as the user edited it, refused by the server if it changed meanwhile. */
export function editPlan(ref: ObjectRef, object: KubeObject): FixPlan {
  const step = { action: 'replace' as const, ref, object, description: `Write your edit of ${ref.kind} ${ref.name}.` };
  return {
    id: 'edit',
    title: `Edit ${ref.kind} ${ref.name}`,
    explanation:
      'Replaces the object with the text you saved, pinned to the version you opened: if someone changed it since, the server refuses (409) and nothing is overwritten.',
    commands: [`kubectl edit ${kubectlRef(ref)}${nsFlag(ref)}`],
    steps: [step],
    mutates: true,
  };
}

/** ctrl-d on marked rows: one plan, one confirmation, one delete per object. */
export function deleteManyPlan(refs: readonly ObjectRef[]): FixPlan {
  if (refs.length === 1) return deletePodPlan(refs[0]!);
  const steps = refs.map((ref) => ({ action: 'delete' as const, ref, description: `Delete ${ref.kind} ${ref.name}.` }));
  const kinds = [...new Set(refs.map((r) => r.kind))];
  const what = kinds.length === 1 ? `${refs.length} ${kinds[0]}s` : `${refs.length} objects`;
  return {
    id: 'delete-many',
    title: `Delete ${what}`,
    explanation: `Deletes each object in turn. Pods with a controller are replaced by it; the rest are gone for good. A delete cannot be undone.`,
    commands: steps.map((s) => commandFor(s) ?? ''),
    steps,
    mutates: true,
  };
}
