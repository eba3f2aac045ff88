// An immutable picture of the cluster at one moment, with the indexes rules need.
// Built from plain object lists (a one-shot load for `diagnose`, or the live store for the
// cockpit). Indexes are built once per snapshot, on first use.
import type {
  ApiResourceInfo,
  ConfigMapSummary,
  HelmRelease,
  Job,
  KubeEvent,
  KubeObject,
  LogTail,
  Namespace,
  Node,
  PersistentVolumeClaim,
  Pod,
  SecretSummary,
  Service,
  ServiceAccount,
  WebhookConfiguration,
  Workload,
} from '../model/k8s.js';
import { matchesSelector } from '../model/selectors.js';

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
  apiResources?: ApiResourceInfo[];
  /** Groups discovery reported (`''` for core, `apps`, `cert-manager.io`, ...). */
  apiGroups?: string[];
  logs?: LogTail[];
  /** Lists the user may not read (403), so rules can say "could not check" instead of guessing. */
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

function lazy<T>(compute: () => T): () => T {
  let value: T | undefined;
  let done = false;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value as T;
  };
}

export function eventTime(e: KubeEvent): string {
  return e.lastTimestamp ?? e.series?.lastObservedTime ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? '';
}

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
  readonly apiResources: readonly ApiResourceInfo[];
  readonly apiGroups: ReadonlySet<string>;
  readonly logs: readonly LogTail[];
  readonly forbidden: ReadonlySet<string>;

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
    this.apiResources = input.apiResources ?? [];
    this.apiGroups = new Set(input.apiGroups ?? this.apiResources.map((r) => r.group));
    this.logs = input.logs ?? [];
    this.forbidden = new Set(input.forbidden ?? []);
  }

  private readonly byKind = lazy(() => {
    const m = new Map<string, Map<string, KubeObject>>();
    const add = (kind: string, items: readonly KubeObject[]) => m.set(kind, indexBy(items));
    add('Pod', this.pods);
    add('Node', this.nodes);
    add('Namespace', this.namespaces);
    add('Deployment', this.deployments);
    add('StatefulSet', this.statefulSets);
    add('ReplicaSet', this.replicaSets);
    add('DaemonSet', this.daemonSets);
    add('Job', this.jobs);
    add('Service', this.services);
    add('ServiceAccount', this.serviceAccounts);
    add('Secret', this.secrets);
    add('ConfigMap', this.configMaps);
    add('PersistentVolumeClaim', this.pvcs);
    return m;
  });

  private readonly eventsByObject = lazy(() => {
    const map = groupBy(this.events, (e) =>
      e.involvedObject.name ? `${e.involvedObject.kind ?? ''}|${key(e.involvedObject.namespace, e.involvedObject.name)}` : undefined,
    );
    for (const list of map.values()) list.sort((a, b) => eventTime(a).localeCompare(eventTime(b)));
    return map;
  });

  private readonly podsByNamespace = lazy(() => groupBy(this.pods, (p) => p.metadata.namespace ?? ''));
  private readonly podsByNode = lazy(() => groupBy(this.pods, (p) => p.spec.nodeName));
  private readonly childrenByOwnerUid = lazy(() => {
    const all: KubeObject[] = [...this.pods, ...this.replicaSets, ...this.jobs];
    return groupBy(all, (o) => o.metadata.ownerReferences?.find((r) => r.controller)?.uid ?? o.metadata.ownerReferences?.[0]?.uid);
  });
  private readonly byUid = lazy(() => {
    const m = new Map<string, KubeObject>();
    for (const items of this.byKind().values()) for (const o of items.values()) if (o.metadata.uid) m.set(o.metadata.uid, o);
    return m;
  });
  private readonly releases = lazy(() => {
    // Keep the newest revision of each release: that is what `helm list` shows.
    const m = new Map<string, HelmRelease>();
    for (const r of this.helmReleases) {
      const k = key(r.namespace, r.name);
      const prev = m.get(k);
      if (!prev || prev.revision < r.revision) m.set(k, r);
    }
    return m;
  });
  private readonly logsByContainer = lazy(() => {
    const m = new Map<string, LogTail>();
    for (const l of this.logs) m.set(`${key(l.namespace, l.pod)}/${l.container}/${l.previous ? 'prev' : 'cur'}`, l);
    return m;
  });

  /** One object by kind, namespace and name (namespace undefined for cluster-scoped kinds). */
  get<T extends KubeObject = KubeObject>(kind: string, namespace: string | undefined, name: string): T | undefined {
    return this.byKind().get(kind)?.get(key(namespace, name)) as T | undefined;
  }

  /** Events about an object, oldest first. */
  eventsFor(kind: string, namespace: string | undefined, name: string): KubeEvent[] {
    return this.eventsByObject().get(`${kind}|${key(namespace, name)}`) ?? [];
  }

  podsIn(namespace: string): Pod[] {
    return this.podsByNamespace().get(namespace) ?? [];
  }

  podsOnNode(node: string): Pod[] {
    return this.podsByNode().get(node) ?? [];
  }

  /** Objects whose controller (or first) owner has this uid: a ReplicaSet's pods, a Deployment's ReplicaSets. */
  childrenOf(owner: KubeObject): KubeObject[] {
    return owner.metadata.uid ? (this.childrenByOwnerUid().get(owner.metadata.uid) ?? []) : [];
  }

  /** The owner chain, nearest first: Pod → ReplicaSet → Deployment. Resolved by uid, falling back to kind/name. */
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
      const owner: KubeObject | undefined = this.byUid().get(ref.uid) ?? this.get(ref.kind, current.metadata.namespace, ref.name);
      if (!owner) break;
      chain.push(owner);
      current = owner;
    }
    return chain;
  }

  /** The top-most owner (Deployment, StatefulSet, DaemonSet, Job...) or the object itself. */
  topOwner(obj: KubeObject): KubeObject {
    const chain = this.ownerChain(obj);
    return chain[chain.length - 1] ?? obj;
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
    return this.podsIn(svc.metadata.namespace ?? '').filter((p) => matchesSelector(p.metadata.labels, { matchLabels: selector }));
  }

  /** The last log lines of a container, if they were fetched. */
  logTail(namespace: string | undefined, pod: string, container: string, previous: boolean): LogTail | undefined {
    return this.logsByContainer().get(`${key(namespace, pod)}/${container}/${previous ? 'prev' : 'cur'}`);
  }

  /** Whether discovery reports an API group (e.g. `cert-manager.io`). */
  hasGroup(group: string): boolean {
    return this.apiGroups.has(group);
  }

  /** Whether the server serves a kind in a group (any version). */
  hasKind(group: string, kind: string): boolean {
    return this.apiResources.some((r) => r.group === group && r.kind === kind);
  }

  /** Schedulable nodes: not cordoned (taints are judged by the rules that need them). */
  schedulableNodes(): Node[] {
    return this.nodes.filter((n) => !n.spec?.unschedulable);
  }
}
