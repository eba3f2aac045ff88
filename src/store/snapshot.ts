// An immutable picture of the cluster at one moment, with the indexes rules need.
// Built from plain object lists (a one-shot load for `diagnose`, or the live store for the
// cockpit). Indexes are built on first use and belong to the list they index, not to the
// snapshot: the live store builds the next snapshot from the same arrays for every list that
// did not change, so 200 pod updates a second rebuild the pod indexes only, never the index of
// 50,000 events (each rebuild is garbage that outlives a scavenge and swells the heap).
import { ResourceCatalog } from '../model/resource-catalog.js';
import type {
  ApiResourceInfo,
  ConfigMapSummary,
  CronJob,
  EndpointSlice,
  HelmRelease,
  HorizontalPodAutoscaler,
  Ingress,
  IngressClass,
  Job,
  KubeEvent,
  KubeObject,
  LimitRange,
  LogTail,
  Namespace,
  NetworkPolicy,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  PodDisruptionBudget,
  ResourceQuota,
  SecretSummary,
  Service,
  ServiceAccount,
  StorageClass,
  WebhookConfiguration,
  Workload,
} from '../model/k8s.js';
import { matchesSelector } from '../model/selectors.js';
import { compareText } from '../util/order.js';

export interface SnapshotInput {
  /** The namespace diagnosed, or undefined for all namespaces. */
  namespace?: string;
  pods?: Pod[];
  events?: KubeEvent[];
  nodes?: Node[];
  namespaces?: Namespace[];
  deployments?: Workload[];
  statefulSets?: Workload[];
  replicaSets?: Workload[];
  daemonSets?: Workload[];
  jobs?: Job[];
  services?: Service[];
  serviceAccounts?: ServiceAccount[];
  secrets?: SecretSummary[];
  configMaps?: ConfigMapSummary[];
  pvcs?: PersistentVolumeClaim[];
  webhooks?: WebhookConfiguration[];
  helmReleases?: HelmRelease[];
  resourceQuotas?: ResourceQuota[];
  limitRanges?: LimitRange[];
  persistentVolumes?: PersistentVolume[];
  storageClasses?: StorageClass[];
  ingresses?: Ingress[];
  ingressClasses?: IngressClass[];
  endpointSlices?: EndpointSlice[];
  cronJobs?: CronJob[];
  horizontalPodAutoscalers?: HorizontalPodAutoscaler[];
  podDisruptionBudgets?: PodDisruptionBudget[];
  networkPolicies?: NetworkPolicy[];
  apiResources?: ApiResourceInfo[];
  /** Groups discovery reported (`''` for core, `apps`, `cert-manager.io`, ...). */
  apiGroups?: string[];
  logs?: LogTail[];
  /**
   * The snapshot this one replaces. Indexes over a list passed here as the very same array are
   * taken over instead of rebuilt; whoever passes it promises those arrays were not changed.
   */
  previous?: Snapshot;
  /**
   * Lists the user may not read (403), so rules can say "could not check" instead of guessing;
   * `pods/log` when container logs were refused.
   */
  forbidden?: string[];
  version?: number;
  takenAt?: number;
}

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'ReplicaSet' | 'DaemonSet' | 'Job';

export const key = (namespace: string | undefined, name: string): string => `${namespace ?? ''}/${name}`;

