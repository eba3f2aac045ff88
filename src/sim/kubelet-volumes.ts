// The kubelet's volume manager, as far as the simulator needs it. A real kubelet sets up every
// volume of a pod before it pulls an image or starts a container; a ConfigMap or Secret volume
// whose object (or one of whose `items` keys) does not exist, and is not optional, fails with
// the volume plugin's own words (pkg/volume/configmap, secret, projected via
// operationexecutor's "MountVolume.SetUp failed for volume \"<v>\" : <error>"), one FailedMount
// event per volume, and the pod stays Pending with its containers waiting in ContainerCreating.
// The kubelet keeps retrying; once the object is there the pod starts. A v1.28+ kubelet writes
// no "Unable to attach or mount volumes … timed out" event for a pure timeout, so neither do we.
// Attaching is the attach-detach controller's (pkg/controller/volume/attachdetach): a volume
// of an attachable plugin (CSI, cloud disks; not hostPath or NFS) whose access modes allow one
// node only is not attached to a second node while a running pod elsewhere uses it; the
// controller says so once (`Multi-Attach error for volume "<pv>" Volume is already used by
// pod(s) <names>`, names of the pod's own namespace only) and the pod waits in ContainerCreating
// until that pod is gone.
import type { KubeObject, Node, PersistentVolume, PersistentVolumeClaim, Pod, PodCondition } from '../model/k8s.js';
import { recordEvent } from './events.js';
import type { SimState, WatchEvent } from './state.js';

/** Why one volume cannot be set up, as the event that says so. */
export interface VolumeFailure {
  reason: 'FailedMount' | 'FailedAttachVolume';
  message: string;
}

const ATTACHABLE = ['csi', 'gcePersistentDisk', 'awsElasticBlockStore', 'azureDisk', 'cinder'];

type Source = { name?: string; secretName?: string; optional?: boolean; items?: { key?: string }[] };
type Stored = KubeObject & { data?: Record<string, string>; binaryData?: Record<string, string> };

/**
 * The root CA ConfigMap every namespace gets from kube-controller-manager's publisher, which
 * the simulator does not run: the ServiceAccount token volume's source is taken as present.
 */
const ROOT_CA = 'kube-root-ca.crt';

