// What the cockpit keeps of its two biggest lists: a projection of each pod and each event to
// the fields the rules and the views read (docs/decisions/0020-cockpit-projection.md). The
// YAML, describe and edit views read the whole object from the server when they open, so
// nothing a user sees is lost; a 10,000-pod cluster keeps about half the pod heap.
//
// A projection is a copy made once, as each page or watch event is parsed, while the parsed
// object is still young garbage: deleting fields in place would turn every pod into a slow
// dictionary-mode object instead. Values are never changed, only left out, and arrays keep
// every element in its place, so a JSON pointer a rule computes (`/spec/containers/0/env/2`)
// means the same on the server's object.
import { OWN_METADATA, SHARED_BY_V8, shareStringsIn, type StringPool } from '../kube/string-pool.js';
import type { SnapshotListField } from '../kube/resources.js';
import type { KubeObject } from '../model/k8s.js';

/** `true`: the value as it is, whole. An object: only these keys, each by its own shape (for each element of an array). */
export type Shape = true | { readonly [key: string]: Shape };

const METADATA: Shape = {
  name: true,
  namespace: true,
  uid: true,
  resourceVersion: true,
  generation: true,
  creationTimestamp: true,
  deletionTimestamp: true,
  labels: true,
  annotations: true,
  ownerReferences: true,
};

/** src/model/k8s.ts `Container`: what the rules read of a container. */
const CONTAINER: Shape = {
  name: true,
  image: true,
  command: true,
  args: true,
  ports: true,
  env: { name: true, value: true, valueFrom: { configMapKeyRef: true, secretKeyRef: true } },
  envFrom: true,
  resources: true,
  livenessProbe: true,
  readinessProbe: true,
  startupProbe: true,
  volumeMounts: true,
};

const CONTAINER_STATUS: Shape = {
  name: true,
  image: true,
  ready: true,
  started: true,
  restartCount: true,
  state: true,
  lastState: true,
};

export const POD_SHAPE: Shape = {
  apiVersion: true,
  kind: true,
  metadata: METADATA,
  spec: {
    containers: CONTAINER,
    initContainers: CONTAINER,
    serviceAccountName: true,
    imagePullSecrets: true,
    nodeName: true,
    nodeSelector: true,
    affinity: true,
    tolerations: true,
    // ConfigMaps, Secrets and claims a pod mounts (plugins/pods/lib/config-refs.ts, the claim index).
    volumes: {
      name: true,
      configMap: true,
      secret: true,
      persistentVolumeClaim: true,
      projected: { sources: { configMap: true, secret: true } },
    },
    restartPolicy: true,
    schedulerName: true,
  },
  status: {
    phase: true,
    conditions: { type: true, status: true, reason: true, message: true, lastTransitionTime: true },
    containerStatuses: CONTAINER_STATUS,
    initContainerStatuses: CONTAINER_STATUS,
    reason: true,
    message: true,
    hostIP: true,
    podIP: true,
    startTime: true,
  },
};

export const EVENT_SHAPE: Shape = {
  apiVersion: true,
  kind: true,
  metadata: {
    name: true,
    namespace: true,
    uid: true,
    resourceVersion: true,
    creationTimestamp: true,
    labels: true,
  },
  involvedObject: { kind: true, namespace: true, name: true, uid: true, fieldPath: true },
  reason: true,
  message: true,
  type: true,
  count: true,
  firstTimestamp: true,
  lastTimestamp: true,
  eventTime: true,
  source: true,
  reportingComponent: true,
  series: true,
};

/** The lists the live store keeps as projections. */
export const PROJECTIONS: Partial<Record<SnapshotListField, Shape>> = { pods: POD_SHAPE, events: EVENT_SHAPE };

/**
 * `obj` with only the fields `shape` names, every string in it the pool's copy (as
 * shareStrings does) in the same pass. Objects that lose no field are kept and changed in
 * place (JSON.parse built them compact); only those that lose one are copied.
 */
export function project<T extends KubeObject>(obj: T, shape: Shape, pool?: StringPool): T {
  return visit(obj, shape, pool, undefined) as T;
}

function visit(
  value: unknown,
  shape: Shape,
  pool: StringPool | undefined,
  own: ReadonlySet<string> | undefined,
): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (shape === true) {
    // Kept whole: only its strings to share, in place.
    if (pool) shareStringsIn(value, pool, own);
    return value;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = visit(value[i], shape, pool, undefined);
    return value;
  }
  const fields = value as Record<string, unknown>;
  let out = fields;
  // `for...in` rather than Object.keys: no array for an object that loses nothing. Own keys
  // only: a cluster's `__proto__` or `constructor` field is no key of a shape.
  for (const k in fields) {
    if (!Object.hasOwn(shape, k)) {
      out = build(
        Object.keys(fields).filter((key) => Object.hasOwn(shape, key)),
        fields,
      );
      break;
    }
  }
  for (const k in out) {
    const v = out[k];
    if (typeof v === 'object' && v !== null)
      out[k] = visit(v, shape[k]!, pool, k === 'metadata' ? OWN_METADATA : undefined);
    else if (pool && typeof v === 'string' && v.length > SHARED_BY_V8 && !own?.has(k)) out[k] = pool.get(v);
  }
  return out;
}

/**
 * A new object of `keys` (in that order) from `from`. An object literal of fixed keys gets
 * exactly as many fields as it has; one grown a key at a time keeps three spare ones, which
 * is most of what the projection saves on an event. The keys are the shapes' own (never the
 * cluster's), so the literal is built from this file's constants only.
 */
function build(keys: string[], from: Record<string, unknown>): Record<string, unknown> {
  const id = keys.join(',');
  let make = BUILDERS.get(id);
  if (!make) {
    if (BUILDERS.size >= MAX_BUILDERS) return Object.fromEntries(keys.map((k) => [k, from[k]]));
    make = new Function(
      'o',
      `return {${keys.map((k) => `${JSON.stringify(k)}: o[${JSON.stringify(k)}]`).join(', ')}};`,
    ) as (o: Record<string, unknown>) => Record<string, unknown>;
    BUILDERS.set(id, make);
  }
  return make(from);
}

const BUILDERS = new Map<string, (o: Record<string, unknown>) => Record<string, unknown>>();
/** Key lists seen: a handful per kind; a cluster that writes thousands of combinations gets plain objects past this. */
const MAX_BUILDERS = 2000;
