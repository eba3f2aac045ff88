// The write path of the API server, independent of HTTP: create, update, patch, delete, the
// status and scale subresources, and dry runs. Each write goes defaults → admission →
// validation → storage, in that order, so a dry run (`dryRun=All`) answers exactly what a
// real write would store and stores nothing. The simulated controllers create pods through
// here too, so admission (e.g. ServiceAccount pull-secret copying) applies to them.
import { randomUUID } from 'node:crypto';
import type { KubeObject, Pod, Workload } from '../model/k8s.js';
import { admitMutating, admitValidating } from './admission.js';
import { rfc3339 } from './clock.js';
import { applyDefaults, defaultPodSpec, randomSuffix } from './defaults.js';
import { changedFields, recordManager, type ManagedFieldsEntry } from './managed-fields.js';
import { jsonPatch, mergePatch, strategicMergePatch, STRATEGIC_KINDS } from './patch.js';
import { apiVersionOf, type ResourceDef } from './resources.js';
import type { Entry, SimState } from './state.js';
import { badRequest, conflict, invalid, notFound, success, unsupportedMediaType, type StatusBody } from './status.js';
import { formatLabelSelector } from './table.js';
import { validate, validatePodUpdate } from './validate.js';

export interface WriteOptions {
  dryRun?: boolean;
  /** Who is writing (managedFields): the fieldManager parameter or the client's name. */
  fieldManager?: string;
}

type Obj = Record<string, unknown>;

/** Kinds whose status only the status subresource may change (and create resets). */
const STATUS_KINDS = new Set([
  'Pod',
  'Deployment',
  'StatefulSet',
  'ReplicaSet',
  'DaemonSet',
  'Job',
  'Service',
  'PersistentVolumeClaim',
  'PersistentVolume',
  'Namespace',
  'Node',
  'CustomResourceDefinition',
  'CronJob',
  'Ingress',
  'ResourceQuota',
  'PodDisruptionBudget',
  'HorizontalPodAutoscaler',
]);

