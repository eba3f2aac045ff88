// Events the simulated control plane records, in the two shapes a real cluster produces:
// kubelet and controller events through core/v1 (count, first/lastTimestamp, source), and
// scheduler events through events.k8s.io (eventTime, action, reportingComponent, no
// timestamps) as seen through core/v1. A repeat of the same event bumps its count (its series
// for events.k8s.io ones), like the client-go event correlator does.
import { randomBytes } from 'node:crypto';
import type { KubeEvent, KubeObject } from '../model/k8s.js';
import { microTime, rfc3339 } from './clock.js';
import type { SimState } from './state.js';

export interface EventSpec {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** kubelet, replicaset-controller, default-scheduler, ... */
  component: string;
  /** The node for kubelet events. */
  host?: string;
  /** `spec.containers{name}` for container events. */
  fieldPath?: string;
  /** events.k8s.io style (the scheduler): eventTime and action instead of counts. */
  action?: string;
}

export function recordEvent(state: SimState, about: KubeObject, spec: EventSpec): void {
  const evDef = state.registry.forKind('Event');
  if (!evDef) return;
  const ns = about.metadata.namespace ?? 'default';
  const now = state.now();
  const involved: KubeEvent['involvedObject'] & { resourceVersion?: string } = {
    kind: about.kind ?? '',
    namespace: about.metadata.namespace ?? '',
    name: about.metadata.name,
    uid: about.metadata.uid ?? '',
    apiVersion: about.apiVersion ?? 'v1',
    resourceVersion: about.metadata.resourceVersion ?? '',
  };
  if (!involved.namespace) delete involved.namespace;
  if (spec.fieldPath) involved.fieldPath = spec.fieldPath;

  const same = state.list(evDef, ns).find((e) => {
    const ev = e.obj as KubeEvent;
    return (
      ev.involvedObject.uid === involved.uid &&
      ev.reason === spec.reason &&
      ev.message === spec.message &&
      ev.involvedObject.fieldPath === spec.fieldPath
    );
  });
  if (same) {
    const ev = same.obj as KubeEvent;
    const next = spec.action
      ? { ...ev, series: { count: (ev.series?.count ?? 1) + 1, lastObservedTime: microTime(now) } }
      : { ...ev, count: (ev.count ?? 1) + 1, lastTimestamp: rfc3339(now) };
    state.update({ ...next, metadata: { ...ev.metadata, resourceVersion: '' } } as KubeEvent);
    return;
  }

  const name = `${about.metadata.name}.${randomBytes(8).toString('hex')}`;
  const base = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: ns },
    involvedObject: involved,
    reason: spec.reason,
    message: spec.message,
  };
  const event = spec.action
    ? {
        ...base,
        source: {},
        firstTimestamp: null,
        lastTimestamp: null,
        type: spec.type,
        eventTime: microTime(now),
        action: spec.action,
        reportingComponent: spec.component,
        reportingInstance: `${spec.component}-${spec.host ?? 'minikube'}`,
      }
    : {
        ...base,
        source: spec.host ? { component: spec.component, host: spec.host } : { component: spec.component },
        firstTimestamp: rfc3339(now),
        lastTimestamp: rfc3339(now),
        count: 1,
        type: spec.type,
        eventTime: null,
        reportingComponent: spec.host ? spec.component : '',
        reportingInstance: spec.host ?? '',
      };
  state.create(event as KubeEvent);
}
