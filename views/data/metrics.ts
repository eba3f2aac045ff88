// Pods' CPU and memory as metrics-server reports them (metrics.k8s.io PodMetrics), shown the
// way `kubectl top pods` and k9s show them: millicores and Mi, and as a share of what the
// pod's containers request. Read from the rows of the polled PodMetrics list (useViewContext);
// views only ever see these numbers.
import type { KubeObject, Pod, TableRow } from '../../src/model/k8s.js';
import { parseQuantity } from '../../src/diagnose/quantity.js';

export interface PodUsage {
  /** Cores. */
  cpu: number;
  /** Bytes. */
  memory: number;
}

/** Usage by `namespace/name`; undefined while the cluster serves no metrics (the columns are then absent). */
export type PodMetricsIndex = ReadonlyMap<string, PodUsage>;

export const podKey = (namespace: string | undefined, name: string): string => `${namespace ?? ''}/${name}`;

/**
 * What the pods view keeps of a PodMetrics row: its name and its containers' usage. Whole,
 * 10,000 of them held 6.9 MB (labels, timestamps, the window, the server's cells).
 */
export function metricsRow(row: TableRow): TableRow {
  const m = row.object as KubeObject & { containers?: { usage?: Record<string, unknown> }[] };
  const containers = Array.isArray(m.containers)
    ? m.containers.map((c) => ({ usage: { cpu: c?.usage?.['cpu'], memory: c?.usage?.['memory'] } }))
    : [];
  const metadata = { name: m.metadata.name, namespace: m.metadata.namespace };
  return { cells: [], object: { metadata, containers } as KubeObject };
}

/** Sums each PodMetrics' containers. */
export function indexPodMetrics(items: readonly KubeObject[]): PodMetricsIndex {
  const out = new Map<string, PodUsage>();
  for (const m of items) {
    const containers = (m as { containers?: { usage?: Record<string, unknown> }[] }).containers ?? [];
    let cpu = 0;
    let memory = 0;
    for (const c of containers) {
      cpu += parseQuantity(c.usage?.['cpu']) ?? 0;
      memory += parseQuantity(c.usage?.['memory']) ?? 0;
    }
    out.set(podKey(m.metadata.namespace, m.metadata.name), { cpu, memory });
  }
  return out;
}

/** What the pod's containers request of `resource`, or undefined when one of them requests none. */
function requested(pod: Pod, resource: 'cpu' | 'memory'): number | undefined {
  let sum = 0;
  for (const c of pod.spec.containers) {
    const q = parseQuantity(c.resources?.requests?.[resource]);
    if (q === undefined) return undefined;
    sum += q;
  }
  return sum > 0 ? sum : undefined;
}

/** The four cells: `12m`, `45Mi`, `%CPU/R`, `%MEM/R` (`n/a` without requests), or blanks without metrics for the pod. */
export function usageCells(pod: Pod, usage: PodUsage | undefined): [string, string, string, string] {
  if (!usage) return ['n/a', 'n/a', 'n/a', 'n/a'];
  const pct = (used: number, of: number | undefined) =>
    of === undefined ? 'n/a' : String(Math.round((used / of) * 100));
  return [
    `${Math.round(usage.cpu * 1000)}m`,
    `${Math.round(usage.memory / 2 ** 20)}Mi`,
    pct(usage.cpu, requested(pod, 'cpu')),
    pct(usage.memory, requested(pod, 'memory')),
  ];
}
