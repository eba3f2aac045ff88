// What happens to a pod after it is created: the scheduler binds it (or records why it
// cannot), then the kubelet pulls images and starts containers according to the scenario's
// image rules. The pull rule is the one kcockpit's pull-secret fix is judged by: an image that
// needs registry credentials is pulled only when the pod's imagePullSecrets name an existing
// kubernetes.io/dockerconfigjson Secret holding credentials for that registry.
import { randomBytes } from 'node:crypto';
import type {
  ConfigMapSummary,
  Container,
  ContainerStateTerminated,
  ContainerStatus,
  KubeObject,
  Node,
  PersistentVolumeClaim,
  Pod,
  PodCondition,
  StorageClass,
} from '../model/k8s.js';
import { rfc3339 } from './clock.js';
import { backOffMessage, recordEvent } from './events.js';
import { withLogTimes, type ImageRule } from './scenario.js';
import { SELECTED_NODE } from './controllers/volumes.js';
import { holdForVolumes, podsReadyToMount, volumeFailures } from './kubelet-volumes.js';
import { schedule, waitsForConsumer, type ClusterView } from './scheduler.js';
import { ContainerLifecycle } from './kubelet-containers.js';
import type { Entry, SimState, WatchEvent } from './state.js';
import { pullFailedMessage } from './pull-message.js';

