// The persistentvolume controller's claim binding (pkg/controller/volume/persistentvolume,
// syncUnboundClaim) and an external provisioner that answers for every StorageClass
// provisioner (as minikube's hostpath provisioner does). A claim that cannot be bound is left
// Pending with the controller's own events (api-samples/events-pvc-missing-class-and-no-class.json):
//   no class, no matching volume → Normal  FailedBinding        no persistent volumes available for this claim and no storage class is set
//   class that does not exist    → Warning ProvisioningFailed   storageclass.storage.k8s.io "<class>" not found
//   WaitForFirstConsumer class   → Normal  WaitForFirstConsumer waiting for first consumer to be created before binding
// A class that exists is provisioned: ExternalProvisioning from the controller, then
// Provisioning and ProvisioningSucceeded from the provisioner, a PersistentVolume `pvc-<uid>`
// and both objects Bound.
// A claim that names its volume (spec.volumeName) binds that one or none; one bound to another
// claim (its claimRef's name or uid differ) gives Warning FailedBinding `volume "<pv>" already
// bound to a different claim.`. A deleted claim's volume is reclaimed by its policy: Retain
// leaves it Released with its claimRef, Delete removes it. A Released volume whose claimRef is
// cleared becomes Available again (syncVolume's "volume is unused").
import { randomUUID } from 'node:crypto';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../model/k8s.js';
import { matchesSelector } from '../../model/selectors.js';
import { rfc3339 } from '../clock.js';
import { recordEvent } from '../events.js';
import { parseQuantity } from '../quantity.js';
import type { SimState, WatchEvent } from '../state.js';
import { isDefaultClass } from '../table-printers.js';
import { writeObject } from './util.js';

const CONTROLLER = 'persistentvolume-controller';
/** The node a WaitForFirstConsumer claim is provisioned for, set by the scheduler. */
export const SELECTED_NODE = 'volume.kubernetes.io/selected-node';

const classOf = (pvc: PersistentVolumeClaim): string => pvc.spec.storageClassName ?? '';
const isBound = (pvc: PersistentVolumeClaim): boolean => pvc.status?.phase === 'Bound';

/** IsVolumeBoundToClaim: the claimRef names this claim, and this very object when it has a uid. */
function reservedFor(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  const ref = pv.spec.claimRef;
  if (!ref || ref.namespace !== pvc.metadata.namespace || ref.name !== pvc.metadata.name) return false;
  return !ref.uid || ref.uid === pvc.metadata.uid;
}

/** checkVolumeSatisfyClaim: class, size, access modes, selector; and not claimed by anyone else. */
function satisfies(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  const ref = pv.spec.claimRef;
  if (ref && !reservedFor(pv, pvc)) return false;
  if (!ref && pv.status?.phase !== 'Available') return false;
  if ((pv.spec.storageClassName ?? '') !== classOf(pvc)) return false;
  const want = parseQuantity(pvc.spec.resources?.requests?.['storage']);
  if (parseQuantity(pv.spec.capacity?.['storage']) < want) return false;
  if (!(pvc.spec.accessModes ?? []).every((m) => (pv.spec.accessModes ?? []).includes(m))) return false;
  return !pvc.spec.selector || matchesSelector(pv.metadata.labels, pvc.spec.selector);
}

export class VolumeController {
  constructor(
    private readonly state: SimState,
    /** The node provisioners run on (the event source names it). */
    private readonly provisionerHost: () => string,
  ) {}

  handle(ev: WatchEvent): void {
    if (ev.type === 'DELETED') {
      if (ev.entry.def.kind === 'PersistentVolumeClaim') this.reclaim(ev.entry.obj as PersistentVolumeClaim);
      return;
    }
    switch (ev.entry.def.kind) {
      case 'PersistentVolumeClaim':
        this.syncClaim(ev.entry.obj as PersistentVolumeClaim);
        break;
      case 'PersistentVolume': {
        const pv = ev.entry.obj as PersistentVolume;
        if (ev.type === 'ADDED' && pv.status?.phase === 'Pending') this.markAvailable(pv);
        else if (!pv.spec.claimRef && (pv.status?.phase === 'Released' || pv.status?.phase === 'Failed'))
          this.markAvailable(pv);
        else if (pv.status?.phase === 'Available') this.resync();
        break;
      }
      case 'StorageClass':
        // A class created or fixed now serves the claims that waited for it (the controller's periodic resync).
        if (ev.type === 'ADDED') this.resync();
        break;
    }
  }

