// The DaemonSet controller (pkg/controller/daemon): one pod per node the DaemonSet should run
// on. Whether it should is the controller's own predicate, not the scheduler's: the template's
// nodeSelector and required node affinity, and its taints against the template's tolerations
// plus the ones the controller adds to every daemon pod (pkg/controller/daemon/util,
// AddOrUpdateDaemonPodTolerations) — not-ready and unreachable NoExecute, disk-, memory- and
// pid-pressure and unschedulable NoSchedule, network-unavailable for hostNetwork pods. So a
// cordoned node still gets its daemon pod, and a node tainted with anything else is skipped
// by design: not desired, no pod, no event. An untolerated NoSchedule taint leaves a running
// pod alone; NoExecute removes it. Pods are not bound by the controller: each is pinned with a
// required node affinity `matchFields metadata.name In [<node>]` and the scheduler places it.
// Events are the shared pod control's (`Created pod: <name>`, `Error creating: <err>`,
// `Deleted pod: <name>`); a failed daemon pod is killed (`FailedDaemonPod`) and replaced. A
// template change rolls out with maxUnavailable (default 1): old pods that are not available
// go first, then available ones while the unavailable count stays within the budget. A pod is
// current when it carries the template's hash or its template generation, so the daemon pods
// a scenario writes out are adopted, not replaced.
import type { Node, Pod, Toleration, Workload } from '../../model/k8s.js';
import type { SimApi } from '../api.js';
import { recordEvent } from '../events.js';
import { matchesNodeAffinity, untoleratedTaint } from '../scheduler.js';
import type { SimState, WatchEvent } from '../state.js';
import { ApiError } from '../status.js';
import { controllerOf, isReady, ownedBy, ownerRef, writeStatus } from './util.js';

const COMPONENT = 'daemonset-controller';
const HASH_LABEL = 'controller-revision-hash';
const GENERATION_LABEL = 'pod-template-generation';

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** A revision hash for the template (FNV-1a, safe-encoded), as the pods' controller-revision-hash label. */
function revisionHash(template: unknown): string {
  let h = 0x811c9dc5;
  for (const ch of JSON.stringify(template)) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return [...String(h)].map((c) => ALPHANUMS[c.charCodeAt(0) % ALPHANUMS.length]).join('');
}

/** The tolerations the controller adds to every daemon pod, in its order. */
function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const exists = (key: string, effect: string): Toleration => ({ key, operator: 'Exists', effect });
  return [
    exists('node.kubernetes.io/not-ready', 'NoExecute'),
    exists('node.kubernetes.io/unreachable', 'NoExecute'),
    exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
    ...(hostNetwork ? [exists('node.kubernetes.io/network-unavailable', 'NoSchedule')] : []),
  ];
}

/** AddOrUpdateTolerationInPodSpec: an equal toleration is kept in place, a new one appended. */
function withDaemonTolerations(spec: Pod['spec']): Toleration[] {
  const out = [...(spec.tolerations ?? [])];
  const same = (a: Toleration, b: Toleration) =>
    a.key === b.key && a.operator === b.operator && (a.value ?? '') === (b.value ?? '') && a.effect === b.effect;
  for (const t of daemonTolerations(!!(spec as { hostNetwork?: boolean }).hostNetwork))
    if (!out.some((o) => same(o, t))) out.push(t);
  return out;
}

/** The node a daemon pod is meant for: its nodeName once bound, else its matchFields pin. */
function targetNode(pod: Pod): string | undefined {
  if (pod.spec.nodeName) return pod.spec.nodeName;
  const terms =
    (
      pod.spec.affinity?.nodeAffinity as
        | {
            requiredDuringSchedulingIgnoredDuringExecution?: {
              nodeSelectorTerms?: { matchFields?: { key: string; operator: string; values?: string[] }[] }[];
            };
          }
        | undefined
    )?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms)
    for (const f of term.matchFields ?? [])
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  return undefined;
}

const isFailed = (p: Pod) => p.status?.phase === 'Failed';

/** The template generation the API server keeps in this annotation (DaemonSets written before revision hashes). */
const TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';

function templateGeneration(ds: Workload): string {
  return ds.metadata.annotations?.[TEMPLATE_GENERATION] ?? String(ds.metadata.generation ?? 1);
}

/** IsPodUpdated: the pod carries the current template's hash, or its template generation. */
function isUpdated(ds: Workload, pod: Pod): boolean {
  const labels = pod.metadata.labels ?? {};
  const generation = ds.metadata.annotations?.[TEMPLATE_GENERATION];
  return (
    labels[HASH_LABEL] === revisionHash(ds.spec.template) || (!!generation && labels[GENERATION_LABEL] === generation)
  );
}

