// The horizontal pod autoscaler as far as it gets on a cluster without a metrics server (no
// metrics.k8s.io group): it reads the target's scale, fails to read resource metrics and
// says so in its conditions and events, with the controller's own words:
//   AbleToScale True SucceededGetScale "the HPA controller was able to get the target's current scale"
//   ScalingActive False FailedGetResourceMetric "the HPA was unable to compute the replica count: failed to get cpu utilization: ..."
//   Warning FailedGetResourceMetric / FailedComputeMetricsReplicas
// A missing scale target gives AbleToScale False FailedGetScale with the API's not-found error.
import type { HorizontalPodAutoscaler, Workload } from '../../model/k8s.js';
import { rfc3339 } from '../clock.js';
import { recordEvent } from '../events.js';
import { METRICS_GROUP } from '../metrics.js';
import { qualifiedResource } from '../resources.js';
import type { SimState, WatchEvent } from '../state.js';
import { writeStatus } from './util.js';

type Condition = NonNullable<NonNullable<HorizontalPodAutoscaler['status']>['conditions']>[number];

const NO_METRICS_API =
  'unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)';

export class AutoscalerController {
  constructor(private readonly state: SimState) {}

  resync(): void {
    for (const hpa of this.state.objectsOf<HorizontalPodAutoscaler>('HorizontalPodAutoscaler')) this.sync(hpa);
  }

  /** On a new or changed spec; its own status writes do not count (it syncs every 15 s otherwise: `resync`). */
  handle(ev: WatchEvent): void {
    if (ev.entry.def.kind !== 'HorizontalPodAutoscaler' || ev.type === 'DELETED') return;
    const spec = (o: unknown) => JSON.stringify((o as { spec?: unknown } | undefined)?.spec);
    if (ev.type === 'ADDED' || spec(ev.prev?.obj) !== spec(ev.entry.obj))
      this.sync(ev.entry.obj as HorizontalPodAutoscaler);
  }

  private sync(stale: HorizontalPodAutoscaler): void {
    const hpa = this.state.find('HorizontalPodAutoscaler', stale.metadata.namespace, stale.metadata.name) as
      HorizontalPodAutoscaler | undefined;
    if (!hpa) return;
    const now = rfc3339(this.state.now());
    const ref = hpa.spec.scaleTargetRef;
    const targetDef = this.state.registry.forKind(ref.kind, ref.apiVersion);
    const target = targetDef
      ? (this.state.get(targetDef, hpa.metadata.namespace, ref.name)?.obj as Workload | undefined)
      : undefined;
    const event = (reason: string, message: string) =>
      recordEvent(this.state, hpa, { type: 'Warning', reason, message, component: 'horizontal-pod-autoscaler' });
    const keep = (c: Omit<Condition, 'lastTransitionTime'>): Condition => {
      const before = hpa.status?.conditions?.find((x) => x.type === c.type);
      return { ...c, lastTransitionTime: before?.status === c.status ? (before.lastTransitionTime ?? now) : now };
    };

    if (!target) {
      const err = `${targetDef ? qualifiedResource(targetDef) : ref.kind.toLowerCase()} "${ref.name}" not found`;
      event('FailedGetScale', err);
      writeStatus(this.state, hpa, {
        ...(hpa.status ?? {}),
        currentMetrics: null,
        conditions: [
          keep({
            type: 'AbleToScale',
            status: 'False',
            reason: 'FailedGetScale',
            message: `the HPA controller was unable to get the target's current scale: ${err}`,
          }),
        ],
      });
      return;
    }
    const current = target.status?.replicas ?? target.spec.replicas ?? 0;
    const conditions = [
      keep({
        type: 'AbleToScale',
        status: 'True',
        reason: 'SucceededGetScale',
        message: "the HPA controller was able to get the target's current scale",
      }),
    ];
    const resource = hpa.spec.metrics?.find((m) => m.type === 'Resource')?.resource?.name;
    if (resource && !this.state.registry.groupVersions().some((gv) => gv.group === METRICS_GROUP)) {
      const why = `failed to get ${resource} utilization: unable to get metrics for resource ${resource}: ${NO_METRICS_API}`;
      event('FailedGetResourceMetric', why);
      event(
        'FailedComputeMetricsReplicas',
        `invalid metrics (1 invalid out of 1), first error is: failed to get ${resource} resource metric value: ${why}`,
      );
      conditions.push(
        keep({
          type: 'ScalingActive',
          status: 'False',
          reason: 'FailedGetResourceMetric',
          message: `the HPA was unable to compute the replica count: ${why}`,
        }),
      );
    }
    writeStatus(this.state, hpa, {
      currentReplicas: current,
      desiredReplicas: hpa.status?.desiredReplicas ?? 0,
      currentMetrics: null,
      conditions,
    });
  }
}
