// Which workload a Service most likely meant to select, and how its selector differs from that
// workload's pod template labels: the learner's "why does my Service select nothing".
import type { Service, Workload } from '../../../src/model/k8s.js';
import type { Snapshot } from '../../../src/store/snapshot.js';
import { nearestName } from '../../../src/diagnose/nearest.js';

export interface LabelDifference {
  key: string;
  /** What the selector asks for. */
  wanted: string;
  /** The template's value for that key; undefined when the template has no such key. */
  has?: string;
  /** A template label key close to `key` (a misspelt key), when the template lacks `key`. */
  nearKey?: string;
}

export interface NearestWorkload {
  workload: Workload;
  labels: Record<string, string>;
  differences: LabelDifference[];
  /** The selector that would select the workload's pods, keys kept where they can be. */
  corrected: Record<string, string>;
}

/** Workloads whose pods a Service can be meant for (ReplicaSets of Deployments come with them). */
export function namespaceWorkloads(snapshot: Snapshot, namespace: string): Workload[] {
  return [
    ...snapshot.inNamespace<Workload>('Deployment', namespace),
    ...snapshot.inNamespace<Workload>('StatefulSet', namespace),
    ...snapshot.inNamespace<Workload>('DaemonSet', namespace),
  ];
}

function templateLabels(w: Workload): Record<string, string> {
  const l = w.spec?.template?.metadata?.labels;
  return l && typeof l === 'object' ? l : {};
}

/**
 * The workload in the Service's namespace whose template labels agree with the most selector
 * pairs (then: whose values are nearest, then whose name is the Service's or closest to it).
 */
export function nearestWorkload(snapshot: Snapshot, svc: Service): NearestWorkload | undefined {
  const selector = svc.spec?.selector ?? {};
  const name = svc.metadata.name;
  let best: { w: Workload; score: number } | undefined;
  for (const w of namespaceWorkloads(snapshot, svc.metadata.namespace ?? '')) {
    const labels = templateLabels(w);
    let score = 0;
    for (const [k, v] of Object.entries(selector)) {
      if (labels[k] === v) score += 4;
      else if (labels[k] !== undefined && nearestName(v, [labels[k]])) score += 2;
      else if (labels[k] === undefined && nearestName(k, Object.keys(labels))) score += 1;
    }
    if (w.metadata.name === name) score += 3;
    else if (nearestName(name, [w.metadata.name])) score += 1;
    if (score > 0 && (!best || score > best.score)) best = { w, score };
  }
  if (!best) return undefined;
  const labels = templateLabels(best.w);
  const differences: LabelDifference[] = [];
  const corrected: Record<string, string> = {};
  for (const [key, wanted] of Object.entries(selector)) {
    const has = labels[key];
    if (has === wanted) {
      corrected[key] = wanted;
      continue;
    }
    if (has !== undefined) {
      differences.push({ key, wanted, has });
      corrected[key] = has;
      continue;
    }
    const nearKey = nearestName(key, Object.keys(labels));
    differences.push(nearKey ? { key, wanted, nearKey } : { key, wanted });
    if (nearKey) corrected[nearKey] = labels[nearKey]!;
  }
  return { workload: best.w, labels, differences, corrected };
}

/** `a=b,c=d`, as `kubectl get pods -l` takes it. */
export function labelQuery(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
