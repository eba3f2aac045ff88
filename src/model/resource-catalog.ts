// What a user may type after `:` to name a resource, resolved the way kubectl resolves
// `kubectl get <name>`: short names first (`cm`, `no`, `deploy`, `cert`), then the plural, the
// singular or the kind in any case (`configmaps`, `configmap`, `ConfigMap`), and `plural.group`
// or `plural.version.group` to say which group is meant (`certificates.cert-manager.io`,
// `horizontalpodautoscalers.v1.autoscaling`). When two groups serve the same name, the first in
// discovery order wins — core, then the built-in groups, then CRD groups, then aggregated
// APIs, as the server ranks them — and the others are reported so the user can be told which
// was picked and how to name the other. Pure: built from discovery's list, no I/O.
import type { ApiResourceInfo } from './k8s.js';

export type Resolution =
  | {
      ok: true;
      resource: ApiResourceInfo;
      /** Other resources the same text could have meant (other groups), by their qualified names. */
      alternatives: string[];
    }
  | { ok: false; message: string };

export interface Completion {
  /** What to put after `:` (`cm`, `configmaps`, `certificates.cert-manager.io`). */
  text: string;
  resource: ApiResourceInfo;
}

/** `pods`, `deployments.apps`, `certificates.cert-manager.io`: kubectl's fully qualified resource name. */
export const qualifiedName = (r: Pick<ApiResourceInfo, 'name' | 'group'>): string =>
  r.group ? `${r.name}.${r.group}` : r.name;

/** The singular name, which servers before 1.27 leave out for built-ins: kubectl uses the lower-case kind. */
const singularOf = (r: ApiResourceInfo): string => r.singularName || r.kind.toLowerCase();

const VERSION = /^v\d+((alpha|beta)\d+)?$/;

/**
 * k9s's own aliases for kinds kubectl gives no short name (`:sec` for Secrets), which k9s
 * hands type first. Asked after every name the server gives, so a CRD that claims one of
 * these as a short name keeps it.
 */
export const K9S_ALIASES: Readonly<Record<string, { group: string; resource: string }>> = {
  sec: { group: '', resource: 'secrets' },
  jo: { group: 'batch', resource: 'jobs' },
  cr: { group: 'rbac.authorization.k8s.io', resource: 'clusterroles' },
  crb: { group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' },
  ro: { group: 'rbac.authorization.k8s.io', resource: 'roles' },
  rb: { group: 'rbac.authorization.k8s.io', resource: 'rolebindings' },
  np: { group: 'networking.k8s.io', resource: 'networkpolicies' },
};

export class ResourceCatalog {
  /** In discovery order, preferred versions first within a group. */
  readonly resources: readonly ApiResourceInfo[];
  private readonly preferred: readonly ApiResourceInfo[];
  private readonly groups: ReadonlySet<string>;

  constructor(resources: readonly ApiResourceInfo[]) {
    this.resources = resources;
    this.preferred = resources.filter((r) => r.preferred !== false);
    this.groups = new Set(resources.map((r) => r.group));
  }

  /** The resource a CRD (or anything naming a group and plural) serves, at its preferred version. */
  byGroupResource(group: string, plural: string): ApiResourceInfo | undefined {
    return this.preferred.find((r) => r.group === group && r.name === plural);
  }

  resolve(input: string): Resolution {
    const text = input.trim().toLowerCase();
    if (text === '') return { ok: false, message: 'name a resource type, e.g. pods, cm, deploy' };
    // kubectl expands short names before anything else, whatever else shares the text.
    const [head, ...rest] = text.split('.');
    const groupPart = rest.join('.');
    const short = this.preferred.filter(
      (r) => r.shortNames?.includes(head as string) && (groupPart === '' || r.group === groupPart),
    );
    if (short.length) return this.pick(short);

    const named = (r: ApiResourceInfo) => r.name === head || singularOf(r) === head || r.kind.toLowerCase() === head;
    if (groupPart !== '') {
      // plural.group, then plural.version.group (any served version, not only the preferred).
      const inGroup = this.preferred.filter((r) => r.group === groupPart && named(r));
      if (inGroup.length) return this.pick(inGroup);
      const [version, ...groupRest] = rest;
      const group = groupRest.join('.');
      if (VERSION.test(version ?? '') && (this.groups.has(group) || group === '')) {
        const exact = this.resources.filter((r) => r.group === group && r.version === version && named(r));
        if (exact.length) return this.pick(exact);
      }
      return this.unknown(input);
    }
    const matches = this.preferred.filter(named);
    if (matches.length) return this.pick(matches);
    const alias = K9S_ALIASES[head as string];
    const aliased = alias && this.byGroupResource(alias.group, alias.resource);
    return aliased ? { ok: true, resource: aliased, alternatives: [] } : this.unknown(input);
  }

  /**
   * Names starting with `prefix` (case-insensitive): plurals, singulars, short names, and
   * `plural.group` for resources outside the core group. One entry per text (the resource
   * kubectl would pick for it), sorted, at most `limit`.
   */
  complete(prefix: string, limit = 50): Completion[] {
    const p = prefix.trim().toLowerCase();
    const seen = new Map<string, ApiResourceInfo>();
    const aliases = Object.entries(K9S_ALIASES);
    for (const r of this.preferred) {
      const texts = [...(r.shortNames ?? []), r.name, singularOf(r)];
      for (const [alias, a] of aliases) if (a.group === r.group && a.resource === r.name) texts.push(alias);
      if (r.group) texts.push(qualifiedName(r));
      for (const t of texts) if (t.startsWith(p) && !seen.has(t)) seen.set(t, r);
    }
    return [...seen.entries()]
      .sort(([a], [b]) => (a === p ? -1 : b === p ? 1 : a < b ? -1 : a > b ? 1 : 0))
      .slice(0, limit)
      .map(([text, resource]) => ({ text, resource }));
  }

  private pick(matches: ApiResourceInfo[]): Resolution {
    const [first, ...others] = matches as [ApiResourceInfo, ...ApiResourceInfo[]];
    const alternatives = [...new Set(others.filter((o) => o.group !== first.group).map(qualifiedName))];
    return { ok: true, resource: first, alternatives };
  }

  private unknown(input: string): Resolution {
    return { ok: false, message: `the server doesn't have a resource type "${input.trim()}"` };
  }
}
