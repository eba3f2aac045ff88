// PersistentVolumeClaims as `kubectl get pvc`; enter lists the pods that mount the claim.
import { humanAge } from '../../src/format/age.js';
import { refOf } from '../../src/model/selectors.js';
import { AGE_COLUMN } from '../render/columns.js';
import { entry } from '../state.js';
import { at, list, text } from '../data/resources.js';
import type { KindView } from './kind-view.js';

export const persistentVolumeClaimsKind: KindView = {
  resource: 'persistentvolumeclaims',
  columns: [
    { key: 'name', title: 'NAME', minWidth: 16, flex: 1, truncate: 'middle' },
    { key: 'status', title: 'STATUS', minWidth: 7 },
    { key: 'volume', title: 'VOLUME', minWidth: 8, truncate: 'middle' },
    { key: 'capacity', title: 'CAPACITY', minWidth: 8 },
    { key: 'modes', title: 'ACCESS MODES', minWidth: 12 },
    { key: 'class', title: 'STORAGECLASS', minWidth: 12, priority: 1 },
    AGE_COLUMN,
  ],
  cells: (pvc, now) => [
    pvc.metadata.name,
    text(at(pvc, 'status', 'phase'), ''),
    text(at(pvc, 'spec', 'volumeName'), ''),
    text(at(pvc, 'status', 'capacity', 'storage'), ''),
    list(at(pvc, 'status', 'accessModes'))
      .map(
        (m) =>
          ({ ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' })[String(m)] ??
          String(m),
      )
      .join(','),
    text(at(pvc, 'spec', 'storageClassName')),
    humanAge(pvc.metadata.creationTimestamp, now),
  ],
  drillText: 'Show the pods using the claim',
  drill: (pvc) => ({
    push: entry('pods', { scope: { kind: 'claim', ref: refOf(pvc, 'PersistentVolumeClaim') } }),
  }),
};
