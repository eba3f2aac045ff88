// pods/portforward over WebSocket, as kube-apiserver and the kubelet serve it to
// @kubernetes/client-node: the `v4.channel.k8s.io` subprotocol (also its base64 twin, and no
// subprotocol at all), two channels per requested port — data 2*i, error 2*i+1 — each opened
// by a frame carrying the port as two little-endian bytes; every frame starts with its channel
// byte. The kubelet dials the pod's port as soon as the stream opens, and a dial that fails
// is reported as text on the error channel, not as an HTTP error. Here the "pod's port" is a
// TCP backend the embedder chooses per pod and port (tests run a small HTTP server); no
// backend means nothing listens there.
//
// kubectl 1.30+ tunnels SPDY over WebSocket (`SPDY/3.1+portforward.k8s.io`); that protocol is
// not simulated: such a handshake is refused as a real server refuses an unknown subprotocol.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Pod } from '../model/k8s.js';
import { authenticate, authorize, type SimUsers } from './auth.js';
import type { ResourceRegistry } from './resources.js';
import { parseRoute } from './routes.js';
import type { SimState } from './state.js';
import { ApiError, badRequest, notFound } from './status.js';
import { channelWriter, negotiate, readFrame, Refusal, refuse, type Codec } from './websocket.js';

export interface PortForwardBackend {
  host: string;
  port: number;
}

/** Which local TCP server stands in for `port` of pod `namespace/pod`; undefined: nothing listens there. */
export type PortForwardBackends = (namespace: string, pod: string, port: number) => PortForwardBackend | undefined;

/** The kubelet's websocket port-forward protocols; '' is a handshake that names none. */
const PROTOCOLS: ReadonlyMap<string, Codec> = new Map([
  ['', 'binary'],
  ['v4.channel.k8s.io', 'binary'],
  ['v4.base64.channel.k8s.io', 'base64'],
]);

/** The container runtime names a pod by its sandbox: a stable 64-hex id per pod here. */
function sandboxId(pod: Pod): string {
  return createHash('sha256')
    .update(pod.metadata.uid ?? `${pod.metadata.namespace}/${pod.metadata.name}`)
    .digest('hex');
}

/** What containerd reports when nothing listens on the port inside the pod. */
function refusedMessage(pod: Pod, port: number): string {
  const id = sandboxId(pod);
  const netns = `/var/run/netns/cni-${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`;
  return (
    `error forwarding port ${port} to pod ${id}, uid : failed to execute portforward in network namespace "${netns}": ` +
    `failed to connect to localhost:${port} inside namespace "${id}", ` +
    `IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused IPv6 dial tcp6 [::1]:${port}: connect: connection refused `
  );
}

/** `ports=16686&ports=8080,9090` as the API server reads it. */
function parsePorts(values: string[]): number[] {
  // The API server passes the ports on to the kubelet, which insists on at least one.
  if (values.length === 0) throw Refusal.text(400, 'query parameter "port" is required');
  const ports: number[] = [];
  for (const value of values) {
    if (value === '') throw Refusal.text(400, 'query parameter "port" cannot be empty');
    for (const part of value.split(',')) {
      const n = /^\d+$/.test(part) ? Number(part) : NaN;
      if (!Number.isInteger(n) || n > 65535)
        throw Refusal.text(
          400,
          `unable to parse "${value}" as a port: strconv.ParseUint: parsing "${part}": invalid syntax`,
        );
      if (n < 1) throw Refusal.text(400, `port "${value}" must be > 0`);
      ports.push(n);
    }
  }
  return ports;
}

interface Session {
  close(): void;
}

export interface SimPortForwardOptions {
  state: SimState;
  registry: ResourceRegistry;
  users: SimUsers;
  backends?: PortForwardBackends;
}

