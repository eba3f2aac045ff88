// Events the simulated control plane records, in the two shapes a real cluster produces:
// kubelet and controller events through core/v1 (count, first/lastTimestamp, source), and
// scheduler events through events.k8s.io (eventTime, action, reportingComponent, no
// timestamps) as seen through core/v1. A repeat of the same event bumps its count (its series
// for events.k8s.io ones), like the client-go event correlator does; and as its aggregator
// does, the tenth different message for the same object, reason and source within ten
// minutes (a ReplicaSet's FailedCreate names a new pod each time) becomes one
// `(combined from similar events): <message>` event whose count grows from then on.
import { randomBytes } from 'node:crypto';
import type { KubeEvent, KubeObject } from '../model/k8s.js';
import { microTime, rfc3339 } from './clock.js';
import type { ResourceDef } from './resources.js';
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

const COMBINED = '(combined from similar events): ';

/** What makes two events the same event (a repeat bumps the count): object, reason, message, sub-object. */
const correlationKey = (
  uid: string | undefined,
  reason: string | undefined,
  message: string,
  fieldPath: string | undefined,
): string => JSON.stringify([uid ?? '', reason ?? '', message, fieldPath ?? '']);

const correlationKeyOf = (e: KubeEvent): string =>
  correlationKey(
    e.involvedObject.uid,
    e.reason,
    (e.message ?? '').startsWith(COMBINED) ? COMBINED : (e.message ?? ''),
    e.involvedObject.fieldPath,
  );

/**
 * Per store: each event's name by its correlation key, built from the stored events on first
 * use and kept as events are recorded — a lookup, where scanning 50,000 events per record was quadratic.
 */
const byCorrelation = new WeakMap<SimState, Map<string, string>>();

function correlated(state: SimState, evDef: ResourceDef): Map<string, string> {
  let index = byCorrelation.get(state);
  if (!index) {
    index = new Map();
    for (const e of state.list(evDef)) index.set(correlationKeyOf(e.obj as KubeEvent), e.obj.metadata.name);
    byCorrelation.set(state, index);
  }
  return index;
}
const MAX_SIMILAR = 10;
const SIMILAR_WINDOW_MS = 600_000;

/** Per store: the distinct messages seen for each (source, object, type, reason) within the window. */
const similar = new WeakMap<SimState, Map<string, { since: number; messages: Set<string> }>>();

/** The EventAggregator: the message to record, combined once too many similar ones were seen. */
function aggregate(state: SimState, uid: string, spec: EventSpec, now: number): string {
  let byKey = similar.get(state);
  if (!byKey) similar.set(state, (byKey = new Map()));
  const key = [spec.component, spec.host ?? '', uid, spec.fieldPath ?? '', spec.type, spec.reason].join('|');
  let seen = byKey.get(key);
  if (!seen || now - seen.since > SIMILAR_WINDOW_MS) byKey.set(key, (seen = { since: now, messages: new Set() }));
  seen.messages.add(spec.message);
  if (seen.messages.size < MAX_SIMILAR) return spec.message;
  seen.messages.delete(spec.message);
  return `${COMBINED}${spec.message}`;
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

  const message = spec.action ? spec.message : aggregate(state, involved.uid ?? '', spec, now);
  const combined = message.startsWith(COMBINED);
  const sameKey = correlationKey(involved.uid, spec.reason, combined ? COMBINED : message, spec.fieldPath);
  const known = correlated(state, evDef).get(sameKey);
  const same = known !== undefined ? state.get(evDef, ns, known) : undefined;
  if (same && correlationKeyOf(same.obj as KubeEvent) === sameKey) {
    const ev = same.obj as KubeEvent;
    const next = spec.action
      ? { ...ev, series: { count: (ev.series?.count ?? 1) + 1, lastObservedTime: microTime(now) } }
      : { ...ev, message, count: (ev.count ?? 1) + 1, lastTimestamp: rfc3339(now) };
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
    message,
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
  correlated(state, evDef).set(sameKey, name);
}

/** The kubelet's BackOff message for a container that keeps failing (pkg/kubelet/kuberuntime). */
export function backOffMessage(container: string, pod: KubeObject): string {
  return `Back-off restarting failed container ${container} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}
