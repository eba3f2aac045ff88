// What the kubelet's eviction manager wrote on a pod it evicted (status.reason `Evicted`,
// status.message, and the `Evicted` event with the same text). Its sentences, each ending in
// ". " (pkg/kubelet/eviction/helpers.go):
//   The node was low on resource: ephemeral-storage. Threshold quantity: 10%, available: 4537856Ki.
//   Container thumbnailer was using 8396800Ki, which exceeds its request of 0.   (before 1.29: "request is 0, has larger consumption of ephemeral-storage.")
//   Container x exceeded its local ephemeral storage limit "1Gi".
//   Pod ephemeral local storage usage exceeds the total limit of containers 2Gi.
//   Usage of EmptyDir volume "cache" exceeds the limit "500Mi".
//   The node had condition: [DiskPressure].
import type { Pod } from '../../../src/model/k8s.js';

export type EvictionCause =
  | { kind: 'node-low'; resource: string; threshold?: string; available?: string; users: ContainerUse[] }
  | { kind: 'container-limit'; container: string; limit: string }
  | { kind: 'pod-limit'; limit: string }
  | { kind: 'emptydir-limit'; volume: string; limit: string }
  | { kind: 'node-condition'; condition: string }
  | { kind: 'unknown' };

export interface ContainerUse {
  container: string;
  using: string;
  request: string;
}

export function isEvicted(pod: Pod): boolean {
  return pod.status?.phase === 'Failed' && pod.status?.reason === 'Evicted';
}

export function parseEviction(message: string): EvictionCause {
  const limit = /Container (\S+) exceeded its local ephemeral storage limit "([^"]+)"/.exec(message);
  if (limit) return { kind: 'container-limit', container: limit[1]!, limit: limit[2]! };
  const pod = /Pod ephemeral local storage usage exceeds the total limit of containers (\S+?)\.?\s*$/m.exec(message);
  if (pod) return { kind: 'pod-limit', limit: pod[1]! };
  const dir = /Usage of EmptyDir volume "([^"]+)" exceeds the limit "([^"]+)"/.exec(message);
  if (dir) return { kind: 'emptydir-limit', volume: dir[1]!, limit: dir[2]! };
  const low = /The node was low on resource: ([\w.-]+)\./.exec(message);
  if (low) {
    const t = /Threshold quantity: ([^,]+), available: (\S+?)\.\s/.exec(`${message} `);
    const users: ContainerUse[] = [];
    const use =
      /Container (\S+) was using (\S+?), (?:which exceeds its request of (\S+?)\.|request is (\S+?), has larger consumption)/g;
    for (let m = use.exec(message); m; m = use.exec(message))
      users.push({ container: m[1]!, using: m[2]!, request: m[3] ?? m[4]! });
    return {
      kind: 'node-low',
      resource: low[1]!,
      ...(t ? { threshold: t[1]!, available: t[2]! } : {}),
      users,
    };
  }
  const cond = /The node had condition: \[?([^\].]+)\]?\./.exec(message);
  if (cond) return { kind: 'node-condition', condition: cond[1]! };
  return { kind: 'unknown' };
}

/** The finding's variant: what ran out, so evictions of one workload for one reason make one finding. */
export function evictionVariant(c: EvictionCause): string {
  switch (c.kind) {
    case 'node-low':
      return /^(ephemeral-storage|nodefs|imagefs|inodes)/.test(c.resource)
        ? 'node-disk'
        : c.resource === 'memory'
          ? 'node-memory'
          : c.resource === 'pids'
            ? 'node-pids'
            : 'node-other';
    case 'container-limit':
    case 'pod-limit':
    case 'emptydir-limit':
      return 'storage-limit';
    case 'node-condition':
      return 'node-condition';
    case 'unknown':
      return 'unknown';
  }
}
