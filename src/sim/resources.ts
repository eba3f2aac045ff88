// The API resources the simulator serves, in the shapes discovery reports them
// (verbs, shortNames, categories, subresources and storageVersionHash copied from a real
// kube-apiserver's /api/v1 and /apis/<group>/<version> answers; the hashes of groups the
// captured v1.24 server did not answer for are those Kubernetes' own storageversionhashdata
// test table pins for current releases). Everything else in the
// simulator looks resources up here, so a resource exists for lists, watches, discovery and
// RBAC at once or not at all.

export interface SubresourceDef {
  name: string;
  kind: string;
  verbs: string[];
  /** Set when the subresource lives in another group (scale → autoscaling/v1). */
  group?: string;
  version?: string;
}

export interface ResourceDef {
  group: string;
  version: string;
  /** Plural, lower-case: `pods`, `deployments`. */
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
  subresources: SubresourceDef[];
  /** Has a spec the server counts generations of (metadata.generation). */
  hasGeneration: boolean;
  /** Where the resource comes from: /apis lists built-in groups first, then CRD groups, then aggregated APIs. */
  origin?: 'builtin' | 'crd' | 'aggregated';
  /** Discovery's singularName: CRDs name it; built-ins answer '' as the captured v1.24 server does. */
  singularName?: string;
  /** A CRD version's additionalPrinterColumns: the columns of its Table form. */
  printerColumns?: PrinterColumn[];
  /** Served from other objects on every read instead of from storage (metrics.k8s.io). */
  computed?: boolean;
}

/** A CRD's additionalPrinterColumns entry, as the CRD stores it. */
export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  format?: string;
  priority?: number;
}

/** A scenario's shorthand for CRDs it has installed: each becomes a CustomResourceDefinition object. */
export interface CrdGroupDecl {
  group: string;
  version: string;
  resources: {
    name: string;
    kind: string;
    namespaced: boolean;
    shortNames?: string[];
    categories?: string[];
    printerColumns?: PrinterColumn[];
  }[];
}

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const NAMESPACE_VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
const STATUS_VERBS = ['get', 'patch', 'update'];

export const statusOf = (kind: string): SubresourceDef => ({ name: 'status', kind, verbs: STATUS_VERBS });
const scale: SubresourceDef = {
  name: 'scale',
  kind: 'Scale',
  verbs: STATUS_VERBS,
  group: 'autoscaling',
  version: 'v1',
};

function def(d: Omit<ResourceDef, 'verbs' | 'subresources' | 'hasGeneration'> & Partial<ResourceDef>): ResourceDef {
  return { verbs: ALL_VERBS, subresources: [], hasGeneration: false, ...d };
}

