// Where a pod may run, judged the way the scheduler's filters judge it: cordons, taints
// against tolerations, nodeSelector and required node affinity, and what the pods already on
// a node reserve. Shared by the scheduling and workload rules so they count nodes alike.
// Input may be hostile (missing or non-array fields), so every accessor narrows first.
import type { Node, NodeTaint, PodAffinityTerm, PodSpec, Pod, Toleration } from '../../../src/model/k8s.js';
import type { Snapshot } from '../../../src/store/snapshot.js';
import { matchesSelector } from '../../../src/model/selectors.js';
import { podRequests } from '../../../src/diagnose/quantity.js';

export function arrayOf<T>(value: T[] | undefined | null): T[] {
  return Array.isArray(value) ? value : [];
}

export { compareText as compareNames } from '../../../src/util/order.js';

// ---- taints ----

/** Toleration semantics of core/v1: an empty key with `Exists` tolerates every taint, an empty effect every effect. */
export function toleratesTaint(toleration: Toleration, taint: NodeTaint): boolean {
  if (!toleration || typeof toleration !== 'object') return false;
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  const operator = toleration.operator ?? 'Equal';
  if (operator === 'Exists') return true;
  if (operator === 'Equal' || operator === '') return (toleration.value ?? '') === (taint.value ?? '');
  return false;
}

/** Taints that keep this pod off the node: NoSchedule and NoExecute ones it does not tolerate (PreferNoSchedule only scores). */
export function untoleratedTaints(tolerations: Toleration[] | undefined, node: Node): NodeTaint[] {
  const tols = arrayOf(tolerations);
  return arrayOf(node.spec?.taints).filter(
    (t) =>
      t &&
      typeof t.key === 'string' &&
      (t.effect === 'NoSchedule' || t.effect === 'NoExecute') &&
      !tols.some((tol) => toleratesTaint(tol, t)),
  );
}

/** `key=value:Effect` as `kubectl taint` writes it. */
export function taintText(taint: { key: string; value?: string; effect?: string }): string {
  return `${taint.key}${taint.value ? `=${taint.value}` : ''}${taint.effect ? `:${taint.effect}` : ''}`;
}

/** The toleration that lets a pod onto a node with this taint, and nothing more. */
export function tolerationFor(taint: { key: string; value?: string; effect?: string }): Toleration {
  const tol: Toleration = taint.value
    ? { key: taint.key, operator: 'Equal', value: taint.value }
    : { key: taint.key, operator: 'Exists' };
  if (taint.effect) tol.effect = taint.effect;
  return tol;
}

/**
 * Taints the node lifecycle controller sets while a node is unhealthy or cordoned. Tolerating
 * them hides a broken node instead of fixing it, so no rule offers a toleration for them.
 */
export function isConditionTaint(key: string): boolean {
  return key.startsWith('node.kubernetes.io/') || key.startsWith('node.cloudprovider.kubernetes.io/');
}

export function isControlPlaneTaint(key: string): boolean {
  return key === 'node-role.kubernetes.io/control-plane' || key === 'node-role.kubernetes.io/master';
}

// ---- node selection ----

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

/** The pod's required node affinity terms (ORed), or undefined when it has none. */
export function requiredNodeTerms(spec: PodSpec | undefined): NodeSelectorTerm[] | undefined {
  const nodeAffinity = spec?.affinity?.nodeAffinity;
  if (!nodeAffinity || typeof nodeAffinity !== 'object') return undefined;
  const required = (
    nodeAffinity as { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: unknown } }
  ).requiredDuringSchedulingIgnoredDuringExecution;
  const terms = required?.nodeSelectorTerms;
  return Array.isArray(terms) ? terms.filter((t): t is NodeSelectorTerm => !!t && typeof t === 'object') : undefined;
}

function requirementMatches(req: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = arrayOf(req.values);
  switch (req.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const n = Number(value);
      const bound = Number(values[0]);
      if (value === undefined || !Number.isInteger(n) || !Number.isInteger(bound)) return false;
      return req.operator === 'Gt' ? n > bound : n < bound;
    }
    default:
      return false;
  }
}