/** MaxUnavailable of a RollingUpdate DaemonSet: an int or a percentage of the desired pods, rounded up. */
function maxUnavailable(ds: Workload, desired: number): number {
  const rolling = (ds.spec.updateStrategy as { rollingUpdate?: { maxUnavailable?: number | string } } | undefined)
    ?.rollingUpdate;
  const v = rolling?.maxUnavailable ?? 1;
  if (typeof v === 'number') return v;
  const pct = /^(\d+)%$/.exec(v);
  return pct ? Math.ceil((Number(pct[1]) * desired) / 100) : Number(v) || 0;
}

export class DaemonSetController {
  constructor(
    private readonly state: SimState,
    private readonly api: SimApi,
  ) {}

  handle(ev: WatchEvent): void {
    const obj = ev.entry.obj;
    switch (ev.entry.def.kind) {
      case 'DaemonSet': {
        const specChanged =
          ev.type === 'ADDED' ||
          (ev.type === 'MODIFIED' &&
            JSON.stringify((ev.prev?.obj as Workload | undefined)?.spec) !== JSON.stringify((obj as Workload).spec));
        if (ev.type !== 'DELETED' && specChanged) this.sync(obj as Workload);
        break;
      }
      case 'Node': {
        // Labels, taints or the node itself changed: which nodes want a daemon pod may have too.
        const placement = (n: Node | undefined) => JSON.stringify([n?.metadata.labels, n?.spec]);
        if (ev.type !== 'MODIFIED' || placement(ev.prev?.obj as Node) !== placement(obj as Node))
          for (const ds of this.state.objectsOf<Workload>('DaemonSet')) this.sync(ds);
        break;
      }
      case 'Pod': {
        const owner = controllerOf(obj);
        if (owner?.kind !== 'DaemonSet') break;
        const ds = this.state.find('DaemonSet', obj.metadata.namespace, owner.name) as Workload | undefined;
        if (ds?.metadata.uid === owner.uid) this.sync(ds);
        break;
      }
    }
  }

  /** Time passed: creations that failed are tried again. */
  resync(): void {
    for (const ds of this.state.objectsOf<Workload>('DaemonSet')) this.sync(ds);
  }

  private sync(stale: Workload): void {
    const ds = this.state.find('DaemonSet', stale.metadata.namespace, stale.metadata.name) as Workload | undefined;
    if (!ds || ds.metadata.deletionTimestamp) return;
    this.manage(ds);
    this.rollingUpdate(ds);
    this.syncStatus(ds);
  }

  private podDef() {
    const d = this.state.registry.forKind('Pod');
    if (!d) throw new Error('kind Pod is not served');
    return d;
  }

  /** nodeShouldRunDaemonPod: [should a new pod go there, may an existing one stay]. */
  private shouldRun(ds: Workload, node: Node): [boolean, boolean] {
    const pod = { metadata: { name: '' }, spec: { ...ds.spec.template.spec } } as Pod;
    pod.spec.tolerations = withDaemonTolerations(pod.spec);
    if (!matchesNodeAffinity(pod, node)) return [false, false];
    if (!untoleratedTaint(pod, node)) return [true, true];
    return [false, !untoleratedTaint(pod, node, ['NoExecute'])];
  }

  private livePods(ds: Workload): Pod[] {
    return ownedBy<Pod>(this.state, 'Pod', ds).filter((p) => !p.metadata.deletionTimestamp);
  }

  private manage(ds: Workload): void {
    const nodes = this.state.objectsOf<Node>('Node');
    const pods = this.livePods(ds);
    const toDelete: Pod[] = [];
    const toCreate: string[] = [];
    for (const node of nodes) {
      const [run, stay] = this.shouldRun(ds, node);
      const here = pods.filter((p) => targetNode(p) === node.metadata.name);
      if (!stay) {
        toDelete.push(...here);
        continue;
      }
      if (run && here.length === 0) toCreate.push(node.metadata.name);
      // A failed pod is killed; its replacement comes in the sync its deletion causes.
      for (const p of here.filter(isFailed)) {
        recordEvent(this.state, ds, {
          type: 'Warning',
          reason: 'FailedDaemonPod',
          message: `Found failed daemon pod ${p.metadata.namespace}/${p.metadata.name} on node ${node.metadata.name}, will try to kill it`,
          component: COMPONENT,
        });
        toDelete.push(p);
      }
      // More than one daemon pod on a node: the oldest stays.
      toDelete.push(
        ...here
          .filter((p) => !isFailed(p))
          .sort((a, b) => this.age(a, b))
          .slice(1),
      );
    }
    const known = new Set(nodes.map((n) => n.metadata.name));
    toDelete.push(...pods.filter((p) => !known.has(targetNode(p) ?? '')));
    for (const p of toDelete) this.deletePod(ds, p);
    // Slow start: the first refusal ends this round; the next sync tries again.
    for (const node of toCreate) if (!this.createPod(ds, node)) break;
  }

