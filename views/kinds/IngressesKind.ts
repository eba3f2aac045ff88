// Ingresses as `kubectl get ingress`; enter lists the services its rules send traffic to.
import { humanAge } from '../../src/format/age.js';
import type { KubeObject } from '../../src/model/k8s.js';
import { AGE_COLUMN } from '../render/columns.js';
import { entry } from '../state.js';
import { at, list, text } from '../data/resources.js';
import type { KindView } from './kind-view.js';

/** The services an ingress routes to: its default backend's and every rule path's, once each. */
export function ingressServices(ing: KubeObject): string[] {
  const backends = [
    at(ing, 'spec', 'defaultBackend'),
    ...list(at(ing, 'spec', 'rules')).flatMap((r) => list(at(r, 'http', 'paths')).map((p) => at(p, 'backend'))),
  ];
  const names = backends.map((b) => at(b, 'service', 'name')).filter((n): n is string => typeof n === 'string');
  return [...new Set(names)];
}

export const ingressesKind: KindView = {
  resource: 'ingresses.networking.k8s.io',
  columns: [
    { key: 'name', title: 'NAME', minWidth: 16, flex: 1, truncate: 'middle' },
    { key: 'class', title: 'CLASS', minWidth: 6 },
    { key: 'hosts', title: 'HOSTS', minWidth: 6, flex: 1 },
    { key: 'address', title: 'ADDRESS', minWidth: 8 },
    { key: 'ports', title: 'PORTS', minWidth: 6 },
    AGE_COLUMN,
  ],
  cells(ing, now) {
    const hosts = list(at(ing, 'spec', 'rules'))
      .map((r) => at(r, 'host'))
      .filter((h): h is string => typeof h === 'string');
    const lb = list(at(ing, 'status', 'loadBalancer', 'ingress'))
      .map((i) => at(i, 'ip') ?? at(i, 'hostname'))
      .filter((a): a is string => typeof a === 'string');
    return [
      ing.metadata.name,
      text(at(ing, 'spec', 'ingressClassName')),
      hosts.join(',') || '*',
      lb.join(','),
      list(at(ing, 'spec', 'tls')).length > 0 ? '80, 443' : '80',
      humanAge(ing.metadata.creationTimestamp, now),
    ];
  },
  drillText: 'Show the services the ingress routes to',
  drill: (ing, ref) => {
    const names = ingressServices(ing);
    return names.length
      ? { push: entry('services', { within: { kind: 'named', ref, names } }), namespace: ref.namespace ?? null }
      : undefined;
  },
};
