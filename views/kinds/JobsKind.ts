// Jobs as `kubectl get jobs` (1.28+): status, completions, duration; enter lists the job's pods.
import { humanAge } from '../../src/format/age.js';
import { shortDuration } from '../../src/util/duration.js';
import { refOf } from '../../src/model/selectors.js';
import { AGE_COLUMN } from '../render/columns.js';
import { entry } from '../state.js';
import { at, list } from '../data/resources.js';
import type { KindView } from './kind-view.js';

const trueCondition = (job: unknown, type: string) =>
  list(at(job, 'status', 'conditions')).some((c) => at(c, 'type') === type && at(c, 'status') === 'True');

export function jobStatus(job: unknown): string {
  if (trueCondition(job, 'Complete')) return 'Complete';
  if (trueCondition(job, 'Failed')) return 'Failed';
  if (at(job, 'spec', 'suspend') === true) return 'Suspended';
  return 'Running';
}

export const jobsKind: KindView = {
  resource: 'jobs.batch',
  columns: [
    { key: 'name', title: 'NAME', minWidth: 16, flex: 1, truncate: 'middle' },
    { key: 'status', title: 'STATUS', minWidth: 9 },
    { key: 'completions', title: 'COMPLETIONS', width: 11 },
    { key: 'duration', title: 'DURATION', width: 8 },
    AGE_COLUMN,
  ],
  cells(job, now) {
    const succeeded = Number(at(job, 'status', 'succeeded') ?? 0);
    const completions = at(job, 'spec', 'completions');
    const start = at(job, 'status', 'startTime');
    const end = at(job, 'status', 'completionTime');
    const duration =
      typeof start === 'string'
        ? shortDuration((typeof end === 'string' ? Date.parse(end) : now) - Date.parse(start))
        : '';
    return [
      job.metadata.name,
      jobStatus(job),
      `${succeeded}/${typeof completions === 'number' ? completions : 1}`,
      duration,
      humanAge(job.metadata.creationTimestamp, now),
    ];
  },
  drillText: "Show the job's pods",
  drill: (job) => ({ push: entry('pods', { scope: { kind: 'owner', ref: refOf(job, 'Job') } }) }),
};
