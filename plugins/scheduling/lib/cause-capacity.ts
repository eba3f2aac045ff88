// "Insufficient cpu/memory/<resource>" and "Too many pods": the pod asks for more than any
// node it may use has left. The numbers come from the snapshot: the pod's requests against
// each node's allocatable minus what the pods already bound there request, which is exactly
// what the scheduler compares (requests, not actual usage).
import type { Container, Node, PodSpec } from '../../../src/model/k8s.js';
import type { Snapshot } from '../../../src/store/snapshot.js';
import type { Evidence, FixPlan } from '../../../src/diagnose/types.js';
import { formatCpu, formatResource, parseQuantity, podRequests, toQuantity } from '../../../src/diagnose/quantity.js';
import { arrayOf, compareNames, eligibleNodes, isCordoned, nodeUsage } from './placement.js';
import { hasTemplate, helmRevertNote, isMinikube, thePods, type CauseReport, type PendingGroup } from './cause.js';
import { fieldEvidence, kubectlName, refOf } from '../../../src/diagnose/evidence.js';
import { helmUpgradeCommand, manualPlan, nsFlag } from '../../../src/diagnose/plans.js';

interface NodeRoom {
  node: Node;
  allocatable: number;
  requested: number;
  free: number;
  pods: number;
}

/** Amounts inside the node breakdown: `2` CPU reads better without the unit repeated. */
function amount(resource: string, n: number): string {
  return resource === 'cpu' ? formatCpu(n) : formatResource(resource, n);
}

interface Rooms {
  /** The roomiest nodes, roomiest first (at most three: what the explanation quotes). */
  top: NodeRoom[];
  /** The node with the most allocatable, free or not. */
  biggest: NodeRoom | undefined;
}

// Pods of one template ask the same question of the same nodes; a cluster with thousands of
// Pending pods must not recompute it thousands of times.
const roomsCache = new WeakMap<Snapshot, Map<string, Rooms>>();

function placementKey(spec: PodSpec | undefined, resource: string): string | undefined {
  try {
    return `${resource}|${JSON.stringify([spec?.nodeSelector, spec?.affinity?.nodeAffinity, spec?.tolerations])}`;
  } catch {
    return undefined;
  }
}

/** Room on the nodes the pod may use (all uncordoned nodes when none qualify). */
function roomByNode(group: PendingGroup, resource: string): Rooms {
  const { snapshot, sample } = group;
  const key = placementKey(sample.spec, resource);
  let cache = roomsCache.get(snapshot);
  if (!cache) {
    cache = new Map();
    roomsCache.set(snapshot, cache);
  }
  const known = key === undefined ? undefined : cache.get(key);
  if (known) return known;
  const eligible = eligibleNodes(snapshot.nodes, sample.spec);
  const pool = eligible.length > 0 ? eligible : snapshot.nodes.filter((n) => !isCordoned(n));
  const rooms: Rooms = { top: [], biggest: undefined };
  const roomier = (a: NodeRoom, b: NodeRoom): boolean =>
    a.free > b.free || (a.free === b.free && compareNames(a.node.metadata.name, b.node.metadata.name) < 0);
  for (const node of pool) {
    const allocatable = parseQuantity(node.status?.allocatable?.[resource]);
    if (allocatable === undefined) continue;
    const usage = nodeUsage(snapshot, node.metadata.name);
    const requested = resource === 'pods' ? usage.pods : (usage.requests.get(resource) ?? 0);
    const room: NodeRoom = {
      node,
      allocatable,
      requested,
      free: Math.max(0, allocatable - requested),
      pods: usage.pods,
    };
    if (!rooms.biggest || allocatable > rooms.biggest.allocatable) rooms.biggest = room;
    const at = rooms.top.findIndex((r) => roomier(room, r));
    if (at >= 0) rooms.top.splice(at, 0, room);
    else rooms.top.push(room);
    if (rooms.top.length > 3) rooms.top.pop();
  }
  if (key !== undefined) cache.set(key, rooms);
  return rooms;
}

function nodeEvidence(room: NodeRoom, resource: string, partial: boolean): Evidence {
  const requested = `${partial ? 'at least ' : ''}${amount(resource, room.requested)}`;
  const text =
    resource === 'pods'
      ? `${room.pods} pods running; the kubelet allows ${room.allocatable}`
      : `allocatable ${amount(resource, room.allocatable)}; requested by its ${room.pods} pods: ${requested}; free: ${amount(resource, room.free)}`;
  return { source: 'node', ref: refOf(room.node, 'Node'), path: `status.allocatable.${resource}`, text };
}

