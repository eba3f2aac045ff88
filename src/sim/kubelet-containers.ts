// What the simulated kubelet does with containers beyond starting them: init containers run
// first, one after another, and hold the app back when one fails or never ends; probes are
// run against what the app serves (a probe on a port the container does not declare is
// refused, a path the image does not serve answers 404, an app that starts slower than its
// liveness probe allows is killed); pods over their own ephemeral-storage limit are evicted,
// and so are the BestEffort pods of a node that comes under memory or disk pressure (the
// eviction manager's first victims), with its message
// `The node was low on resource: memory. Threshold quantity: 100Mi, available: 60Mi. ` — the
// threshold is the kubelet's default hard one, the available what the scenario says the node
// observes (`evictionSignals`). Statuses, events and their words are the kubelet's
// (pkg/kubelet/prober, pkg/kubelet/kuberuntime, pkg/kubelet/eviction).
import { createHash } from 'node:crypto';
import type {
  Container,
  ContainerStateTerminated,
  ContainerStatus,
  Node,
  Pod,
  PodCondition,
  Probe,
} from '../model/k8s.js';
import { rfc3339 } from './clock.js';
import { backOffMessage, recordEvent } from './events.js';
import { parseQuantity } from './quantity.js';
import { withLogTimes, type ImageRule } from './scenario.js';
import type { SimState } from './state.js';

type Status = ContainerStatus & { containerID?: string };

/** A started init container's retries so far, as a real kubelet reaches them within the step. */
const INIT_RESTARTS = 5;
/** Liveness kills before the back-off the snapshot shows. */
const PROBE_KILLS = 4;

const PROBE_DEFAULTS = { initialDelaySeconds: 0, periodSeconds: 10, failureThreshold: 3 };

