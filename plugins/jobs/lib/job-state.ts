// What a Job's conditions say about it, as the job controller writes them.
import type { Job } from '../../../src/model/k8s.js';

export function conditionTrue(job: Job, type: string): boolean {
  return (job.status?.conditions ?? []).some((c) => c?.type === type && c.status === 'True');
}

/** Complete or Failed: the job controller has nothing more to run. */
export function finished(job: Job): boolean {
  return conditionTrue(job, 'Complete') || conditionTrue(job, 'Failed');
}
