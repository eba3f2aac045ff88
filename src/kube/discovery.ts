// Which API groups and resources the server serves, from legacy discovery (/api, /api/v1,
// /apis, each group's preferred version) — how kcockpit knows that cert-manager.io is absent.
// One group failing (an aggregated API such as metrics.k8s.io answering 503 is common)
// must not hide the others: its name is still reported, its resources are not.
import type { ApiResourceInfo } from '../model/k8s.js';
import type { Connection } from './client.js';
import { forEachLimited } from './concurrency.js';

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
  resources?: { name: string; kind: string; namespaced: boolean; shortNames?: string[]; verbs?: string[] }[];
}

const GROUP_CONCURRENCY = 8;

export async function discover(conn: Connection, opts: { signal?: AbortSignal } = {}): Promise<DiscoveryResult> {
  const req = (action: string) => (opts.signal ? { action, signal: opts.signal } : { action });
  const [core, apis] = await Promise.all([
    conn.getJson<ApiVersions>('/api', {}, req('discover the core API')),
    conn.getJson<ApiGroupList>('/apis', {}, req('discover API groups')),
  ]);
  const targets: { group: string; version: string; path: string }[] = [];
  const coreVersion = core.versions?.includes('v1') ? 'v1' : core.versions?.[0];
  if (coreVersion) targets.push({ group: '', version: coreVersion, path: `/api/${coreVersion}` });
  for (const g of apis.groups ?? []) {
    const preferred = g.preferredVersion ?? g.versions?.[0];
    if (preferred) targets.push({ group: g.name, version: preferred.version, path: `/apis/${preferred.groupVersion}` });
  }

  const resources: ApiResourceInfo[] = [];
  const failed: DiscoveryResult['failed'] = [];
  await forEachLimited(targets, GROUP_CONCURRENCY, async (t) => {
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
        };
        if (r.shortNames) info.shortNames = r.shortNames;
        if (r.verbs) info.verbs = r.verbs;
        resources.push(info);
      }
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      const err = conn.error(e, `discover ${t.group}/${t.version}`);
      // Credentials or the connection failing is not "one group failed".
      if (err.kind === 'unauthorized' || err.kind === 'unreachable') throw err;
      failed.push({ groupVersion: t.group ? `${t.group}/${t.version}` : t.version, reason: err.message });
    }
  });
  return { groups: targets.map((t) => t.group), resources, failed };
}