function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const expressions = arrayOf(term.matchExpressions);
  const fields = arrayOf(term.matchFields);
  // An empty term selects no node, as the scheduler reads it.
  if (expressions.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  return (
    expressions.every((r) => !!r && requirementMatches(r, labels[r.key])) &&
    fields.every((r) => !!r && requirementMatches(r, r.key === 'metadata.name' ? node.metadata.name : undefined))
  );
}

export function matchesNodeSelector(spec: PodSpec | undefined, node: Node): boolean {
  const selector = spec?.nodeSelector;
  if (!selector || typeof selector !== 'object') return true;
  const labels = node.metadata.labels ?? {};
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** nodeSelector and required node affinity together, as the NodeAffinity filter applies them. */
export function matchesNodeSelection(spec: PodSpec | undefined, node: Node): boolean {
  if (!matchesNodeSelector(spec, node)) return false;
  const terms = requiredNodeTerms(spec);
  return terms === undefined || terms.some((t) => termMatches(t, node));
}

/** `topology.kubernetes.io/zone In [a, b]` */
export function requirementText(req: NodeSelectorRequirement): string {
  const values = arrayOf(req.values);
  return values.length > 0 ? `${req.key} ${req.operator} [${values.join(', ')}]` : `${req.key} ${req.operator}`;
}

export function isCordoned(node: Node): boolean {
  return node.spec?.unschedulable === true;
}

/** Nodes the pod may land on before resources count: not cordoned, taints tolerated, selection matched. */
export function eligibleNodes(nodes: readonly Node[], spec: PodSpec | undefined): Node[] {
  return nodes.filter(
    (n) => !isCordoned(n) && untoleratedTaints(spec?.tolerations, n).length === 0 && matchesNodeSelection(spec, n),
  );
}

// ---- pod (anti-)affinity ----

/** Whether a pod affinity term selects another pod (same namespace unless the term lists namespaces). */
export function affinityTermSelects(term: PodAffinityTerm, termNamespace: string | undefined, other: Pod): boolean {
  const namespaces = arrayOf(term.namespaces);
  const ns = other.metadata.namespace;
  if (namespaces.length > 0 ? !namespaces.includes(ns ?? '') : ns !== termNamespace) return false;
  return matchesSelector(other.metadata.labels, term.labelSelector);
}

/** `app=db, tier In [a,b]`: a label selector in words. */
export function selectorText(selector: PodAffinityTerm['labelSelector']): string {
  if (!selector) return '(none)';
  const parts = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of arrayOf(selector.matchExpressions))
    parts.push(e?.values?.length ? `${e.key} ${e.operator} [${e.values.join(',')}]` : `${e?.key} ${e?.operator}`);
  return parts.length > 0 ? parts.join(', ') : '(everything)';
}

// ---- what nodes have left ----

export interface NodeUsage {
  /** Requests of the pods bound to the node that still hold them (not Succeeded or Failed). */
  requests: Map<string, number>;
  pods: number;
}

const usageCache = new WeakMap<Snapshot, Map<string, NodeUsage>>();

function holdsResources(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

/** What the pods already on a node request, computed once per snapshot. */
export function nodeUsage(snapshot: Snapshot, nodeName: string): NodeUsage {
  let cache = usageCache.get(snapshot);
  if (!cache) {
    cache = new Map();
    usageCache.set(snapshot, cache);
  }
  const known = cache.get(nodeName);
  if (known) return known;
  const usage: NodeUsage = { requests: new Map(), pods: 0 };
  for (const pod of snapshot.podsOnNode(nodeName)) {
    if (!holdsResources(pod)) continue;
    usage.pods++;
    // forEach, not for...of: no entry array per request while this code is still cold.
    podRequests(pod.spec).forEach((n, name) => usage.requests.set(name, (usage.requests.get(name) ?? 0) + n));
  }
  cache.set(nodeName, usage);
  return usage;
}
