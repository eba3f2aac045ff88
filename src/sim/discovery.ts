// Legacy discovery documents (/api, /api/v1, /apis, /apis/<group>[/<version>]) in the
// shapes of the captured samples. Aggregated discovery is not offered: clients that ask for
// it (kubectl ≥ 1.26 sends Accept: ...;as=APIGroupDiscoveryList) get the legacy answer with
// Content-Type application/json and fall back, as they do against older servers.
import { createHash } from 'node:crypto';
import { apiVersionOf, type ResourceDef, type ResourceRegistry } from './resources.js';

type Obj = Record<string, unknown>;

/** What the server computes for a stored resource: the first 8 bytes of sha256("group/version/Kind"), base64. */
export function storageVersionHash(d: { group: string; version: string; kind: string }): string {
  return createHash('sha256').update(`${d.group}/${d.version}/${d.kind}`).digest().subarray(0, 8).toString('base64');
}

function resourceEntries(defs: ResourceDef[]): Obj[] {
  const entries: Obj[] = [];
  for (const d of defs) {
    const e: Obj = {
      name: d.resource,
      singularName: d.singularName ?? '',
      namespaced: d.namespaced,
      kind: d.kind,
      verbs: d.verbs,
    };
    if (d.shortNames) e['shortNames'] = d.shortNames;
    if (d.categories) e['categories'] = d.categories;
    if (!d.computed) e['storageVersionHash'] = d.storageVersionHash ?? storageVersionHash(d);
    entries.push(e);
    for (const s of d.subresources) {
      const sub: Obj = { name: `${d.resource}/${s.name}`, singularName: '', namespaced: d.namespaced };
      if (s.group) sub['group'] = s.group;
      if (s.version) sub['version'] = s.version;
      sub['kind'] = s.kind;
      sub['verbs'] = s.verbs;
      entries.push(sub);
    }
  }
  // Code-point order, as the server sorts (localeCompare would reorder around the '/').
  return entries.sort((a, b) => (String(a['name']) < String(b['name']) ? -1 : 1));
}

export function apiVersions(serverAddress: string): Obj {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

export function resourceList(registry: ResourceRegistry, group: string, version: string): Obj | undefined {
  const defs = registry.all.filter((d) => d.group === group && d.version === version);
  if (defs.length === 0) return undefined;
  const groupVersion = apiVersionOf({ group, version });
  // The core list has no apiVersion field in a real server's answer; group lists do.
  return group === ''
    ? { kind: 'APIResourceList', groupVersion, resources: resourceEntries(defs) }
    : { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: resourceEntries(defs) };
}

function groupEntry(registry: ResourceRegistry, group: string): Obj {
  const versions = registry
    .groupVersions()
    .filter((gv) => gv.group === group)
    .map((gv) => ({ groupVersion: apiVersionOf(gv), version: gv.version }));
  return { name: group, versions, preferredVersion: versions[0] };
}

export function groupList(registry: ResourceRegistry): Obj {
  const groups = [...new Set(registry.groupVersions().map((gv) => gv.group))].filter((g) => g !== '');
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map((g) => groupEntry(registry, g)) };
}

export function apiGroup(registry: ResourceRegistry, group: string): Obj | undefined {
  if (!registry.groupVersions().some((gv) => gv.group === group)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(registry, group) };
}
