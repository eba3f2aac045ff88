// The JSONPath subset CRD additionalPrinterColumns use (`.spec.color`, `.status.replicas`,
// `.status.conditions[?(@.type=="Ready")].status`, `.spec.items[0].name`, `.spec.list[*]`):
// what the apiextensions table convertor evaluates for each row, missing keys allowed.

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; path: string[]; value: string };

const FILTER = /^\?\(@\.([\w.-]+)\s*==\s*(?:"([^"]*)"|'([^']*)')\)$/;

function parse(path: string): Step[] | undefined {
  const steps: Step[] = [];
  let rest = path
    .trim()
    .replace(/^\{(.*)\}$/, '$1')
    .replace(/^\$/, '');
  while (rest.length > 0) {
    if (rest.startsWith('.')) {
      const m = /^\.([^.[\]]+)/.exec(rest);
      if (!m) return undefined;
      steps.push({ kind: 'field', name: m[1] as string });
      rest = rest.slice(m[0].length);
    } else if (rest.startsWith('[')) {
      const end = rest.indexOf(']');
      if (end < 0) return undefined;
      const inner = rest.slice(1, end).trim();
      rest = rest.slice(end + 1);
      const filter = FILTER.exec(inner);
      if (inner === '*') steps.push({ kind: 'all' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^'[^']*'$|^"[^"]*"$/.test(inner)) steps.push({ kind: 'field', name: inner.slice(1, -1) });
      else if (filter)
        steps.push({ kind: 'filter', path: (filter[1] as string).split('.'), value: filter[2] ?? filter[3] ?? '' });
      else return undefined;
    } else return undefined;
  }
  return steps;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Every value the path reaches in `data`, in order; [] when nothing matches or the path is not understood. */
export function jsonPathValues(data: unknown, path: string): unknown[] {
  const steps = parse(path);
  if (!steps) return [];
  let current: unknown[] = [data];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of current) {
      if (step.kind === 'field') {
        if (isRecord(v) && !Array.isArray(v) && step.name in v) next.push(v[step.name]);
      } else if (!Array.isArray(v)) {
        continue;
      } else if (step.kind === 'index') {
        const i = step.index < 0 ? v.length + step.index : step.index;
        if (i >= 0 && i < v.length) next.push(v[i]);
      } else if (step.kind === 'all') {
        next.push(...v);
      } else {
        for (const item of v) {
          let at: unknown = item;
          for (const key of step.path) at = isRecord(at) ? at[key] : undefined;
          if (at !== undefined && String(at) === step.value) next.push(item);
        }
      }
    }
    current = next;
  }
  return current;
}
