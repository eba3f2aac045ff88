// The cluster the second api-samples capture ran in, rebuilt for the simulator: namespace
// `samples` (labelled samples-webhook-scope=yes) and `samples-psa` (enforcing the restricted
// Pod Security level), node samples-node-1 (label samples-node=true, 2 cpu / 4Gi / 110 pods,
// InternalIP 10.99.0.1). Tests create what the capture created, through the same API calls,
// and compare what comes back with the captured answers once the values that are random on
// every run (uids, generated names, times, IPs) are put in placeholders.
import type { KubeObject } from '../../src/model/k8s.js';
import type { ImageRule, Scenario } from '../../src/sim/scenario.js';
import type { HistoryStep } from '../../src/sim/history.js';

const ns = (name: string, labels: Record<string, string> = {}): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  }) as KubeObject;

const sa = (namespace: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name: 'default', namespace },
});

export const CAPTURE_NODE = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'samples-node-1', labels: { 'kubernetes.io/hostname': 'samples-node-1', 'samples-node': 'true' } },
  spec: {},
  status: {
    addresses: [{ type: 'InternalIP', address: '10.99.0.1' }],
    allocatable: { cpu: '2', memory: '4Gi', pods: '110' },
    capacity: { cpu: '2', memory: '4Gi', pods: '110' },
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
  },
} as KubeObject;

export function captureScenario(
  opts: { objects?: KubeObject[]; images?: ImageRule[]; history?: HistoryStep[] } = {},
): Scenario {
  return {
    name: 'capture',
    description: 'the api-samples capture cluster',
    defaultNamespace: 'samples',
    apiGroups: [],
    images: opts.images ?? [],
    metricsServer: true,
    helmReleases: [],
    logs: {},
    objects: [
      CAPTURE_NODE,
      ns('default'),
      ns('samples', { 'samples-webhook-scope': 'yes' }),
      ns('samples-psa', { 'pod-security.kubernetes.io/enforce': 'restricted' }),
      sa('default'),
      sa('samples'),
      sa('samples-psa'),
      ...(opts.objects ?? []),
    ],
    history: opts.history ?? [],
  };
}

const UID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const IP = /^\d+\.\d+\.\d+\.\d+$/;

/**
 * A value with what differs on every run replaced: uids, times, resourceVersions and IPs by
 * placeholders, and any text through `names` (e.g. a generated pod name by `<pod>`).
 */
export function comparable(value: unknown, names: [RegExp, string][] = [], key = ''): unknown {
  if (typeof value === 'string') {
    if (UID.test(value)) return '<uid>';
    if (TIME.test(value)) return '<time>';
    if (IP.test(value)) return '<ip>';
    if (key === 'resourceVersion') return '<rv>';
    return names.reduce((s, [re, to]) => s.replace(re, to), value);
  }
  if (Array.isArray(value)) return value.map((v) => comparable(v, names, key));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== 'managedFields') out[k] = comparable(v, names, k);
    return out;
  }
  return value;
}