/** `64 CPU`, `4Gi of memory`, `2 nvidia.com/gpu`: an amount of a resource in a sentence. */
function phrase(resource: string, n: number): string {
  if (resource === 'cpu') return formatResource(resource, n);
  if (resource === 'memory') return `${formatResource(resource, n)} of memory`;
  return `${formatResource(resource, n)} ${resource}`;
}

interface RequestSite {
  container: Container;
  init: boolean;
  path: string;
  amount: number;
}

function requestSites(group: PendingGroup, resource: string): RequestSite[] {
  const sites: RequestSite[] = [];
  for (const field of ['initContainers', 'containers'] as const) {
    arrayOf(group.sample.spec?.[field]).forEach((c, i) => {
      const n = parseQuantity(c?.resources?.requests?.[resource]);
      if (c && n !== undefined)
        sites.push({
          container: c,
          init: field === 'initContainers',
          path: `spec.${field}[${i}].resources.requests.${resource}`,
          amount: n,
        });
    });
  }
  return sites;
}

function lowerRequestsPlan(group: PendingGroup, resource: string, need: number, fits: number): FixPlan {
  const { ownerRef } = group;
  const sites = requestSites(group, resource).filter((s) => !s.init);
  const appTotal = sites.reduce((sum, s) => sum + s.amount, 0);
  const biggest = [...sites].sort((a, b) => b.amount - a.amount)[0];
  // Lower the biggest request by just what is missing, so the pod fits the roomiest node.
  // When an init container's request is what the pod needs, app containers cannot help.
  const target = biggest && appTotal >= need ? biggest.amount - (need - fits) : 0;
  const value = biggest && target > 0 ? toQuantity(resource, target) : undefined;
  const commands: string[] = [];
  let how: string;
  if (value && biggest && hasTemplate(group)) {
    commands.push(
      `kubectl set resources ${kubectlName(ownerRef)}${nsFlag(ownerRef.namespace)} -c ${biggest.container.name} --requests=${resource}=${value}`,
    );
    how = `Lowering container ${biggest.container.name}'s ${resource} request from ${amount(resource, biggest.amount)} to ${value} makes the pod fit the roomiest node.`;
  } else if (value && biggest) {
    commands.push(
      `kubectl get pod ${group.sample.metadata.name}${nsFlag(ownerRef.namespace)} -o yaml > ${group.sample.metadata.name}.yaml`,
      `kubectl replace --force -f ${group.sample.metadata.name}.yaml`,
    );
    how = `A pod's requests cannot be changed in place: set container ${biggest.container.name}'s ${resource} request to ${value} or less in the saved manifest, then replace the pod.`;
  } else {
    how = `No single container request can be lowered enough on its own: reduce the requests of several containers, or make room first.`;
  }
  if (group.release)
    commands.push(helmUpgradeCommand(group.release, [`resources.requests.${resource}=${value ?? '<smaller value>'}`]));
  return manualPlan({
    id: `lower-${resource.replace(/[^a-z0-9]+/gi, '-')}-request`,
    title: `Request less ${resource === 'cpu' ? 'CPU' : resource}`,
    explanation:
      `${how} Requests are what the scheduler reserves, not what the app uses: check what the app really needs before lowering them, or it may be slowed down or killed when it runs out.` +
      helmRevertNote(group, `the request (the key depends on the chart, often \`resources.requests.${resource}\`)`),
    commands,
    instructions: how,
  });
}

function addCapacityPlan(group: PendingGroup, resource: string, roomiest: NodeRoom | undefined): FixPlan {
  const commands = roomiest ? [`kubectl describe node ${roomiest.node.metadata.name}`] : ['kubectl get nodes'];
  let explanation = `Add a node or use bigger nodes, or stop workloads you do not need so their requests free up room. \`kubectl describe node\` lists every pod's requests under "Non-terminated Pods" and the totals under "Allocated resources".`;
  if (isMinikube(group.snapshot)) {
    commands.push(
      resource === 'pods'
        ? 'minikube start --extra-config=kubelet.max-pods=250'
        : 'minikube delete && minikube start --cpus=4 --memory=8g',
    );
    explanation +=
      resource === 'pods'
        ? ' On minikube the kubelet pod limit is a start flag.'
        : ' On minikube the node size is fixed when the cluster is created: recreating it with more CPUs and memory deletes everything in it.';
  }
  return manualPlan({
    id: resource === 'pods' ? 'add-pod-capacity' : 'add-capacity',
    title: 'Give the cluster more room',
    explanation: explanation,
    commands,
  });
}