  /** Every unbound claim once more, as the controller's periodic sync does. */
  resync(): void {
    for (const pvc of this.state.objectsOf<PersistentVolumeClaim>('PersistentVolumeClaim'))
      if (!isBound(pvc)) this.syncClaim(pvc);
  }

  private event(
    pvc: PersistentVolumeClaim,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component = CONTROLLER,
  ): void {
    recordEvent(this.state, pvc, { type, reason, message, component });
  }

  private syncClaim(claim: PersistentVolumeClaim): void {
    const pvc = this.state.find('PersistentVolumeClaim', claim.metadata.namespace, claim.metadata.name) as
      PersistentVolumeClaim | undefined;
    if (!pvc || isBound(pvc) || pvc.metadata.deletionTimestamp) return;
    if (pvc.spec.volumeName) return this.syncNamedClaim(pvc, pvc.spec.volumeName);
    const match = this.state.objectsOf<PersistentVolume>('PersistentVolume').find((pv) => satisfies(pv, pvc));
    if (match) return this.bind(match, pvc, true);

    const classes = this.state.objectsOf<StorageClass>('StorageClass');
    // Retroactive default: a claim that names no class (null, not "") gets the default once there is one.
    if (pvc.spec.storageClassName === undefined || pvc.spec.storageClassName === null) {
      const def = classes.find(isDefaultClass);
      if (def) {
        writeObject(this.state, pvc, { ...pvc, spec: { ...pvc.spec, storageClassName: def.metadata.name } });
        return;
      }
    }
    const name = classOf(pvc);
    if (!name) {
      this.event(
        pvc,
        'Normal',
        'FailedBinding',
        'no persistent volumes available for this claim and no storage class is set',
      );
      return;
    }
    const sc = classes.find((c) => c.metadata.name === name);
    if (!sc) {
      this.event(pvc, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${name}" not found`);
      return;
    }
    if (sc.volumeBindingMode === 'WaitForFirstConsumer' && !pvc.metadata.annotations?.[SELECTED_NODE]) {
      this.event(pvc, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
      return;
    }
    this.provision(pvc, sc);
  }

  /** syncUnboundClaim for a claim that asks for one volume by name. */
  private syncNamedClaim(pvc: PersistentVolumeClaim, name: string): void {
    const pv = this.state.find('PersistentVolume', undefined, name) as PersistentVolume | undefined;
    // A volume that does not exist (yet): the controller waits for it without a word.
    if (!pv) return;
    if (!pv.spec.claimRef || reservedFor(pv, pvc)) {
      if (satisfies(pv, pvc) || reservedFor(pv, pvc)) this.bind(pv, pvc, false);
      return;
    }
    this.event(pvc, 'Warning', 'FailedBinding', `volume "${name}" already bound to a different claim.`);
  }

  /** The deleted claim's volume, by its reclaim policy (Recycle is deprecated and not simulated). */
  private reclaim(pvc: PersistentVolumeClaim): void {
    for (const pv of this.state.objectsOf<PersistentVolume>('PersistentVolume')) {
      if (!reservedFor(pv, pvc) || pv.status?.phase !== 'Bound') continue;
      const policy = pv.spec.persistentVolumeReclaimPolicy ?? 'Retain';
      if (policy === 'Delete') {
        const def = this.state.registry.forKind('PersistentVolume');
        if (def) this.state.remove(def, undefined, pv.metadata.name);
      } else if (policy === 'Retain')
        writeObject(this.state, pv, {
          ...pv,
          status: {
            phase: 'Released',
            lastPhaseTransitionTime: rfc3339(this.state.now()),
          } as PersistentVolume['status'],
        });
    }
  }

  private provision(pvc: PersistentVolumeClaim, sc: StorageClass): void {
    const ns = pvc.metadata.namespace ?? '';
    const annotated = {
      ...pvc,
      metadata: {
        ...pvc.metadata,
        annotations: {
          ...(pvc.metadata.annotations ?? {}),
          'volume.beta.kubernetes.io/storage-provisioner': sc.provisioner,
          'volume.kubernetes.io/storage-provisioner': sc.provisioner,
        },
      },
    };
    writeObject(this.state, pvc, annotated);
    this.event(
      pvc,
      'Normal',
      'ExternalProvisioning',
      `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    );
    const host = pvc.metadata.annotations?.[SELECTED_NODE] ?? this.provisionerHost();
    const component = `${sc.provisioner}_${host}_${randomUUID()}`;
    this.event(
      pvc,
      'Normal',
      'Provisioning',
      `External provisioner is provisioning volume for claim "${ns}/${pvc.metadata.name}"`,
      component,
    );
    const name = `pvc-${pvc.metadata.uid}`;
    const pv = this.state.create({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: {
        name,
        annotations: { 'pv.kubernetes.io/provisioned-by': sc.provisioner },
        finalizers: ['kubernetes.io/pv-protection'],
      } as PersistentVolume['metadata'],
      spec: {
        accessModes: pvc.spec.accessModes ?? ['ReadWriteOnce'],
        capacity: { storage: pvc.spec.resources?.requests?.['storage'] ?? '1Gi' },
        claimRef: {
          kind: 'PersistentVolumeClaim',
          namespace: ns,
          name: pvc.metadata.name,
          uid: pvc.metadata.uid ?? '',
          apiVersion: 'v1',
          resourceVersion: pvc.metadata.resourceVersion ?? '',
        },
        hostPath: { path: `/tmp/hostpath-provisioner/${ns}/${pvc.metadata.name}`, type: '' },
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
        storageClassName: sc.metadata.name,
        volumeMode: pvc.spec.volumeMode ?? 'Filesystem',
      },
      status: { phase: 'Pending' },
    } as PersistentVolume).obj as PersistentVolume;
    this.event(pvc, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${name}`, component);
    const current = this.state.find('PersistentVolumeClaim', ns, pvc.metadata.name) as PersistentVolumeClaim;
    this.bind(pv, current, false);
  }

  /** Both halves of the bind: the volume's claimRef and phase, the claim's volumeName, annotations and phase. */
  private bind(pv: PersistentVolume, pvc: PersistentVolumeClaim, byController: boolean): void {
    const boundPv: PersistentVolume = {
      ...pv,
      metadata: {
        ...pv.metadata,
        ...(byController && !pv.spec.claimRef
          ? { annotations: { ...(pv.metadata.annotations ?? {}), 'pv.kubernetes.io/bound-by-controller': 'yes' } }
          : {}),
      },
      spec: {
        ...pv.spec,
        claimRef: {
          kind: 'PersistentVolumeClaim',
          namespace: pvc.metadata.namespace ?? '',
          name: pvc.metadata.name,
          uid: pvc.metadata.uid ?? '',
          apiVersion: 'v1',
          resourceVersion: pvc.metadata.resourceVersion ?? '',
        },
      },
      status: { phase: 'Bound' },
    };
    writeObject(this.state, pv, boundPv);
    writeObject(this.state, pvc, {
      ...pvc,
      metadata: {
        ...pvc.metadata,
        annotations: {
          ...(pvc.metadata.annotations ?? {}),
          'pv.kubernetes.io/bind-completed': 'yes',
          'pv.kubernetes.io/bound-by-controller': 'yes',
        },
      },
      spec: { ...pvc.spec, volumeName: pv.metadata.name },
      status: { phase: 'Bound', accessModes: pv.spec.accessModes ?? [], capacity: pv.spec.capacity ?? {} },
    });
  }

  private markAvailable(pv: PersistentVolume): void {
    const status = { phase: 'Available', lastPhaseTransitionTime: rfc3339(this.state.now()) };
    if (!pv.spec.claimRef) writeObject(this.state, pv, { ...pv, status: status as PersistentVolume['status'] });
  }
}
