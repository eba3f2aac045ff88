// The controllers that make the simulated cluster react like a real one, kept to what
// kcockpit's fixes exercise: ReplicaSets and StatefulSets keep their pod count (a deleted pod
// comes back — with a new name for ReplicaSet pods, the same name for StatefulSet pods), a
// Deployment whose template changes (`kubectl rollout restart`) rolls to a new ReplicaSet,
// scaling creates or deletes pods, owners' status follows their pods, and deleting an owner
// deletes what it owns. Reactions run after the write that caused them, never inside it.
import type {
  KubeObject,
  OwnerReference,
  PersistentVolumeClaim,
  Pod,
  PodTemplateSpec,
  Workload,
} from '../model/k8s.js';
import type { SimApi } from './api.js';
import { rfc3339 } from './clock.js';
import { CRD_KIND, defOfCrd, establish, isEstablished, type Crd } from './crds.js';
import { recordEvent } from './events.js';
import type { Kubelet } from './kubelet.js';
import type { ResourceDef } from './resources.js';
import type { SimState, WatchEvent } from './state.js';
import { ApiError } from './status.js';

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** A pod-template-hash like the deployment controller's: FNV-1a of the template, safe-encoded. */
function templateHash(template: unknown): string {
  let h = 0x811c9dc5;
  for (const ch of JSON.stringify(template)) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return [...String(h)].map((c) => ALPHANUMS[c.charCodeAt(0) % ALPHANUMS.length]).join('');
}

const controllerOf = (o: KubeObject): OwnerReference | undefined =>
  o.metadata.ownerReferences?.find((r) => r.controller);
