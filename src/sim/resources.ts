// The API resources the simulator serves, in the shapes discovery reports them
// (verbs, shortNames, categories, subresources and storageVersionHash copied from a real
// kube-apiserver's /api/v1 and /apis/<group>/<version> answers). Everything else in the
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
}

export interface CrdGroupDecl {
  group: string;
  version: string;
  resources: { name: string; kind: string; namespaced: boolean; shortNames?: string[]; categories?: string[] }[];
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const NAMESPACE_VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
const STATUS_VERBS = ['get', 'patch', 'update'];

const statusOf = (kind: string): SubresourceDef => ({ name: 'status', kind, verbs: STATUS_VERBS });
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
    resource: 'pods',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    storageVersionHash: 'xPOwRZ+Yhw8=',
    hasGeneration: true,
    subresources: [
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
      statusOf('Pod'),
    ],
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
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    resource: 'mutatingwebhookconfigurations',
    kind: 'MutatingWebhookConfiguration',
    namespaced: false,
    categories: ['api-extensions'],
    hasGeneration: true,
  }),
  def({
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    resource: 'validatingwebhookconfigurations',
    kind: 'ValidatingWebhookConfiguration',
    namespaced: false,
    categories: ['api-extensions'],
    hasGeneration: true,
  }),
];

export function crdResources(groups: readonly CrdGroupDecl[]): ResourceDef[] {
  return groups.flatMap((g) =>
    g.resources.map((r) => {
      const d: ResourceDef = {
        group: g.group,
        version: g.version,
        resource: r.name,
        kind: r.kind,
        namespaced: r.namespaced,
        verbs: ALL_VERBS,
        subresources: [statusOf(r.kind)],
        hasGeneration: true,
      };
      if (r.shortNames) d.shortNames = r.shortNames;
      if (r.categories) d.categories = r.categories;
      return d;
    }),
  );
}

export const apiVersionOf = (d: { group: string; version: string }): string =>
  d.group ? `${d.group}/${d.version}` : d.version;

/** `pods`, `deployments.apps`: how Status messages name a resource. */
export const qualifiedResource = (d: ResourceDef): string => (d.group ? `${d.resource}.${d.group}` : d.resource);

/** `Pod`, `Deployment.apps`: how Invalid messages name a kind. */
export const qualifiedKind = (d: ResourceDef): string => (d.group ? `${d.kind}.${d.group}` : d.kind);

export class ResourceRegistry {
  private readonly byPath = new Map<string, ResourceDef>();
  private readonly byKind = new Map<string, ResourceDef>();

  constructor(readonly all: readonly ResourceDef[]) {
    for (const d of all) {
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
    for (const d of this.all) seen.set(apiVersionOf(d), { group: d.group, version: d.version });
    return [...seen.values()];
  }
}
