// The screens the cockpit can show. Resource views are tables reached with `:<name>`;
// detail views are opened from a row (describe, YAML, logs, a whole finding) or with `?` (help).

const RESOURCE_VIEWS = [
  'pods',
  'events',
  'helm',
  'findings',
  'namespaces',
  'contexts',
  'portforwards',
  'deployments',
  'statefulsets',
  'services',
] as const;

export type ResourceView = (typeof RESOURCE_VIEWS)[number];
export type DetailView = 'describe' | 'yaml' | 'logs' | 'finding' | 'help';
export type ViewKind = ResourceView | DetailView;

/** Views whose rows belong to a namespace, so `0` and `:pods <namespace>` apply. */
export const NAMESPACED_VIEWS: readonly ViewKind[] = [
  'pods',
  'events',
  'helm',
  'findings',
  'portforwards',
  'deployments',
  'statefulsets',
  'services',
];

export function isNamespaced(view: ViewKind): boolean {
  return NAMESPACED_VIEWS.includes(view);
}
