// From a plan's steps (data) to operations (ops/): each reads what it needs now, so the
// preview shows the cluster as it is, and later steps know what earlier ones will create.
import type { FixPlan, FixStep } from '../model/fix-plan.js';
import type { Operation, StepContext } from './operation.js';
import { prepareJobFromCronJob } from './ops/cronjob.js';
import { prepareDrain } from './ops/drain.js';
import { prepareHelm } from './ops/helm.js';
import { prepareReplace } from './ops/replace.js';
import { prepareManifest } from './ops/manifest.js';
import { prepareCreate, prepareDelete, preparePullSecret } from './ops/objects.js';
import { prepareManual, preparePortForward, prepareWait } from './ops/non-mutating.js';
import { preparePatch } from './ops/patch.js';

/** Actions that change the cluster (what --readonly refuses without reading anything). */
const MUTATING: ReadonlySet<FixStep['action']> = new Set([
  'create',
  'create-pull-secret',
  'json-patch',
  'merge-patch',
  'delete',
  'rollout-restart',
  'scale',
  'create-job-from-cronjob',
  'replace',
  'drain',
  'helm-upgrade',
  'apply-manifest',
]);

export function isMutating(step: FixStep): boolean {
  return MUTATING.has(step.action);
}

async function prepareStep(ctx: StepContext, step: FixStep, userStepBefore: boolean): Promise<Operation> {
  switch (step.action) {
    case 'create':
      return prepareCreate(ctx, step);
    case 'create-pull-secret':
      return preparePullSecret(ctx, step);
    case 'json-patch':
    case 'merge-patch':
    case 'rollout-restart':
    case 'scale':
      return preparePatch(ctx, step);
    case 'delete':
      return prepareDelete(ctx, step);
    case 'create-job-from-cronjob':
      return prepareJobFromCronJob(ctx, step);
    case 'replace':
      return prepareReplace(ctx, step);
    case 'drain':
      return prepareDrain(ctx, step);
    case 'helm-upgrade':
      return prepareHelm(ctx, step);
    case 'apply-manifest':
      return prepareManifest(ctx, step);
    case 'wait-available':
      return prepareWait(ctx, step, userStepBefore);
    case 'port-forward':
      return preparePortForward(ctx, step);
    case 'manual':
      return prepareManual(step);
  }
}

/** In order: a step sees what the steps before it will create. */
export async function prepareOperations(ctx: StepContext, plan: FixPlan): Promise<Operation[]> {
  const ops: Operation[] = [];
  for (const step of plan.steps)
    ops.push(
      await prepareStep(
        ctx,
        step,
        ops.some((o) => !o.executes),
      ),
    );
  return ops;
}
