// The node lifecycle controller (pkg/controller/nodelifecycle): taints that follow a node's
// state, so the scheduler and kubectl see what a real cluster shows.
//   spec.unschedulable (kubectl cordon) → node.kubernetes.io/unschedulable:NoSchedule
//   Ready False / Unknown               → node.kubernetes.io/not-ready / unreachable, NoSchedule and NoExecute
//   Memory/Disk/PIDPressure True        → node.kubernetes.io/memory-pressure (disk-, pid-):NoSchedule
// When a node stops being Ready it records `NodeNotReady` ("Node <name> status is now:
// NodeNotReady") and marks the pods on it not ready, each with a `NodeNotReady` warning
// ("Node is not ready").
import type { Node, NodeTaint, Pod } from '../../model/k8s.js';
import { rfc3339 } from '../clock.js';
import { recordEvent } from '../events.js';
import type { SimState, WatchEvent } from '../state.js';
import { writeObject } from './util.js';

const PRESSURE: [string, string][] = [
  ['MemoryPressure', 'node.kubernetes.io/memory-pressure'],
  ['DiskPressure', 'node.kubernetes.io/disk-pressure'],
  ['PIDPressure', 'node.kubernetes.io/pid-pressure'],
];
const MANAGED = new Set([
  'node.kubernetes.io/unschedulable',
  'node.kubernetes.io/not-ready',
  'node.kubernetes.io/unreachable',
  ...PRESSURE.map(([, key]) => key),
]);

const readiness = (n: Node | undefined): string | undefined =>
  n?.status?.conditions?.find((c) => c.type === 'Ready')?.status;

/** The taints a node's state calls for, as key:effect pairs. */
function wantedTaints(node: Node): [string, string][] {
  const want: [string, string][] = [];
  const ready = readiness(node);
  if (ready === 'False')
    want.push(['node.kubernetes.io/not-ready', 'NoSchedule'], ['node.kubernetes.io/not-ready', 'NoExecute']);
  if (ready === 'Unknown')
    want.push(['node.kubernetes.io/unreachable', 'NoSchedule'], ['node.kubernetes.io/unreachable', 'NoExecute']);
  for (const [type, key] of PRESSURE)
    if (node.status?.conditions?.some((c) => c.type === type && c.status === 'True')) want.push([key, 'NoSchedule']);
  if (node.spec?.unschedulable) want.push(['node.kubernetes.io/unschedulable', 'NoSchedule']);
  return want;
}

export class NodeController {
  constructor(private readonly state: SimState) {}

  /** Startup: taints for the state every node is in already. */
  resync(): void {
    for (const node of this.state.objectsOf<Node>('Node')) this.syncTaints(node);
  }

  handle(ev: WatchEvent): void {
    if (ev.entry.def.kind !== 'Node' || ev.type === 'DELETED') return;
    const node = ev.entry.obj as Node;
    this.syncTaints(node);
    const before = readiness(ev.prev?.obj as Node | undefined);
    const now = readiness(node);
    if (ev.type === 'MODIFIED' && before === 'True' && now !== 'True') this.markNotReady(node);
  }

  private syncTaints(node: Node): void {
    const current = node.spec?.taints ?? [];
    const want = wantedTaints(node);
    const has = (key: string, effect: string) => current.some((t) => t.key === key && t.effect === effect);
    const kept = current.filter((t) => !MANAGED.has(t.key) || want.some(([k, e]) => k === t.key && e === t.effect));
    const added: NodeTaint[] = want
      .filter(([k, e]) => !has(k, e))
      .map(([key, effect]) => ({ key, effect, timeAdded: rfc3339(this.state.now()) }));
    if (added.length === 0 && kept.length === current.length) return;
    const taints = [...kept, ...added];
    const spec = { ...(node.spec ?? {}) };
    if (taints.length) spec.taints = taints;
    else delete spec.taints;
    writeObject(this.state, node, { ...node, spec });
  }

  private markNotReady(node: Node): void {
    recordEvent(this.state, node, {
      type: 'Normal',
      reason: 'NodeNotReady',
      message: `Node ${node.metadata.name} status is now: NodeNotReady`,
      component: 'node-controller',
    });
    const now = rfc3339(this.state.now());
    for (const pod of this.state.objectsOf<Pod>('Pod').filter((p) => p.spec.nodeName === node.metadata.name)) {
      const conditions = pod.status?.conditions ?? [];
      if (!conditions.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
      const next = conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: now } : c));
      writeObject(this.state, pod, { ...pod, status: { ...pod.status, conditions: next } });
      recordEvent(this.state, pod, {
        type: 'Warning',
        reason: 'NodeNotReady',
        message: 'Node is not ready',
        component: 'node-controller',
      });
    }
  }
}
