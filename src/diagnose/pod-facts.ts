// Facts about pods and their containers that every container-level rule reads the same way.
// Input may be hostile (missing status, non-array fields), so every accessor narrows first.
import type { Container, ContainerStatus, KubeEvent, KubeObject, Pod } from '../model/k8s.js';
import type { ObjectRef } from '../model/ref.js';
import type { Snapshot } from '../store/snapshot.js';
import { compareText } from '../util/order.js';
import { clip, fieldEvidence, refOf } from './evidence.js';
import type { Evidence } from './types.js';

/** One container of a pod: its status, its spec, and where each sits in the pod's JSON. */
export interface ContainerSite {
  name: string;
  init: boolean;
  status: ContainerStatus;
  /** e.g. `status.containerStatuses[0]` */
  statusPath: string;
  spec: Container | undefined;
  /** e.g. `spec.containers[0]`; undefined when the spec has no container of that name. */
  specPath: string | undefined;
}

function arrayOf<T>(value: T[] | undefined): T[] {
  return Array.isArray(value) ? value : [];
}

export function podContainers(pod: Pod, init: boolean): Container[] {
  return arrayOf(init ? pod.spec?.initContainers : pod.spec?.containers);
}

// Every container rule walks every pod's containers: a pod never changes, so neither do its sites.
const sitesOf = new WeakMap<Pod, readonly ContainerSite[]>();

/** Init containers first (they run first), then app containers. Shared: read them, never change them. */
export function containerSites(pod: Pod): readonly ContainerSite[] {
  let sites = sitesOf.get(pod);
  if (!sites) sitesOf.set(pod, (sites = findSites(pod)));
  return sites;
}

function findSites(pod: Pod): ContainerSite[] {
  const sites: ContainerSite[] = [];
  for (const init of [true, false]) {
    const statuses = arrayOf(init ? pod.status?.initContainerStatuses : pod.status?.containerStatuses);
    const specs = podContainers(pod, init);
    const statusField = init ? 'initContainerStatuses' : 'containerStatuses';
    const specField = init ? 'initContainers' : 'containers';
    statuses.forEach((status, i) => {
      if (!status || typeof status.name !== 'string') return;
      const specIndex = specs.findIndex((c) => c?.name === status.name);
      sites.push({
        name: status.name,
        init,
        status,
        statusPath: `status.${statusField}[${i}]`,
        spec: specs[specIndex],
        specPath: specIndex >= 0 ? `spec.${specField}[${specIndex}]` : undefined,
      });
    });
  }
  return sites;
}

/** The fieldPath the kubelet puts on events about one container. */
function containerFieldPath(site: Pick<ContainerSite, 'name' | 'init'>): string {
  return `spec.${site.init ? 'initContainers' : 'containers'}{${site.name}}`;
}

/**
 * Events about this pod (not an earlier pod of the same name: StatefulSets reuse names),
 * oldest first. With a site, only events about that container or about the whole pod.
 */
export function podEvents(snapshot: Snapshot, pod: Pod, site?: Pick<ContainerSite, 'name' | 'init'>): KubeEvent[] {
  const uid = pod.metadata.uid;
  const fieldPath = site ? containerFieldPath(site) : undefined;
  return snapshot.eventsFor('Pod', pod.metadata.namespace, pod.metadata.name).filter((e) => {
    if (uid && e.involvedObject.uid && e.involvedObject.uid !== uid) return false;
    return !fieldPath || !e.involvedObject.fieldPath || e.involvedObject.fieldPath === fieldPath;
  });
}

/** The container's waiting reason and message, as the kubelet reports them. */
export function waitingEvidence(pod: Pod, site: ContainerSite): Evidence[] {
  const waiting = site.status.state?.waiting;
  if (!waiting) return [];
  const out = [fieldEvidence(pod, `${site.statusPath}.state.waiting.reason`, waiting.reason ?? '')];
  if (waiting.message) out.push(fieldEvidence(pod, `${site.statusPath}.state.waiting.message`, clip(waiting.message)));
  return out;
}

export function podRef(pod: Pod): ObjectRef {
  return refOf(pod, 'Pod');
}

export function isTerminating(pod: Pod): boolean {
  return !!pod.metadata.deletionTimestamp;
}

export function isPodReady(pod: Pod): boolean {
  return arrayOf(pod.status?.conditions).some((c) => c?.type === 'Ready' && c.status === 'True');
}

/** The finding's subject: the top owner, or the pod itself when bare (its kind may be unstamped). */
export function subjectRef(owner: KubeObject, pods: readonly Pod[]): ObjectRef {
  return pods.includes(owner as Pod) ? podRef(owner as Pod) : refOf(owner);
}

/** Pods sorted by name so the pod chosen for evidence is the same on every run. */
export function byName<T extends KubeObject>(objects: readonly T[]): T[] {
  return [...objects].sort((a, b) => compareText(a.metadata.name, b.metadata.name));
}

// A snapshot's list is never changed once made (the live store builds a new array for a
// change), so every rule that walks all pods by name can share one sorted copy.
const sortedLists = new WeakMap<readonly KubeObject[], readonly KubeObject[]>();

/** byName of a snapshot list, sorted once per list. */
export function listByName<T extends KubeObject>(list: readonly T[]): readonly T[] {
  let sorted = sortedLists.get(list);
  if (!sorted) sortedLists.set(list, (sorted = byName(list)));
  return sorted as readonly T[];
}

/** "2 pods" / "pod x": how explanations name the affected pods. */
export function podsPhrase(pods: readonly Pod[]): string {
  return pods.length === 1 ? `pod ${pods[0]!.metadata.name}` : `${pods.length} pods`;
}
