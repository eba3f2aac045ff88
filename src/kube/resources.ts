// The lists a snapshot is made of: one table shared by the one-shot load (diagnose) and the
// live store (cockpit), so both see the same cluster picture.
import type { ApiResourceInfo, ConfigMapSummary, KubeObject } from '../model/k8s.js';
import type { Query } from './client.js';
import {
  decodeHelmSecret,
  HELM_PAGE_SIZE,
  HELM_RELEASE_QUERY,
  PULL_SECRET_QUERY,
  summarizePullSecret,
} from './secrets.js';

/** SnapshotInput fields filled from lists. */
export type SnapshotListField =
  | 'pods'
  | 'events'
  | 'nodes'
  | 'namespaces'
  | 'deployments'
  | 'statefulSets'
  | 'replicaSets'
  | 'daemonSets'
  | 'jobs'
  | 'services'
  | 'serviceAccounts'
  | 'secrets'
  | 'configMaps'
  | 'pvcs'
  | 'webhooks'
  | 'helmReleases'
  | 'resourceQuotas'
  | 'limitRanges'
  | 'persistentVolumes'
  | 'storageClasses'
  | 'ingresses'
  | 'ingressClasses'
  | 'endpointSlices'
  | 'cronJobs'
  | 'horizontalPodAutoscalers'
  | 'podDisruptionBudgets'
  | 'networkPolicies';

export interface ResourceSpec {
  /** Unique name of this list (a resource may be listed twice, e.g. Secrets). */
  id: string;
  /** Plural resource name: the URL segment, and what SnapshotInput.forbidden records. */
  resource: string;
  group: string;
  version: string;
  namespaced: boolean;
  into: SnapshotListField;
  query?: Query;
  pageSize?: number;
  transform?: (obj: KubeObject) => KubeObject;
  /**
   * Objects of this list repeat each other's strings (images, node names, messages): the
   * stores share those strings (src/kube/string-pool.ts).
   */
  shareStrings?: boolean;
}

/** ConfigMaps keep their key names only: values can be large and rules never read them. */
export function summarizeConfigMap(obj: KubeObject): ConfigMapSummary {
  const cm = obj as KubeObject & { data?: Record<string, unknown>; binaryData?: Record<string, unknown> };
  const summary: ConfigMapSummary = {
    apiVersion: cm.apiVersion ?? 'v1',
    kind: cm.kind ?? 'ConfigMap',
    metadata: cm.metadata,
  };
  summary.keys = [...Object.keys(cm.data ?? {}), ...Object.keys(cm.binaryData ?? {})];
  return summary;
}

const core = (resource: string, into: SnapshotListField, namespaced = true): ResourceSpec => ({
  id: resource,
  resource,
  group: '',
  version: 'v1',
  namespaced,
  into,
});
const apps = (resource: string, into: SnapshotListField): ResourceSpec => ({
  id: resource,
  resource,
  group: 'apps',
  version: 'v1',
  namespaced: true,
  into,
});
const grouped = (
  group: string,
  version: string,
  resource: string,
  into: SnapshotListField,
  namespaced = true,
): ResourceSpec => ({ id: resource, resource, group, version, namespaced, into });
const shared = (spec: ResourceSpec): ResourceSpec => ({ ...spec, shareStrings: true });
const webhooks = (resource: string): ResourceSpec => ({
  id: resource,
  resource,
  group: 'admissionregistration.k8s.io',
  version: 'v1',
  namespaced: false,
  into: 'webhooks',
});

export const SNAPSHOT_RESOURCES: readonly ResourceSpec[] = [
  shared(core('pods', 'pods')),
  shared(core('events', 'events')),
  shared(core('nodes', 'nodes', false)),
  core('namespaces', 'namespaces', false),
  shared(apps('deployments', 'deployments')),
  shared(apps('statefulsets', 'statefulSets')),
  shared(apps('replicasets', 'replicaSets')),
  shared(apps('daemonsets', 'daemonSets')),
  shared(grouped('batch', 'v1', 'jobs', 'jobs')),
  shared(core('services', 'services')),
  core('serviceaccounts', 'serviceAccounts'),
  { ...core('secrets', 'secrets'), id: 'pull-secrets', query: PULL_SECRET_QUERY, transform: summarizePullSecret },
  { ...core('configmaps', 'configMaps'), pageSize: 100, transform: summarizeConfigMap },
  core('persistentvolumeclaims', 'pvcs'),
  webhooks('mutatingwebhookconfigurations'),
  webhooks('validatingwebhookconfigurations'),
  core('resourcequotas', 'resourceQuotas'),
  core('limitranges', 'limitRanges'),
  core('persistentvolumes', 'persistentVolumes', false),
  grouped('storage.k8s.io', 'v1', 'storageclasses', 'storageClasses', false),
  grouped('networking.k8s.io', 'v1', 'ingresses', 'ingresses'),
  grouped('networking.k8s.io', 'v1', 'ingressclasses', 'ingressClasses', false),
  grouped('networking.k8s.io', 'v1', 'networkpolicies', 'networkPolicies'),
  shared(grouped('discovery.k8s.io', 'v1', 'endpointslices', 'endpointSlices')),
  grouped('batch', 'v1', 'cronjobs', 'cronJobs'),
  grouped('autoscaling', 'v2', 'horizontalpodautoscalers', 'horizontalPodAutoscalers'),
  grouped('policy', 'v1', 'poddisruptionbudgets', 'podDisruptionBudgets'),
  {
    ...core('secrets', 'helmReleases'),
    id: 'helm-releases',
    query: HELM_RELEASE_QUERY,
    pageSize: HELM_PAGE_SIZE,
    transform: decodeHelmSecret,
  },
];

/** `/api/v1/pods`, `/api/v1/namespaces/ns/pods`, `/apis/apps/v1/namespaces/ns/deployments`. */
export function collectionPath(spec: ResourceSpec, namespace: string | undefined): string {
  return resourcePath({ ...spec, name: spec.resource }, namespace);
}

/**
 * The URL of any resource discovery reports (`name` is its plural): the collection, or one
 * object with `objectName`. A cluster-scoped resource ignores the namespace; without a
 * namespace a namespaced one is listed across all namespaces.
 */
export function resourcePath(
  r: Pick<ApiResourceInfo, 'group' | 'version' | 'name' | 'namespaced'>,
  namespace: string | undefined,
  objectName?: string,
): string {
  const base = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  const ns = r.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${r.name}${objectName !== undefined ? `/${encodeURIComponent(objectName)}` : ''}`;
}
