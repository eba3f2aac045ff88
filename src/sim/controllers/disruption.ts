// The disruption controller's PodDisruptionBudget status and the eviction API it guards
// (api-samples/pdb-minavailable-1-no-disruptions.json, status-429-eviction-pdb.json): a budget
// counts the pods it selects and how many are healthy, allows `currentHealthy - desiredHealthy`
// disruptions, and an eviction that would take it below that is refused with 429:
//   Cannot evict pod as it would violate the pod's disruption budget.
//   cause DisruptionBudget: The disruption budget <name> needs <desired> healthy pods and has <current> currently
import type { Pod, PodDisruptionBudget } from '../../model/k8s.js';
import { matchesSelector } from '../../model/selectors.js';
import type { SimApi } from '../api.js';
import { rfc3339 } from '../clock.js';
import type { ResourceDef } from '../resources.js';
import type { SimState, WatchEvent } from '../state.js';
import { notFound, tooManyRequests, type StatusBody } from '../status.js';
import { isReady, isTerminal, writeStatus } from './util.js';

function selected(state: SimState, pdb: PodDisruptionBudget): Pod[] {
  if (!pdb.spec.selector) return [];
  return state
    .objectsOf<Pod>('Pod', pdb.metadata.namespace)
    .filter((p) => !isTerminal(p) && matchesSelector(p.metadata.labels, pdb.spec.selector));
}

/** An int or a percentage of `total`, rounded up (GetScaledValueFromIntOrPercent with roundUp). */
function scaled(v: number | string, total: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  return m ? Math.ceil((Number(m[1]) * total) / 100) : Number(v) || 0;
}

function budgetOf(state: SimState, pdb: PodDisruptionBudget): { expected: number; healthy: number; desired: number } {
  const pods = selected(state, pdb);
  const expected = pods.length;
  const healthy = pods.filter(isReady).length;
  const desired =
    pdb.spec.minAvailable !== undefined
      ? scaled(pdb.spec.minAvailable, expected)
      : Math.max(0, expected - scaled(pdb.spec.maxUnavailable ?? 0, expected));
  return { expected, healthy, desired };
}

export class DisruptionController {
  constructor(private readonly state: SimState) {}

  resync(): void {
    for (const pdb of this.state.objectsOf<PodDisruptionBudget>('PodDisruptionBudget')) this.sync(pdb);
  }

  handle(ev: WatchEvent): void {
    const kind = ev.entry.def.kind;
    if (kind === 'PodDisruptionBudget' && ev.type !== 'DELETED') this.sync(ev.entry.obj as PodDisruptionBudget);
    else if (kind === 'Pod') {
      const labels = [ev.entry.obj.metadata.labels, ev.prev?.obj.metadata.labels];
      for (const pdb of this.state.objectsOf<PodDisruptionBudget>(
        'PodDisruptionBudget',
        ev.entry.obj.metadata.namespace,
      ))
        if (pdb.spec.selector && labels.some((l) => matchesSelector(l, pdb.spec.selector))) this.sync(pdb);
    }
  }

  private sync(stale: PodDisruptionBudget): void {
    const pdb = this.state.find('PodDisruptionBudget', stale.metadata.namespace, stale.metadata.name) as
      PodDisruptionBudget | undefined;
    if (!pdb) return;
    const { expected, healthy, desired } = budgetOf(this.state, pdb);
    const allowed = Math.max(0, healthy - desired);
    const before = pdb.status?.conditions?.find((c) => c.type === 'DisruptionAllowed');
    const status = allowed > 0 ? 'True' : 'False';
    const condition = {
      type: 'DisruptionAllowed',
      status,
      observedGeneration: pdb.metadata.generation,
      lastTransitionTime: before?.status === status ? before.lastTransitionTime : rfc3339(this.state.now()),
      reason: allowed > 0 ? 'SufficientPods' : 'InsufficientPods',
      message: '',
    };
    writeStatus(this.state, pdb, {
      observedGeneration: pdb.metadata.generation,
      disruptionsAllowed: allowed,
      currentHealthy: healthy,
      desiredHealthy: desired,
      expectedPods: expected,
      conditions: [condition],
    });
  }
}

/** POST pods/<name>/eviction: delete the pod unless a budget that covers it has no disruption to spare. */
export function evict(api: SimApi, podsDef: ResourceDef, namespace: string, name: string, dryRun: boolean): StatusBody {
  const state = api.state;
  const pod = state.find('Pod', namespace, name) as Pod | undefined;
  if (!pod) throw notFound(podsDef, name);
  for (const pdb of state.objectsOf<PodDisruptionBudget>('PodDisruptionBudget', namespace)) {
    if (!pdb.spec.selector || !matchesSelector(pod.metadata.labels, pdb.spec.selector)) continue;
    const { healthy, desired } = budgetOf(state, pdb);
    // A pod that is not healthy may go while the budget is met (unhealthyPodEvictionPolicy IfHealthyBudget).
    const spare = isReady(pod) ? healthy - desired : healthy >= desired ? 1 : 0;
    if (spare < 1 && !isTerminal(pod))
      throw tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", [
        {
          reason: 'DisruptionBudget',
          message: `The disruption budget ${pdb.metadata.name} needs ${desired} healthy pods and has ${healthy} currently`,
        },
      ]);
  }
  api.delete(podsDef, namespace, name, undefined, { dryRun, fieldManager: 'kube-apiserver' });
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
}