export const BUILTIN_RESOURCES: readonly ResourceDef[] = [
  def({
    group: '',
    version: 'v1',
    resource: 'configmaps',
    kind: 'ConfigMap',
    namespaced: true,
    shortNames: ['cm'],
    storageVersionHash: 'qFsyl6wFWjQ=',
  }),
  def({
    group: '',
    version: 'v1',
    resource: 'endpoints',
    kind: 'Endpoints',
    namespaced: true,
    shortNames: ['ep'],
    storageVersionHash: 'fWeeMqaN/OA=',
  }),
  def({
    group: '',
    version: 'v1',
    resource: 'limitranges',
    kind: 'LimitRange',
    namespaced: true,
    shortNames: ['limits'],
    storageVersionHash: 'EBKMFVe6cwo=',
  }),
  def({
    group: '',
    version: 'v1',
    resource: 'events',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
    storageVersionHash: 'r2yiGXH7wu8=',
  }),
  def({
    group: '',
    version: 'v1',
    resource: 'namespaces',
    kind: 'Namespace',
    namespaced: false,
    verbs: NAMESPACE_VERBS,
    shortNames: ['ns'],
    storageVersionHash: 'Q3oi5N2YM8M=',
    subresources: [{ name: 'finalize', kind: 'Namespace', verbs: ['update'] }, statusOf('Namespace')],
  }),
  def({
    group: '',
    version: 'v1',
    resource: 'nodes',
    kind: 'Node',
    namespaced: false,
    shortNames: ['no'],
    storageVersionHash: 'XwShjMxG9Fs=',
    subresources: [statusOf('Node')],
  }),
  def({
    group: '',
    version: 'v1',
    resource: 'persistentvolumeclaims',
    kind: 'PersistentVolumeClaim',
    namespaced: true,
    shortNames: ['pvc'],
    storageVersionHash: 'QWTyNDq0dC4=',
    subresources: [statusOf('PersistentVolumeClaim')],
  }),
  def({
    group: '',
    version: 'v1',
    resource: 'persistentvolumes',
    kind: 'PersistentVolume',
    namespaced: false,
    shortNames: ['pv'],
    storageVersionHash: 'HN/zwEC+JgM=',
    subresources: [statusOf('PersistentVolume')],
  }),
  def({
    group: '',
    version: 'v1',
    resource: 'pods',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    storageVersionHash: 'xPOwRZ+Yhw8=',
    hasGeneration: true,
    subresources: [
      { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'eviction', kind: 'Eviction', verbs: ['create'], group: 'policy', version: 'v1' },
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
      statusOf('Pod'),
    ],
  }),
  def({
    group: '',
    version: 'v1',
    resource: 'resourcequotas',
    kind: 'ResourceQuota',
    namespaced: true,
    shortNames: ['quota'],
    storageVersionHash: '8uhSgffRX6w=',
    subresources: [statusOf('ResourceQuota')],
  }),
  def({
    group: '',
    version: 'v1',
    resource: 'secrets',
    kind: 'Secret',
    namespaced: true,
    storageVersionHash: 'S6u1pOWzb84=',
  }),
  def({
    group: '',
    version: 'v1',
    resource: 'serviceaccounts',
    kind: 'ServiceAccount',
    namespaced: true,
    shortNames: ['sa'],
    storageVersionHash: 'pbx9ZvyFpBE=',
  }),
  def({
    group: '',
    version: 'v1',
    resource: 'services',
    kind: 'Service',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    storageVersionHash: '0/CO1lhkEBI=',
    subresources: [statusOf('Service')],
  }),
  def({
    group: 'apiregistration.k8s.io',
    version: 'v1',
    resource: 'apiservices',
    kind: 'APIService',
    namespaced: false,
    categories: ['api-extensions'],
    subresources: [statusOf('APIService')],
  }),
  def({
    group: 'apps',
    version: 'v1',
    resource: 'daemonsets',
    kind: 'DaemonSet',
    namespaced: true,
    shortNames: ['ds'],
    categories: ['all'],
    storageVersionHash: 'dd7pWHUlMKQ=',
    hasGeneration: true,
    subresources: [statusOf('DaemonSet')],
  }),
  def({
    group: 'apps',
    version: 'v1',
    resource: 'deployments',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    storageVersionHash: '8aSe+NMegvE=',
    hasGeneration: true,
    subresources: [scale, statusOf('Deployment')],
  }),
  def({
    group: 'apps',
    version: 'v1',
    resource: 'replicasets',
    kind: 'ReplicaSet',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    storageVersionHash: 'P1RzHs8/mWQ=',
    hasGeneration: true,
    subresources: [scale, statusOf('ReplicaSet')],
  }),
  def({
    group: 'apps',
    version: 'v1',
    resource: 'statefulsets',
    kind: 'StatefulSet',
    namespaced: true,
    shortNames: ['sts'],
    categories: ['all'],
    storageVersionHash: 'H+vl74LkKdo=',
    hasGeneration: true,
    subresources: [scale, statusOf('StatefulSet')],
  }),
  def({
    group: 'autoscaling',
    version: 'v2',
    resource: 'horizontalpodautoscalers',
    kind: 'HorizontalPodAutoscaler',
    namespaced: true,
    shortNames: ['hpa'],
    categories: ['all'],
    storageVersionHash: 'qwQve8ut294=',
    subresources: [statusOf('HorizontalPodAutoscaler')],
  }),
  def({
    group: 'batch',
    version: 'v1',
    resource: 'cronjobs',
    kind: 'CronJob',
    namespaced: true,
    shortNames: ['cj'],
    categories: ['all'],
    storageVersionHash: 'sd5LIXh4Fjs=',
    hasGeneration: true,
    subresources: [statusOf('CronJob')],
  }),
  def({
    group: 'batch',
    version: 'v1',
    resource: 'jobs',
    kind: 'Job',
    namespaced: true,
    categories: ['all'],
    storageVersionHash: 'mudhfqk/qZY=',
    hasGeneration: true,
    subresources: [statusOf('Job')],
  }),
  def({
    group: 'networking.k8s.io',
    version: 'v1',
    resource: 'ingressclasses',
    kind: 'IngressClass',
    namespaced: false,
    storageVersionHash: 'l/iqIbDgFyQ=',
    hasGeneration: true,
  }),
  def({
    group: 'networking.k8s.io',
    version: 'v1',
    resource: 'ingresses',
    kind: 'Ingress',
    namespaced: true,
    shortNames: ['ing'],
    storageVersionHash: '39NQlfNR+bo=',
    hasGeneration: true,
    subresources: [statusOf('Ingress')],
  }),
  def({
    group: 'networking.k8s.io',
    version: 'v1',
    resource: 'networkpolicies',
    kind: 'NetworkPolicy',
    namespaced: true,
    shortNames: ['netpol'],
    storageVersionHash: 'YpfwF18m1G8=',
    hasGeneration: true,
  }),
  def({
    group: 'policy',
    version: 'v1',
    resource: 'poddisruptionbudgets',
    kind: 'PodDisruptionBudget',
    namespaced: true,
    shortNames: ['pdb'],
    storageVersionHash: 'EVWiDmWqyJw=',
    hasGeneration: true,
    subresources: [statusOf('PodDisruptionBudget')],
  }),
  ...['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'].map((resource) =>
    def({
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      resource,
      kind: {
        clusterrolebindings: 'ClusterRoleBinding',
        clusterroles: 'ClusterRole',
        rolebindings: 'RoleBinding',
        roles: 'Role',
      }[resource] as string,
      namespaced: !resource.startsWith('cluster'),
    }),
  ),
  def({
    group: 'storage.k8s.io',
    version: 'v1',
    resource: 'storageclasses',
    kind: 'StorageClass',
    namespaced: false,
    shortNames: ['sc'],
    storageVersionHash: 'K+m6uJwbjGY=',
  }),
  def({
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    resource: 'mutatingwebhookconfigurations',
    kind: 'MutatingWebhookConfiguration',
    namespaced: false,
    categories: ['api-extensions'],
    storageVersionHash: 'Sqi0GUgDaX0=',
    hasGeneration: true,
  }),
  def({
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    resource: 'validatingwebhookconfigurations',
    kind: 'ValidatingWebhookConfiguration',
    namespaced: false,
    categories: ['api-extensions'],
    storageVersionHash: 'B0wHjQmsGNk=',
    hasGeneration: true,
  }),
  def({
    group: 'apiextensions.k8s.io',
    version: 'v1',
    resource: 'customresourcedefinitions',
    kind: 'CustomResourceDefinition',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    hasGeneration: true,
    subresources: [statusOf('CustomResourceDefinition')],
  }),
  def({
    group: 'scheduling.k8s.io',
    version: 'v1',
    resource: 'priorityclasses',
    kind: 'PriorityClass',
    namespaced: false,
    shortNames: ['pc'],
  }),
  def({
    group: 'coordination.k8s.io',
    version: 'v1',
    resource: 'leases',
    kind: 'Lease',
    namespaced: true,
  }),
  def({
    group: 'discovery.k8s.io',
    version: 'v1',
    resource: 'endpointslices',
    kind: 'EndpointSlice',
    namespaced: true,
    storageVersionHash: 'qgS0xkrxYAI=',
    hasGeneration: true,
  }),
];

