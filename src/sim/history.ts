// A scenario's history: what was done to the cluster, and when, replayed through the API at
// those times once the scenario's objects are loaded. Each step's writes go through defaults,
// admission and validation, and the controllers react before the next step, with the clock
// set back to the step's time — so a ReplicaSet refused by a quota 40 minutes ago shows its
// FailedCreate events, ReplicaFailure condition and ages as a real cluster would, produced by
// the same mechanisms rather than written out by hand.
import type { KubeObject } from '../model/k8s.js';
import type { SimApi } from './api.js';
import { sortedJson } from './controllers/util.js';
import type { SimState } from './state.js';

export interface ObjectRef {
  kind: string;
  namespace?: string;
  name: string;
}

export interface HistoryStep {
  /** When it happened; relative in the scenario file (`-40m`), an RFC 3339 time once loaded. */
  at: string;
  /** Objects created (or updated) as `kubectl apply` does. */
  apply?: KubeObject[];
  /** JSON merge patches (`kubectl patch --type merge`), of the object or of its status (what a kubelet reports). */
  patch?: (ObjectRef & { subresource?: 'status'; merge: Record<string, unknown> })[];
  delete?: ObjectRef[];
  /** CronJobs (`namespace/name`) whose schedule fires at this time. */
  cronjobs?: string[];
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** What `kubectl apply` stores: the object as written, without its own annotation, keys sorted. */
function lastApplied(obj: KubeObject): string {
  const { [LAST_APPLIED]: _own, ...annotations } = obj.metadata.annotations ?? {};
  return `${sortedJson({ ...obj, metadata: { ...obj.metadata, annotations } })}\n`;
}

function applyOne(api: SimApi, state: SimState, obj: KubeObject): void {
  const def = state.defFor(obj);
  const ns = def.namespaced ? (obj.metadata.namespace ?? 'default') : undefined;
  const annotated = {
    ...obj,
    metadata: {
      ...obj.metadata,
      annotations: { ...(obj.metadata.annotations ?? {}), [LAST_APPLIED]: lastApplied(obj) },
    },
  };
  const opts = { fieldManager: 'kubectl-client-side-apply' };
  if (state.get(def, ns, obj.metadata.name))
    api.patch(def, ns, obj.metadata.name, 'application/merge-patch+json', annotated, opts);
  else api.create(def, ns, annotated, opts);
}

/** What a replay drives of the controllers (named here: the controllers load scenarios, which hold histories). */
export interface ReplayControllers {
  drain(): void;
  tick(): void;
  cronJobs: { fire(namespace: string, name: string): unknown };
}

export interface Replay {
  state: SimState;
  api: SimApi;
  controllers: ReplayControllers;
  /** Set the simulated clock this many milliseconds behind the wall clock. */
  setBehind(ms: number): void;
}

/** Replay the steps in time order, then bring the clock back to now and let time-based controllers catch up. */
export function replayHistory(steps: readonly HistoryStep[], r: Replay): void {
  const ordered = [...steps].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  for (const step of ordered) {
    r.setBehind(Math.max(0, Date.now() - Date.parse(step.at)));
    try {
      for (const obj of step.apply ?? []) applyOne(r.api, r.state, obj);
      for (const p of step.patch ?? []) {
        const def = r.state.registry.forKind(p.kind);
        if (!def) throw new Error(`kind ${p.kind} is not served`);
        r.api.patch(
          def,
          p.namespace,
          p.name,
          'application/merge-patch+json',
          p.merge,
          { fieldManager: 'kubectl-patch' },
          p.subresource,
        );
      }
      for (const d of step.delete ?? []) {
        const def = r.state.registry.forKind(d.kind);
        if (!def) throw new Error(`kind ${d.kind} is not served`);
        // As `kubectl delete` asks (--cascade=background): a Job's pods go with it.
        r.api.delete(def, d.namespace, d.name, { propagationPolicy: 'Background' }, { fieldManager: 'kubectl' });
      }
      r.controllers.drain();
      for (const cj of step.cronjobs ?? []) {
        const [ns, name] = cj.split('/') as [string, string];
        r.controllers.cronJobs.fire(ns, name);
      }
      r.controllers.drain();
      r.controllers.tick();
    } catch (e) {
      throw new Error(`history step at ${step.at}: ${(e as Error).message}`);
    }
  }
  r.setBehind(0);
  r.controllers.tick();
}
