// Which API groups and resources the server serves, from legacy discovery (/api, /api/v1,
// /apis, each group's preferred version) — how kcockpit knows that cert-manager.io is absent.
// One group failing (an aggregated API such as metrics.k8s.io answering 503 is common)
// must not hide the others: its name is still reported, its resources are not.
import type { ApiResourceInfo, KubeObject } from '../model/k8s.js';
import type { Connection } from './client.js';
import { forEachLimited } from './concurrency.js';
import { ListWatch, type ListWatchTiming, type LoopState } from './listwatch.js';

export interface DiscoveryResult {
  /** Group names, `''` for core. Includes groups whose resource list failed. */
  groups: string[];
  resources: ApiResourceInfo[];
  /** Group versions whose resource list could not be read, with the one-line reason. */
  failed: { groupVersion: string; reason: string }[];
}

interface ApiVersions {
  versions?: string[];
}

interface ApiGroupList {
  groups?: {
    name: string;
    versions?: { groupVersion: string; version: string }[];
    preferredVersion?: { groupVersion: string; version: string };
  }[];
}

interface ApiResourceList {
  groupVersion?: string;
  resources?: {
    name: string;
    singularName?: string;
    kind: string;
    namespaced: boolean;
    shortNames?: string[];
    verbs?: string[];
    categories?: string[];
  }[];
}

const GROUP_CONCURRENCY = 8;

/**
 * Every resource of every served version, in the server's priority order: core first, then
 * the groups as /apis lists them (built-in groups, then CRD groups, then aggregated APIs),
 * each group's preferred version before its others. That order is how kubectl picks between
 * two groups that serve the same name, so the catalogue keeps it.
 */
export async function discover(conn: Connection, opts: { signal?: AbortSignal } = {}): Promise<DiscoveryResult> {
  const req = (action: string) => (opts.signal ? { action, signal: opts.signal } : { action });
  const [core, apis] = await Promise.all([
    conn.getJson<ApiVersions>('/api', {}, req('discover the core API')),
    conn.getJson<ApiGroupList>('/apis', {}, req('discover API groups')),
  ]);
  const targets: { group: string; version: string; path: string; preferred: boolean }[] = [];
  const coreVersion = core.versions?.includes('v1') ? 'v1' : core.versions?.[0];
  if (coreVersion) targets.push({ group: '', version: coreVersion, path: `/api/${coreVersion}`, preferred: true });
  for (const g of apis.groups ?? []) {
    const preferred = g.preferredVersion ?? g.versions?.[0];
    if (!preferred) continue;
    const others = (g.versions ?? []).filter((v) => v.version !== preferred.version);
    for (const v of [preferred, ...others])
      targets.push({ group: g.name, version: v.version, path: `/apis/${v.groupVersion}`, preferred: v === preferred });
  }

  const perTarget: ApiResourceInfo[][] = targets.map(() => []);
  const failed: DiscoveryResult['failed'] = [];
  await forEachLimited(
    targets.map((t, i) => ({ t, i })),
    GROUP_CONCURRENCY,
    async ({ t, i }) => {
      try {
        const list = await conn.getJson<ApiResourceList>(t.path, {}, req(`discover ${t.group || 'core'}/${t.version}`));
        for (const r of list.resources ?? []) {
          // `pods/log`, `deployments/scale`: subresources are not kinds of their own.
          if (r.name.includes('/')) continue;
          const info: ApiResourceInfo = {
            group: t.group,
            version: t.version,
            kind: r.kind,
            name: r.name,
            namespaced: r.namespaced,
            preferred: t.preferred,
          };
          if (r.singularName) info.singularName = r.singularName;
          if (r.shortNames?.length) info.shortNames = r.shortNames;
          if (r.verbs) info.verbs = r.verbs;
          if (r.categories?.length) info.categories = r.categories;
          (perTarget[i] as ApiResourceInfo[]).push(info);
        }
      } catch (e) {
        if (opts.signal?.aborted) throw e;
        const err = conn.error(e, `discover ${t.group}/${t.version}`);
        // Credentials or the connection failing is not "one group failed".
        if (err.kind === 'unauthorized' || err.kind === 'unreachable') throw err;
        failed.push({ groupVersion: t.group ? `${t.group}/${t.version}` : t.version, reason: err.message });
      }
    },
  );
  return { groups: [...new Set(targets.map((t) => t.group))], resources: perTarget.flat(), failed };
}

export interface ApiChangeWatchOptions extends ListWatchTiming {
  /** Called (debounced) after CustomResourceDefinitions were created, changed or deleted. */
  onChange: () => void;
  /** Quiet time before onChange: installing cert-manager writes six CRDs, then their status. Default 500 ms. */
  debounceMs?: number;
  onState?: (state: LoopState) => void;
}

/**
 * Watches CustomResourceDefinitions (their metadata only) and calls onChange when any is
 * added, changed (names accepted, Established, versions) or removed, so discovery is read
 * again and a CRD installed while kcockpit runs becomes reachable at once. The first list is
 * the baseline and does not count; a relist after a reconnect does, since changes may have
 * been missed. A user who may not list CRDs gets the loop's forbidden state, nothing else.
 */
export function watchApiChanges(conn: Connection, opts: ApiChangeWatchOptions): ListWatch<KubeObject> {
  let baseline = true;
  let timer: NodeJS.Timeout | undefined;
  const changed = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(opts.onChange, opts.debounceMs ?? 500);
    timer.unref?.();
  };
  const { onChange: _c, debounceMs: _d, onState, ...timing } = opts;
  const loop = new ListWatch<KubeObject>({
    ...timing,
    conn,
    path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    resource: 'customresourcedefinitions.apiextensions.k8s.io',
    // Only whether something changed matters: keep no spec (CRD schemas are large).
    transform: (o) => ({ kind: o.kind, apiVersion: o.apiVersion, metadata: o.metadata }) as KubeObject,
    onReplace: () => {
      if (!baseline) changed();
      baseline = false;
    },
    onEvent: changed,
    onState: (s) => {
      if (s.state === 'stopped' && timer) clearTimeout(timer);
      onState?.(s);
    },
  });
  return loop;
}