/** Insufficient cpu / memory / any extended resource. */
export function explainInsufficient(group: PendingGroup, resource: string): CauseReport {
  const { snapshot, sample } = group;
  const need = podRequests(sample.spec).get(resource) ?? 0;
  const { top: rooms, biggest } = roomByNode(group, resource);
  // A namespace-scoped snapshot does not see other namespaces' pods on the same nodes.
  const partial = snapshot.namespace !== undefined;
  const evidence: Evidence[] = requestSites(group, resource)
    .slice(0, 5)
    .map((s) => fieldEvidence(sample, s.path, amount(resource, s.amount), 'spec'));
  evidence.push(...rooms.slice(0, 3).map((r) => nodeEvidence(r, resource, partial)));
  const label = resource === 'cpu' ? 'CPU' : resource;
  const roomiest = rooms[0];

  if (!roomiest || !biggest) {
    const why = snapshot.forbidden.has('nodes')
      ? 'kcockpit may not read nodes, so it cannot say how much room they have'
      : 'no node reports its allocatable ' + resource;
    return {
      title: `not enough ${label} on any node`,
      explanation: `Every node it may use lacks the ${label} ${thePods(group)} request${need ? ` (${phrase(resource, need)} each)` : ''}; ${why}. Lower the request or add capacity.`,
      evidence,
      fixes: [addCapacityPlan(group, resource, undefined)],
    };
  }

  const breakdown = `(node ${roomiest.node.metadata.name}: ${amount(resource, roomiest.allocatable)} allocatable, ${partial ? 'at least ' : ''}${amount(resource, roomiest.requested)} requested)`;
  let explanation = `${group.pods.length === 1 ? 'The pod requests' : 'Each pod requests'} ${phrase(resource, need)}; the largest free space on any node it may use is ${phrase(resource, roomiest.free)} ${breakdown}. The scheduler only places a pod where the requests of the pods already there plus its own fit in the node's allocatable ${label}.`;
  if (need > 0 && need <= roomiest.free) {
    // The snapshot shows room the scheduler did not: a pod left since its last attempt, or
    // pods kcockpit did not load hold it. Suggesting smaller requests would be guesswork.
    return {
      title: `needs ${phrase(resource, need)}; the scheduler found no room`,
      explanation: `${group.pods.length === 1 ? 'The pod requests' : 'Each pod requests'} ${phrase(resource, need)}, and node ${roomiest.node.metadata.name} now has ${phrase(resource, roomiest.free)} free ${breakdown}. Either room opened up after the scheduler's last attempt (it retries by itself), or pods kcockpit did not load already hold it. If the pods stay Pending, \`kubectl describe node ${roomiest.node.metadata.name}\` shows every pod's requests.`,
      evidence,
      fixes: [addCapacityPlan(group, resource, roomiest)],
    };
  }
  if (need === 0) {
    explanation = `The pods already on every node it may use request all of their allocatable ${label} ${breakdown}, so nothing more fits, not even ${thePods(group)} asking for none.`;
  } else if (need > biggest.allocatable) {
    explanation += ` No node is big enough even when empty: the largest, ${biggest.node.metadata.name}, has ${formatResource(resource, biggest.allocatable)} allocatable. Lower the request, or add a bigger node.`;
  } else {
    explanation += ` It would fit on ${roomiest.node.metadata.name} if the pods there requested less. Lower the request, or make room: add a node or stop workloads you do not need.`;
  }
  if (partial)
    explanation += ` (Only pods in namespace ${snapshot.namespace} were loaded, so nodes may be even fuller.)`;

  const fixes: FixPlan[] = [];
  if (need > 0) fixes.push(lowerRequestsPlan(group, resource, need, roomiest.free));
  fixes.push(addCapacityPlan(group, resource, roomiest));
  return {
    title:
      need > 0
        ? `needs ${phrase(resource, need)}, at most ${phrase(resource, roomiest.free)} is free on any node`
        : `no ${label} left on any node`,
    explanation,
    evidence,
    fixes,
  };
}

/** "Too many pods": every usable node already runs as many pods as its kubelet allows. */
export function explainTooManyPods(group: PendingGroup): CauseReport {
  const rooms = roomByNode(group, 'pods').top;
  const full = rooms.filter((r) => r.free < 1);
  const list = full
    .slice(0, 5)
    .map((r) => `${r.node.metadata.name} ${r.pods}/${r.allocatable}`)
    .join(', ');
  return {
    title: 'nodes are at their pod limit',
    explanation: `Every node it may use already runs as many pods as its kubelet allows${list ? ` (${list})` : ''}. The limit (110 by default) is the kubelet's \`maxPods\` setting, reported as allocatable "pods". Add a node, raise the limit on the nodes, or remove pods that are no longer needed (finished Jobs' pods do not count).`,
    evidence: rooms.slice(0, 3).map((r) => nodeEvidence(r, 'pods', group.snapshot.namespace !== undefined)),
    fixes: [addCapacityPlan(group, 'pods', rooms[0])],
  };
}