const specOf = (o: KubeObject | undefined): string => JSON.stringify((o as { spec?: unknown } | undefined)?.spec);
const isReady = (p: Pod): boolean =>
  (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

function ownerRef(owner: KubeObject): OwnerReference & { blockOwnerDeletion: boolean } {
  return {
    apiVersion: owner.apiVersion as string,
    kind: owner.kind as string,
    name: owner.metadata.name,
    uid: owner.metadata.uid as string,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export class Controllers {
  private queue: WatchEvent[] = [];
  private draining: Promise<void> | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly state: SimState,
    private readonly api: SimApi,
    private readonly kubelet: Kubelet,
    private readonly onError: (e: unknown) => void = (e) => console.error('kcockpit sim: controller error:', e),
  ) {
    this.unsubscribe = state.subscribe((ev) => {
      this.queue.push(ev);
      this.draining ??= new Promise<void>((resolve) =>
        setImmediate(() => {
          this.drain();
          this.draining = undefined;
          resolve();
        }),
      );
    });
  }

  stop(): void {
    this.unsubscribe();
    this.queue = [];
  }

  /** Resolves when every queued reaction, and whatever those caused, has run (for tests). */
  async settle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private drain(): void {
    // Reactions may write, which queues more events; keep going until quiet.
    while (this.queue.length) {
      const ev = this.queue.shift() as WatchEvent;
      try {
        this.handle(ev);
      } catch (e) {
        this.onError(e);
      }
    }
  }

  private def(kind: string): ResourceDef {
    const d = this.state.registry.forKind(kind);
    if (!d) throw new Error(`kind ${kind} is not served`);
    return d;
  }

  private current<T extends KubeObject>(kind: string, ns: string | undefined, name: string): T | undefined {
    return this.state.get(this.def(kind), ns, name)?.obj as T | undefined;
  }

  private owned<T extends KubeObject>(kind: string, owner: KubeObject): T[] {
    return this.state
      .list(this.def(kind), owner.metadata.namespace)
      .map((e) => e.obj as T)
      .filter((o) => controllerOf(o)?.uid === owner.metadata.uid);
  }

  private handle(ev: WatchEvent): void {
    this.kubelet.handle(ev);
    const obj = ev.entry.obj;
    const ns = obj.metadata.namespace;
    const specChanged = ev.type === 'ADDED' || (ev.type === 'MODIFIED' && specOf(ev.prev?.obj) !== specOf(obj));
    switch (ev.entry.def.kind) {
      case 'Pod': {
        const owner = controllerOf(obj);
        if (owner?.kind === 'ReplicaSet') {
          const rs = this.current<Workload>('ReplicaSet', ns, owner.name);
          if (rs && ev.type === 'DELETED') this.reconcileReplicaSet(rs);
          if (rs) this.syncReplicaSetStatus(rs);
        } else if (owner?.kind === 'StatefulSet') {
          const sts = this.current<Workload>('StatefulSet', ns, owner.name);
          if (sts && ev.type === 'DELETED') this.reconcileStatefulSet(sts);
          if (sts) this.syncStatefulSetStatus(sts);
        }
        break;
      }
      case 'ReplicaSet': {
        if (ev.type !== 'DELETED' && specChanged) this.reconcileReplicaSet(obj as Workload);
        const owner = controllerOf(obj);
        const deploy = owner?.kind === 'Deployment' ? this.current<Workload>('Deployment', ns, owner.name) : undefined;
        if (deploy) this.syncDeploymentStatus(deploy);
        break;
      }
      case 'StatefulSet':
        if (ev.type !== 'DELETED' && specChanged)
          this.reconcileStatefulSet(obj as Workload, ev.prev?.obj as Workload | undefined);
        break;
      case 'Deployment':
        if (ev.type !== 'DELETED' && specChanged)
          this.reconcileDeployment(obj as Workload, ev.prev?.obj as Workload | undefined);
        break;
      case CRD_KIND:
        this.reconcileCrd(ev);
        break;
    }
    if (ev.type === 'DELETED' && ev.entry.def.kind !== 'Event') this.collectGarbage(obj);
  }

  /**
   * The naming and establishing controllers, then the serving side: an Established CRD's
   * resource is served from then on; a deleted one takes its objects with it (watchers see
   * them DELETED) and its paths answer 404.
   */
  private reconcileCrd(ev: WatchEvent): void {
    const crd = ev.entry.obj as Crd;
    const registry = this.state.registry;
    const served = registry.all.find((d) => d.origin === 'crd' && `${d.resource}.${d.group}` === crd.metadata.name);
    if (ev.type === 'DELETED') {
      if (!served) return;
      for (const e of this.state.list(served)) this.state.remove(served, e.obj.metadata.namespace, e.obj.metadata.name);
      registry.remove(served);
      this.state.dropResource(served);
      return;
    }
    if (!isEstablished(crd)) {
      const established = establish(crd, this.state.now());
      this.api.replace(
        ev.entry.def,
        undefined,
        crd.metadata.name,
        established,
        { fieldManager: 'kube-apiserver' },
        'status',
      );
      return;
    }
    const def = defOfCrd(crd);
    if (def) registry.add(def);
  }

  /** Background cascading deletion: whatever named the deleted object as its owner goes too. */
  private collectGarbage(owner: KubeObject): void {
    const uid = owner.metadata.uid;
    for (const d of this.state.registry.all) {
      if (!d.namespaced || d.kind === 'Event') continue;
      for (const e of this.state.list(d, owner.metadata.namespace)) {
        if (e.obj.metadata.ownerReferences?.some((r) => r.uid === uid))
          this.state.remove(d, e.obj.metadata.namespace, e.obj.metadata.name);
      }
    }
  }

  private createPod(owner: Workload, pod: Pod, component: string, created: (name: string) => string): void {
    try {
      const made = this.api.create(this.def('Pod'), owner.metadata.namespace, pod, {
        fieldManager: 'kube-controller-manager',
      });
      recordEvent(this.state, owner, {
        type: 'Normal',
        reason: 'SuccessfulCreate',
        message: created(made.metadata.name),
        component,
      });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      recordEvent(this.state, owner, {
        type: 'Warning',
        reason: 'FailedCreate',
        message: `Error creating: ${e.message}`,
        component,
      });
    }
  }

  private podFromTemplate(owner: Workload, template: PodTemplateSpec, meta: Partial<Pod['metadata']>): Pod {
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...meta,
        namespace: owner.metadata.namespace,
        labels: { ...(template.metadata?.labels ?? {}), ...(meta.labels ?? {}) },
        ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
        ownerReferences: [ownerRef(owner)],
      } as Pod['metadata'],
      spec: structuredClone(template.spec),
    };
  }

  private reconcileReplicaSet(rs: Workload): void {
    const want = rs.spec.replicas ?? 1;
    const pods = this.owned<Pod>('Pod', rs).filter((p) => !p.metadata.deletionTimestamp);
    for (let i = pods.length; i < want; i++) {
      const pod = this.podFromTemplate(rs, rs.spec.template, { generateName: `${rs.metadata.name}-` } as Partial<
        Pod['metadata']
      >);
      this.createPod(rs, pod, 'replicaset-controller', (name) => `Created pod: ${name}`);
    }
    // Scale down: not-ready pods first, then the newest (the ReplicaSet controller's ranking).
    const extra = [...pods]
      .sort(
        (a, b) =>
          Number(isReady(a)) - Number(isReady(b)) ||
          (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''),
      )
      .slice(0, Math.max(0, pods.length - want));
    for (const p of extra) {
      this.state.remove(this.def('Pod'), p.metadata.namespace, p.metadata.name);
      recordEvent(this.state, rs, {
        type: 'Normal',
        reason: 'SuccessfulDelete',
        message: `Deleted pod: ${p.metadata.name}`,
        component: 'replicaset-controller',
      });
    }
  }

  private reconcileStatefulSet(sts: Workload, prev?: Workload): void {
    const want = sts.spec.replicas ?? 1;
    const name = sts.metadata.name;
    const ns = sts.metadata.namespace;
    const revision = `${name}-${templateHash(sts.spec.template)}`;
    // A new template replaces the pods (all at once here, where a real rolling update goes one ordinal at a time).
    if (prev && JSON.stringify(prev.spec.template) !== JSON.stringify(sts.spec.template)) {
      for (const p of this.owned<Pod>('Pod', sts)) this.state.remove(this.def('Pod'), ns, p.metadata.name);
    }
    const pods = this.owned<Pod>('Pod', sts);
    for (let i = 0; i < want; i++) {
      const podName = `${name}-${i}`;
      if (pods.some((p) => p.metadata.name === podName)) continue;
      const pod = this.podFromTemplate(sts, sts.spec.template, {
        name: podName,
        generateName: `${name}-`,
        labels: {
          'controller-revision-hash': revision,
          'statefulset.kubernetes.io/pod-name': podName,
          'apps.kubernetes.io/pod-index': String(i),
        },
      } as Partial<Pod['metadata']>);
      pod.spec = {
        ...pod.spec,
        hostname: podName,
        ...(sts.spec.serviceName ? { subdomain: sts.spec.serviceName } : {}),
      } as Pod['spec'];
      pod.spec.volumes = [...(pod.spec.volumes ?? []), ...this.claimVolumes(sts, podName)];
      this.createPod(
        sts,
        pod,
        'statefulset-controller',
        (made) => `create Pod ${made} in StatefulSet ${name} successful`,
      );
    }
    for (const p of pods) {
      const ordinal = Number(p.metadata.name.slice(name.length + 1));
      if (ordinal < want) continue;
      this.state.remove(this.def('Pod'), ns, p.metadata.name);
      recordEvent(this.state, sts, {
        type: 'Normal',
        reason: 'SuccessfulDelete',
        message: `delete Pod ${p.metadata.name} in StatefulSet ${name} successful`,
        component: 'statefulset-controller',
      });
    }
  }

  /** volumeClaimTemplates → one PVC per pod, provisioned and bound at once (minikube's hostpath provisioner). */
  private claimVolumes(
    sts: Workload,
    podName: string,
  ): { name: string; persistentVolumeClaim: { claimName: string } }[] {
    const templates = (sts.spec as { volumeClaimTemplates?: PersistentVolumeClaim[] }).volumeClaimTemplates ?? [];
    return templates.map((t) => {
      const claimName = `${t.metadata.name}-${podName}`;
      const pvcDef = this.def('PersistentVolumeClaim');
      if (!this.state.get(pvcDef, sts.metadata.namespace, claimName)) {
        const created = this.api.create(
          pvcDef,
          sts.metadata.namespace,
          <PersistentVolumeClaim>{
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            metadata: { name: claimName, labels: t.metadata.labels ?? {} },
            spec: { storageClassName: 'standard', ...t.spec },
          },
          { fieldManager: 'kube-controller-manager' },
        );
        const storage = t.spec.resources?.requests?.['storage'] ?? '1Gi';
        this.state.update({
          ...created,
          spec: { ...(created as PersistentVolumeClaim).spec, volumeName: `pvc-${created.metadata.uid}` },
          status: { phase: 'Bound', accessModes: t.spec.accessModes ?? ['ReadWriteOnce'], capacity: { storage } },
        } as PersistentVolumeClaim);
      }
      return { name: t.metadata.name, persistentVolumeClaim: { claimName } };
    });
  }

  private reconcileDeployment(deploy: Workload, prev: Workload | undefined): void {
    const sets = this.owned<Workload>('ReplicaSet', deploy);
    const templateChanged = !prev || JSON.stringify(prev.spec.template) !== JSON.stringify(deploy.spec.template);
    const want = deploy.spec.replicas ?? 1;
    const revisionOf = (rs: Workload) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
    const newest = [...sets].sort((a, b) => revisionOf(b) - revisionOf(a))[0];
    const scaled = (rs: Workload, to: number) => {
      const from = rs.spec.replicas ?? 0;
      if (from === to) return;
      this.state.update({
        ...rs,
        spec: { ...rs.spec, replicas: to },
        metadata: { ...rs.metadata, resourceVersion: '' },
      } as Workload);
      const message =
        to > from
          ? `Scaled up replica set ${rs.metadata.name} to ${to}`
          : `Scaled down replica set ${rs.metadata.name} to ${to} from ${from}`;
      recordEvent(this.state, deploy, {
        type: 'Normal',
        reason: 'ScalingReplicaSet',
        message,
        component: 'deployment-controller',
      });
    };
    if (!templateChanged && newest) {
      scaled(newest, want);
      return;
    }
    const hash = templateHash(deploy.spec.template);
    const name = `${deploy.metadata.name}-${hash}`;
    const revision = String(Math.max(0, ...sets.map(revisionOf)) + 1);
    const existing = sets.find((s) => s.metadata.name === name);
    for (const old of sets) if (old !== existing) scaled(old, 0);
    if (existing) {
      this.state.update({
        ...existing,
        metadata: {
          ...existing.metadata,
          resourceVersion: '',
          annotations: { ...existing.metadata.annotations, 'deployment.kubernetes.io/revision': revision },
        },
      });
      scaled(this.current<Workload>('ReplicaSet', deploy.metadata.namespace, name) as Workload, want);
    } else {
      const labels = { ...(deploy.spec.template.metadata?.labels ?? {}), 'pod-template-hash': hash };
      this.state.create({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name,
          namespace: deploy.metadata.namespace,
          labels,
          annotations: {
            'deployment.kubernetes.io/desired-replicas': String(want),
            'deployment.kubernetes.io/max-replicas': String(want + 1),
            'deployment.kubernetes.io/revision': revision,
          },
          ownerReferences: [ownerRef(deploy)],
        },
        spec: {
          replicas: want,
          selector: {
            ...deploy.spec.selector,
            matchLabels: { ...(deploy.spec.selector?.matchLabels ?? {}), 'pod-template-hash': hash },
          },
          template: { ...deploy.spec.template, metadata: { ...deploy.spec.template.metadata, labels } },
        },
        status: { replicas: 0 },
      } as Workload);
      recordEvent(this.state, deploy, {
        type: 'Normal',
        reason: 'ScalingReplicaSet',
        message: `Scaled up replica set ${name} to ${want}`,
        component: 'deployment-controller',
      });
    }
    const latest = this.current<Workload>('Deployment', deploy.metadata.namespace, deploy.metadata.name);
    if (latest && latest.metadata.annotations?.['deployment.kubernetes.io/revision'] !== revision) {
      this.state.update({
        ...latest,
        metadata: {
          ...latest.metadata,
          resourceVersion: '',
          annotations: { ...latest.metadata.annotations, 'deployment.kubernetes.io/revision': revision },
        },
      });
    }
  }

  /** Write a status only when it changed, so status updates do not feed back forever. */
  private writeStatus(obj: Workload, changes: Record<string, unknown>, base: unknown = obj.status): void {
    const merged = { ...(base ?? {}), ...changes };
    if (JSON.stringify(merged) === JSON.stringify(obj.status ?? {})) return;
    this.state.update({ ...obj, metadata: { ...obj.metadata, resourceVersion: '' }, status: merged } as Workload);
  }

  private syncReplicaSetStatus(rs: Workload): void {
    const pods = this.owned<Pod>('Pod', rs).filter((p) => !p.metadata.deletionTimestamp);
    const ready = pods.filter(isReady).length;
    this.writeStatus(rs, {
      replicas: pods.length,
      fullyLabeledReplicas: pods.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: rs.metadata.generation,
    });
  }

  private syncStatefulSetStatus(sts: Workload): void {
    const pods = this.owned<Pod>('Pod', sts);
    const ready = pods.filter(isReady).length;
    this.writeStatus(sts, {
      observedGeneration: sts.metadata.generation,
      replicas: pods.length,
      readyReplicas: ready,
      currentReplicas: pods.length,
      updatedReplicas: pods.length,
      availableReplicas: ready,
    });
  }

  private syncDeploymentStatus(deploy: Workload): void {
    const sets = this.owned<Workload>('ReplicaSet', deploy);
    const sum = (k: string) =>
      sets.reduce((s, rs) => s + Number((rs.status as Record<string, unknown> | undefined)?.[k] ?? 0), 0);
    const revisionOf = (rs: Workload) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
    const newest = [...sets].sort((a, b) => revisionOf(b) - revisionOf(a))[0];
    const want = deploy.spec.replicas ?? 1;
    const available = sum('availableReplicas');
    const availableNow = available >= want;
    const now = rfc3339(this.state.now());
    const conditions = (deploy.status?.conditions ?? []).filter((c) => c.type !== 'Available');
    const before = deploy.status?.conditions?.find((c) => c.type === 'Available');
    const changed = before?.status !== (availableNow ? 'True' : 'False');
    conditions.unshift({
      type: 'Available',
      status: availableNow ? 'True' : 'False',
      reason: availableNow ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
      message: availableNow ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.',
      lastUpdateTime: changed ? now : ((before as { lastUpdateTime?: string } | undefined)?.lastUpdateTime ?? now),
      lastTransitionTime: changed
        ? now
        : ((before as { lastTransitionTime?: string } | undefined)?.lastTransitionTime ?? now),
    } as (typeof conditions)[number]);
    const status: Record<string, unknown> = {
      observedGeneration: deploy.metadata.generation,
      replicas: sum('replicas'),
      updatedReplicas: Number((newest?.status as Record<string, unknown> | undefined)?.['replicas'] ?? 0),
      readyReplicas: sum('readyReplicas'),
      availableReplicas: available,
      conditions,
    };
    const unavailable = Math.max(0, want - available);
    if (unavailable) status['unavailableReplicas'] = unavailable;
    const { unavailableReplicas: _u, ...rest } = (deploy.status ?? {}) as Record<string, unknown>;
    this.writeStatus(deploy, status, unavailable ? deploy.status : rest);
  }
}
