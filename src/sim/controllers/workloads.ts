// The workload controllers: ReplicaSets and StatefulSets keep their pod count (a deleted pod
// comes back — with a new name for ReplicaSet pods, the same name for StatefulSet pods), a
// Deployment whose template changes (`kubectl rollout restart`) rolls to a new ReplicaSet,
// scaling creates or deletes pods, and owners' status follows their pods. A ReplicaSet that
// cannot create a pod (quota, admission, a missing ServiceAccount) records `FailedCreate` and
// the `ReplicaFailure` condition the Deployment copies (api-samples/replicaset-quota-replicafailure.json,
// deployment-quota-status.json), retries when the namespace's quota changes, and its
// Deployment reports `ProgressDeadlineExceeded` once no progress was made for
// progressDeadlineSeconds: `ReplicaSet "<name>" has timed out progressing.`
import type { KubeObject, PersistentVolumeClaim, Pod, PodTemplateSpec, Workload } from '../../model/k8s.js';
import type { SimApi } from '../api.js';
import { rfc3339 } from '../clock.js';
import { recordEvent } from '../events.js';
import type { ResourceDef } from '../resources.js';
import type { SimState, WatchEvent } from '../state.js';
import { ApiError } from '../status.js';
import { controllerOf, isReady, isTerminal, ownerRef } from './util.js';

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

const specOf = (o: KubeObject | undefined): string => JSON.stringify((o as { spec?: unknown } | undefined)?.spec);

export class WorkloadController {
  constructor(
    private readonly state: SimState,
    private readonly api: SimApi,
  ) {}