function qosClass(pod: Pod): string {
  const cs = [...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? [])];
  const any = cs.some(
    (c) => Object.keys(c.resources?.requests ?? {}).length || Object.keys(c.resources?.limits ?? {}).length,
  );
  if (!any) return 'BestEffort';
  const guaranteed = cs.every((c) =>
    ['cpu', 'memory'].every((r) => {
      const limit = c.resources?.limits?.[r];
      const request = c.resources?.requests?.[r] ?? limit;
      return limit !== undefined && request === limit;
    }),
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** What `create` resets: clients cannot create objects with a status. */
function initialStatus(obj: KubeObject): unknown {
  switch (obj.kind) {
    case 'Pod':
      return { phase: 'Pending', qosClass: qosClass(obj as Pod) };
    case 'Namespace':
      return { phase: 'Active' };
    case 'PersistentVolumeClaim':
    case 'PersistentVolume':
      return { phase: 'Pending' };
    case 'Service':
    case 'Ingress':
      return { loadBalancer: {} };
    case 'CustomResourceDefinition':
      return { conditions: [], acceptedNames: { plural: '', kind: '' }, storedVersions: [] };
    case 'PodDisruptionBudget':
      return { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
    case 'HorizontalPodAutoscaler':
      return { currentReplicas: 0, desiredReplicas: 0 };
    default:
      return {};
  }
}

/** What a real API server warns when a delete leaves a batch/v1 Job's pods behind by default. */
export const JOB_ORPHAN_WARNING =
  'child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning';

/** Whether a delete leaves the object's dependents in place (an explicit policy wins over the kind's default). */
function orphans(d: ResourceDef, options: { propagationPolicy?: string; orphanDependents?: boolean }): boolean {
  if (options.propagationPolicy !== undefined) return options.propagationPolicy === 'Orphan';
  if (options.orphanDependents !== undefined) return options.orphanDependents;
  return jobDefaultsToOrphan(d);
}

export const jobDefaultsToOrphan = (d: ResourceDef): boolean =>
  d.group === 'batch' && d.version === 'v1' && d.kind === 'Job';

const withoutStatus = (o: KubeObject): KubeObject => {
  const { status: _s, ...rest } = o as KubeObject & { status?: unknown };
  return rest as KubeObject;
};

export class SimApi {
  constructor(readonly state: SimState) {}

  private existing(d: ResourceDef, ns: string | undefined, name: string): Entry {
    const e = this.state.get(d, ns, name);
    if (!e) throw notFound(d, name);
    return e;
  }

  private managed(
    d: ResourceDef,
    prev: KubeObject | undefined,
    next: KubeObject,
    touched: Obj,
    opts: WriteOptions,
    subresource?: string,
  ): KubeObject {
    const entry = {
      manager: opts.fieldManager ?? 'unknown',
      apiVersion: apiVersionOf(d),
      time: rfc3339(this.state.now()),
      ...(subresource ? { subresource } : {}),
    };
    const managedFields = recordManager(
      prev?.metadata.managedFields as ManagedFieldsEntry[] | undefined,
      entry,
      touched,
    );
    return { ...next, metadata: { ...next.metadata, managedFields } };
  }

  /** POST: defaults, admission, validation, then store (unless dry run). */
  create(d: ResourceDef, namespace: string | undefined, body: unknown, opts: WriteOptions = {}): KubeObject {
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw badRequest('the body of the request must be a JSON object');
    const input = body as KubeObject;
    const meta = { ...(input.metadata ?? {}) } as KubeObject['metadata'] & { generateName?: string };
    if (d.namespaced) {
      if (meta.namespace && meta.namespace !== namespace)
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      meta.namespace = namespace as string;
      const nsDef = this.state.registry.forKind('Namespace');
      if (nsDef && !this.state.get(nsDef, undefined, namespace as string)) throw notFound(nsDef, namespace as string);
    } else delete meta.namespace;
    for (const k of ['resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'managedFields'] as const)
      delete meta[k];
    // The uid exists from the start: defaulting may use it (a Job's selector names its own uid).
    meta.uid = randomUUID();

    let obj: KubeObject = { ...input, kind: d.kind, apiVersion: apiVersionOf(d), metadata: meta };
    // Nodes are the exception: they may be created with a status (the kubelet registers them so).
    if (STATUS_KINDS.has(d.kind) && d.kind !== 'Node') obj = { ...obj, status: initialStatus(obj) } as KubeObject;
    obj = applyDefaults(obj);
    obj = admitMutating(this.state, d, obj, 'CREATE');
    const named = obj.metadata as KubeObject['metadata'] & { generateName?: string };
    if (!named.name && named.generateName)
      obj = { ...obj, metadata: { ...named, name: `${named.generateName}${randomSuffix()}` } };
    const errors = validate(obj);
    if (errors.length) throw invalid(d, obj.metadata.name ?? named.generateName ?? '', errors);
    admitValidating(this.state, d, obj, 'CREATE');
    obj = this.managed(d, undefined, obj, withoutStatus(obj) as unknown as Obj, opts);
    if (opts.dryRun) return this.preview(d, obj);
    return this.state.create(obj).obj;
  }

  /** What a dry-run create answers: the object with the server's fields, never stored. */
  private preview(d: ResourceDef, obj: KubeObject): KubeObject {
    const meta = { ...obj.metadata, uid: randomUUID(), creationTimestamp: rfc3339(this.state.now()) };
    if (d.hasGeneration) meta.generation = 1;
    return { ...obj, metadata: meta };
  }

  /** PUT on the object or its status subresource. */
  replace(
    d: ResourceDef,
    namespace: string | undefined,
    name: string,
    body: unknown,
    opts: WriteOptions = {},
    subresource?: string,
  ): KubeObject {
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw badRequest('the body of the request must be a JSON object');
    const input = body as KubeObject;
    if (input.metadata?.name && input.metadata.name !== name)
      throw badRequest(`the name of the object (${input.metadata.name}) does not match the name on the URL (${name})`);
    if (d.namespaced && input.metadata?.namespace && input.metadata.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const prev = this.existing(d, namespace, name);
    return this.write(d, prev, { ...input, metadata: { ...(input.metadata ?? { name }), name } }, opts, subresource);
  }

  /** PATCH: apply the patch to the stored object, then write it like a PUT. */
  patch(
    d: ResourceDef,
    namespace: string | undefined,
    name: string,
    contentType: string,
    body: unknown,
    opts: WriteOptions = {},
    subresource?: string,
  ): KubeObject {
    const prev = this.existing(d, namespace, name);
    const patched = this.applyPatch(d, prev.obj, contentType, body) as KubeObject;
    const wanted = (body as { metadata?: { resourceVersion?: string } } | null)?.metadata?.resourceVersion;
    const next = {
      ...patched,
      metadata: { ...patched.metadata, resourceVersion: wanted ?? (prev.obj.metadata.resourceVersion as string) },
    };
    return this.write(d, prev, next, opts, subresource);
  }

  /** The patch format a Content-Type names; 415 for one this resource does not take. */
  patchFormat(d: ResourceDef, contentType: string): 'merge' | 'json' | 'strategic' {
    switch (contentType.split(';')[0]?.trim()) {
      case 'application/merge-patch+json':
        return 'merge';
      case 'application/json-patch+json':
        return 'json';
      case 'application/strategic-merge-patch+json':
        // Only built-in types carry the patch strategies; custom resources refuse this format.
        if (!STRATEGIC_KINDS.has(d.kind) || (d.origin ?? 'builtin') !== 'builtin') {
          throw unsupportedMediaType(`strategic merge patch format is not supported for ${d.kind}`);
        }
        return 'strategic';
      default:
        throw unsupportedMediaType(contentType);
    }
  }

  private applyPatch(d: ResourceDef, target: KubeObject, contentType: string, body: unknown): unknown {
    switch (this.patchFormat(d, contentType)) {
      case 'merge':
        return mergePatch(target, body);
      case 'json':
        return jsonPatch(target, body);
      case 'strategic':
        return strategicMergePatch(d.kind, target, body);
    }
  }

  private write(d: ResourceDef, prev: Entry, input: KubeObject, opts: WriteOptions, subresource?: string): KubeObject {
    const wanted = input.metadata.resourceVersion;
    if (wanted && wanted !== prev.obj.metadata.resourceVersion) throw conflict(d, prev.obj.metadata.name);
    const old = prev.obj as KubeObject & { status?: unknown };
    let next: KubeObject & { status?: unknown };
    if (subresource === 'status') {
      // The status subresource changes status only; the rest of the object stays as stored.
      next = { ...old, status: (input as { status?: unknown }).status };
    } else {
      next = { ...input, kind: d.kind, apiVersion: apiVersionOf(d) } as KubeObject & { status?: unknown };
      next.metadata = {
        ...next.metadata,
        uid: old.metadata.uid as string,
        creationTimestamp: old.metadata.creationTimestamp as string,
      };
      if (d.namespaced) next.metadata.namespace = old.metadata.namespace as string;
      if (STATUS_KINDS.has(d.kind)) next.status = old.status;
      if (d.kind === 'Service') {
        const oldSpec = (old as { spec?: Obj }).spec ?? {};
        next = {
          ...next,
          spec: {
            ...((next as { spec?: Obj }).spec ?? {}),
            clusterIP: oldSpec['clusterIP'],
            clusterIPs: oldSpec['clusterIPs'],
          },
        } as typeof next;
      }
      if (d.kind === 'Pod')
        next = { ...next, spec: defaultPodSpec((next as Pod).spec ?? { containers: [] }) } as typeof next;
      next = admitMutating(this.state, d, next, 'UPDATE') as typeof next;
      const errors = validate(next);
      if (d.kind === 'Pod' && !d.group && !errors.length) errors.push(...validatePodUpdate(old as Pod, next as Pod));
      if (errors.length) throw invalid(d, prev.obj.metadata.name, errors);
      admitValidating(this.state, d, next, 'UPDATE');
    }
    const touched = changedFields(
      subresource === 'status' ? { status: old.status } : withoutStatus(old),
      subresource === 'status' ? { status: next.status } : withoutStatus(next),
    );
    next = this.managed(d, old, next, (touched ?? {}) as Obj, opts, subresource);
    next.metadata.resourceVersion = old.metadata.resourceVersion as string;
    if (opts.dryRun) return next;
    return this.state.update(next).obj;
  }

  /**
   * DELETE: pods answer with the object marked for deletion, Services with the object, the rest
   * with a Success Status. A pod on a node terminates first (MODIFIED with deletionTimestamp),
   * then goes (DELETED), so watchers see it Terminating as on a real cluster.
   *
   * What the object owns goes with it (the garbage collector, src/sim/controller.ts) unless
   * the delete orphans it: `propagationPolicy: Orphan`, or no policy on a batch/v1 Job, whose
   * default stays Orphan for compatibility (pkg/registry/batch/job). An orphaning delete
   * answers with the object held by the `orphan` finalizer, and its dependents lose their
   * owner reference before it goes.
   */
  delete(
    d: ResourceDef,
    namespace: string | undefined,
    name: string,
    body: unknown,
    opts: WriteOptions = {},
  ): KubeObject | StatusBody {
    const prev = this.existing(d, namespace, name);
    const options = (body ?? {}) as {
      preconditions?: { uid?: string; resourceVersion?: string };
      gracePeriodSeconds?: number;
      propagationPolicy?: string;
      orphanDependents?: boolean;
    };
    const pre = options.preconditions;
    if (pre?.resourceVersion && pre.resourceVersion !== prev.obj.metadata.resourceVersion) throw conflict(d, name);
    if (pre?.uid && pre.uid !== prev.obj.metadata.uid) throw conflict(d, name);
    const grace = options.gracePeriodSeconds ?? 30;
    const terminating = {
      ...prev.obj,
      metadata: {
        ...prev.obj.metadata,
        deletionTimestamp: rfc3339(this.state.now() + grace * 1000),
        deletionGracePeriodSeconds: grace,
      } as KubeObject['metadata'],
    };
    const orphan = orphans(d, options);
    const answer = orphan
      ? { ...terminating, metadata: { ...terminating.metadata, finalizers: ['orphan'] } }
      : d.kind === 'Pod'
        ? terminating
        : d.kind === 'Service'
          ? prev.obj
          : success(d, name, prev.obj.metadata.uid);
    if (opts.dryRun) return answer;
    if (orphan) this.orphanDependents(prev.obj);
    if (d.kind === 'Namespace') this.emptyNamespace(name);
    if (d.kind === 'Pod' && (prev.obj as Pod).spec?.nodeName && grace > 0) {
      this.state.update({ ...terminating, metadata: { ...terminating.metadata, resourceVersion: '' } });
    }
    this.state.remove(d, namespace, name);
    return answer;
  }

  /** What the garbage collector does for an orphaning delete: every dependent loses its reference to `owner`. */
  private orphanDependents(owner: KubeObject): void {
    const uid = owner.metadata.uid;
    for (const def of this.state.registry.all) {
      if (!def.namespaced || def.kind === 'Event') continue;
      for (const e of this.state.list(def, owner.metadata.namespace)) {
        const refs = e.obj.metadata.ownerReferences;
        if (!refs?.some((r) => r.uid === uid)) continue;
        const { ownerReferences: _, ...rest } = e.obj.metadata;
        const kept = refs.filter((r) => r.uid !== uid);
        this.state.update({ ...e.obj, metadata: kept.length > 0 ? { ...rest, ownerReferences: kept } : rest });
      }
    }
  }

  /** A namespace's contents go before the namespace itself (the namespace controller's job). */
  private emptyNamespace(ns: string): void {
    for (const def of this.state.registry.all) {
      if (!def.namespaced) continue;
      for (const e of this.state.list(def, ns)) this.state.remove(def, ns, e.obj.metadata.name);
    }
  }

  /** The autoscaling/v1 Scale view of a workload. */
  scaleOf(d: ResourceDef, namespace: string | undefined, name: string): Obj {
    const w = this.existing(d, namespace, name).obj as Workload;
    const m = w.metadata;
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {
        name: m.name,
        namespace: m.namespace,
        uid: m.uid,
        resourceVersion: m.resourceVersion,
        creationTimestamp: m.creationTimestamp,
      },
      spec: { replicas: w.spec.replicas ?? 1 },
      status: {
        replicas: w.status?.replicas ?? 0,
        selector: formatLabelSelector(w.spec.selector).replace(/^<none>$/, ''),
      },
    };
  }

  /** PUT or PATCH on /scale: only spec.replicas changes. */
  writeScale(
    d: ResourceDef,
    namespace: string | undefined,
    name: string,
    change: { contentType?: string; body: unknown },
    opts: WriteOptions = {},
  ): Obj {
    const current = this.scaleOf(d, namespace, name);
    const wanted = change.contentType
      ? (this.applyPatch(d, current as unknown as KubeObject, change.contentType, change.body) as Obj)
      : (change.body as Obj);
    const replicas = (wanted?.['spec'] as { replicas?: unknown } | undefined)?.replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw invalid({ ...d, kind: 'Scale', group: 'autoscaling' }, name, [
        {
          type: 'FieldValueInvalid',
          field: 'spec.replicas',
          body: `Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0`,
        },
      ]);
    }
    const wantedRv = (wanted['metadata'] as { resourceVersion?: string } | undefined)?.resourceVersion;
    const prev = this.existing(d, namespace, name);
    if (wantedRv && wantedRv !== prev.obj.metadata.resourceVersion) throw conflict(d, name);
    const w = prev.obj as Workload;
    const next = { ...w, spec: { ...w.spec, replicas } };
    this.write(d, prev, { ...next, metadata: { ...next.metadata, resourceVersion: '' } }, opts);
    if (opts.dryRun) return { ...current, spec: { replicas } };
    return this.scaleOf(d, namespace, name);
  }
}