function record(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The error of one ConfigMap or Secret source, as the plugin words it; undefined when it mounts. */
function sourceError(state: SimState, namespace: string, kind: 'ConfigMap' | 'Secret', s: Source): string | undefined {
  const name = (kind === 'Secret' ? (s.secretName ?? s.name) : s.name) ?? '';
  if (kind === 'ConfigMap' && name === ROOT_CA) return undefined;
  const obj = state.find(kind, namespace, name) as Stored | undefined;
  if (!obj) return s.optional ? undefined : `${kind.toLowerCase()} "${name}" not found`;
  const keys = new Set([...Object.keys(obj.data ?? {}), ...Object.keys(obj.binaryData ?? {})]);
  const missing = (s.items ?? []).find((i) => i.key !== undefined && !keys.has(i.key));
  if (!missing || s.optional) return undefined;
  return kind === 'ConfigMap'
    ? `configmap references non-existent config key: ${missing.key}`
    : `references non-existent secret key: ${missing.key}`;
}

/** Every volume of the pod the kubelet cannot set up now. */
export function volumeFailures(state: SimState, pod: Pod): VolumeFailure[] {
  const ns = pod.metadata.namespace ?? 'default';
  const out: VolumeFailure[] = [];
  for (const raw of pod.spec.volumes ?? []) {
    const v = record(raw);
    const volume = typeof v?.['name'] === 'string' ? v['name'] : undefined;
    if (!v || !volume) continue;
    const errors: string[] = [];
    const add = (kind: 'ConfigMap' | 'Secret', s: unknown) => {
      const e = record(s) ? sourceError(state, ns, kind, s as Source) : undefined;
      if (e) errors.push(e);
    };
    add('ConfigMap', v['configMap']);
    add('Secret', v['secret']);
    const sources = record(v['projected'])?.['sources'];
    for (const src of Array.isArray(sources) ? sources : []) {
      add('ConfigMap', record(src)?.['configMap']);
      add('Secret', record(src)?.['secret']);
    }
    // A projected volume collects its sources' errors as an aggregate: one as it is, several in brackets.
    if (errors.length)
      out.push({
        reason: 'FailedMount',
        message: `MountVolume.SetUp failed for volume "${volume}" : ${errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`}`,
      });
    const claim = record(v['persistentVolumeClaim'])?.['claimName'];
    const multi = typeof claim === 'string' ? multiAttach(state, pod, claim) : undefined;
    if (multi) out.push(multi);
  }
  return out;
}

const claimOf = (state: SimState, ns: string | undefined, name: string) =>
  state.find('PersistentVolumeClaim', ns, name) as PersistentVolumeClaim | undefined;

/** reportMultiAttachError: the volume may be on one node only and running pods on another node use it. */
function multiAttach(state: SimState, pod: Pod, claimName: string): VolumeFailure | undefined {
  const pvName = claimOf(state, pod.metadata.namespace, claimName)?.spec.volumeName;
  const pv = pvName ? (state.find('PersistentVolume', undefined, pvName) as PersistentVolume | undefined) : undefined;
  if (!pv || !ATTACHABLE.some((k) => k in pv.spec)) return undefined;
  const modes = pv.spec.accessModes ?? [];
  if (modes.includes('ReadWriteMany') || modes.includes('ReadOnlyMany')) return undefined;
  const holders = state.objectsOf<Pod>('Pod').filter(
    (p) =>
      p.metadata.uid !== pod.metadata.uid &&
      p.status?.phase === 'Running' &&
      !!p.spec.nodeName &&
      p.spec.nodeName !== pod.spec.nodeName &&
      (p.spec.volumes ?? []).some((v) => {
        const c = v.persistentVolumeClaim?.claimName;
        return !!c && claimOf(state, p.metadata.namespace, c)?.spec.volumeName === pvName;
      }),
  );
  if (holders.length === 0) return undefined;
  const local = holders.filter((p) => p.metadata.namespace === pod.metadata.namespace).map((p) => p.metadata.name);
  const others = holders.length - local.length;
  const used = local.length
    ? `Volume is already used by pod(s) ${local.join(', ')}${others ? ` and ${others} pod(s) in different namespaces` : ''}`
    : `Volume is already used by ${others} pod(s) in different namespaces`;
  return { reason: 'FailedAttachVolume', message: `Multi-Attach error for volume "${pvName}" ${used}` };
}

function condition(type: string, status: boolean, now: string, reason?: string, message?: string): PodCondition {
  const c: PodCondition = { type, status: status ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: now };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

/** The pod as a kubelet leaves it while its volumes cannot be set up, with one FailedMount event per volume. */
export function holdForVolumes(
  state: SimState,
  pod: Pod,
  node: string,
  now: string,
  failures: readonly VolumeFailure[],
): void {
  for (const f of failures)
    recordEvent(state, pod, {
      type: 'Warning',
      reason: f.reason,
      message: f.message,
      ...(f.reason === 'FailedMount' ? { component: 'kubelet', host: node } : { component: 'attachdetach-controller' }),
    });
  const inits = pod.spec.initContainers ?? [];
  const waiting = (c: { name: string; image?: string }, reason: string) => ({
    name: c.name,
    image: c.image ?? '',
    imageID: '',
    ready: false,
    restartCount: 0,
    started: false,
    state: { waiting: { reason } },
    lastState: {},
  });
  const names = pod.spec.containers.map((c) => c.name).join(' ');
  const hostIP =
    (
      state.find('Node', undefined, node) as
        (Node & { status?: { addresses?: { type: string; address: string }[] } }) | undefined
    )?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '192.168.49.2';
  const status = {
    phase: 'Pending',
    conditions: [
      condition('PodReadyToStartContainers', false, now),
      inits.length
        ? condition(
            'Initialized',
            false,
            now,
            'ContainersNotInitialized',
            `containers with incomplete status: [${inits.map((c) => c.name).join(' ')}]`,
          )
        : condition('Initialized', true, now),
      condition('Ready', false, now, 'ContainersNotReady', `containers with unready status: [${names}]`),
      condition('ContainersReady', false, now, 'ContainersNotReady', `containers with unready status: [${names}]`),
      condition('PodScheduled', true, now),
    ],
    hostIP,
    hostIPs: [{ ip: hostIP }],
    startTime: now,
    ...(inits.length ? { initContainerStatuses: inits.map((c) => waiting(c, 'PodInitializing')) } : {}),
    containerStatuses: pod.spec.containers.map((c) =>
      waiting(c, inits.length ? 'PodInitializing' : 'ContainerCreating'),
    ),
    qosClass: (pod.status as { qosClass?: string } | undefined)?.qosClass ?? 'BestEffort',
  };
  state.update({ ...pod, spec: { ...pod.spec, nodeName: node }, status } as Pod);
}

/** Held on its node: what holdForVolumes left, and nothing has started since. */
function held(pod: Pod): boolean {
  return (
    !!pod.spec.nodeName &&
    pod.status?.phase === 'Pending' &&
    !pod.metadata.deletionTimestamp &&
    (pod.status.containerStatuses ?? []).length > 0 &&
    (pod.status.containerStatuses ?? []).every((s) =>
      ['ContainerCreating', 'PodInitializing'].includes(s.state?.waiting?.reason ?? ''),
    )
  );
}

/**
 * Pods whose volumes can be set up now: a ConfigMap or Secret was written in their namespace,
 * or a pod that held an exclusive volume is gone. The kubelet's next retry starts them.
 */
export function podsReadyToMount(state: SimState, ev: WatchEvent): Pod[] {
  const kind = ev.entry.def.kind;
  const written = (kind === 'ConfigMap' || kind === 'Secret') && ev.type !== 'DELETED';
  const released = kind === 'Pod' && ev.type === 'DELETED';
  if (!written && !released) return [];
  return state
    .objectsOf<Pod>('Pod', written ? ev.entry.obj.metadata.namespace : undefined)
    .filter((p) => held(p) && volumeFailures(state, p).length === 0);
}
