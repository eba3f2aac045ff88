// Trigger a CronJob now, as `kubectl create job NAME --from=cronjob/CJ` does: a Job made from
// the CronJob's jobTemplate, owned by the CronJob (so its history limits and a delete of the
// CronJob cover it), marked `cronjob.kubernetes.io/instantiate: manual`. The Job is created by
// the one `create` operation, so preview, dry run, undo and audit are those of any create.
import type { FixStep } from '../../diagnose/types.js';
import type { KubeObject } from '../../model/k8s.js';
import { KubeError } from '../../kube/errors.js';
import { commandFor } from '../commands.js';
import { refLabel } from '../render.js';
import { BrokenOperation, type Operation, type StepContext } from '../operation.js';
import { prepareCreate } from './objects.js';

type Step = Extract<FixStep, { action: 'create-job-from-cronjob' }>;

interface CronJob extends KubeObject {
  spec?: {
    jobTemplate?: {
      metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
      spec?: unknown;
    };
  };
}

/** The Job `kubectl create job --from=cronjob/…` sends. */
export function jobFromCronJob(cronJob: CronJob, jobName: string): KubeObject {
  const template = cronJob.spec?.jobTemplate ?? {};
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobName,
      ...(cronJob.metadata.namespace ? { namespace: cronJob.metadata.namespace } : {}),
      ...(template.metadata?.labels ? { labels: template.metadata.labels } : {}),
      annotations: { 'cronjob.kubernetes.io/instantiate': 'manual', ...template.metadata?.annotations },
      ownerReferences: [
        {
          apiVersion: cronJob.apiVersion ?? 'batch/v1',
          kind: 'CronJob',
          name: cronJob.metadata.name,
          uid: cronJob.metadata.uid ?? '',
          controller: true,
        },
      ],
    },
    spec: template.spec ?? {},
  } as KubeObject;
}

/** The create operation, shown as the step it came from, with kubectl's command for it. */
class FromCronJob implements Operation {
  readonly mutates = true;
  readonly executes = true;
  constructor(
    readonly step: Step,
    private readonly create: Operation,
  ) {}
  get label(): string {
    return this.create.label;
  }
  preview() {
    return { ...this.create.preview(), step: this.step, command: commandFor(this.step) ?? '' };
  }
  dryRun(final: boolean) {
    return this.create.dryRun(final);
  }
  apply() {
    return this.create.apply();
  }
}

export async function prepareJobFromCronJob(ctx: StepContext, step: Step): Promise<Operation> {
  const label = refLabel({
    kind: 'Job',
    name: step.jobName,
    ...(step.ref.namespace ? { namespace: step.ref.namespace } : {}),
  });
  try {
    const cronJob = await ctx.cluster.read<CronJob>({ ...step.ref, kind: 'CronJob' });
    if (!cronJob) throw new KubeError('notfound', `not found: ${refLabel(step.ref)} is gone`);
    const job = jobFromCronJob(cronJob, step.jobName);
    return new FromCronJob(
      step,
      await prepareCreate(ctx, { action: 'create', object: job, description: step.description }),
    );
  } catch (e) {
    return new BrokenOperation(step, label, true, e as Error, commandFor(step));
  }
}
