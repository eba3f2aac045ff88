// Running port-forwards: for each port a local net.Server, and per accepted connection one
// WebSocket to the pod (client-node 1.4 forwards one port of one pod per call). A Service or
// Deployment forward re-reads its pods every few seconds and sends new connections to
// another running pod when its pod goes away — kubectl's forward just dies; a forward to a
// single pod ends with its pod, as kubectl's does, and says so.
import { createServer, type Server, type Socket } from 'node:net';
import type { ObjectRef } from '../model/ref.js';
import type { Connection } from '../kube/client.js';
import { KubeError } from '../kube/errors.js';
import type { Pod } from '../model/k8s.js';
import { ForwardError } from './errors.js';
import { choosePod, isReady, serviceTargetPort, unusableReason, type AvailablePort } from './pods.js';
import { checkAddress, DEFAULT_ADDRESS, exposesNetwork, freePort, hostPort } from './ports.js';
import { availablePorts, noPodMessage, readTarget, type TargetPods } from './resolve.js';
import { formatTarget } from './target.js';
import { openTunnel, probeTunnel } from './tunnel.js';
import type { ForwardInfo, ForwardRequest, ForwardState, PortPair } from './types.js';

export interface ForwardLine {
  id: string;
  /**
   * connection: a local connection was accepted (kubectl's "Handling connection for 8080");
   * error: one connection failed; moved: new connections go to another pod; waiting: no pod to
   * send them to for now; recovered: a pod is back; failed: the forward has ended.
   */
  kind: 'connection' | 'error' | 'moved' | 'waiting' | 'recovered' | 'failed';
  text: string;
}

export interface PortForwardManagerOptions {
  /** How often a forward re-reads its target's pods (default 2 s). */
  checkIntervalMs?: number;
}

const DEFAULT_CHECK_MS = 2_000;
/** Byte counters change constantly; listeners hear about them at most this often. */
const COUNTER_NOTIFY_MS = 500;

interface Forward {
  id: string;
  ref: ObjectRef & { namespace: string };
  target: string;
  address: string;
  /** Local ports as bound, REMOTE as asked (a Service port for a Service). */
  requested: PortPair[];
  /** The container ports in the current pod, index by index with `requested`. */
  remotes: number[];
  service: TargetPods['service'];
  pod: Pod;
  state: ForwardState;
  detail: string | undefined;
  connections: number;
  bytesIn: number;
  bytesOut: number;
  servers: Server[];
  sockets: Set<Socket>;
  timer: NodeJS.Timeout | undefined;
  checking: boolean;
}

function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}