function condition(type: string, status: boolean, now: string, reason?: string, message?: string): PodCondition {
  const c: PodCondition = { type, status: status ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: now };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

const hex = (seed: string): string => createHash('sha256').update(seed).digest('hex');

/** A byte count the way resource.Quantity prints a BinarySI value: the largest exact suffix, else plain. */
function binarySI(bytes: number): string {
  for (const [suffix, size] of [
    ['Ti', 2 ** 40],
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ] as const)
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${suffix}`;
  return String(bytes);
}

/** The node conditions the eviction manager reclaims for, with the kubelet's default hard thresholds. */
const PRESSURE: {
  condition: string;
  resource: string;
  signal: string;
  threshold: (node: Node) => string | undefined;
}[] = [
  { condition: 'MemoryPressure', resource: 'memory', signal: 'memory.available', threshold: () => '100Mi' },
  {
    condition: 'DiskPressure',
    resource: 'ephemeral-storage',
    signal: 'nodefs.available',
    // nodefs.available<10%: a share of the filesystem's capacity, printed in bytes.
    threshold: (node) => {
      const capacity = parseQuantity(node.status?.capacity?.['ephemeral-storage']);
      return capacity ? binarySI(Math.floor(capacity / 10)) : undefined;
    },
  },
];

const under = (node: Node | undefined, type: string): boolean =>
  !!node?.status?.conditions?.some((c) => c.type === type && c.status === 'True');

/** The same address for the same pod: the kubelet here does not keep an IP pool of its own. */
function addressesOf(state: SimState, pod: Pod, node: string): { hostIP: string; podIP: string } {
  const n = state.objectsOf<Node>('Node').find((x) => x.metadata.name === node);
  const hostIP =
    (n?.status as { addresses?: { type: string; address: string }[] } | undefined)?.addresses?.find(
      (a) => a.type === 'InternalIP',
    )?.address ?? '192.168.49.2';
  const h = parseInt(hex(`${pod.metadata.namespace}/${pod.metadata.name}`).slice(0, 4), 16);
  return { hostIP, podIP: `10.244.${(h >> 8) % 250}.${(h % 250) + 2}` };
}

function probePort(probe: Probe, c: Container): number | undefined {
  const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
  if (typeof port === 'number') return port;
  const named = (c.ports ?? []).find((p) => p.name === port)?.containerPort;
  return named ?? (port !== undefined && /^\d+$/.test(String(port)) ? Number(port) : undefined);
}

/** Why the probe fails against this container and image, in the prober's words; undefined when it passes. */
function probeFailure(
  probe: Probe,
  c: Container,
  rule: ImageRule | undefined,
  podIP: string,
  slowStart: boolean,
): string | undefined {
  if (probe.exec) return undefined;
  const port = probePort(probe, c);
  if (port === undefined) return undefined;
  // The app listens on the ports its container declares (when it declares any), once started.
  const declared = (c.ports ?? []).map((p) => p.containerPort);
  const listening = !slowStart && (declared.length === 0 || declared.includes(port));
  const path = probe.httpGet?.path ?? '/';
  if (!listening)
    return probe.httpGet
      ? `Get "http://${podIP}:${port}${path}": dial tcp ${podIP}:${port}: connect: connection refused`
      : `dial tcp ${podIP}:${port}: connect: connection refused`;
  if (probe.httpGet && rule?.serves && !rule.serves.includes(path)) return 'HTTP probe failed with statuscode: 404';
  return undefined;
}

/** Seconds a liveness probe gives a fresh container before it kills it. */
function allowance(probe: Probe): number {
  const t = { ...PROBE_DEFAULTS, ...probe };
  return t.initialDelaySeconds + t.failureThreshold * t.periodSeconds;
}

export interface InitResult {
  /** The init containers' statuses, for the pod's status when the app containers start. */
  statuses: Status[];
  /** An init container failed or runs on: the pod's status has been written; the app does not start. */
  blocked: boolean;
}

export class ContainerLifecycle {
  /** Pods evicted so far per image (scenario `evict.times`). */
  private readonly evictions = new Map<string, number>();

  constructor(
    private readonly state: SimState,
    private readonly images: readonly ImageRule[],
    private readonly evictionSignals: Record<string, Record<string, string>> = {},
  ) {}

  /** A node that has just come under memory or disk pressure: its BestEffort pods are evicted. */
  evictUnderPressure(node: Node, before: Node | undefined): void {
    const pressure = PRESSURE.find((p) => under(node, p.condition) && !under(before, p.condition));
    if (!pressure) return;
    const name = node.metadata.name;
    const threshold = pressure.threshold(node);
    const available = this.evictionSignals[name]?.[pressure.signal];
    const message =
      `The node was low on resource: ${pressure.resource}. ` +
      (threshold && available ? `Threshold quantity: ${threshold}, available: ${available}. ` : '');
    const victims = this.state
      .objectsOf<Pod>('Pod')
      .filter(
        (p) =>
          p.spec.nodeName === name &&
          (p.status?.phase === 'Running' || p.status?.phase === 'Pending') &&
          (p.status as { qosClass?: string } | undefined)?.qosClass === 'BestEffort',
      );
    for (const pod of victims) this.writeEviction(pod, name, message);
  }

  private rule(image: string | undefined): ImageRule | undefined {
    return this.images.find((r) => r.image === image);
  }

  private event(
    pod: Pod,
    node: string,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    fieldPath?: string,
  ) {
    recordEvent(this.state, pod, {
      type,
      reason,
      message,
      component: 'kubelet',
      host: node,
      ...(fieldPath ? { fieldPath } : {}),
    });
  }

  /** Run the init containers in order; when one does not complete, write the pod's status and say so. */
  runInit(pod: Pod, node: string, now: string): InitResult {
    const inits = pod.spec.initContainers ?? [];
    const statuses: Status[] = [];
    const ns = pod.metadata.namespace ?? 'default';
    let stopped: { name: string; failed: boolean } | undefined;
    for (const c of inits) {
      const image = c.image ?? '';
      const base: Status = {
        name: c.name,
        image,
        imageID: `${image.split(':')[0]}@sha256:${hex(image)}`,
        ready: false,
        restartCount: 0,
        started: false,
      };
      if (stopped) {
        statuses.push({ ...base, imageID: '', state: { waiting: { reason: 'PodInitializing' } }, lastState: {} });
        continue;
      }
      const rule = this.rule(image);
      const fieldPath = `spec.initContainers{${c.name}}`;
      const containerID = `containerd://${hex(`${pod.metadata.uid}/${c.name}`)}`;
      this.event(pod, node, 'Normal', 'Pulled', `Container image "${image}" already present on machine`, fieldPath);
      this.event(pod, node, 'Normal', 'Created', `Created container ${c.name}`, fieldPath);
      this.event(pod, node, 'Normal', 'Started', `Started container ${c.name}`, fieldPath);
      if (rule?.crash) {
        for (const line of rule.crash.logs ?? [])
          this.state.logs.append(ns, pod.metadata.name, c.name, withLogTimes(line, this.state.now()), this.state.now());
        const terminated = {
          exitCode: rule.crash.exitCode,
          reason: rule.crash.reason ?? 'Error',
          startedAt: now,
          finishedAt: now,
          containerID,
        } as ContainerStateTerminated;
        if (pod.spec.restartPolicy === 'Never') {
          statuses.push({ ...base, containerID, state: { terminated }, lastState: {} });
        } else {
          this.state.logs.restart(ns, pod.metadata.name, c.name);
          this.event(pod, node, 'Warning', 'BackOff', backOffMessage(c.name, pod), fieldPath);
          statuses.push({
            ...base,
            containerID,
            restartCount: INIT_RESTARTS,
            state: {
              waiting: {
                reason: 'CrashLoopBackOff',
                message: `back-off 2m40s restarting failed container=${c.name} pod=${pod.metadata.name}_${ns}(${pod.metadata.uid})`,
              },
            },
            lastState: { terminated },
          });
        }
        stopped = { name: c.name, failed: true };
        continue;
      }
      if (rule?.hangs) {
        statuses.push({ ...base, containerID, started: true, state: { running: { startedAt: now } }, lastState: {} });
        stopped = { name: c.name, failed: false };
        continue;
      }
      statuses.push({
        ...base,
        containerID,
        ready: true,
        state: {
          terminated: {
            exitCode: 0,
            reason: 'Completed',
            startedAt: now,
            finishedAt: now,
            containerID,
          } as ContainerStateTerminated,
        },
        lastState: {},
      });
    }
    if (!stopped) return { statuses, blocked: false };
    const failedForGood = stopped.failed && pod.spec.restartPolicy === 'Never';
    const apps = pod.spec.containers.map((c) => c.name);
    const unready = `containers with unready status: [${apps.join(' ')}]`;
    const readyReason = failedForGood ? 'PodFailed' : 'ContainersNotReady';
    const status = {
      phase: failedForGood ? 'Failed' : 'Pending',
      conditions: [
        condition('PodReadyToStartContainers', true, now),
        condition(
          'Initialized',
          false,
          now,
          'ContainersNotInitialized',
          `containers with incomplete status: [${stopped.name}]`,
        ),
        condition('Ready', false, now, readyReason, failedForGood ? undefined : unready),
        condition('ContainersReady', false, now, readyReason, failedForGood ? undefined : unready),
        condition('PodScheduled', true, now),
      ],
      ...addressesOf(this.state, pod, node),
      startTime: now,
      initContainerStatuses: statuses,
      containerStatuses: pod.spec.containers.map((c) => ({
        name: c.name,
        image: c.image ?? '',
        imageID: '',
        ready: false,
        restartCount: 0,
        started: false,
        state: { waiting: { reason: 'PodInitializing' } },
        lastState: {},
      })),
      qosClass: (pod.status as { qosClass?: string } | undefined)?.qosClass ?? 'BestEffort',
    };
    const { hostIP } = status;
    this.state.update({
      ...pod,
      spec: { ...pod.spec, nodeName: node },
      status: { ...status, hostIPs: [{ ip: hostIP }], podIPs: [{ ip: status.podIP }] },
    } as Pod);
    return { statuses, blocked: true };
  }

  /** After the app containers started: probes run, and a pod over its own storage limit is evicted. */
  afterStart(namespace: string | undefined, name: string): void {
    const def = this.state.registry.forKind('Pod');
    const pod = def ? (this.state.get(def, namespace, name)?.obj as Pod | undefined) : undefined;
    const node = pod?.spec.nodeName;
    if (!pod || !node || pod.status?.phase !== 'Running') return;
    if (this.evict(pod, node)) return;
    this.probe(pod, node);
  }

  private probe(pod: Pod, node: string): void {
    const now = rfc3339(this.state.now());
    const ns = pod.metadata.namespace ?? 'default';
    const podIP = pod.status?.podIP ?? '10.244.0.2';
    let changed = false;
    const statuses = (pod.status?.containerStatuses ?? []).map((st) => {
      const c = pod.spec.containers.find((x) => x.name === st.name);
      if (!c || !st.state?.running) return st;
      const rule = this.rule(c.image);
      const fieldPath = `spec.containers{${c.name}}`;
      const live = c.livenessProbe;
      const slow = (rule?.startSeconds ?? 0) > (live ? allowance(live) : Infinity);
      const liveFailure = live ? probeFailure(live, c, rule, podIP, slow) : undefined;
      if (live && liveFailure) {
        const t = { ...PROBE_DEFAULTS, ...live };
        for (let kill = 0; kill < PROBE_KILLS; kill++) {
          for (let i = 0; i < t.failureThreshold; i++)
            this.event(pod, node, 'Warning', 'Unhealthy', `Liveness probe failed: ${liveFailure}`, fieldPath);
          this.event(
            pod,
            node,
            'Normal',
            'Killing',
            `Container ${c.name} failed liveness probe, will be restarted`,
            fieldPath,
          );
        }
        this.event(pod, node, 'Warning', 'BackOff', backOffMessage(c.name, pod), fieldPath);
        changed = true;
        const started = rfc3339(this.state.now() - allowance(live) * 1000);
        return {
          ...st,
          ready: false,
          started: false,
          restartCount: PROBE_KILLS,
          state: {
            waiting: {
              reason: 'CrashLoopBackOff',
              message: `back-off 40s restarting failed container=${c.name} pod=${pod.metadata.name}_${ns}(${pod.metadata.uid})`,
            },
          },
          lastState: {
            terminated: {
              exitCode: 137,
              reason: 'Error',
              startedAt: started,
              finishedAt: now,
              containerID: (st as Status).containerID,
            } as ContainerStateTerminated,
          },
        } as Status;
      }
      const ready = c.readinessProbe ? probeFailure(c.readinessProbe, c, rule, podIP, false) : undefined;
      if (ready) {
        this.event(pod, node, 'Warning', 'Unhealthy', `Readiness probe failed: ${ready}`, fieldPath);
        changed = true;
        return { ...st, ready: false };
      }
      return st;
    });
    if (!changed) return;
    const unready = statuses.filter((s) => !s.ready).map((s) => s.name);
    const why = unready.length ? `containers with unready status: [${unready.join(' ')}]` : undefined;
    const conditions = (pod.status?.conditions ?? []).map((cond) =>
      (cond.type === 'Ready' || cond.type === 'ContainersReady') && why
        ? condition(cond.type, false, now, 'ContainersNotReady', why)
        : cond,
    );
    this.state.update({ ...pod, status: { ...pod.status, conditions, containerStatuses: statuses } } as Pod);
  }

  /** The eviction manager, for a container over its ephemeral-storage limit (scenario `evict`). */
  private evict(pod: Pod, node: string): boolean {
    const c = pod.spec.containers.find((x) => this.rule(x.image)?.evict);
    const rule = c ? this.rule(c.image) : undefined;
    if (!c || !rule?.evict) return false;
    const done = this.evictions.get(rule.image) ?? 0;
    if (done >= rule.evict.times) return false;
    this.evictions.set(rule.image, done + 1);
    const limit = c.resources?.limits?.['ephemeral-storage'];
    const message =
      rule.evict.message ??
      (limit
        ? `Container ${c.name} exceeded its local ephemeral storage limit "${limit}". `
        : 'The node was low on resource: ephemeral-storage. ');
    this.writeEviction(pod, node, message);
    return true;
  }

  /** The pod's end as the eviction manager writes it: Failed/Evicted, a DisruptionTarget, containers gone. */
  private writeEviction(pod: Pod, node: string, message: string): void {
    const now = rfc3339(this.state.now());
    this.event(pod, node, 'Warning', 'Evicted', message.trim());
    for (const x of pod.spec.containers)
      this.event(pod, node, 'Normal', 'Killing', `Stopping container ${x.name}`, `spec.containers{${x.name}}`);
    const status = {
      ...pod.status,
      phase: 'Failed',
      reason: 'Evicted',
      message,
      conditions: [
        condition('DisruptionTarget', true, now, 'TerminationByKubelet', message),
        ...(pod.status?.conditions ?? [])
          .filter((x) => x.type !== 'DisruptionTarget')
          .map((x) =>
            x.type === 'Ready' || x.type === 'ContainersReady'
              ? condition(x.type, false, now, 'PodFailed')
              : x.type === 'PodReadyToStartContainers'
                ? condition(x.type, false, now)
                : x,
          ),
      ],
      containerStatuses: (pod.status?.containerStatuses ?? []).map((st) => ({
        ...st,
        ready: false,
        started: false,
        state: {
          terminated: {
            exitCode: 137,
            reason: 'ContainerStatusUnknown',
            message: 'The container could not be located when the pod was terminated',
            startedAt: st.state?.running?.startedAt ?? now,
            finishedAt: now,
          },
        },
      })),
    };
    this.state.update({ ...pod, status } as Pod);
  }
}