export class SimPortForwards {
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (offered) => negotiate([...offered].join(','), PROTOCOLS) ?? false,
  });
  /** Open sessions by `namespace/pod`: a deleted pod takes its connections with it. */
  private readonly sessions = new Map<string, Set<Session>>();
  private readonly unsubscribe: () => void;

  constructor(private readonly opts: SimPortForwardOptions) {
    this.unsubscribe = opts.state.subscribe((ev) => {
      if (ev.type !== 'DELETED' || ev.entry.def.kind !== 'Pod') return;
      const key = `${ev.entry.obj.metadata.namespace}/${ev.entry.obj.metadata.name}`;
      for (const s of [...(this.sessions.get(key) ?? [])]) s.close();
    });
  }

  /** The server's `upgrade` event. Anything but a pods/portforward WebSocket is refused. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    try {
      const { pod, ports, protocol } = this.admit(req);
      this.wss.handleUpgrade(req, socket, head, (ws) =>
        this.serve(ws, pod, ports, PROTOCOLS.get(protocol) ?? 'binary'),
      );
    } catch (e) {
      if (e instanceof Refusal) refuse(socket, e);
      else if (e instanceof ApiError) refuse(socket, Refusal.status(e));
      else refuse(socket, Refusal.text(500, e instanceof Error ? e.message : String(e)));
    }
  }

  close(): void {
    this.unsubscribe();
    for (const set of this.sessions.values()) for (const s of [...set]) s.close();
    this.wss.close();
  }

  /** The checks in the order the API server and then the kubelet make them. */
  private admit(req: IncomingMessage): { pod: Pod; ports: number[]; protocol: string } {
    const url = new URL(req.url ?? '/', 'http://sim');
    const path = url.pathname.replace(/\/+$/, '');
    const caller = authenticate(req.headers.authorization, this.opts.users);
    const route = parseRoute(path, this.opts.registry);
    if (
      !route ||
      route.type !== 'resource' ||
      route.def.kind !== 'Pod' ||
      route.subresource !== 'portforward' ||
      !route.name ||
      !route.namespace
    ) {
      throw badRequest('the simulated API server accepts connection upgrades for pods/portforward only');
    }
    // A WebSocket upgrade is authorized as `create` (AuthorizePodWebsocketUpgradeCreatePermission, on since 1.30).
    authorize(caller, {
      verb: 'create',
      path,
      def: route.def,
      subresource: 'portforward',
      namespace: route.namespace,
      name: route.name,
    });
    const entry = this.opts.state.get(route.def, route.namespace, route.name);
    if (!entry) throw notFound(route.def, route.name);
    const pod = entry.obj as Pod;
    if (!pod.spec.nodeName) throw badRequest(`pod ${route.name} does not have a host assigned`);
    const ports = parsePorts(url.searchParams.getAll('ports'));
    const phase = pod.status?.phase;
    // The sandbox of a finished pod is stopped; the runtime refuses and the kubelet relays it.
    if (phase === 'Succeeded' || phase === 'Failed')
      throw Refusal.text(500, 'rpc error: code = Unknown desc = sandbox container is not running');
    const protocol = negotiate(req.headers['sec-websocket-protocol'], PROTOCOLS);
    // golang.org/x/net/websocket answers an unsupported subprotocol with a bare 403.
    if (protocol === undefined) throw Refusal.text(403, '');
    return { pod, ports, protocol };
  }

  private serve(ws: WebSocket, pod: Pod, ports: number[], codec: Codec): void {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const conns: (Socket | undefined)[] = ports.map(() => undefined);
    let open = ports.length;
    const session: Session = {
      close: () => {
        for (const c of conns) c?.destroy();
        ws.terminate();
      },
    };
    const set = this.sessions.get(key) ?? new Set<Session>();
    set.add(session);
    this.sessions.set(key, set);

    const send = channelWriter(ws, codec);
    // The kubelet closes the connection once every port's stream is done.
    const streamDone = () => {
      if (--open === 0) ws.close();
    };

    ports.forEach((port, i) => {
      const portBytes = Buffer.alloc(2);
      portBytes.writeUInt16LE(port);
      send(2 * i, portBytes);
      send(2 * i + 1, portBytes);
      const backend = this.opts.backends?.(pod.metadata.namespace ?? '', pod.metadata.name, port);
      if (!backend) {
        send(2 * i + 1, Buffer.from(refusedMessage(pod, port)));
        streamDone();
        return;
      }
      const conn = connect(backend.port, backend.host);
      conns[i] = conn;
      let connected = false;
      conn.on('connect', () => {
        connected = true;
      });
      conn.on('data', (chunk: Buffer) => send(2 * i, chunk));
      conn.on('error', () => {
        if (!connected) send(2 * i + 1, Buffer.from(refusedMessage(pod, port)));
      });
      conn.on('close', streamDone);
    });

    ws.on('message', (raw: RawData, isBinary: boolean) => {
      const frame = readFrame(raw, isBinary);
      if (!frame) return;
      const { channel, payload } = frame;
      // Frames on error channels, or beyond the opened ports, are ignored as the kubelet does.
      if (channel % 2 !== 0 || channel / 2 >= ports.length) return;
      conns[channel / 2]?.write(payload);
    });
    ws.on('close', () => {
      for (const c of conns) c?.destroy();
      set.delete(session);
      if (set.size === 0) this.sessions.delete(key);
    });
    ws.on('error', () => undefined);
  }
}

/**
 * A stand-in for every pod's ports in `kcockpit demo`: one loopback HTTP server that answers
 * any request with a short page, so a forward to any pod shows that traffic went through.
 */
export async function startDemoPortBackend(): Promise<{ backends: PortForwardBackends; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const body = `kcockpit simulator: this answer to ${req.method ?? 'GET'} ${req.url ?? '/'} came through a port-forward\n`;
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    backends: () => ({ host: '127.0.0.1', port }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
