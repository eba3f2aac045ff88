// ReplicaSets as `kubectl get rs`; enter lists the replica set's pods.
import { humanAge } from '../../src/format/age.js';
import { refOf } from '../../src/model/selectors.js';
import { AGE_COLUMN } from '../render/columns.js';
import { entry } from '../state.js';
import { at } from '../data/resources.js';
import type { KindView } from './kind-view.js';

const n = (v: unknown) => String(typeof v === 'number' ? v : 0);

export const replicaSetsKind: KindView = {
  resource: 'replicasets.apps',
  columns: [
    { key: 'name', title: 'NAME', minWidth: 16, flex: 1, truncate: 'middle' },
    { key: 'desired', title: 'DESIRED', width: 7, align: 'right' },
    { key: 'current', title: 'CURRENT', width: 7, align: 'right' },
    { key: 'ready', title: 'READY', width: 5, align: 'right' },
    AGE_COLUMN,
  ],
  cells: (rs, now) => [
    rs.metadata.name,
    n(at(rs, 'spec', 'replicas') ?? 1),
    n(at(rs, 'status', 'replicas')),
    n(at(rs, 'status', 'readyReplicas')),
    humanAge(rs.metadata.creationTimestamp, now),
  ],
  drillText: 'Show the pods of the replica set',
  drill: (rs) => ({ push: entry('pods', { scope: { kind: 'owner', ref: refOf(rs, 'ReplicaSet') } }) }),
};
