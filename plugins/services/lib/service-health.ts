// How a Service stands, read the way its clients feel it: does it exist, does its selector
// match pods, are any of them ready. Shared by the Service rules and by the pod rules that
// link a crashing client under the Service it waits for.
import type { KubeObject, Pod, Service } from '../../../src/model/k8s.js';
import type { Snapshot } from '../../../src/store/snapshot.js';
import { isPodReady, isTerminating } from '../../../src/diagnose/pod-facts.js';

export type ServiceState =
  /** Pods are selected and at least one is ready, or the Service has no selector to judge. */
  'serving' | 'selects-nothing' | 'none-ready';

export interface ServiceHealth {
  service: Service;
  state: ServiceState;
  /** The pods the selector matches (not being deleted). */
  pods: Pod[];
  ready: number;
  /** The workloads behind the pods (top owners), each once. */
  owners: KubeObject[];
}

// Three Service rules and the crash rule's dependency check all ask about every Service:
// asked once per snapshot, the pod selection and owner walk are not done four times over.
const healthBySnapshot = new WeakMap<Snapshot, WeakMap<Service, ServiceHealth>>();

/** Whether clients get an answer: a selector without ready pods answers nobody. Read it, never change it: it is shared. */
export function serviceHealth(snapshot: Snapshot, service: Service): ServiceHealth {
  let known = healthBySnapshot.get(snapshot);
  if (!known) healthBySnapshot.set(snapshot, (known = new WeakMap()));
  let health = known.get(service);
  if (!health) known.set(service, (health = judge(snapshot, service)));
  return health;
}

function judge(snapshot: Snapshot, service: Service): ServiceHealth {
  const pods = snapshot.podsForService(service).filter((p) => !isTerminating(p));
  const ready = pods.filter(isPodReady).length;
  // A snapshot gives each owner once, as one object: no key to build per pod.
  const owners = new Set<KubeObject>();
  for (const p of pods) {
    const top = snapshot.topOwner(p);
    if (top !== p) owners.add(top);
  }
  const selector = service.spec?.selector ?? {};
  // Without a selector (ExternalName, hand-made endpoints) the pods say nothing.
  const judged = Object.keys(selector).length > 0 && service.spec?.type !== 'ExternalName';
  // publishNotReadyAddresses: clients reach pods whether ready or not (headless peer discovery).
  const state: ServiceState = !judged
    ? 'serving'
    : pods.length === 0
      ? 'selects-nothing'
      : ready === 0 && !service.spec?.publishNotReadyAddresses
        ? 'none-ready'
        : 'serving';
  return { service, state, pods, ready, owners: [...owners] };
}
