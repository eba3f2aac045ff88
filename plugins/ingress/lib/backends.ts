// Every Service backend of an Ingress with its place in the spec, so findings can quote the
// exact field and patches can address it.
import type { Ingress, IngressBackend } from '../../../src/model/k8s.js';

export interface PlacedBackend {
  service: NonNullable<IngressBackend['service']>;
  /** `spec.rules[0].http.paths[1].backend.service` */
  path: string;
  /** `/spec/rules/0/http/paths/1/backend/service` */
  pointer: string;
  /** `api.shop.example.com/cart`, or `default backend`. */
  where: string;
}

export function ingressBackends(ing: Ingress): PlacedBackend[] {
  const out: PlacedBackend[] = [];
  const d = ing.spec?.defaultBackend?.service;
  if (d?.name)
    out.push({
      service: d,
      path: 'spec.defaultBackend.service',
      pointer: '/spec/defaultBackend/service',
      where: 'default backend',
    });
  (Array.isArray(ing.spec?.rules) ? ing.spec.rules : []).forEach((r, i) =>
    (Array.isArray(r?.http?.paths) ? r.http.paths : []).forEach((p, j) => {
      const s = p?.backend?.service;
      if (s?.name)
        out.push({
          service: s,
          path: `spec.rules[${i}].http.paths[${j}].backend.service`,
          pointer: `/spec/rules/${i}/http/paths/${j}/backend/service`,
          where: `${r.host ?? '*'}${p.path ?? '/'}`,
        });
    }),
  );
  return out;
}
