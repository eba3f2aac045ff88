// metrics.k8s.io/v1beta1 as metrics-server serves it through the aggregation layer:
// PodMetrics and NodeMetrics, get and list only (no watch), computed on every read from the
// pods and nodes stored now. Usage is derived from each container's requests with a
// fraction drawn from its name, so the figures look alive but are the same on every read and
// every run — tests and screenshots can rely on them. Only running containers have usage, as
// only they are scraped; a pod with none has no PodMetrics (404, like metrics-server).
import type { KubeObject, Node, Pod } from '../model/k8s.js';
import { rfc3339 } from './clock.js';
import type { ResourceDef } from './resources.js';
import { parseQuantity } from './quantity.js';
import { Entry, type SimState } from './state.js';

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';

const metricsDef = (resource: string, kind: string, namespaced: boolean): ResourceDef => ({
  group: METRICS_GROUP,
  version: METRICS_VERSION,
  resource,
  kind,
  namespaced,
  verbs: ['get', 'list'],
  subresources: [],
  hasGeneration: false,
  origin: 'aggregated',
  computed: true,
});

export const METRICS_RESOURCES: readonly ResourceDef[] = [
  metricsDef('nodes', 'NodeMetrics', false),
  metricsDef('pods', 'PodMetrics', true),
];

/** metrics-server's scrape window. */
const WINDOW = '15s';
/** What the node's own processes (kubelet, runtime, system daemons) use on top of its pods. */
const NODE_OVERHEAD = { cpu: 0.12, memory: 640 * 1024 ** 2 };
/** A container without requests still uses a little. */
const UNREQUESTED = { cpu: 0.004, memory: 24 * 1024 ** 2 };

/** A stable fraction in [lo, hi) from a name (FNV-1a). */
function fraction(key: string, lo: number, hi: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return lo + (h / 0x1_0000_0000) * (hi - lo);
}

interface Usage {
  cpu: number;
  memory: number;
}

const cpuQuantity = (cores: number): string => `${Math.round(cores * 1e9)}n`;
const memoryQuantity = (bytes: number): string => `${Math.round(bytes / 1024)}Ki`;

function containerUsage(pod: Pod, name: string): Usage {
  const requests = pod.spec.containers?.find((c) => c.name === name)?.resources?.requests ?? {};
  const key = `${pod.metadata.namespace}/${pod.metadata.name}/${name}`;
  const cpu = parseQuantity(requests['cpu']) || UNREQUESTED.cpu;
  const memory = parseQuantity(requests['memory']) || UNREQUESTED.memory;
  return { cpu: cpu * fraction(`cpu:${key}`, 0.15, 0.85), memory: memory * fraction(`mem:${key}`, 0.35, 0.9) };
}

function runningContainers(pod: Pod): string[] {
  if (pod.status?.phase !== 'Running' || pod.metadata.deletionTimestamp) return [];
  return (pod.status.containerStatuses ?? []).filter((c) => c.state?.running).map((c) => c.name);
}

function podMetrics(pod: Pod, now: number): KubeObject | undefined {
  const names = runningContainers(pod);
  if (names.length === 0) return undefined;
  const metadata: KubeObject['metadata'] = {
    name: pod.metadata.name,
    namespace: pod.metadata.namespace as string,
    creationTimestamp: rfc3339(now),
  };
  if (pod.metadata.labels) metadata.labels = pod.metadata.labels;
  return {
    kind: 'PodMetrics',
    apiVersion: `${METRICS_GROUP}/${METRICS_VERSION}`,
    metadata,
    timestamp: rfc3339(now - 5000),
    window: WINDOW,
    containers: names.map((name) => {
      const u = containerUsage(pod, name);
      return { name, usage: { cpu: cpuQuantity(u.cpu), memory: memoryQuantity(u.memory) } };
    }),
  } as KubeObject;
}

function nodeMetrics(node: Node, pods: readonly Pod[], now: number): KubeObject | undefined {
  const ready = node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
  if (!ready) return undefined;
  const total: Usage = { ...NODE_OVERHEAD };
  for (const pod of pods) {
    if (pod.spec.nodeName !== node.metadata.name) continue;
    for (const name of runningContainers(pod)) {
      const u = containerUsage(pod, name);
      total.cpu += u.cpu;
      total.memory += u.memory;
    }
  }
  const metadata: KubeObject['metadata'] = { name: node.metadata.name, creationTimestamp: rfc3339(now) };
  if (node.metadata.labels) metadata.labels = node.metadata.labels;
  return {
    kind: 'NodeMetrics',
    apiVersion: `${METRICS_GROUP}/${METRICS_VERSION}`,
    metadata,
    timestamp: rfc3339(now - 5000),
    window: WINDOW,
    usage: { cpu: cpuQuantity(total.cpu), memory: memoryQuantity(total.memory) },
  } as KubeObject;
}

/** The metrics objects there are now, as entries (key order, like stored objects), optionally in one namespace. */
export function metricsEntries(state: SimState, d: ResourceDef, namespace?: string): Entry[] {
  const now = state.now();
  const rv = state.resourceVersion;
  const podDef = state.registry.forKind('Pod') as ResourceDef;
  if (d.kind === 'PodMetrics') {
    const out: Entry[] = [];
    for (const e of state.list(podDef, namespace)) {
      const m = podMetrics(e.obj as Pod, now);
      if (m) out.push(new Entry(d, m, rv));
    }
    return out;
  }
  const pods = state.list(podDef).map((e) => e.obj as Pod);
  const out: Entry[] = [];
  for (const e of state.list(state.registry.forKind('Node') as ResourceDef)) {
    const m = nodeMetrics(e.obj as Node, pods, now);
    if (m) out.push(new Entry(d, m, rv));
  }
  return out;
}
