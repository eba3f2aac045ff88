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
import { OWN_METADATA, SHARED_BY_V8, type StringPool } from '../kube/string-pool.js';
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
 *
 * `twin`: an object kept earlier that is likely to hold the same values (the same pod's
 * previous version, or a replica of the same owner; see Twins). Every part of the result equal
 * to the twin's part at the same place is the twin's own, so ten replicas keep one copy of
 * their containers, probes, tolerations and volumes, and a pod whose status changed keeps its
 * spec from before. Kept objects are never changed once kept, which is what makes this safe.
 */
export function project<T extends KubeObject>(obj: T, shape: Shape, pool?: StringPool, twin?: T): T {
  return visit(obj, shape, pool, undefined, twin) as T;
}

function visit(
  value: unknown,
  shape: Shape,
  pool: StringPool | undefined,
  own: ReadonlySet<string> | undefined,
  twin: unknown,
): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (typeof twin !== 'object' || twin === null) twin = undefined;
  if (Array.isArray(value)) {
    const other = Array.isArray(twin) ? (twin as unknown[]) : undefined;
    let same = other !== undefined && other.length === value.length;
    for (let i = 0; i < value.length; i++) {
      const v = (value[i] = visit(value[i], shape, pool, undefined, other?.[i]));
      if (same && v !== other![i]) same = false;
    }
    return same ? other : value;
  }
  const fields = value as Record<string, unknown>;
  let out = fields;
  if (shape !== true) {
    // `for...in` rather than Object.keys: no array for an object that loses nothing. Own keys
    // only: a cluster's `__proto__` or `constructor` field is no key of a shape.
    for (const k in fields) {
      if (!Object.hasOwn(shape, k)) {
        out = build(fields, shape);
        break;
      }
    }
  }
  const other = twin as Record<string, unknown> | undefined;
  let same = other !== undefined && !Array.isArray(other);
  let count = 0;
  for (const k in out) {
    count++;
    let v = out[k];
    if (typeof v === 'object' && v !== null) {
      v = out[k] = visit(
        v,
        shape === true ? true : shape[k]!,
        pool,
        k === 'metadata' ? OWN_METADATA : undefined,
        other?.[k],
      );
    } else if (pool && typeof v === 'string' && v.length > SHARED_BY_V8 && !own?.has(k)) {
      // The twin's equal string is already the one copy: comparing with it is cheaper than
      // looking it up, and most strings of a replica are its twin's.
      const theirs = other?.[k];
      v = out[k] = theirs === v ? theirs : pool.get(v);
    }
    // Strings, numbers and booleans equal as in the JSON they came from; objects only as the twin's own.
    if (same && v !== other![k]) same = false;
  }
  if (same) {
    for (const _ in other) count--;
    if (count !== 0) same = false;
  }
  return same ? other : out;
}

/**
 * Projections with twins: a new object's twin is its own earlier version when the caller has
 * one, else the last object kept of its family (see familyOf). A kept object must not stay
 * alive through its family once it is gone: the store tells when it is deleted, and all
 * families are forgotten whenever this many are known (objects gone while nobody watched).
 */
export class Twins {
  private families = new Map<string, KubeObject>();

  constructor(private readonly maxFamilies = 20_000) {}

  /** project(raw, shape, pool) sharing what it can with `earlier` or the family's last. */
  project<T extends KubeObject>(raw: T, shape: Shape, pool: StringPool | undefined, earlier?: T): T {
    const family = familyOf(raw);
    const twin = earlier ?? (family === undefined ? undefined : (this.families.get(family) as T | undefined));
    const kept = project(raw, shape, pool, twin);
    if (family !== undefined) {
      if (this.families.size >= this.maxFamilies && !this.families.has(family)) this.families = new Map();
      this.families.set(family, kept);
    }
    return kept;
  }

  /** `kept` was deleted: it is nobody's twin any more. */
  forget(kept: KubeObject): void {
    const family = familyOf(kept);
    if (family !== undefined && this.families.get(family) === kept) this.families.delete(family);
  }
}

/**
 * The object an event is about; else the controller that made an object; else the object
 * itself, so that the objects it controls (listed in another list sharing its Twins) find it.
 */
function familyOf(o: KubeObject): string | undefined {
  const involved = (o as { involvedObject?: { uid?: string } }).involvedObject;
  if (involved) return involved.uid;
  const owners = o.metadata?.ownerReferences;
  if (owners && owners.length > 0) return (owners.find((r) => r.controller) ?? owners[0])!.uid;
  return o.metadata?.uid;
}

/**
 * Lists whose objects hold each other's parts at the same place: a ReplicaSet's pod template
 * (`/spec/template`) is its Deployment's but for the pod-template-hash label.
 */
const TWIN_LISTS: readonly (readonly SnapshotListField[])[] = [['deployments', 'replicaSets']];

/** A Twins for each list; lists whose objects are each other's twins get the same one. */
export function twinsPerList(): (into: SnapshotListField) => Twins {
  const made = new Map<SnapshotListField, Twins>();
  return (into) => {
    let twins = made.get(into);
    if (!twins) {
      twins = new Twins();
      for (const list of TWIN_LISTS.find((lists) => lists.includes(into)) ?? [into]) made.set(list, twins);
    }
    return twins;
  };
}

/**
 * A new object of the fields of `from` that `shape` names, in `from`'s order. An object
 * literal of fixed keys gets exactly as many fields as it has; one grown a key at a time keeps
 * three spare ones, which is most of what the projection saves on an event. The keys are the
 * shapes' own (never the cluster's), so the literal is built from this file's constants only.
 *
 * The literal for a list of keys is found by walking a trie one kept key at a time: finding
 * it makes no garbage. (A key list joined into a string for a map made ~300 bytes of garbage
 * an object: 55 MB over `large:10000`'s lists.)
 */
function build(from: Record<string, unknown>, shape: { readonly [key: string]: Shape }): Record<string, unknown> {
  let node = BUILDERS;
  for (const k in from) {
    if (!Object.hasOwn(shape, k)) continue;
    let next = node.next.get(k);
    if (!next) {
      if (builders >= MAX_BUILDERS)
        return Object.fromEntries(
          Object.keys(from).flatMap((key) => (Object.hasOwn(shape, key) ? [[key, from[key]]] : [])),
        );
      next = { keys: [...node.keys, k], next: new Map() };
      node.next.set(k, next);
      builders++;
    }
    node = next;
  }
  node.make ??= new Function(
    'o',
    `return {${node.keys.map((k) => `${JSON.stringify(k)}: o[${JSON.stringify(k)}]`).join(', ')}};`,
  ) as (o: Record<string, unknown>) => Record<string, unknown>;
  return node.make(from);
}

/** The builder of the keys on the path to it; its children add one key each. */
interface Builder {
  readonly keys: readonly string[];
  readonly next: Map<string, Builder>;
  make?: (o: Record<string, unknown>) => Record<string, unknown>;
}

const BUILDERS: Builder = { keys: [], next: new Map() };
let builders = 0;
/** Key lists and their prefixes seen: a few dozen per kind; a cluster that writes thousands of combinations gets plain objects past this. */
const MAX_BUILDERS = 2000;