const RATE_LIMIT =
  'toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit';

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** `https://index.docker.io/v1/`, `docker.io`, `registry-1.docker.io` all name Docker Hub. */
function registryHost(server: string): string {
  const host =
    server
      .replace(/^[a-z]+:\/\//i, '')
      .split('/')[0]
      ?.toLowerCase() ?? '';
  return ['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com'].includes(host)
    ? 'docker.io'
    : host;
}

function list<T extends KubeObject>(state: SimState, kind: string, namespace?: string): T[] {
  const d = state.registry.forKind(kind);
  return d ? state.list(d, namespace).map((e) => e.obj as T) : [];
}

/** Registries a dockerconfigjson Secret holds credentials for (never the credentials). */
function secretRegistries(secret: KubeObject & { type?: string; data?: Record<string, string> }): string[] {
  if (secret.type !== 'kubernetes.io/dockerconfigjson') return [];
  try {
    const config = JSON.parse(Buffer.from(secret.data?.['.dockerconfigjson'] ?? '', 'base64').toString('utf8')) as {
      auths?: Record<string, unknown>;
    };
    return Object.keys(config.auths ?? {}).map(registryHost);
  } catch {
    return [];
  }
}

function hasPullCredentials(state: SimState, pod: Pod, registry: string): boolean {
  const secretDef = state.registry.forKind('Secret');
  if (!secretDef) return false;
  return (pod.spec.imagePullSecrets ?? []).some((ref) => {
    const s = state.get(secretDef, pod.metadata.namespace, ref.name)?.obj;
    return s ? secretRegistries(s).includes(registryHost(registry)) : false;
  });
}

/** A ConfigMap or Secret the container's env needs but that does not exist. */
function missingConfig(state: SimState, pod: Pod, c: Container): string | undefined {
  const exists = (kind: string, name: string) =>
    list<ConfigMapSummary>(state, kind, pod.metadata.namespace).some((o) => o.metadata.name === name);
  for (const e of c.env ?? []) {
    const cm = e.valueFrom?.configMapKeyRef;
    if (cm && !cm.optional && !exists('ConfigMap', cm.name)) return `configmap "${cm.name}" not found`;
    const sec = e.valueFrom?.secretKeyRef;
    if (sec && !sec.optional && !exists('Secret', sec.name)) return `secret "${sec.name}" not found`;
  }
  for (const from of c.envFrom ?? []) {
    if (from.configMapRef && !from.configMapRef.optional && !exists('ConfigMap', from.configMapRef.name))
      return `configmap "${from.configMapRef.name}" not found`;
    if (from.secretRef && !from.secretRef.optional && !exists('Secret', from.secretRef.name))
      return `secret "${from.secretRef.name}" not found`;
  }
  return undefined;
}

function condition(type: string, status: boolean, now: string, reason?: string, message?: string): PodCondition {
  const c: PodCondition = { type, status: status ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: now };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

/** containerID is on the wire but not in the shared model (nothing else reads it). */
type WireContainerStatus = ContainerStatus & { containerID?: string };
/** `exited`: the container ran to its end and is not restarted (restartPolicy Never, or OnFailure after success). */
type Outcome = { status: WireContainerStatus; started: boolean; exited?: number };

export class Kubelet {
  /** Pods this scheduler found no room for; retried when the cluster changes. */
  private readonly waiting = new Set<string>();
  private podIp = 10;
  private readonly containers: ContainerLifecycle;

  constructor(
    private readonly state: SimState,
    private readonly images: readonly ImageRule[],
    evictionSignals: Record<string, Record<string, string>> = {},
  ) {
    this.containers = new ContainerLifecycle(state, images, evictionSignals);
  }

  /** React to a committed change (called by the controller loop, outside the write). */
  handle(ev: WatchEvent): void {
    const kind = ev.entry.def.kind;
    if (kind === 'Pod' && ev.type === 'ADDED') {
      // Work on the pod as it is now: it may have changed since the event was queued.
      const current = this.state.get(ev.entry.def, ev.entry.obj.metadata.namespace, ev.entry.obj.metadata.name);
      const pod = current?.obj as Pod | undefined;
      // A pod created with spec.nodeName set skips the scheduler, as on a real cluster.
      if (current && pod && this.isFresh(pod)) {
        if (pod.spec.nodeName) this.start(pod, pod.spec.nodeName, rfc3339(this.state.now()));
        else this.place(current);
      }
    }
    if (kind === 'Node' && ev.type !== 'DELETED')
      this.containers.evictUnderPressure(ev.entry.obj as Node, ev.prev?.obj as Node | undefined);
    for (const pod of podsReadyToMount(this.state, ev)) this.start(pod, pod.spec.nodeName!, rfc3339(this.state.now()));
    const freesRoom = (kind === 'Pod' && ev.type === 'DELETED') || kind === 'Node' || kind === 'PersistentVolumeClaim';
    if (freesRoom && this.waiting.size) this.retryWaiting();
  }

  /** Not yet seen by the scheduler or a kubelet. */
  private isFresh(pod: Pod): boolean {
    return !(pod.status?.conditions ?? []).length;
  }

  private view(): ClusterView {
    return {
      nodes: list<Node>(this.state, 'Node'),
      pods: list<Pod>(this.state, 'Pod').filter((p) => p.spec.nodeName),
      pvcs: list<PersistentVolumeClaim>(this.state, 'PersistentVolumeClaim'),
      classes: list<StorageClass>(this.state, 'StorageClass'),
    };
  }

  private retryWaiting(): void {
    const podDef = this.state.registry.forKind('Pod');
    if (!podDef) return;
    for (const key of [...this.waiting]) {
      const [ns, name] = key.split('/') as [string, string];
      const entry = this.state.get(podDef, ns, name);
      this.waiting.delete(key);
      if (entry && !(entry.obj as Pod).spec.nodeName) this.place(entry);
    }
  }

  private place(entry: Entry): void {
    const pod = entry.obj as Pod;
    const now = rfc3339(this.state.now());
    const result = schedule(pod, this.view());
    if ('unschedulable' in result) {
      this.waiting.add(`${pod.metadata.namespace}/${pod.metadata.name}`);
      const already = pod.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message === result.unschedulable;
      if (!already) {
        const status = {
          ...(pod.status ?? {}),
          phase: 'Pending',
          conditions: [condition('PodScheduled', false, now, 'Unschedulable', result.unschedulable)],
        };
        this.state.update({ ...pod, status } as Pod);
      }
      recordEvent(this.state, pod, {
        type: 'Warning',
        reason: 'FailedScheduling',
        message: result.unschedulable,
        component: 'default-scheduler',
        action: 'Scheduling',
      });
      return;
    }
    this.selectNodeForClaims(pod, result.node);
    const bound = { ...pod, spec: { ...pod.spec, nodeName: result.node } } as Pod;
    recordEvent(this.state, pod, {
      type: 'Normal',
      reason: 'Scheduled',
      message: `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${result.node}`,
      component: 'default-scheduler',
      action: 'Binding',
      host: result.node,
    });
    this.start(bound, result.node, now);
  }

  /** The scheduler's volume binding: WaitForFirstConsumer claims learn the node their pod goes to. */
  private selectNodeForClaims(pod: Pod, node: string): void {
    const view = this.view();
    for (const v of pod.spec.volumes ?? []) {
      const pvc = view.pvcs.find(
        (p) =>
          p.metadata.namespace === pod.metadata.namespace && p.metadata.name === v.persistentVolumeClaim?.claimName,
      );
      if (
        !pvc ||
        pvc.spec.volumeName ||
        !waitsForConsumer(pvc, view.classes) ||
        pvc.metadata.annotations?.[SELECTED_NODE]
      )
        continue;
      const annotations = { ...(pvc.metadata.annotations ?? {}), [SELECTED_NODE]: node };
      this.state.update({ ...pvc, metadata: { ...pvc.metadata, annotations, resourceVersion: '' } });
    }
  }

  private start(pod: Pod, node: string, now: string): void {
    // Volumes are mounted before any init container runs.
    const unmountable = volumeFailures(this.state, pod);
    if (unmountable.length) return holdForVolumes(this.state, pod, node, now, unmountable);
    const init = this.containers.runInit(pod, node, now);
    if (init.blocked) return;
    const outcomes = pod.spec.containers.map((c) => this.runContainer(pod, c, node, now));
    const ready = outcomes.every((o) => o.status.ready);
    const notReady = outcomes.filter((o) => !o.status.ready).map((o) => o.status.name);
    const anyStarted = outcomes.some((o) => o.started);
    // Every container ran to its end: the pod is over (Failed when any exited non-zero).
    const ended = outcomes.every((o) => o.exited !== undefined);
    const failed = ended && outcomes.some((o) => o.exited !== 0);
    const phase = ended ? (failed ? 'Failed' : 'Succeeded') : anyStarted ? 'Running' : 'Pending';
    const endReason = failed ? 'PodFailed' : 'PodCompleted';
    const why = ended
      ? undefined
      : notReady.length
        ? `containers with unready status: [${notReady.join(' ')}]`
        : undefined;
    const notReadyReason = ended ? endReason : 'ContainersNotReady';
    const nodeIp = list<Node>(this.state, 'Node').find((n) => n.metadata.name === node)?.status as
      { addresses?: { type: string; address: string }[] } | undefined;
    const hostIP = nodeIp?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '192.168.49.2';
    this.podIp++;
    const podIP = `10.244.${Math.floor(this.podIp / 250)}.${(this.podIp % 250) + 2}`;
    const status = {
      phase,
      conditions: [
        condition('PodReadyToStartContainers', !ended, now),
        condition('Initialized', true, now),
        condition('Ready', ready, now, ready ? undefined : notReadyReason, why),
        condition('ContainersReady', ready, now, ready ? undefined : notReadyReason, why),
        condition('PodScheduled', true, now),
      ],
      hostIP,
      hostIPs: [{ ip: hostIP }],
      podIP,
      podIPs: [{ ip: podIP }],
      startTime: now,
      ...(init.statuses.length ? { initContainerStatuses: init.statuses } : {}),
      containerStatuses: outcomes.map((o) => o.status),
      qosClass: (pod.status as { qosClass?: string } | undefined)?.qosClass ?? 'BestEffort',
    };
    this.state.update({ ...pod, status } as Pod);
    this.containers.afterStart(pod.metadata.namespace, pod.metadata.name);
  }

  private runContainer(pod: Pod, c: Container, node: string, now: string): Outcome {
    const image = c.image ?? '';
    const rule = this.images.find((r) => r.image === image);
    const fieldPath = `spec.containers{${c.name}}`;
    const event = (type: 'Normal' | 'Warning', reason: string, message: string) =>
      recordEvent(this.state, pod, { type, reason, message, component: 'kubelet', host: node, fieldPath });
    const base: WireContainerStatus = {
      name: c.name,
      image,
      imageID: '',
      ready: false,
      restartCount: 0,
      started: false,
    };

    const pullError =
      rule?.pullError ??
      (rule?.pullRequires && !hasPullCredentials(this.state, pod, rule.pullRequires) ? RATE_LIMIT : undefined);
    if (pullError) {
      event('Normal', 'Pulling', `Pulling image "${image}"`);
      event('Warning', 'Failed', pullFailedMessage(image, pullError));
      event('Warning', 'Failed', 'Error: ErrImagePull');
      event('Normal', 'BackOff', `Back-off pulling image "${image}"`);
      event('Warning', 'Failed', 'Error: ImagePullBackOff');
      return {
        started: false,
        status: {
          ...base,
          state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } },
          lastState: {},
        },
      };
    }

    const imageID = `docker-pullable://${image.split(':')[0]}@sha256:${hex(32)}`;
    if (rule?.pullRequires)
      event('Normal', 'Pulled', `Successfully pulled image "${image}" in 2.1s (2.1s including waiting)`);
    else event('Normal', 'Pulled', `Container image "${image}" already present on machine`);

    const missing = missingConfig(this.state, pod, c);
    if (missing) {
      event('Warning', 'Failed', `Error: ${missing}`);
      return {
        started: false,
        status: {
          ...base,
          imageID,
          state: { waiting: { reason: 'CreateContainerConfigError', message: missing } },
          lastState: {},
        },
      };
    }

    const containerID = `docker://${hex(32)}`;
    event('Normal', 'Created', `Created container ${c.name}`);
    event('Normal', 'Started', `Started container ${c.name}`);
    const ns = pod.metadata.namespace ?? 'default';
    const restartPolicy = pod.spec.restartPolicy ?? 'Always';
    const exit = (exitCode: number, reason: string): Outcome => ({
      started: true,
      exited: exitCode,
      status: {
        ...base,
        imageID,
        containerID,
        state: {
          terminated: { exitCode, reason, startedAt: now, finishedAt: now, containerID } as ContainerStateTerminated,
        },
        lastState: {},
      },
    });
    if (rule?.crash && restartPolicy === 'Never') {
      for (const line of rule.crash.logs ?? [])
        this.state.logs.append(ns, pod.metadata.name, c.name, withLogTimes(line, this.state.now()), this.state.now());
      return exit(rule.crash.exitCode, rule.crash.reason ?? 'Error');
    }
    if (!rule?.crash && restartPolicy !== 'Always') return exit(0, 'Completed');
    if (rule?.crash) {
      for (const line of rule.crash.logs ?? [])
        this.state.logs.append(ns, pod.metadata.name, c.name, withLogTimes(line, this.state.now()), this.state.now());
      this.state.logs.restart(ns, pod.metadata.name, c.name);
      const message = `back-off 10s restarting failed container=${c.name} pod=${pod.metadata.name}_${ns}(${pod.metadata.uid})`;
      event('Warning', 'BackOff', backOffMessage(c.name, pod));
      return {
        started: true,
        status: {
          ...base,
          imageID,
          containerID,
          restartCount: 1,
          state: { waiting: { reason: 'CrashLoopBackOff', message } },
          lastState: {
            terminated: {
              exitCode: rule.crash.exitCode,
              reason: rule.crash.reason ?? 'Error',
              startedAt: now,
              finishedAt: now,
              containerID,
            } as ContainerStateTerminated,
          },
        },
      };
    }
    if (rule?.notReady) event('Warning', 'Unhealthy', rule.notReady);
    return {
      started: true,
      status: {
        ...base,
        imageID,
        containerID,
        ready: !rule?.notReady,
        started: true,
        state: { running: { startedAt: now } },
        lastState: {},
      },
    };
  }
}
