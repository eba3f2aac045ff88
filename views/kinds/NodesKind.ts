// Nodes as `kubectl get nodes`: readiness (and cordon), roles from the node-role labels,
// kubelet version; enter lists the node's pods in every namespace.
import { humanAge } from '../../src/format/age.js';
import { AGE_COLUMN } from '../render/columns.js';
import { entry } from '../state.js';
import { at, list, text } from '../data/resources.js';
import type { KindView } from './kind-view.js';

const ROLE = 'node-role.kubernetes.io/';

export function nodeStatus(node: unknown): string {
  const ready = list(at(node, 'status', 'conditions')).find((c) => at(c, 'type') === 'Ready');
  const status = at(ready, 'status') === 'True' ? 'Ready' : at(ready, 'status') === undefined ? 'Unknown' : 'NotReady';
  return at(node, 'spec', 'unschedulable') === true ? `${status},SchedulingDisabled` : status;
}

export const nodesKind: KindView = {
  resource: 'nodes',
  columns: [
    { key: 'name', title: 'NAME', minWidth: 16, flex: 1, truncate: 'middle' },
    { key: 'status', title: 'STATUS', minWidth: 8 },
    { key: 'roles', title: 'ROLES', minWidth: 8 },
    AGE_COLUMN,
    { key: 'version', title: 'VERSION', minWidth: 8 },
    { key: 'ip', title: 'INTERNAL-IP', minWidth: 11, priority: 1 },
  ],
  cells(node, now) {
    const labels = node.metadata.labels ?? {};
    const roles = Object.keys(labels)
      .filter((l) => l.startsWith(ROLE))
      .map((l) => l.slice(ROLE.length))
      .sort();
    const ip = list(at(node, 'status', 'addresses')).find((a) => at(a, 'type') === 'InternalIP');
    return [
      node.metadata.name,
      nodeStatus(node),
      roles.join(',') || '<none>',
      humanAge(node.metadata.creationTimestamp, now),
      text(at(node, 'status', 'nodeInfo', 'kubeletVersion')),
      text(at(ip, 'address')),
    ];
  },
  drillText: "Show the node's pods",
  drill: (node) => ({ push: entry('pods', { scope: { kind: 'node', name: node.metadata.name } }), namespace: null }),
};