function listen(server: Server, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: address, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

async function listenError(e: unknown, address: string, pair: PortPair): Promise<Error> {
  const code = (e as NodeJS.ErrnoException).code;
  const where = hostPort(address, pair.local);
  if (code === 'EADDRINUSE') {
    const free = await freePort(address);
    const offer = free !== undefined ? `; ${free} is free: use ${free}:${pair.remote}` : '; pick another local port';
    return new ForwardError(
      'busy',
      `local port ${pair.local} is already in use on ${address}: another program (or another port-forward) listens there${offer}`,
      {
        localPort: pair.local,
        ...(free !== undefined ? { freePort: free } : {}),
      },
    );
  }
  if (code === 'EACCES') {
    return new ForwardError(
      'listen',
      `not allowed to listen on ${where}: ports below 1024 need administrator rights; use a higher local port, e.g. ${8000 + (pair.local % 1000)}:${pair.remote}`,
    );
  }
  if (code === 'EADDRNOTAVAIL') {
    return new ForwardError(
      'listen',
      `cannot listen on ${address}: that address does not belong to this machine; use 127.0.0.1 (this machine only) or one of its own addresses`,
    );
  }
  return new ForwardError('listen', `cannot listen on ${where}: ${oneLine(e)}`);
}

export class PortForwardManager {
  private readonly forwards = new Map<string, Forward>();
  private readonly listeners = new Set<() => void>();
  private readonly lineListeners = new Set<(line: ForwardLine) => void>();
  private readonly checkMs: number;
  private snapshot: readonly ForwardInfo[] | undefined;
  private counterTimer: NodeJS.Timeout | undefined;
  private nextId = 1;

  constructor(
    private readonly conn: Connection,
    opts: PortForwardManagerOptions = {},
  ) {
    this.checkMs = opts.checkIntervalMs ?? DEFAULT_CHECK_MS;
  }

  /** False for loopback addresses only: callers warn (and ask) before binding anything else. */
  exposesNetwork(address: string): boolean {
    return exposesNetwork(address);
  }

  /** The ports a target offers, to choose from: a Service's ports, or its containers' ports. */
  availablePorts(target: ObjectRef): Promise<AvailablePort[]> {
    return availablePorts(this.conn, { ...target, namespace: target.namespace ?? this.conn.namespace });
  }

  /** Running and failed forwards (stopped ones are gone); a new array after every change. */
  list(): readonly ForwardInfo[] {
    this.snapshot ??= Object.freeze([...this.forwards.values()].map(infoOf));
    return this.snapshot;
  }

  /** Called when forwards start, stop, change state or count traffic. Returns unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Progress lines as kubectl would print them, plus re-resolution news. Returns unsubscribe. */
  onLine(listener: (line: ForwardLine) => void): () => void {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }

  /**
   * Resolves the target to a pod, checks the user may forward to it, then listens on every
   * local port (port 0: any free one). Throws ForwardError or KubeError, one line each, and
   * leaves nothing listening when it throws.
   */
  async start(req: ForwardRequest): Promise<ForwardInfo> {
    const address = req.address || DEFAULT_ADDRESS;
    checkAddress(address);
    if (req.ports.length === 0)
      throw new ForwardError('spec', 'no port to forward: give at least one [LOCAL:]REMOTE, e.g. 8080:16686');
    const ref = { ...req.target, namespace: req.target.namespace ?? this.conn.namespace };
    const found = await readTarget(this.conn, ref);
    const pod = choosePod(found.pods);
    if (!pod) throw new ForwardError('nopod', noPodMessage(ref, found));
    const remotes = this.remotesFor(found.service, req.ports, pod);
    await probeTunnel(this.conn.kc, ref.namespace, pod.metadata.name, remotes[0] as number);

    const fwd: Forward = {
      id: `pf-${this.nextId++}`,
      ref,
      target: formatTarget(ref),
      address,
      requested: [],
      remotes,
      service: found.service,
      pod,
      state: 'active',
      detail:
        ref.kind !== 'Pod' && !isReady(pod)
          ? `pod ${pod.metadata.name} is running but not ready: it may not answer yet`
          : undefined,
      connections: 0,
      bytesIn: 0,
      bytesOut: 0,
      servers: [],
      sockets: new Set(),
      timer: undefined,
      checking: false,
    };
    try {
      for (const [i, pair] of req.ports.entries()) {
        const server = createServer((socket) => this.accept(fwd, i, socket));
        try {
          await listen(server, address, pair.local);
        } catch (e) {
          throw await listenError(e, address, pair);
        }
        fwd.servers.push(server);
        const bound = server.address();
        fwd.requested.push({
          local: typeof bound === 'object' && bound ? bound.port : pair.local,
          remote: pair.remote,
        });
      }
    } catch (e) {
      await Promise.all(fwd.servers.map(closeServer));
      throw e;
    }
    this.forwards.set(fwd.id, fwd);
    this.schedule(fwd);
    this.changed();
    return infoOf(fwd);
  }

  /** Stops listening and closes the forward's connections; it leaves the list. */
  async stop(id: string): Promise<void> {
    const fwd = this.forwards.get(id);
    if (!fwd) return;
    this.forwards.delete(id);
    await this.shutDown(fwd, 'stopped');
    this.changed();
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.forwards.keys()].map((id) => this.stop(id)));
    if (this.counterTimer) clearTimeout(this.counterTimer);
    this.counterTimer = undefined;
  }

  private remotesFor(service: TargetPods['service'], ports: readonly PortPair[], pod: Pod): number[] {
    return ports.map((p) => (service ? serviceTargetPort(service, p.remote, pod) : p.remote));
  }

  private accept(fwd: Forward, index: number, socket: Socket): void {
    socket.on('error', () => undefined);
    const local = fwd.requested[index]?.local ?? 0;
    if (fwd.state !== 'active') {
      socket.destroy();
      this.line(fwd, 'error', `refused a connection on ${local}: ${fwd.detail ?? 'no pod to forward to'}`);
      return;
    }
    socket.setNoDelay(true);
    fwd.connections++;
    fwd.sockets.add(socket);
    socket.once('close', () => fwd.sockets.delete(socket));
    this.line(fwd, 'connection', `Handling connection for ${local}`);
    this.countersChanged();
    const pod = fwd.pod.metadata.name;
    const remote = fwd.remotes[index] as number;
    const counters = {
      received: (n: number) => {
        fwd.bytesIn += n;
        this.countersChanged();
      },
      sent: (n: number) => {
        fwd.bytesOut += n;
        this.countersChanged();
      },
    };
    openTunnel(this.conn.kc, fwd.ref.namespace, pod, remote, socket, counters).then(
      (tunnel) => {
        void tunnel.done.then((errorText) => {
          if (errorText) this.connectionFailed(fwd, local, remote, errorText);
        });
      },
      (e: unknown) => {
        socket.destroy();
        if (ended(fwd)) return;
        this.connectionFailed(fwd, local, remote, oneLine(e));
        // The pod may be gone: look now rather than at the next tick.
        void this.check(fwd);
      },
    );
  }

  private connectionFailed(fwd: Forward, local: number, remote: number, why: string): void {
    this.line(fwd, 'error', `an error occurred forwarding ${local} -> ${remote}: ${why}`);
  }

  private schedule(fwd: Forward): void {
    fwd.timer = setTimeout(() => void this.check(fwd), this.checkMs);
    fwd.timer.unref();
  }

  /** Re-reads the target's pods and moves, waits or fails as they changed. */
  private async check(fwd: Forward): Promise<void> {
    if (fwd.checking || ended(fwd)) return;
    fwd.checking = true;
    if (fwd.timer) clearTimeout(fwd.timer);
    try {
      const found = await readTarget(this.conn, fwd.ref).catch((e: unknown) => e);
      // The forward may have been stopped while the pods were being read.
      if (ended(fwd)) return;
      if (fwd.ref.kind === 'Pod') this.followPod(fwd, found);
      else this.followTarget(fwd, found);
    } finally {
      fwd.checking = false;
      if (!ended(fwd)) this.schedule(fwd);
    }
  }

  private followPod(fwd: Forward, found: TargetPods | unknown): void {
    const name = fwd.pod.metadata.name;
    if (found instanceof KubeError && found.code === 404) {
      void this.fail(
        fwd,
        `pod ${name} was deleted: a forward to one pod ends with it; forward to its Service or Deployment (svc/NAME, deploy/NAME) to follow its replacement`,
      );
      return;
    }
    if (!isTargetPods(found)) {
      this.wait(fwd, `cannot check pod ${name}: ${oneLine(found)}`);
      return;
    }
    const pod = found.pods[0] as Pod;
    const why = unusableReason(pod);
    if (why) {
      void this.fail(
        fwd,
        `pod ${name} ${why}: a forward to one pod ends with it; forward to its Service or Deployment (svc/NAME, deploy/NAME) to follow its replacement`,
      );
      return;
    }
    fwd.pod = pod;
    if (fwd.state === 'reconnecting') this.recover(fwd, `forwarding to pod ${name} again`);
  }

  private followTarget(fwd: Forward, found: TargetPods | unknown): void {
    if (!isTargetPods(found)) {
      this.wait(fwd, `cannot read ${fwd.target}: ${oneLine(found)}`);
      return;
    }
    const oldName = fwd.pod.metadata.name;
    const current = found.pods.find((p) => p.metadata.name === oldName);
    const readyElsewhere = found.pods.some((p) => p !== current && unusableReason(p) === undefined && isReady(p));
    const why = !current
      ? 'was deleted'
      : (unusableReason(current) ?? (!isReady(current) && readyElsewhere ? 'is not ready' : undefined));
    if (!why) {
      fwd.pod = current as Pod;
      if (fwd.state === 'reconnecting') this.recover(fwd, `forwarding to pod ${oldName} again`);
      return;
    }
    const next = choosePod(found.pods.filter((p) => p.metadata.name !== oldName));
    if (!next) {
      this.wait(fwd, `waiting for a running pod of ${fwd.target}: pod ${oldName} ${why}`);
      return;
    }
    let remotes: number[];
    try {
      remotes = this.remotesFor(found.service, fwd.requested, next);
    } catch (e) {
      this.wait(fwd, `cannot move to pod ${next.metadata.name}: ${oneLine(e)}`);
      return;
    }
    fwd.pod = next;
    fwd.remotes = remotes;
    fwd.service = found.service;
    fwd.state = 'active';
    fwd.detail = `moved to pod ${next.metadata.name}: the previous pod ${oldName} ${why}`;
    this.line(fwd, 'moved', `${fwd.target}: ${fwd.detail}`);
    this.changed();
  }

  private wait(fwd: Forward, detail: string): void {
    if (fwd.state === 'reconnecting' && fwd.detail === detail) return;
    fwd.state = 'reconnecting';
    fwd.detail = detail;
    this.line(fwd, 'waiting', `${fwd.target}: ${detail}`);
    this.changed();
  }

  private recover(fwd: Forward, detail: string): void {
    fwd.state = 'active';
    fwd.detail = detail;
    this.line(fwd, 'recovered', `${fwd.target}: ${detail}`);
    this.changed();
  }

  private async fail(fwd: Forward, detail: string): Promise<void> {
    fwd.detail = detail;
    await this.shutDown(fwd, 'failed');
    this.line(fwd, 'failed', detail);
    this.changed();
  }

  private async shutDown(fwd: Forward, state: 'stopped' | 'failed'): Promise<void> {
    fwd.state = state;
    if (fwd.timer) clearTimeout(fwd.timer);
    fwd.timer = undefined;
    for (const s of fwd.sockets) s.destroy();
    await Promise.all(fwd.servers.map(closeServer));
  }

  private line(fwd: Forward, kind: ForwardLine['kind'], text: string): void {
    for (const l of [...this.lineListeners]) l({ id: fwd.id, kind, text });
  }

  private changed(): void {
    this.snapshot = undefined;
    for (const l of [...this.listeners]) l();
  }

  private countersChanged(): void {
    if (this.counterTimer) return;
    this.counterTimer = setTimeout(() => {
      this.counterTimer = undefined;
      this.changed();
    }, COUNTER_NOTIFY_MS);
    this.counterTimer.unref();
  }
}

function ended(f: Forward): boolean {
  return f.state === 'stopped' || f.state === 'failed';
}

function isTargetPods(v: unknown): v is TargetPods {
  return typeof v === 'object' && v !== null && Array.isArray((v as TargetPods).pods);
}

function infoOf(f: Forward): ForwardInfo {
  const info: ForwardInfo = {
    id: f.id,
    namespace: f.ref.namespace,
    target: f.target,
    pod: f.pod.metadata.name,
    address: f.address,
    ports: f.requested.map((p, i) => ({ local: p.local, remote: f.remotes[i] ?? p.remote })),
    state: f.state,
    connections: f.connections,
    bytesIn: f.bytesIn,
    bytesOut: f.bytesOut,
  };
  if (f.detail !== undefined) info.detail = f.detail;
  return info;
}
