// GET /api/v1/namespaces/{ns}/pods/{pod}/log: the API server's checks (which container) and
// the kubelet's (is there a log to show for that container state), with their real 400
// messages, then the lines with tailLines/limitBytes/timestamps/sinceSeconds, and `follow`
// kept open while the container runs.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ContainerStatus, Pod } from '../model/k8s.js';
import type { LogLine } from './logs-store.js';
import type { ResourceDef } from './resources.js';
import type { SimState } from './state.js';
import { badRequest, notFound } from './status.js';

export interface LogQuery {
  container?: string | null;
  previous: boolean;
  follow: boolean;
  timestamps: boolean;
  tailLines?: number;
  limitBytes?: number;
  sinceSeconds?: number;
  sinceTime?: string | null;
}

/** Which container: the only one, or the one named; the API server's own 400s otherwise. */
function containerName(pod: Pod, wanted: string | null | undefined): string {
  const names = (pod.spec.containers ?? []).map((c) => c.name);
  const initNames = (pod.spec.initContainers ?? []).map((c) => c.name);
  const name = pod.metadata.name;
  if (!wanted) {
    if (names.length === 1) return names[0] as string;
    if (names.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
    let msg = `a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`;
    if (initNames.length) msg += ` or one of the init containers: [${initNames.join(' ')}]`;
    throw badRequest(msg);
  }
  if (!names.includes(wanted) && !initNames.includes(wanted))
    throw badRequest(`container ${wanted} is not valid for pod ${name}`);
  return wanted;
}

type Source = 'current' | 'previous';

/** The kubelet's validateContainerLogStatus: which log exists for the container's state. */
function logSource(pod: Pod, container: string, previous: boolean): Source {
  const statuses = [
    ...(pod.status?.containerStatuses ?? []),
    ...(pod.status?.initContainerStatuses ?? []),
  ] as (ContainerStatus & { containerID?: string })[];
  const s = statuses.find((c) => c.name === container);
  const podName = pod.metadata.name;
  const lastTerminated = s?.lastState?.terminated;
  if (previous) {
    if (!lastTerminated) throw badRequest(`previous terminated container "${container}" in pod "${podName}" not found`);
    return 'previous';
  }
  if (!s) throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: ContainerCreating`);
  if (s.state?.running || s.state?.terminated) return 'current';
  if (lastTerminated) return 'previous';
  const reason = s.state?.waiting?.reason;
  if (reason === 'ErrImagePull')
    throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: image can't be pulled`);
  if (reason === 'ImagePullBackOff')
    throw badRequest(
      `container "${container}" in pod "${podName}" is waiting to start: trying and failing to pull image`,
    );
  if (reason) throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: ${reason}`);
  throw badRequest(`container "${container}" in pod "${podName}" is waiting to start - no logs yet`);
}

function select(lines: readonly LogLine[], q: LogQuery, now: number): LogLine[] {
  let out = [...lines];
  const since = q.sinceSeconds ? now - q.sinceSeconds * 1000 : q.sinceTime ? Date.parse(q.sinceTime) : undefined;
  if (since !== undefined && !Number.isNaN(since)) out = out.filter((l) => Date.parse(l.time) >= since);
  if (q.tailLines !== undefined && q.tailLines >= 0) out = q.tailLines === 0 ? [] : out.slice(-q.tailLines);
  return out;
}

const NEWLINE = Buffer.from('\n');
const render = (l: LogLine, timestamps: boolean): Buffer =>
  Buffer.concat([Buffer.from(timestamps ? `${l.time} ` : ''), Buffer.from(l.text), NEWLINE]);

export function serveLogs(
  req: IncomingMessage,
  res: ServerResponse,
  state: SimState,
  podDef: ResourceDef,
  namespace: string,
  name: string,
  q: LogQuery,
  register: (end: () => void) => () => void,
): void {
  const pod = state.get(podDef, namespace, name)?.obj as Pod | undefined;
  if (!pod) throw notFound(podDef, name);
  const container = containerName(pod, q.container);
  // A pod no node has taken has no log at all: the real server answers 200 with an empty body.
  const source = pod.spec.nodeName ? logSource(pod, container, q.previous) : undefined;
  res.writeHead(200, {
    'Content-Type': 'text/plain',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();
  let budget = q.limitBytes && q.limitBytes > 0 ? q.limitBytes : Infinity;
  let ended = false;
  const write = (bytes: Buffer): void => {
    if (ended || res.destroyed) return;
    if (bytes.length >= budget) {
      res.write(bytes.subarray(0, budget));
      budget = 0;
      end();
      return;
    }
    budget -= bytes.length;
    res.write(bytes);
  };
  let unfollow = () => {};
  let unregister = () => {};
  const end = () => {
    if (ended) return;
    ended = true;
    unfollow();
    unregister();
    if (!res.destroyed) res.end();
  };
  if (!source) return end();
  for (const line of select(state.logs.lines(namespace, name, container, source === 'previous'), q, state.now()))
    write(render(line, q.timestamps));
  const running = (pod.status?.containerStatuses ?? []).some((c) => c.name === container && c.state?.running);
  if (!q.follow || source === 'previous' || !running || ended) return end();
  unfollow = state.logs.follow(namespace, name, container, (line) =>
    line ? write(render(line, q.timestamps)) : end(),
  );
  unregister = register(end);
  req.on('close', end);
  res.on('close', end);
}