  private age(a: Pod, b: Pod): number {
    return (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '');
  }

  private newPod(ds: Workload, node: string): Pod {
    const template = ds.spec.template;
    const spec = structuredClone(template.spec);
    spec.tolerations = withDaemonTolerations(spec);
    // ReplaceDaemonSetPodNodeNameNodeAffinity: the required node selector becomes the pin alone.
    spec.affinity = {
      ...(spec.affinity ?? {}),
      nodeAffinity: {
        ...(spec.affinity?.nodeAffinity ?? {}),
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
        },
      },
    };
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: '',
        generateName: `${ds.metadata.name}-`,
        namespace: ds.metadata.namespace,
        labels: {
          ...(template.metadata?.labels ?? {}),
          [HASH_LABEL]: revisionHash(template),
          [GENERATION_LABEL]: templateGeneration(ds),
        },
        ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
        ownerReferences: [ownerRef(ds)],
      } as Pod['metadata'],
      spec,
    };
  }

  private createPod(ds: Workload, node: string): boolean {
    try {
      const made = this.api.create(this.podDef(), ds.metadata.namespace, this.newPod(ds, node), {
        fieldManager: 'kube-controller-manager',
      });
      recordEvent(this.state, ds, {
        type: 'Normal',
        reason: 'SuccessfulCreate',
        message: `Created pod: ${made.metadata.name}`,
        component: COMPONENT,
      });
      return true;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      recordEvent(this.state, ds, {
        type: 'Warning',
        reason: 'FailedCreate',
        message: `Error creating: ${e.message}`,
        component: COMPONENT,
      });
      return false;
    }
  }

  private deletePod(ds: Workload, pod: Pod): void {
    this.state.remove(this.podDef(), pod.metadata.namespace, pod.metadata.name);
    recordEvent(this.state, ds, {
      type: 'Normal',
      reason: 'SuccessfulDelete',
      message: `Deleted pod: ${pod.metadata.name}`,
      component: COMPONENT,
    });
  }

  /** Old-template pods make way within maxUnavailable; manage() creates their replacements. */
  private rollingUpdate(ds: Workload): void {
    if ((ds.spec.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return;
    const pods = this.livePods(ds).filter((p) => !isFailed(p));
    const desiredNodes = this.state.objectsOf<Node>('Node').filter((n) => this.shouldRun(ds, n)[0]);
    let unavailable = desiredNodes.filter(
      (n) => !pods.some((p) => targetNode(p) === n.metadata.name && isReady(p)),
    ).length;
    const budget = maxUnavailable(ds, desiredNodes.length);
    const old = pods.filter((p) => !isUpdated(ds, p)).sort((a, b) => this.age(a, b));
    // Old pods that are not available anyway cost nothing to replace.
    for (const p of old.filter((p) => !isReady(p))) this.deletePod(ds, p);
    for (const p of old.filter(isReady)) {
      if (unavailable >= budget) break;
      this.deletePod(ds, p);
      unavailable++;
    }
  }

  private syncStatus(ds: Workload): void {
    const current = this.state.find('DaemonSet', ds.metadata.namespace, ds.metadata.name) as Workload | undefined;
    if (!current) return;
    const pods = this.livePods(current).filter((p) => !isFailed(p));
    let desired = 0;
    let scheduled = 0;
    let misscheduled = 0;
    let ready = 0;
    let updated = 0;
    for (const node of this.state.objectsOf<Node>('Node')) {
      const here = pods.filter((p) => targetNode(p) === node.metadata.name).sort((a, b) => this.age(a, b));
      if (this.shouldRun(current, node)[0]) {
        desired++;
        if (here.length === 0) continue;
        scheduled++;
        if (isReady(here[0]!)) ready++;
        if (here.some((p) => isUpdated(current, p))) updated++;
      } else if (here.length) misscheduled++;
    }
    // apps/v1 DaemonSetStatus: the four counts always, the rest omitted when zero; availability is
    // readiness here (no minReadySeconds wait).
    const status: Record<string, unknown> = {
      currentNumberScheduled: scheduled,
      numberMisscheduled: misscheduled,
      desiredNumberScheduled: desired,
      numberReady: ready,
      observedGeneration: current.metadata.generation,
    };
    if (updated) status['updatedNumberScheduled'] = updated;
    if (ready) status['numberAvailable'] = ready;
    if (desired - ready > 0) status['numberUnavailable'] = desired - ready;
    writeStatus(this.state, current, status);
  }
}
