// Findings indexed by the objects they cover, built once per snapshot version, so a pod row
// can show its marker and the pane its finding without scanning every finding per row.
import type { Finding, ObjectRef, Severity } from '../../src/diagnose/types.js';
import { refKey } from '../../src/model/selectors.js';
import { SEVERITY_RANK } from '../render/row.js';

export interface FindingIndex {
  readonly all: readonly Finding[];
  get(id: string): Finding | undefined;
  /** Findings about any of these objects (an object and its owners), the most telling first. */
  about(refs: readonly ObjectRef[]): Finding[];
  /** The worst severity among them: a row's marker, even when a milder cause comes first. */
  severity(refs: readonly ObjectRef[]): Severity | undefined;
  readonly counts: Readonly<Record<Severity, number>>;
  /** Counts per namespace of the finding's subject. */
  countsIn(namespace: string): Readonly<Record<Severity, number>>;
}

const zero = (): Record<Severity, number> => ({ critical: 0, warning: 0, info: 0 });

export function indexFindings(findings: readonly Finding[]): FindingIndex {
  const byObject = new Map<string, Finding[]>();
  const order = new Map(findings.map((f, i) => [f.id, i]));
  const byId = new Map(findings.map((f) => [f.id, f]));
  const counts = zero();
  const perNamespace = new Map<string, Record<Severity, number>>();
  for (const f of findings) {
    counts[f.severity]++;
    const ns = f.subject.namespace ?? '';
    const c = perNamespace.get(ns) ?? zero();
    c[f.severity]++;
    perNamespace.set(ns, c);
    for (const key of new Set([f.subject, ...f.objects].map(refKey))) {
      const list = byObject.get(key);
      if (list) list.push(f);
      else byObject.set(key, [f]);
    }
  }
  return {
    all: findings,
    get: (id) => byId.get(id),
    counts,
    countsIn: (namespace) => perNamespace.get(namespace) ?? zero(),
    severity(refs) {
      let worst: Severity | undefined;
      for (const r of refs)
        for (const f of byObject.get(refKey(r)) ?? [])
          if (worst === undefined || SEVERITY_RANK[f.severity] < SEVERITY_RANK[worst]) worst = f.severity;
      return worst;
    },
    about(refs) {
      const found = new Set<Finding>();
      for (const r of refs) for (const f of byObject.get(refKey(r)) ?? []) found.add(f);
      // Findings *about* the object (its subject is the pod or its owner) before findings that
      // merely cover it (a missing CRD group lists a release's pods); then a cause before what
      // follows from it (a crash before the rollout it stalls: `x` fixes the cause); then most
      // severe first; the engine's order (roots first) breaks ties.
      const subjects = new Set(refs.map(refKey));
      const ids = new Set([...found].map((f) => f.id));
      const direct = (f: Finding) => (subjects.has(refKey(f.subject)) ? 0 : 1);
      const follows = (f: Finding) => (f.causedBy.some((id) => ids.has(id)) ? 1 : 0);
      return [...found].sort(
        (a, b) =>
          direct(a) - direct(b) ||
          follows(a) - follows(b) ||
          SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
          (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0),
      );
    },
  };
}
