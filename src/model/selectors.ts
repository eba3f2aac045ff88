import type { KubeObject, LabelSelector } from './k8s.js';

/** Label selector semantics as the API server applies them (matchLabels AND matchExpressions). */
export function matchesSelector(
  labels: Record<string, string> | undefined,
  selector: LabelSelector | undefined,
): boolean {
  if (!selector) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const expr of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, expr.key);
    const value = l[expr.key];
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
        if (!has || !values.includes(value as string)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(value as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Parse `a=b,c!=d,e` (the `-l` syntax) into a predicate over labels. */
export function parseLabelQuery(query: string): (labels: Record<string, string> | undefined) => boolean {
  const parts = query
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const ne = p.indexOf('!=');
      if (ne > 0) return { key: p.slice(0, ne).trim(), op: '!=' as const, value: p.slice(ne + 2).trim() };
      const eq = p.indexOf('=');
      if (eq > 0)
        return {
          key: p.slice(0, eq).trim(),
          op: '=' as const,
          value: p.slice(eq + (p[eq + 1] === '=' ? 2 : 1)).trim(),
        };
      if (p.startsWith('!')) return { key: p.slice(1).trim(), op: 'absent' as const, value: '' };
      return { key: p, op: 'exists' as const, value: '' };
    });
  return (labels) => {
    const l = labels ?? {};
    return parts.every((c) => {
      switch (c.op) {
        case '=':
          return l[c.key] === c.value;
        case '!=':
          return l[c.key] !== c.value;
        case 'exists':
          return c.key in l;
        case 'absent':
          return !(c.key in l);
      }
    });
  };
}

export interface RefLike {
  kind: string;
  name: string;
  namespace?: string;
}

/** An ObjectRef for an object; `kind` comes from the object (loaders stamp it on list items). */
export function refOf(obj: KubeObject, kind?: string): RefLike {
  const ref: RefLike = { kind: kind ?? obj.kind ?? 'Unknown', name: obj.metadata.name };
  if (obj.metadata.namespace) ref.namespace = obj.metadata.namespace;
  return ref;
}

export function refKey(ref: RefLike): string {
  return `${ref.namespace ?? ''}/${ref.kind}/${ref.name}`;
}
