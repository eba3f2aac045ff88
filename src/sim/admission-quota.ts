// The ResourceQuota admission plugin and the usage the quota controller records, from one
// evaluator (pkg/quota/v1/evaluator/core): pods count their containers' requests and limits
// while they are not terminal, every object counts toward `count/<resource>`. A create that
// would take usage past `hard` is refused with the plugin's own message:
//   exceeded quota: <name>, requested: requests.cpu=40m, used: requests.cpu=80m, limited: requests.cpu=100m
// and a pod that does not state a resource a quota limits: `failed quota: <name>: must specify requests.cpu`.
import type { Container, KubeObject, PersistentVolumeClaim, Pod, ResourceQuota } from '../model/k8s.js';
import { formatOf, formatQuantity, parseQuantity, type QuantityFormat } from './quantity.js';
import type { ResourceDef } from './resources.js';
import type { SimState } from './state.js';
import { forbiddenBy } from './status.js';

type Usage = Map<string, number>;

/** The quota names the compute resources a pod's containers must state (the "validation set"). */
const COMPUTE = ['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];

const terminal = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/** podComputeUsageHelper: what one container's (or a pod's summed) requests and limits count as. */
function computeUsage(requests: Record<string, string>, limits: Record<string, string>): Usage {
  const u: Usage = new Map();
  for (const r of ['cpu', 'memory']) {
    if (requests[r] !== undefined) {
      u.set(r, parseQuantity(requests[r]));
      u.set(`requests.${r}`, parseQuantity(requests[r]));
    }
    if (limits[r] !== undefined) u.set(`limits.${r}`, parseQuantity(limits[r]));
  }
  return u;
}

/** The pod's effective requests and limits: containers summed, init containers taken at their maximum. */
function podTotals(pod: Pod): { requests: Record<string, string>; limits: Record<string, string> } {
  const sum = (pick: (c: Container) => Record<string, string> | undefined) => {
    const out: Record<string, number> = {};
    for (const c of pod.spec.containers ?? [])
      for (const [k, v] of Object.entries(pick(c) ?? {})) out[k] = (out[k] ?? 0) + parseQuantity(v);
    for (const c of pod.spec.initContainers ?? [])
      for (const [k, v] of Object.entries(pick(c) ?? {})) out[k] = Math.max(out[k] ?? 0, parseQuantity(v));
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, String(v)]));
  };
  return { requests: sum((c) => c.resources?.requests), limits: sum((c) => c.resources?.limits) };
}

/** What one object counts toward a quota (empty for what no quota tracks). */
export function usageOf(def: ResourceDef, obj: KubeObject): Usage {
  const count = def.group ? `count/${def.resource}.${def.group}` : `count/${def.resource}`;
  const u: Usage = new Map([[count, 1]]);
  if (def.kind === 'Pod' && !def.group) {
    const pod = obj as Pod;
    if (terminal(pod)) return new Map();
    const { requests, limits } = podTotals(pod);
    for (const [k, v] of computeUsage(requests, limits)) u.set(k, v);
    u.set('pods', 1);
  } else if (def.kind === 'PersistentVolumeClaim' && !def.group) {
    u.set('persistentvolumeclaims', 1);
    u.set('requests.storage', parseQuantity((obj as PersistentVolumeClaim).spec.resources?.requests?.['storage']));
  } else if (def.kind === 'Service' && !def.group) u.set('services', 1);
  return u;
}

/** Current usage of every resource a quota limits, over the objects of its namespace. */
export function quotaUsed(state: SimState, quota: ResourceQuota): Record<string, string> {
  const hard = quota.spec?.hard ?? {};
  const ns = quota.metadata.namespace;
  const totals: Usage = new Map(Object.keys(hard).map((r) => [r, 0]));
  for (const def of state.registry.all) {
    if (!def.namespaced || def.kind === 'Event') continue;
    for (const e of state.list(def, ns))
      for (const [r, v] of usageOf(def, e.obj)) if (totals.has(r)) totals.set(r, (totals.get(r) ?? 0) + v);
  }
  return Object.fromEntries([...totals].map(([r, v]) => [r, formatQuantity(v, formatOf(hard[r]))]));
}

/** prettyPrint: `k=v,k2=v2` in key order. */
const pretty = (entries: [string, string][]): string =>
  entries
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/** Constraints: the compute resources a quota limits that some container does not state. */
function missingCompute(pod: Pod, hard: Record<string, string>): string[] {
  const required = COMPUTE.filter((r) => hard[r] !== undefined);
  const missing = new Set<string>();
  for (const c of [...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? [])]) {
    const stated = computeUsage(c.resources?.requests ?? {}, c.resources?.limits ?? {});
    for (const r of required) if (!stated.has(r)) missing.add(r);
  }
  return [...missing].sort();
}

/** Refuse a create that a quota of the namespace does not allow (validating admission, so the name is final). */
export function admitQuota(state: SimState, def: ResourceDef, obj: KubeObject): void {
  const ns = obj.metadata.namespace;
  if (!def.namespaced || !ns) return;
  const requested = usageOf(def, obj);
  const quotas = state
    .objectsOf<ResourceQuota>('ResourceQuota', ns)
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  for (const quota of quotas) {
    const hard = quota.spec?.hard ?? {};
    if (def.kind === 'Pod' && !def.group) {
      const missing = missingCompute(obj as Pod, hard);
      if (missing.length)
        throw forbiddenBy(
          def,
          obj.metadata.name,
          `failed quota: ${quota.metadata.name}: must specify ${missing.join(',')}`,
        );
    }
    const used = quotaUsed(state, quota);
    const exceeded = Object.keys(hard).filter(
      (r) => requested.has(r) && parseQuantity(used[r]) + (requested.get(r) ?? 0) > parseQuantity(hard[r]) + 1e-12,
    );
    if (!exceeded.length) continue;
    const format = (r: string): QuantityFormat => formatOf(hard[r]);
    throw forbiddenBy(
      def,
      obj.metadata.name,
      `exceeded quota: ${quota.metadata.name}, requested: ${pretty(exceeded.map((r) => [r, formatQuantity(requested.get(r) ?? 0, format(r))]))}, used: ${pretty(exceeded.map((r) => [r, used[r] ?? '0']))}, limited: ${pretty(exceeded.map((r) => [r, hard[r] as string]))}`,
    );
  }
}