  handle(ev: WatchEvent): void {
    const obj = ev.entry.obj;
    const ns = obj.metadata.namespace;
    const specChanged = ev.type === 'ADDED' || (ev.type === 'MODIFIED' && specOf(ev.prev?.obj) !== specOf(obj));
    switch (ev.entry.def.kind) {
      case 'Pod': {
        const owner = controllerOf(obj);
        if (owner?.kind === 'ReplicaSet') {
          const rs = this.current<Workload>('ReplicaSet', ns, owner.name);
          // A pod that ended (evicted) no longer counts: the ReplicaSet replaces it.
          const ended =
            ev.type === 'MODIFIED' && !!ev.prev && isTerminal(obj as Pod) && !isTerminal(ev.prev.obj as Pod);
          if (rs && (ev.type === 'DELETED' || ended)) this.reconcileReplicaSet(rs);
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
      case 'ResourceQuota':
        // Room may have been made (or the quota raised): ReplicaSets short of pods try again.
        if (ev.type === 'MODIFIED') this.retryShortReplicaSets(ns);
        break;
    }
  }

  /** Time passed: ReplicaSets retry what failed, Deployments check their progress deadline. */
  resync(): void {
    this.retryShortReplicaSets(undefined);
    for (const d of this.state.objectsOf<Workload>('Deployment')) this.syncDeploymentStatus(d);
  }

  private retryShortReplicaSets(ns: string | undefined): void {
    for (const rs of this.state.objectsOf<Workload>('ReplicaSet', ns))
      if ((rs.status?.replicas ?? 0) < (rs.spec.replicas ?? 1)) this.reconcileReplicaSet(rs);
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

  /**
   * Create one pod through the API (admission included); the refusal's message when it fails.
   * `words` are the controller's own: the ReplicaSet controller's `Created pod: <name>` /
   * `Error creating: <err>`, the StatefulSet controller's `create Pod <name> in StatefulSet
   * <set> successful` / `... failed error: <err>`.
   */
  private createPod(
    owner: Workload,
    pod: Pod,
    component: string,
    words: { created: (name: string) => string; failed: (err: string) => string },
  ): string | undefined {
    try {
      const made = this.api.create(this.def('Pod'), owner.metadata.namespace, pod, {
        fieldManager: 'kube-controller-manager',
      });
      recordEvent(this.state, owner, {
        type: 'Normal',
        reason: 'SuccessfulCreate',
        message: words.created(made.metadata.name),
        component,
      });
      return undefined;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      recordEvent(this.state, owner, {
        type: 'Warning',
        reason: 'FailedCreate',
        message: words.failed(e.message),
        component,
      });
      return e.message;
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
    const pods = this.owned<Pod>('Pod', rs).filter((p) => !p.metadata.deletionTimestamp && !isTerminal(p));
    let failure: string | undefined;
    // The first refusal stops this round (the controller's slow-start batches skip the rest).
    for (let i = pods.length; i < want && !failure; i++) {
      const pod = this.podFromTemplate(rs, rs.spec.template, { generateName: `${rs.metadata.name}-` } as Partial<
        Pod['metadata']
      >);
      failure = this.createPod(rs, pod, 'replicaset-controller', {
        created: (made) => `Created pod: ${made}`,
        failed: (err) => `Error creating: ${err}`,
      });
    }
    this.setReplicaFailure(rs, failure);
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
      this.createPod(sts, pod, 'statefulset-controller', {
        created: (made) => `create Pod ${made} in StatefulSet ${name} successful`,
        failed: (err) => `create Pod ${podName} in StatefulSet ${name} failed error: ${err}`,
      });
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

  /** The ReplicaFailure condition: the first refusal's message while pods cannot be made, gone once they can. */
  private setReplicaFailure(stale: Workload, failure: string | undefined): void {
    const rs = this.current<Workload>('ReplicaSet', stale.metadata.namespace, stale.metadata.name);
    if (!rs) return;
    const others = (rs.status?.conditions ?? []).filter((c) => c.type !== 'ReplicaFailure');
    const before = rs.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
    // Set once, with the first refusal's message; cleared when a round creates what it should.
    if (failure && before) return;
    const conditions = failure
      ? [
          ...others,
          {
            type: 'ReplicaFailure',
            status: 'True',
            lastTransitionTime: rfc3339(this.state.now()),
            reason: 'FailedCreate',
            message: failure,
          },
        ]
      : others;
    const { conditions: _c, ...rest } = rs.status ?? {};
    this.writeStatus(rs, conditions.length ? { ...rest, conditions } : rest, {});
  }

  private syncReplicaSetStatus(stale: Workload): void {
    const rs = this.current<Workload>('ReplicaSet', stale.metadata.namespace, stale.metadata.name);
    if (!rs) return;
    const pods = this.owned<Pod>('Pod', rs).filter((p) => !p.metadata.deletionTimestamp && !isTerminal(p));
    const ready = pods.filter(isReady).length;
    // apps/v1 omits zero counts (omitempty) except replicas.
    const status: Record<string, unknown> = { replicas: pods.length };
    if (pods.length) status['fullyLabeledReplicas'] = pods.length;
    if (ready) status['readyReplicas'] = ready;
    if (ready) status['availableReplicas'] = ready;
    status['observedGeneration'] = rs.metadata.generation;
    if (rs.status?.conditions?.length) status['conditions'] = rs.status.conditions;
    this.writeStatus(rs, status, {});
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

  private syncDeploymentStatus(stale: Workload): void {
    const deploy = this.current<Workload>('Deployment', stale.metadata.namespace, stale.metadata.name);
    if (!deploy) return;
    const sets = this.owned<Workload>('ReplicaSet', deploy);
    const count = (rs: Workload | undefined, k: string) =>
      Number((rs?.status as Record<string, unknown> | undefined)?.[k] ?? 0);
    const sum = (k: string) => sets.reduce((s, rs) => s + count(rs, k), 0);
    const revisionOf = (rs: Workload) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
    const newest = [...sets].sort((a, b) => revisionOf(b) - revisionOf(a))[0];
    const want = deploy.spec.replicas ?? 1;
    const now = rfc3339(this.state.now());
    const counts = {
      replicas: sum('replicas'),
      updatedReplicas: count(newest, 'replicas'),
      readyReplicas: sum('readyReplicas'),
      availableReplicas: sum('availableReplicas'),
      unavailableReplicas: Math.max(0, want - sum('availableReplicas')),
    };
    const prev = (deploy.status ?? {}) as Record<string, number | undefined>;
    let conditions = [...((deploy.status?.conditions ?? []) as DeploymentCondition[])];
    const find = (type: string) => conditions.find((c) => c.type === type);
    // SetDeploymentCondition: same status and reason → untouched; else replaced at the end.
    const set = (c: Omit<DeploymentCondition, 'lastUpdateTime' | 'lastTransitionTime'>) => {
      const cur = find(c.type);
      if (cur && cur.status === c.status && cur.reason === c.reason) return;
      const lastTransitionTime = cur && cur.status === c.status ? cur.lastTransitionTime : now;
      conditions = [...conditions.filter((x) => x.type !== c.type), { ...c, lastUpdateTime: now, lastTransitionTime }];
    };

    const available = counts.availableReplicas >= want - maxUnavailable(deploy, want);
    set(
      available
        ? {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
          }
        : {
            type: 'Available',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
          },
    );
    const rsName = newest?.metadata.name ?? deploy.metadata.name;
    const complete = counts.updatedReplicas === want && counts.replicas === want && counts.availableReplicas === want;
    const progressed =
      counts.updatedReplicas > (prev['updatedReplicas'] ?? 0) ||
      counts.readyReplicas > (prev['readyReplicas'] ?? 0) ||
      counts.availableReplicas > (prev['availableReplicas'] ?? 0) ||
      counts.replicas - counts.updatedReplicas < (prev['replicas'] ?? 0) - (prev['updatedReplicas'] ?? 0);
    const progressing = find('Progressing');
    if (complete)
      set({
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: `ReplicaSet "${rsName}" has successfully progressed.`,
      });
    else if (progressed || !progressing) {
      // Progress moves the condition to the end with a new lastUpdateTime, keeping its transition time.
      const keep = progressing?.status === 'True' ? progressing.lastTransitionTime : now;
      conditions = [
        ...conditions.filter((c) => c.type !== 'Progressing'),
        {
          type: 'Progressing',
          status: 'True',
          lastUpdateTime: now,
          lastTransitionTime: keep,
          reason: 'ReplicaSetUpdated',
          message: `ReplicaSet "${rsName}" is progressing.`,
        },
      ];
    } else if (timedOut(deploy, progressing, this.state.now()))
      set({
        type: 'Progressing',
        status: 'False',
        reason: 'ProgressDeadlineExceeded',
        message: `ReplicaSet "${rsName}" has timed out progressing.`,
      });
    const failure = sets
      .map((rs) => rs.status?.conditions?.find((c) => c.type === 'ReplicaFailure'))
      .find((c) => c?.status === 'True');
    if (failure)
      set({
        type: 'ReplicaFailure',
        status: 'True',
        reason: failure.reason as string,
        message: failure.message as string,
      });
    else conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');

    // apps/v1 DeploymentStatus: zero counts are omitted.
    const status: Record<string, unknown> = { observedGeneration: deploy.metadata.generation };
    for (const [k, v] of Object.entries(counts)) if (v) status[k] = v;
    status['conditions'] = conditions;
    this.writeStatus(deploy, status, {});
  }
}

interface DeploymentCondition {
  type: string;
  status: string;
  lastUpdateTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** MaxUnavailable of a RollingUpdate deployment: an int or a percentage of replicas, rounded down. */
function maxUnavailable(deploy: Workload, want: number): number {
  const strategy = (
    deploy.spec as { strategy?: { type?: string; rollingUpdate?: { maxUnavailable?: number | string } } }
  ).strategy;
  if (strategy?.type === 'Recreate') return 0;
  const v = strategy?.rollingUpdate?.maxUnavailable ?? '25%';
  const n =
    typeof v === 'number' ? v : /^(\d+)%$/.test(v) ? Math.floor((Number(v.slice(0, -1)) * want) / 100) : Number(v) || 0;
  return Math.min(n, want);
}

/** DeploymentTimedOut: no progress recorded for progressDeadlineSeconds. */
function timedOut(deploy: Workload, progressing: DeploymentCondition | undefined, now: number): boolean {
  const deadline = (deploy.spec as { progressDeadlineSeconds?: number }).progressDeadlineSeconds;
  if (deadline === undefined || !progressing || progressing.reason === 'NewReplicaSetAvailable') return false;
  if (progressing.reason === 'ProgressDeadlineExceeded') return true;
  return Date.parse(progressing.lastUpdateTime) + deadline * 1000 < now;
}
