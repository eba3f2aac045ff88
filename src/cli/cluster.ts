// The CLI's way into a cluster: flags → connection → one consistent snapshot.
import { connect, type Connection } from '../kube/client.js';
import { loadClusterSnapshot } from '../store/load.js';
import type { Snapshot } from '../store/snapshot.js';
import type { GlobalFlags } from './flags.js';
import { capYoungGeneration } from './young-generation.js';

export interface ClusterInfo {
  conn: Connection;
  contextName: string;
  clusterName: string;
  /** The namespace diagnosed; undefined for all namespaces. */
  namespace: string | undefined;
}

export function openCluster(
  flags: Pick<GlobalFlags, 'kubeconfig' | 'context' | 'namespace' | 'allNamespaces'>,
): ClusterInfo {
  // Before the first list is read: the growth to stop comes while it loads.
  capYoungGeneration();
  const opts: Parameters<typeof connect>[0] = {};
  if (flags.kubeconfig !== undefined) opts.kubeconfig = flags.kubeconfig;
  if (flags.context !== undefined) opts.context = flags.context;
  if (flags.namespace !== undefined) opts.namespace = flags.namespace;
  const conn = connect(opts);
  return {
    conn,
    contextName: conn.contextName,
    clusterName: conn.clusterName,
    namespace: flags.allNamespaces ? undefined : conn.namespace,
  };
}

export async function readSnapshot(
  info: ClusterInfo,
  skipEventReasons: readonly string[] = [],
): Promise<{ snapshot: Snapshot; notes: string[] }> {
  const notes: string[] = [];
  const opts: Parameters<typeof loadClusterSnapshot>[1] = { onWarning: (m) => notes.push(m), skipEventReasons };
  if (info.namespace !== undefined) opts.namespace = info.namespace;
  const snapshot = await loadClusterSnapshot(info.conn, opts);
  return { snapshot, notes };
}