function indexBy<T extends KubeObject>(items: readonly T[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) map.set(key(item.metadata.namespace, item.metadata.name), item);
  return map;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = keyOf(item);
    if (k === undefined) continue;
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

export function eventTime(e: KubeEvent): string {
  return (
    e.lastTimestamp ??
    e.series?.lastObservedTime ??
    e.eventTime ??
    e.firstTimestamp ??
    e.metadata.creationTimestamp ??
    ''
  );
}

/** Snapshots share discovery's array until discovery is read again: so do they their catalog. */
const CATALOGS = new WeakMap<readonly ApiResourceInfo[], ResourceCatalog>();

export class Snapshot {
  readonly namespace: string | undefined;
  readonly version: number;
  readonly takenAt: number;
  readonly pods: readonly Pod[];
  readonly events: readonly KubeEvent[];
  readonly nodes: readonly Node[];
  readonly namespaces: readonly Namespace[];
  readonly deployments: readonly Workload[];
  readonly statefulSets: readonly Workload[];
  readonly replicaSets: readonly Workload[];
  readonly daemonSets: readonly Workload[];
  readonly jobs: readonly Job[];
  readonly services: readonly Service[];
  readonly serviceAccounts: readonly ServiceAccount[];
  readonly secrets: readonly SecretSummary[];
  readonly configMaps: readonly ConfigMapSummary[];
  readonly pvcs: readonly PersistentVolumeClaim[];
  readonly webhooks: readonly WebhookConfiguration[];
  readonly helmReleases: readonly HelmRelease[];
  readonly resourceQuotas: readonly ResourceQuota[];
  readonly limitRanges: readonly LimitRange[];
  readonly persistentVolumes: readonly PersistentVolume[];
  readonly storageClasses: readonly StorageClass[];
  readonly ingresses: readonly Ingress[];
  readonly ingressClasses: readonly IngressClass[];
  readonly endpointSlices: readonly EndpointSlice[];
  readonly cronJobs: readonly CronJob[];
  readonly horizontalPodAutoscalers: readonly HorizontalPodAutoscaler[];
  readonly podDisruptionBudgets: readonly PodDisruptionBudget[];
  readonly networkPolicies: readonly NetworkPolicy[];
  readonly apiResources: readonly ApiResourceInfo[];
  readonly apiGroups: ReadonlySet<string>;
  readonly logs: readonly LogTail[];
  readonly forbidden: ReadonlySet<string>;

  /** Indexes of each list, by index name: shared with the previous snapshot for unchanged lists. */
  private readonly indexes = new Map<readonly unknown[], Map<string, unknown>>();
  private readonly byKind: ReadonlyMap<string, readonly KubeObject[]>;
  /** topOwner's answers: rules ask it of every pod, several times over. */
  private readonly tops = new WeakMap<KubeObject, KubeObject>();

  constructor(input: SnapshotInput) {
    this.namespace = input.namespace;
    this.version = input.version ?? 0;
    this.takenAt = input.takenAt ?? 0;
    this.pods = input.pods ?? [];
    this.events = input.events ?? [];
    this.nodes = input.nodes ?? [];
    this.namespaces = input.namespaces ?? [];
    this.deployments = input.deployments ?? [];
    this.statefulSets = input.statefulSets ?? [];
    this.replicaSets = input.replicaSets ?? [];
    this.daemonSets = input.daemonSets ?? [];
    this.jobs = input.jobs ?? [];
    this.services = input.services ?? [];
    this.serviceAccounts = input.serviceAccounts ?? [];
    this.secrets = input.secrets ?? [];
    this.configMaps = input.configMaps ?? [];
    this.pvcs = input.pvcs ?? [];
    this.webhooks = input.webhooks ?? [];
    this.helmReleases = input.helmReleases ?? [];
    this.resourceQuotas = input.resourceQuotas ?? [];
    this.limitRanges = input.limitRanges ?? [];
    this.persistentVolumes = input.persistentVolumes ?? [];
    this.storageClasses = input.storageClasses ?? [];
    this.ingresses = input.ingresses ?? [];
    this.ingressClasses = input.ingressClasses ?? [];
    this.endpointSlices = input.endpointSlices ?? [];
    this.cronJobs = input.cronJobs ?? [];
    this.horizontalPodAutoscalers = input.horizontalPodAutoscalers ?? [];
    this.podDisruptionBudgets = input.podDisruptionBudgets ?? [];
    this.networkPolicies = input.networkPolicies ?? [];
    this.apiResources = input.apiResources ?? [];
    this.apiGroups = new Set(input.apiGroups ?? this.apiResources.map((r) => r.group));
    this.logs = input.logs ?? [];
    this.forbidden = new Set(input.forbidden ?? []);
    this.byKind = new Map<string, readonly KubeObject[]>([
      ['Pod', this.pods],
      ['Node', this.nodes],
      ['Namespace', this.namespaces],
      ['Deployment', this.deployments],
      ['StatefulSet', this.statefulSets],
      ['ReplicaSet', this.replicaSets],
      ['DaemonSet', this.daemonSets],
      ['Job', this.jobs],
      ['Service', this.services],
      ['ServiceAccount', this.serviceAccounts],
      ['Secret', this.secrets],
      ['ConfigMap', this.configMaps],
      ['PersistentVolumeClaim', this.pvcs],
      ['ResourceQuota', this.resourceQuotas],
      ['LimitRange', this.limitRanges],
      ['PersistentVolume', this.persistentVolumes],
      ['StorageClass', this.storageClasses],
      ['Ingress', this.ingresses],
      ['IngressClass', this.ingressClasses],
      ['EndpointSlice', this.endpointSlices],
      ['CronJob', this.cronJobs],
      ['HorizontalPodAutoscaler', this.horizontalPodAutoscalers],
      ['PodDisruptionBudget', this.podDisruptionBudgets],
      ['NetworkPolicy', this.networkPolicies],
    ]);
    const previous = input.previous?.indexes;
    if (previous) {
      for (const list of [...this.byKind.values(), this.events, this.helmReleases, this.logs]) {
        const built = previous.get(list);
        if (built) this.indexes.set(list, built);
      }
    }
  }

  /** The index `name` of `list`, built on first use. */
  private index<T>(list: readonly unknown[], name: string, build: () => T): T {
    let built = this.indexes.get(list);
    if (!built) this.indexes.set(list, (built = new Map()));
    if (!built.has(name)) built.set(name, build());
    return built.get(name) as T;
  }

  private byName(kind: string): Map<string, KubeObject> | undefined {
    const list = this.byKind.get(kind);
    return list && this.index(list, 'byName', () => indexBy(list));
  }

  private byUid(kind: string): Map<string, KubeObject> | undefined {
    const list = this.byKind.get(kind);
    return (
      list &&
      this.index(list, 'byUid', () => {
        const m = new Map<string, KubeObject>();
        for (const o of list) if (o.metadata.uid) m.set(o.metadata.uid, o);
        return m;
      })
    );
  }

  private eventsByObject(): Map<string, KubeEvent[]> {
    return this.index(this.events, 'byObject', () => {
      const map = groupBy(this.events, (e) =>
        e.involvedObject.name
          ? `${e.involvedObject.kind ?? ''}|${key(e.involvedObject.namespace, e.involvedObject.name)}`
          : undefined,
      );
      for (const list of map.values()) list.sort((a, b) => compareText(eventTime(a), eventTime(b)));
      return map;
    });
  }

  private podsBy(name: 'byNamespace' | 'byNode'): Map<string, Pod[]> {
    return this.index(this.pods, name, () =>
      groupBy(this.pods, (p) => (name === 'byNamespace' ? (p.metadata.namespace ?? '') : p.spec.nodeName)),
    );
  }

  private childrenByOwnerUid(list: readonly KubeObject[]): Map<string, KubeObject[]> {
    return this.index(list, 'byOwnerUid', () =>
      groupBy(
        list,
        (o) => o.metadata.ownerReferences?.find((r) => r.controller)?.uid ?? o.metadata.ownerReferences?.[0]?.uid,
      ),
    );
  }

  private releases(): Map<string, HelmRelease> {
    return this.index(this.helmReleases, 'newest', () => {
      // Keep the newest revision of each release: that is what `helm list` shows.
      const m = new Map<string, HelmRelease>();
      for (const r of this.helmReleases) {
        const k = key(r.namespace, r.name);
        const prev = m.get(k);
        if (!prev || prev.revision < r.revision) m.set(k, r);
      }
      return m;
    });
  }

  private logsByContainer(): Map<string, LogTail> {
    return this.index(this.logs, 'byContainer', () => {
      const m = new Map<string, LogTail>();
      for (const l of this.logs) m.set(`${key(l.namespace, l.pod)}/${l.container}/${l.previous ? 'prev' : 'cur'}`, l);
      return m;
    });
  }

  /** One object by kind, namespace and name (namespace undefined for cluster-scoped kinds). */
  get<T extends KubeObject = KubeObject>(kind: string, namespace: string | undefined, name: string): T | undefined {
    return this.byName(kind)?.get(key(namespace, name)) as T | undefined;
  }

  /** Events about an object, oldest first. */
  eventsFor(kind: string, namespace: string | undefined, name: string): KubeEvent[] {
    return this.eventsByObject().get(`${kind}|${key(namespace, name)}`) ?? [];
  }

  podsIn(namespace: string): Pod[] {
    return this.podsBy('byNamespace').get(namespace) ?? [];
  }

  podsOnNode(node: string): Pod[] {
    return this.podsBy('byNode').get(node) ?? [];
  }

  /** Objects whose controller (or first) owner has this uid: a ReplicaSet's pods, a Deployment's ReplicaSets. */
  childrenOf(owner: KubeObject): KubeObject[] {
    const uid = owner.metadata.uid;
    if (!uid) return [];
    // In the order pods, ReplicaSets, Jobs: each list has its own index.
    const children: KubeObject[] = [];
    for (const list of [this.pods, this.replicaSets, this.jobs])
      children.push(...(this.childrenByOwnerUid(list).get(uid) ?? []));
    return children;
  }

  /**
   * The owner chain, nearest first: Pod → ReplicaSet → Deployment. Resolved by kind and uid,
   * falling back to kind and name; a reference whose kind is wrong resolves to nothing, as
   * for Kubernetes' garbage collector.
   */
  ownerChain(obj: KubeObject): KubeObject[] {
    const chain: KubeObject[] = [];
    let current: KubeObject | undefined = obj;
    const seen = new Set<KubeObject>();
    // Hostile input can make owner references loop; stop at the first repeat.
    while (current && !seen.has(current)) {
      seen.add(current);
      const ref: { kind: string; name: string; uid: string; controller?: boolean } | undefined =
        current.metadata.ownerReferences?.find((r) => r.controller) ?? current.metadata.ownerReferences?.[0];
      if (!ref) break;
      const owner: KubeObject | undefined =
        this.byUid(ref.kind)?.get(ref.uid) ?? this.get(ref.kind, current.metadata.namespace, ref.name);
      if (!owner) break;
      chain.push(owner);
      current = owner;
    }
    return chain;
  }

  /** The top-most owner (Deployment, StatefulSet, DaemonSet, Job...) or the object itself. */
  topOwner(obj: KubeObject): KubeObject {
    let top = this.tops.get(obj);
    if (top === undefined) {
      const chain = this.ownerChain(obj);
      top = chain[chain.length - 1] ?? obj;
      this.tops.set(obj, top);
    }
    return top;
  }

  /**
   * The Helm release that manages an object: Helm labels the objects it creates with
   * `app.kubernetes.io/managed-by: Helm` and annotates `meta.helm.sh/release-name`.
   * Pods carry neither, so the owner chain is walked.
   */
  helmReleaseOf(obj: KubeObject): HelmRelease | undefined {
    for (const o of [obj, ...this.ownerChain(obj)]) {
      const name = o.metadata.annotations?.['meta.helm.sh/release-name'];
      if (name) {
        const ns = o.metadata.annotations?.['meta.helm.sh/release-namespace'] ?? o.metadata.namespace;
        return this.releases().get(key(ns, name));
      }
    }
    return undefined;
  }

  /** The newest revision of every release. */
  latestReleases(): HelmRelease[] {
    return [...this.releases().values()];
  }

  /** Pods a Service selects (empty when it has no selector). */
  podsForService(svc: Service): Pod[] {
    const selector = svc.spec.selector;
    if (!selector || Object.keys(selector).length === 0) return [];
    return this.podsIn(svc.metadata.namespace ?? '').filter((p) =>
      matchesSelector(p.metadata.labels, { matchLabels: selector }),
    );
  }

  /** The last log lines of a container, if they were fetched. */
  logTail(namespace: string | undefined, pod: string, container: string, previous: boolean): LogTail | undefined {
    return this.logsByContainer().get(`${key(namespace, pod)}/${container}/${previous ? 'prev' : 'cur'}`);
  }

  /** What `:` resolves against: discovery's resources, indexed once per discovery result. */
  get catalog(): ResourceCatalog {
    let c = CATALOGS.get(this.apiResources);
    if (!c) {
      c = new ResourceCatalog(this.apiResources);
      CATALOGS.set(this.apiResources, c);
    }
    return c;
  }

  /** Whether discovery reports an API group (e.g. `cert-manager.io`). */
  hasGroup(group: string): boolean {
    return this.apiGroups.has(group);
  }

  /** Whether the server serves a kind in a group (any version). */
  hasKind(group: string, kind: string): boolean {
    return this.apiResources.some((r) => r.group === group && r.kind === kind);
  }

  /** Objects of a kind in one namespace (quotas, limit ranges, budgets, ingresses...), in list order. */
  inNamespace<T extends KubeObject = KubeObject>(kind: string, namespace: string): T[] {
    const list = this.byKind.get(kind);
    if (!list) return [];
    return (this.index(list, 'byNamespace', () => groupBy(list, (o) => o.metadata.namespace ?? '')).get(namespace) ??
      []) as T[];
  }

  /** The EndpointSlices of a Service (by their `kubernetes.io/service-name` label). */
  endpointSlicesFor(svc: Service): EndpointSlice[] {
    const byService = this.index(this.endpointSlices, 'byService', () =>
      groupBy(this.endpointSlices, (s) => {
        const name = s.metadata.labels?.['kubernetes.io/service-name'];
        return name === undefined ? undefined : key(s.metadata.namespace, name);
      }),
    );
    return byService.get(key(svc.metadata.namespace, svc.metadata.name)) ?? [];
  }

  /** The pods that mount a PersistentVolumeClaim. */
  podsUsingClaim(namespace: string, claim: string): Pod[] {
    const byClaim = this.index(this.pods, 'byClaim', () => {
      const m = new Map<string, Pod[]>();
      for (const p of this.pods)
        for (const v of p.spec.volumes ?? []) {
          const c = v.persistentVolumeClaim?.claimName;
          if (!c) continue;
          const k = key(p.metadata.namespace, c);
          const list = m.get(k);
          if (list) list.push(p);
          else m.set(k, [p]);
        }
      return m;
    });
    return byClaim.get(key(namespace, claim)) ?? [];
  }

  /** Ingresses whose rules or default backend name a Service. */
  ingressesForService(namespace: string, service: string): Ingress[] {
    const byService = this.index(this.ingresses, 'byService', () => {
      const m = new Map<string, Ingress[]>();
      for (const ing of this.ingresses) {
        const names = new Set<string>();
        if (ing.spec.defaultBackend?.service) names.add(ing.spec.defaultBackend.service.name);
        for (const r of ing.spec.rules ?? [])
          for (const p of r.http?.paths ?? []) if (p.backend.service) names.add(p.backend.service.name);
        for (const n of names) {
          const k = key(ing.metadata.namespace, n);
          const list = m.get(k);
          if (list) list.push(ing);
          else m.set(k, [ing]);
        }
      }
      return m;
    });
    return byService.get(key(namespace, service)) ?? [];
  }

  /** The StorageClass claims without a class get (annotated default), if any. */
  defaultStorageClass(): StorageClass | undefined {
    return this.storageClasses.find(
      (c) =>
        c.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true' ||
        c.metadata.annotations?.['storageclass.beta.kubernetes.io/is-default-class'] === 'true',
    );
  }

  /** Schedulable nodes: not cordoned (taints are judged by the rules that need them). */
  schedulableNodes(): Node[] {
    return this.nodes.filter((n) => !n.spec?.unschedulable);
  }
}
