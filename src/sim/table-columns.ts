// The pieces every server-side printer is made of: column definitions with the descriptions
// kube-apiserver sends (the API types' swagger docs), and the cell formatters of
// pkg/printers/internalversion that several printers share.
import type { Container, KubeObject, LabelSelector } from '../model/k8s.js';

export interface ColumnDef {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export type Cell = string | number | boolean | null;
export type Obj = Record<string, unknown>;

export interface Printer {
  columns: ColumnDef[];
  cells(obj: KubeObject, now: number): Cell[];
}

export const NAME_DESC =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: http://kubernetes.io/docs/user-guide/identifiers#names';
export const AGE_DESC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export const col = (
  name: string,
  description: string,
  opts: { type?: string; format?: string; priority?: number } = {},
): ColumnDef => ({
  name,
  type: opts.type ?? 'string',
  format: opts.format ?? '',
  description,
  priority: opts.priority ?? 0,
});
export const nameCol = col('Name', NAME_DESC, { format: 'name' });
export const ageCol = col('Age', AGE_DESC);
export const containersCol = col('Containers', 'Names of each container in the template.', { priority: 1 });
export const imagesCol = col('Images', 'Images referenced by each container in the template.', { priority: 1 });
export const selectorCol = (desc: string): ColumnDef => col('Selector', desc, { priority: 1 });

export const none = (s: string | undefined | null): string => (s ? s : '<none>');

export function layoutContainers(containers: Container[] | undefined): [string, string] {
  const cs = containers ?? [];
  return [cs.map((c) => c.name).join(','), cs.map((c) => c.image ?? '').join(',')];
}

/** metav1.FormatLabelSelector. */
export function formatLabelSelector(sel: LabelSelector | undefined): string {
  if (!sel) return '<none>';
  const parts = Object.keys(sel.matchLabels ?? {})
    .sort()
    .map((k) => `${k}=${sel.matchLabels?.[k]}`);
  for (const e of sel.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    if (op === 'exists') parts.push(e.key);
    else if (op === 'doesnotexist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${op} (${(e.values ?? []).join(',')})`);
  }
  return parts.length ? parts.join(',') : '<none>';
}

/** labels.FormatLabels. */
export const formatLabels = (m: Record<string, string> | undefined): string =>
  m && Object.keys(m).length
    ? Object.keys(m)
        .sort()
        .map((k) => `${k}=${m[k]}`)
        .join(',')
    : '<none>';

/** The first `max` items, then ` + N more...`; `<unset>` for none (listWithMoreString). */
export function listWithMore(items: string[], max: number): string {
  const shown = items.slice(0, max).join(',');
  if (items.length > max) return `${shown} + ${items.length - max} more...`;
  return shown || '<unset>';
}

/** helper.GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order. */
export function accessModes(modes: string[] | undefined): string {
  const short: [string, string][] = [
    ['ReadWriteOnce', 'RWO'],
    ['ReadOnlyMany', 'ROX'],
    ['ReadWriteMany', 'RWX'],
    ['ReadWriteOncePod', 'RWOP'],
  ];
  return short
    .filter(([m]) => (modes ?? []).includes(m))
    .map(([, s]) => s)
    .join(',');
}
