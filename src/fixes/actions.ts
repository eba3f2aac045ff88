// Plans for the everyday actions the cockpit offers on any row (ctrl-d on a pod, restart on a
// workload): built as FixPlans so they go through the same runner — dry run, confirmation,
// --readonly refusal, audit — as the fixes rules propose.
import type { FixPlan } from '../model/fix-plan.js';
import type { ObjectRef } from '../model/ref.js';
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
