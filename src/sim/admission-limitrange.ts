// The LimitRanger admission plugin for containers: on create it fills in the namespace's
// default requests and limits (and says so in the `kubernetes.io/limit-ranger` annotation),
// then refuses containers outside min/max with the plugin's messages, several joined as
// `[a, b]`: `maximum cpu usage per Container is 500m, but limit is 1`.
import type { Container, LimitRange, LimitRangeItem, Pod } from '../model/k8s.js';
import { parseQuantity } from './quantity.js';
import type { ResourceDef } from './resources.js';
import type { SimState } from './state.js';
import { forbiddenBy } from './status.js';

const containerItems = (state: SimState, ns: string | undefined): LimitRangeItem[] =>
  state
    .objectsOf<LimitRange>('LimitRange', ns)
    .flatMap((lr) => lr.spec?.limits ?? [])
    .filter((i) => i.type === 'Container');

/** LimitRange defaulting: defaultRequest falls back to default, default to max. */
function defaultsOf(item: LimitRangeItem): { limits: Record<string, string>; requests: Record<string, string> } {
  const limits = { ...(item.max ?? {}), ...(item.default ?? {}) };
  return { limits, requests: { ...limits, ...(item.defaultRequest ?? {}) } };
}

function withDefaults(c: Container, item: LimitRangeItem, kind: string, notes: string[]): Container {
  const { limits, requests } = defaultsOf(item);
  const res = { requests: { ...(c.resources?.requests ?? {}) }, limits: { ...(c.resources?.limits ?? {}) } };
  const setRequests = Object.keys(requests).filter((r) => res.requests[r] === undefined);
  const setLimits = Object.keys(limits).filter((r) => res.limits[r] === undefined);
  for (const r of setLimits) res.limits[r] = limits[r] as string;
  for (const r of setRequests) res.requests[r] = requests[r] as string;
  if (setRequests.length) notes.push(`${setRequests.sort().join(', ')} request for ${kind} ${c.name}`);
  if (setLimits.length) notes.push(`${setLimits.sort().join(', ')} limit for ${kind} ${c.name}`);
  const resources: Container['resources'] = {};
  if (Object.keys(res.requests).length) resources.requests = res.requests;
  if (Object.keys(res.limits).length) resources.limits = res.limits;
  return { ...c, resources };
}

/** Mutating half: default requests and limits from the namespace's LimitRanges. */
export function defaultLimits(state: SimState, pod: Pod): Pod {
  const items = containerItems(state, pod.metadata.namespace);
  if (!items.length) return pod;
  const notes: string[] = [];
  let spec = pod.spec;
  for (const item of items) {
    spec = {
      ...spec,
      containers: spec.containers.map((c) => withDefaults(c, item, 'container', notes)),
      ...(spec.initContainers
        ? { initContainers: spec.initContainers.map((c) => withDefaults(c, item, 'init container', notes)) }
        : {}),
    };
  }
  if (!notes.length) return { ...pod, spec };
  const annotations = {
    ...(pod.metadata.annotations ?? {}),
    'kubernetes.io/limit-ranger': `LimitRanger plugin set: ${notes.join('; ')}`,
  };
  return { ...pod, metadata: { ...pod.metadata, annotations }, spec };
}

/** Validating half: every container within min and max. */
export function admitLimits(state: SimState, def: ResourceDef, pod: Pod): void {
  const items = containerItems(state, pod.metadata.namespace);
  const errors: string[] = [];
  for (const item of items) {
    for (const c of [...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? [])]) {
      const requests = c.resources?.requests ?? {};
      const limits = c.resources?.limits ?? {};
      for (const [r, min] of Object.entries(item.min ?? {})) {
        const req = requests[r];
        if (req === undefined) errors.push(`minimum ${r} usage per Container is ${min}.  No request is specified`);
        else if (parseQuantity(req) < parseQuantity(min))
          errors.push(`minimum ${r} usage per Container is ${min}, but request is ${req}`);
      }
      for (const [r, max] of Object.entries(item.max ?? {})) {
        const lim = limits[r];
        if (lim === undefined) errors.push(`maximum ${r} usage per Container is ${max}.  No limit is specified`);
        else if (parseQuantity(lim) > parseQuantity(max))
          errors.push(`maximum ${r} usage per Container is ${max}, but limit is ${lim}`);
      }
    }
  }
  if (errors.length)
    throw forbiddenBy(def, pod.metadata.name, errors.length === 1 ? (errors[0] as string) : `[${errors.join(', ')}]`);
}
