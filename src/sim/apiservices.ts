// APIService objects (apiregistration.k8s.io/v1), as kube-aggregator keeps them: one "Local"
// entry per group version the server itself serves, and one per aggregated API, which points
// at the Service behind it (metrics-server's v1beta1.metrics.k8s.io).
import type { KubeObject } from '../model/k8s.js';
import { rfc3339 } from './clock.js';
import type { ResourceDef } from './resources.js';

const LOCAL = { reason: 'Local', message: 'Local APIServices are always available' };
const PASSED = { reason: 'Passed', message: 'all checks passed' };

/** The APIServices for these resources' group versions, created `ageMs` before `now`. */
export function apiServices(defs: readonly ResourceDef[], now: number, ageMs: number): KubeObject[] {
  const seen = new Map<string, ResourceDef>();
  for (const d of defs) seen.set(`${d.version}.${d.group}`, d);
  return [...seen.entries()].map(([name, d], i) => {
    const aggregated = d.origin === 'aggregated';
    const spec: Record<string, unknown> = aggregated
      ? {
          service: { namespace: 'kube-system', name: 'metrics-server', port: 443 },
          group: d.group,
          version: d.version,
          insecureSkipTLSVerify: true,
          groupPriorityMinimum: 100,
          versionPriority: 100,
        }
      : {
          ...(d.group ? { group: d.group } : {}),
          version: d.version,
          groupPriorityMinimum: d.origin === 'crd' ? 1000 : 18000 - i * 100,
          versionPriority: 15,
        };
    const at = rfc3339(now - ageMs);
    return {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: {
        name,
        creationTimestamp: at,
        labels: aggregated
          ? { 'k8s-app': 'metrics-server' }
          : { 'kube-aggregator.kubernetes.io/automanaged': 'onstart' },
      },
      spec,
      status: {
        conditions: [{ type: 'Available', status: 'True', lastTransitionTime: at, ...(aggregated ? PASSED : LOCAL) }],
      },
    } as KubeObject;
  });
}
