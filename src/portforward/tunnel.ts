// One forwarded connection: a WebSocket to pods/NAME/portforward through client-node's
// PortForward, joined to a local socket, with its bytes counted.
//
// client-node's handler rejects a refused upgrade with "Unexpected server response: 403" and
// drops the answer's body, which holds the reason (a Status, or the kubelet's text). Its
// socket factory hook is used to read that body first, so the user sees why. The handler
// class is public but not re-exported by the package index (client-node is pinned to 1.4.0).
import { PassThrough, Transform, Writable, type Duplex } from 'node:stream';
import { PortForward, type KubeConfig } from '@kubernetes/client-node';
import { WebSocketHandler } from '@kubernetes/client-node/dist/web-socket-handler.js';
import WebSocket from 'ws';
import { KubeError } from '../kube/errors.js';

/** A refused upgrade, with the answer's body. */
class UpgradeRefused extends Error {
  constructor(
    readonly code: number,
    readonly body: string,
  ) {
    super(`Unexpected server response: ${code}`);
  }
}

/** As long as the API server has to answer the upgrade; client-node sets no limit. */
const HANDSHAKE_TIMEOUT_MS = 30_000;

function socketKeepingRefusals(uri: string, protocols: string[], opts: WebSocket.ClientOptions): WebSocket {
  const ws = new WebSocket(uri, protocols, { ...opts, handshakeTimeout: HANDSHAKE_TIMEOUT_MS });
  ws.on('unexpected-response', (_req, res) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      // The handler listens with onerror and rejects its promise with the first error.
      ws.emit('error', new UpgradeRefused(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
      ws.terminate();
    });
  });
  return ws;
}

/** What client-node rejects with: ws's ErrorEvent wrapping the error, or the error itself. */
function unwrap(e: unknown): unknown {
  return typeof e === 'object' && e !== null && 'error' in e && (e as { error: unknown }).error !== undefined
    ? (e as { error: unknown }).error
    : e;
}

function tunnelError(e: unknown, namespace: string, pod: string, port: number): KubeError {
  const err = unwrap(e);
  const action = `forward port ${port} of pod ${pod}`;
  if (err instanceof UpgradeRefused) {
    const text = err.body.trim();
    if (text.startsWith('{')) return KubeError.fromApi({ code: err.code, body: text }, action);
    // Plain text comes from the kubelet or the container runtime behind the API server.
    const why = text ? `: ${text.split('\n')[0]}` : '';
    return new KubeError(
      err.code === 403 ? 'forbidden' : 'server',
      `the cluster refused to forward to pod ${pod} (HTTP ${err.code}${why}): the pod may have stopped; check it with kubectl describe pod ${pod} -n ${namespace}`,
      { code: err.code },
    );
  }
  return KubeError.fromApi(err, action);
}

export interface TunnelCounters {
  /** Bytes from the pod to the local client. */
  received(n: number): void;
  /** Bytes from the local client to the pod. */
  sent(n: number): void;
}

export interface Tunnel {
  /** Resolves when the connection ends, with what the error channel said (e.g. connection refused in the pod). */
  readonly done: Promise<string | undefined>;
  close(): void;
}

/** The ws client as PortForward returns it (one port per call, so never the restartable form). */
function asSocket(result: unknown): WebSocket {
  if (result instanceof WebSocket) return result;
  throw new Error('client-node returned a restartable port-forward, which kcockpit does not use');
}

/**
 * Opens the WebSocket and joins it to `local`. Rejects with a KubeError when the API server
 * or the kubelet refuses (403, pod gone, pod not running).
 */
export async function openTunnel(
  kc: KubeConfig,
  namespace: string,
  pod: string,
  port: number,
  local: Duplex,
  counters: TunnelCounters,
): Promise<Tunnel> {
  const forwarder = new PortForward(kc, true, new WebSocketHandler(kc, socketKeepingRefusals));
  // Data the client sends before the WebSocket opens waits here (and back-pressures the socket).
  const fromClient = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      counters.sent(chunk.length);
      cb(null, chunk);
    },
  });
  const toClient = new Writable({
    write(chunk: Buffer, _enc, cb) {
      counters.received(chunk.length);
      if (!local.destroyed) local.write(chunk);
      cb();
    },
  });
  let errorText = '';
  const errors = new Writable({
    write(chunk: Buffer, _enc, cb) {
      errorText += chunk.toString('utf8');
      cb();
    },
  });
  local.pipe(fromClient);
  let ws: WebSocket;
  try {
    ws = asSocket(await forwarder.portForward(namespace, pod, [port], toClient, errors, fromClient));
  } catch (e) {
    local.unpipe(fromClient);
    throw tunnelError(e, namespace, pod, port);
  }
  const done = new Promise<string | undefined>((resolve) => {
    ws.on('close', () => {
      local.end();
      resolve(errorText.trim() || undefined);
    });
  });
  ws.on('error', () => local.destroy());
  // The local client may have given up while the WebSocket was opening.
  if (local.destroyed) ws.close();
  else local.on('close', () => ws.close());
  return {
    done,
    close: () => {
      ws.terminate();
      local.destroy();
    },
  };
}

/**
 * Opens and closes one tunnel: proves, before anything listens locally, that the user may
 * forward to the pod and that the pod can take a forward.
 */
export async function probeTunnel(kc: KubeConfig, namespace: string, pod: string, port: number): Promise<void> {
  const local = new PassThrough();
  const tunnel = await openTunnel(kc, namespace, pod, port, local, {
    received: () => undefined,
    sent: () => undefined,
  });
  tunnel.close();
}
