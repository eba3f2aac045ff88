// DaemonSets as `kubectl get ds`; enter lists the daemon set's pods.
import { humanAge } from '../../src/format/age.js';
import { refOf } from '../../src/model/selectors.js';
import { AGE_COLUMN } from '../render/columns.js';
import { entry } from '../state.js';
import { at } from '../data/resources.js';
import type { KindView } from './kind-view.js';

const n = (v: unknown) => String(typeof v === 'number' ? v : 0);

export const daemonSetsKind: KindView = {
  resource: 'daemonsets.apps',
  columns: [
    { key: 'name', title: 'NAME', minWidth: 16, flex: 1, truncate: 'middle' },
    { key: 'desired', title: 'DESIRED', width: 7, align: 'right' },
    { key: 'current', title: 'CURRENT', width: 7, align: 'right' },
    { key: 'ready', title: 'READY', width: 5, align: 'right' },
    { key: 'upToDate', title: 'UP-TO-DATE', width: 10, align: 'right' },
    { key: 'available', title: 'AVAILABLE', width: 9, align: 'right' },
    { key: 'selector', title: 'NODE SELECTOR', minWidth: 13, priority: 1 },
    AGE_COLUMN,
  ],
  cells(ds, now) {
    const selector = at(ds, 'spec', 'template', 'spec', 'nodeSelector');
    const sel =
      selector && typeof selector === 'object'
        ? Object.entries(selector as Record<string, string>)
            .map(([k, v]) => `${k}=${v}`)
            .join(',')
        : '';
    return [
      ds.metadata.name,
      n(at(ds, 'status', 'desiredNumberScheduled')),
      n(at(ds, 'status', 'currentNumberScheduled')),
      n(at(ds, 'status', 'numberReady')),
      n(at(ds, 'status', 'updatedNumberScheduled')),
      n(at(ds, 'status', 'numberAvailable')),
      sel || '<none>',
      humanAge(ds.metadata.creationTimestamp, now),
    ];
  },
  drillText: 'Show the pods of the daemon set',
  drill: (ds) => ({ push: entry('pods', { scope: { kind: 'owner', ref: refOf(ds, 'DaemonSet') } }) }),
};