/** One resource whatever its def object: `apps/deployments`, `/pods`. */
export const resourceKey = (d: { group: string; resource: string }): string => `${d.group}/${d.resource}`;

export const apiVersionOf = (d: { group: string; version: string }): string =>
  d.group ? `${d.group}/${d.version}` : d.version;

/** `pods`, `deployments.apps`: how Status messages name a resource. */
export const qualifiedResource = (d: ResourceDef): string => (d.group ? `${d.resource}.${d.group}` : d.resource);

/** `Pod`, `Deployment.apps`: how Invalid messages name a kind. */
export const qualifiedKind = (d: ResourceDef): string => (d.group ? `${d.kind}.${d.group}` : d.kind);

const ORIGIN_RANK = { builtin: 0, crd: 1, aggregated: 2 } as const;

/**
 * What the server serves right now. CRDs come and go while it runs, so the registry changes:
 * everything that asks it (routes, discovery, storage) sees a resource appear or vanish at once.
 */
export class ResourceRegistry {
  private defs: ResourceDef[] = [];
  private byPath = new Map<string, ResourceDef>();
  private byKind = new Map<string, ResourceDef>();

  constructor(defs: readonly ResourceDef[]) {
    this.defs = [...defs];
    this.index();
  }

  get all(): readonly ResourceDef[] {
    return this.defs;
  }

  add(d: ResourceDef): void {
    this.defs = [...this.defs.filter((o) => !(o.group === d.group && o.resource === d.resource)), d];
    this.index();
  }

  remove(d: ResourceDef): void {
    this.defs = this.defs.filter((o) => o !== d);
    this.index();
  }

  private index(): void {
    // Built-in groups first, then CRD groups, then aggregated APIs, as the real /apis orders them by priority.
    this.defs.sort((a, b) => ORIGIN_RANK[a.origin ?? 'builtin'] - ORIGIN_RANK[b.origin ?? 'builtin']);
    this.byPath = new Map();
    this.byKind = new Map();
    for (const d of this.defs) {
      this.byPath.set(`${apiVersionOf(d)}/${d.resource}`, d);
      this.byKind.set(`${apiVersionOf(d)}/${d.kind}`, d);
      // Bare kinds resolve to the first group that serves them (core wins: listed first).
      if (!this.byKind.has(d.kind)) this.byKind.set(d.kind, d);
    }
  }

  byResource(group: string, version: string, resource: string): ResourceDef | undefined {
    return this.byPath.get(`${apiVersionOf({ group, version })}/${resource}`);
  }

  /** By kind, optionally qualified by apiVersion (`apps/v1`). */
  forKind(kind: string, apiVersion?: string): ResourceDef | undefined {
    return apiVersion ? this.byKind.get(`${apiVersion}/${kind}`) : this.byKind.get(kind);
  }

  groupVersions(): { group: string; version: string }[] {
    const seen = new Map<string, { group: string; version: string }>();
    for (const d of this.defs) seen.set(apiVersionOf(d), { group: d.group, version: d.version });
    return [...seen.values()];
  }
}
