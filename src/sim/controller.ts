// The simulated control plane's reactions: every committed write is queued and handed, after
// the write that caused it (never inside it), to the scheduler/kubelet and to each controller
// a controller-manager runs — workloads, DaemonSets, jobs and cronjobs, endpoints, volumes, quota, node
// lifecycle, disruption budgets, autoscalers, CRDs — and deleting an owner deletes what it owns
// (background cascading deletion). `resync()` is the start-up pass that derives what a running cluster
// already shows (endpoints, quota usage, budgets, taints); `tick()` is time passing (progress
// deadlines, retries, the volume controller's periodic sync).
import type { KubeObject } from '../model/k8s.js';
import type { SimApi } from './api.js';
import { AutoscalerController } from './controllers/autoscaling.js';
import { CrdController } from './controllers/crds.js';
import { DaemonSetController } from './controllers/daemonsets.js';
import { CronJobController, JobController } from './controllers/jobs.js';
import { DisruptionController } from './controllers/disruption.js';
import { EndpointsController } from './controllers/endpoints.js';
import { NodeController } from './controllers/nodes.js';
import { QuotaController } from './controllers/quota.js';
import { VolumeController } from './controllers/volumes.js';
import { WorkloadController } from './controllers/workloads.js';
import type { Kubelet } from './kubelet.js';
import type { SimState, WatchEvent } from './state.js';

interface Reactor {
  handle(ev: WatchEvent): void;
}

export class Controllers {
  private queue: WatchEvent[] = [];
  private draining: Promise<void> | undefined;
  private readonly unsubscribe: () => void;
  private readonly workloads: WorkloadController;
  private readonly daemonSets: DaemonSetController;
  private readonly jobs: JobController;
  readonly cronJobs: CronJobController;
  private readonly endpoints: EndpointsController;
  private readonly volumes: VolumeController;
  private readonly quota: QuotaController;
  private readonly nodes: NodeController;
  private readonly disruption: DisruptionController;
  private readonly autoscalers: AutoscalerController;
  private readonly crds: CrdController;
  private readonly reactors: Reactor[];

  constructor(
    private readonly state: SimState,
    api: SimApi,
    kubelet: Kubelet,
    private readonly onError: (e: unknown) => void = (e) => console.error('kcockpit sim: controller error:', e),
  ) {
    this.workloads = new WorkloadController(state, api);
    this.daemonSets = new DaemonSetController(state, api);
    this.jobs = new JobController(state, api);
    this.cronJobs = new CronJobController(state, api);
    this.endpoints = new EndpointsController(state);
    this.volumes = new VolumeController(state, () => state.objectsOf('Node')[0]?.metadata.name ?? 'minikube');
    this.quota = new QuotaController(state);
    this.nodes = new NodeController(state);
    this.disruption = new DisruptionController(state);
    this.autoscalers = new AutoscalerController(state);
    this.crds = new CrdController(state, api);
    // The kubelet first: a pod is scheduled and started before controllers look at it.
    this.reactors = [
      kubelet,
      this.nodes,
      this.workloads,
      this.daemonSets,
      this.jobs,
      this.cronJobs,
      this.endpoints,
      this.volumes,
      this.quota,
      this.disruption,
      this.autoscalers,
      this.crds,
    ];
    this.unsubscribe = state.subscribe((ev) => {
      this.queue.push(ev);
      this.draining ??= new Promise<void>((resolve) =>
        setImmediate(() => {
          this.drain();
          this.draining = undefined;
          resolve();
        }),
      );
    });
  }

  stop(): void {
    this.unsubscribe();
    this.queue = [];
  }

  /** Resolves when every queued reaction, and whatever those caused, has run (for tests). */
  async settle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Run every queued reaction now, synchronously (scenario history replays step by step). */
  drain(): void {
    // Reactions may write, which queues more events; keep going until quiet.
    while (this.queue.length) {
      const ev = this.queue.shift() as WatchEvent;
      for (const r of this.reactors) this.guard(() => r.handle(ev));
      if (ev.type === 'DELETED' && ev.entry.def.kind !== 'Event') this.guard(() => this.collectGarbage(ev.entry.obj));
    }
  }

  /** Start-up: what the controllers of a running cluster would already have written. */
  resync(): void {
    this.guarded(() => {
      this.nodes.resync();
      this.endpoints.resync();
      this.quota.resync();
      this.disruption.resync();
    });
  }

  /** Time passed: deadlines are checked and failed work retried, as the controllers' resyncs do. */
  tick(): void {
    this.guarded(() => {
      this.workloads.resync();
      this.daemonSets.resync();
      this.jobs.resync();
      this.volumes.resync();
      this.autoscalers.resync();
    });
  }

  private guard(run: () => void): void {
    try {
      run();
    } catch (e) {
      this.onError(e);
    }
  }

  private guarded(run: () => void): void {
    this.guard(run);
    this.drain();
  }

  /** Background cascading deletion: whatever named the deleted object as its owner goes too. */
  private collectGarbage(owner: KubeObject): void {
    const uid = owner.metadata.uid;
    for (const d of this.state.registry.all) {
      if (!d.namespaced || d.kind === 'Event') continue;
      for (const e of this.state.list(d, owner.metadata.namespace)) {
        if (e.obj.metadata.ownerReferences?.some((r) => r.uid === uid))
          this.state.remove(d, e.obj.metadata.namespace, e.obj.metadata.name);
      }
    }
  }
}
