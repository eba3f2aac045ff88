// CronJobs as `kubectl get cronjobs`: schedule, suspension, active jobs, last run; enter lists
// the Jobs the CronJob made (its own and `t`'s, which it owns too), as k9s does.
import { humanAge } from '../../src/format/age.js';
import { AGE_COLUMN } from '../render/columns.js';
import { entry } from '../state.js';
import { at, list, text } from '../data/resources.js';
import type { KindView } from './kind-view.js';

export const cronJobsKind: KindView = {
  resource: 'cronjobs.batch',
  columns: [
    { key: 'name', title: 'NAME', minWidth: 16, flex: 1, truncate: 'middle' },
    { key: 'schedule', title: 'SCHEDULE', minWidth: 10 },
    { key: 'timezone', title: 'TIMEZONE', minWidth: 8, priority: 1 },
    { key: 'suspend', title: 'SUSPEND', width: 7 },
    { key: 'active', title: 'ACTIVE', width: 6, align: 'right' },
    { key: 'last', title: 'LAST SCHEDULE', width: 13 },
    AGE_COLUMN,
  ],
  cells: (cj, now) => {
    const last = at(cj, 'status', 'lastScheduleTime');
    return [
      cj.metadata.name,
      text(at(cj, 'spec', 'schedule')),
      text(at(cj, 'spec', 'timeZone')),
      at(cj, 'spec', 'suspend') === true ? 'True' : 'False',
      String(list(at(cj, 'status', 'active')).length),
      typeof last === 'string' ? humanAge(last, now) : '<none>',
      humanAge(cj.metadata.creationTimestamp, now),
    ];
  },
  drillText: 'Show the jobs of the cron job',
  drill: (_cj, ref) => ({
    push: entry('resource', { resource: 'jobs.batch', within: { kind: 'owned', ref } }),
    namespace: ref.namespace ?? null,
  }),
};
