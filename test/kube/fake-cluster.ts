// A fake API server that serves a small cluster's objects the way kube-apiserver routes
// them (core and group paths, namespaced and cluster-wide lists, type/label selectors,
// discovery, previous logs), holds watches open so tests can push events, and can play
// the namespace-only viewer who gets 403 on cluster-wide lists.
import type http from 'node:http';
import type { KubeObject } from '../../src/model/k8s.js';
import { listBody, openWatch, sample, sendJson, type Handler } from './fake-api.js';

export interface FakeCluster {
  /** Objects by plural resource name (`pods`, `secrets`, `mutatingwebhookconfigurations`). */
  objects: Record<string, KubeObject[]>;
  /** Previous-container logs by `ns/pod/container`. */
  logs?: Record<string, Buffer | string>;
  /** Only this namespace may be read (the `sim-viewer` situation). */
  viewerNamespace?: string;
  /** Resource names whose lists answer 403 even in a namespace. */
  forbidden?: string[];
  /** Resource names this server does not serve (404), like an old cluster. */
  unserved?: string[];
  resourceVersion?: string;
}

export interface Watches {
  /** Push an event to every open watch on this resource. */
  push(resource: string, type: string, object: unknown): void;
  open(resource: string): number;
}

const KINDS: Record<string, string> = {
  pods: 'Pod',
  events: 'Event',
  nodes: 'Node',
  namespaces: 'Namespace',
  deployments: 'Deployment',
  statefulsets: 'StatefulSet',
  replicasets: 'ReplicaSet',
  daemonsets: 'DaemonSet',
  jobs: 'Job',
  services: 'Service',
  serviceaccounts: 'ServiceAccount',
  secrets: 'Secret',
  configmaps: 'ConfigMap',
  persistentvolumeclaims: 'PersistentVolumeClaim',
  mutatingwebhookconfigurations: 'MutatingWebhookConfiguration',
  validatingwebhookconfigurations: 'ValidatingWebhookConfiguration',
  resourcequotas: 'ResourceQuota',
  limitranges: 'LimitRange',
  persistentvolumes: 'PersistentVolume',
  storageclasses: 'StorageClass',
  ingresses: 'Ingress',
  ingressclasses: 'IngressClass',
  networkpolicies: 'NetworkPolicy',
  endpointslices: 'EndpointSlice',
  cronjobs: 'CronJob',
  horizontalpodautoscalers: 'HorizontalPodAutoscaler',
  poddisruptionbudgets: 'PodDisruptionBudget',
};

const PATH = /^\/(?:api\/v1|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([a-z]+)$/;

function forbiddenStatus(resource: string, group: string, scope: string) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${resource} is forbidden: User "viewer" cannot list resource "${resource}" in API group "${group}" ${scope}`,
    reason: 'Forbidden',
    details: { kind: resource },
    code: 403,
  };
}

function matchesSelectors(o: KubeObject, url: URL): boolean {
  const field = url.searchParams.get('fieldSelector');
  if (field) {
    for (const term of field.split(',')) {
      const [k, v] = term.split('=');
      if (k === 'type' && (o as { type?: string }).type !== v) return false;
    }
  }
  const label = url.searchParams.get('labelSelector');
  if (label) {
    for (const term of label.split(',')) {
      const [k, v] = term.split('=');
      if (o.metadata.labels?.[k!] !== v) return false;
    }
  }
  return true;
}

export function clusterHandler(cluster: FakeCluster): { handler: Handler; watches: Watches } {
  const open = new Map<string, Set<http.ServerResponse>>();
  const watches: Watches = {
    push(resource, type, object) {
      for (const res of open.get(resource) ?? []) res.write(`${JSON.stringify({ type, object })}\n`);
    },
    open: (resource) => open.get(resource)?.size ?? 0,
  };
  const handler: Handler = (_req, res, url) => {
    const p = url.pathname;
    if (p === '/api') return sendJson(res, 200, sample('discovery_api.json'));
    if (p === '/api/v1') return sendJson(res, 200, sample('discovery_api_v1.json'));
    if (p === '/apis') return sendJson(res, 200, sample('discovery_apis.json'));
    if (p.startsWith('/apis/') && p.split('/').length === 4) {
      const file = { '/apis/apps/v1': 'discovery_apis_apps_v1.json', '/apis/batch/v1': 'discovery_apis_batch_v1.json' }[
        p
      ];
      return sendJson(
        res,
        200,
        file ? sample(file) : { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: p.slice(6), resources: [] },
      );
    }
    const log = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/.exec(p);
    if (log) {
      const text = cluster.logs?.[`${log[1]}/${log[2]}/${url.searchParams.get('container')}`];
      if (text === undefined || url.searchParams.get('previous') !== 'true') {
        return sendJson(res, 400, {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: `previous terminated container "${url.searchParams.get('container')}" in pod "${log[2]}" not found`,
          reason: 'BadRequest',
          code: 400,
        });
      }
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      return res.end(text);
    }
    const m = PATH.exec(p);
    const resource = m?.[4];
    if (!m || !resource || !KINDS[resource] || cluster.unserved?.includes(resource)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end('404 page not found\n');
    }
    const group = m[1] ?? '';
    const ns = m[3];
    if (cluster.forbidden?.includes(resource))
      return sendJson(
        res,
        403,
        forbiddenStatus(resource, group, ns ? `in the namespace "${ns}"` : 'at the cluster scope'),
      );
    if (cluster.viewerNamespace !== undefined && ns !== cluster.viewerNamespace) {
      return sendJson(
        res,
        403,
        forbiddenStatus(resource, group, ns ? `in the namespace "${ns}"` : 'at the cluster scope'),
      );
    }
    const items = (cluster.objects[resource] ?? []).filter(
      (o) => (ns === undefined || o.metadata.namespace === ns) && matchesSelectors(o, url),
    );
    if (url.searchParams.get('watch')) {
      openWatch(res);
      const set = open.get(resource) ?? new Set();
      set.add(res);
      open.set(resource, set);
      res.on('close', () => set.delete(res));
      return;
    }
    // Lists carry kind/apiVersion on the list only, as the API server sends them.
    const stripped = items.map((o) => {
      const { kind: _k, apiVersion: _a, ...rest } = o;
      return rest;
    });
    const body = listBody(KINDS[resource]!, stripped, cluster.resourceVersion ?? '1000');
    body.apiVersion = group ? `${group}/${m[2]}` : 'v1';
    sendJson(res, 200, body);
  };
  return { handler, watches };
}
