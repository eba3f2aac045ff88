// One consistent read of the cluster for `kcockpit diagnose`: every list the rules need, in
// parallel, and the crashed containers' previous logs while the pods are listed. What the
// user may not read is recorded (SnapshotInput.forbidden) so rules can say "could not check"
// instead of guessing; only pods being unreadable, bad credentials, or an unreachable server
// stop the read.
import type { Connection, ListOptions } from '../kube/client.js';
import { discover, type DiscoveryResult } from '../kube/discovery.js';
import { CrashLogReader, crashLogTargets } from '../kube/logs.js';
import { collectionPath, SNAPSHOT_RESOURCES, type ResourceSpec } from '../kube/resources.js';
import type { KubeObject, Pod } from '../model/k8s.js';
import { StringPool } from '../kube/string-pool.js';
import { assembleSnapshot, listsByField } from './assemble.js';
import { PROJECTIONS, twinsPerList } from './projection.js';
import type { Snapshot, SnapshotInput } from './snapshot.js';

export interface LoadOptions {
  /** Namespace to read; undefined = all namespaces. Nodes, namespaces, webhooks and discovery are cluster-wide regardless. */
  namespace?: string;
  /** Which containers' previous logs to fetch; default 'crashlooping'. */
  logsFor?: 'crashlooping' | 'none';
  /** At most this many logs (default 40), 4 at a time. */
  maxLogs?: number;
  signal?: AbortSignal;
  /** Things that could not be read but did not stop the load (a corrupt Helm Secret, a failing API group). */
  onWarning?: (message: string) => void;
  /**
   * Events with these reasons are left on the server (a `reason!=` field selector): the
   * routine ones no rule of this diagnosis reads.
   */
  skipEventReasons?: readonly string[];
  /**
   * Every object as listed (every event too), not what the cockpit keeps: what the
   * projection test compares the findings on kept objects with.
   */
  whole?: boolean;
}

/** Throws KubeError when pods cannot be listed, credentials are rejected, or the server cannot be reached. */
export async function loadClusterSnapshot(conn: Connection, opts: LoadOptions = {}): Promise<Snapshot> {
  const warn = opts.onWarning ?? (() => undefined);
  const forbidden = new Set<string>();
  const lists = new Map<ResourceSpec, KubeObject[]>();
  const signalOpt = opts.signal ? { signal: opts.signal } : {};
  // What is kept is what the cockpit keeps (docs/decisions/0021-list-pages.md, 0022):
  // pods and events as projections, the other big lists whole, every repeated string once,
  // and every part equal to its twin's the twin's own.
  const strings = new StringPool();
  const twinsFor = twinsPerList();

  // Crashed containers' previous logs, read while the pods are still being listed.
  const crashLogs =
    (opts.logsFor ?? 'crashlooping') === 'crashlooping'
      ? new CrashLogReader(conn, {
          max: opts.maxLogs ?? 40,
          concurrency: 4,
          ...signalOpt,
          // RBAC grants pods/log apart from pods: without it, links rest on configuration alone.
          onForbidden: () => forbidden.add('pods/log'),
        })
      : undefined;

  const listOne = async (spec: ResourceSpec) => {
    const listOpts: ListOptions<KubeObject> = { ...signalOpt, action: `list ${spec.resource}` };
    if (spec.query) listOpts.query = spec.query;
    if (spec.id === 'events' && !opts.whole && opts.skipEventReasons?.length)
      listOpts.query = { ...spec.query, fieldSelector: opts.skipEventReasons.map((r) => `reason!=${r}`).join(',') };
    if (spec.pageSize) listOpts.pageSize = spec.pageSize;
    const shape = opts.whole ? undefined : (PROJECTIONS[spec.into] ?? (spec.shareStrings ? true : undefined));
    // As each item is parsed, while the parsed copy is still young garbage.
    const twins = twinsFor(spec.into);
    if (shape) listOpts.transform = (o) => twins.project(spec.transform ? spec.transform(o) : o, shape, strings);
    else if (spec.transform) listOpts.transform = spec.transform;
    // The pods and their events are most of the bytes: their next page is asked for while
    // this one is parsed, so a server slower than the parse is never left waiting on us.
    if (spec.id === 'pods' || spec.id === 'events') listOpts.pipeline = true;
    if (spec.id === 'pods' && crashLogs) listOpts.onPage = (items) => crashLogs.offer(crashLogTargets(items as Pod[]));
    const { items } = await conn.list<KubeObject>(collectionPath(spec, opts.namespace), listOpts);
    lists.set(spec, items);
    return items;
  };

  const listing = SNAPSHOT_RESOURCES.map(listOne);
  // The logs still missing once every pod is known, while the other lists still run.
  const podsListed = listing[SNAPSHOT_RESOURCES.findIndex((s) => s.id === 'pods')]!;
  const logs = crashLogs
    ? podsListed.then(
        (pods) => crashLogs.finish(crashLogTargets(pods as Pod[])),
        () => [],
      )
    : Promise.resolve([]);
  const [listResults, discovery, logTails] = await Promise.all([
    Promise.allSettled(listing),
    discover(conn, signalOpt).then(
      (d) => ({ ok: true as const, d }),
      (e: unknown) => ({ ok: false as const, e }),
    ),
    logs,
  ]);

  // Pods first: without them there is nothing to diagnose, and their error says it best.
  const failures = SNAPSHOT_RESOURCES.flatMap((spec, i) => {
    const r = listResults[i]!;
    return r.status === 'rejected' ? [{ spec, err: conn.error(r.reason, `list ${spec.resource}`) }] : [];
  }).sort((a, b) => Number(b.spec.id === 'pods') - Number(a.spec.id === 'pods'));
  for (const { spec, err } of failures) {
    if (opts.signal?.aborted) throw err;
    if (spec.id === 'pods' || err.kind === 'unreachable' || err.kind === 'unauthorized') throw err;
    if (err.kind === 'forbidden') forbidden.add(spec.resource);
    else warn(`${spec.resource} could not be listed: ${err.message}`);
  }

  let discovered: DiscoveryResult | undefined;
  if (discovery.ok) {
    discovered = discovery.d;
    for (const f of discovery.d.failed) warn(`API group ${f.groupVersion} could not be discovered: ${f.reason}`);
  } else {
    const err = conn.error(discovery.e, 'discover API groups');
    if (err.kind === 'unreachable' || err.kind === 'unauthorized') throw err;
    if (err.kind === 'forbidden') forbidden.add('discovery');
    else warn(`API discovery failed: ${err.message}`);
  }

  const base: SnapshotInput = { takenAt: Date.now(), version: 1 };
  if (opts.namespace !== undefined) base.namespace = opts.namespace;
  return assembleSnapshot({
    base,
    lists: listsByField((spec) => lists.get(spec)),
    discovery: discovered,
    logs: logTails,
    forbidden,
    onWarning: warn,
  });
}
