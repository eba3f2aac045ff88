// The simulator's pods/portforward, spoken to with a bare WebSocket client: the frames and
// refusals client-node (and any other client of kube-apiserver) depends on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connect } from '../../src/kube/client.js';
import { PortForwardManager } from '../../src/portforward/manager.js';
import { DEFAULT_TOKENS } from '../../src/sim/auth.js';
import { startDemoPortBackend } from '../../src/sim/portforward.js';
import { loadScenario } from '../../src/sim/scenario.js';
import { startSimServer } from '../../src/sim/server.js';
import { httpGet, queryPodName, startForwardWorld, type ForwardWorld } from './helpers.js';

let w: ForwardWorld;
beforeAll(async () => {
  w = await startForwardWorld();
});
afterAll(() => w.close());

interface Refused {
  status: number;
  contentType: string;
  body: string;
}

function open(
  path: string,
  opts: { token?: string; protocols?: string[] } = {},
): Promise<{ ws: WebSocket; frames: Buffer[]; protocol: string } | Refused> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`wss://127.0.0.1:${w.sim.port}${path}`, opts.protocols ?? ['v4.channel.k8s.io'], {
      ca: w.sim.tls.cert,
      headers: { Authorization: `Bearer ${opts.token ?? DEFAULT_TOKENS.adminToken}` },
    });
    const frames: Buffer[] = [];
    ws.on('message', (data: Buffer) => frames.push(data));
    ws.on('open', () => resolve({ ws, frames, protocol: ws.protocol }));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), body });
        ws.terminate();
      });
    });
    ws.on('error', (e) => reject(e));
  });
}

async function opened(path: string, opts: { token?: string; protocols?: string[] } = {}) {
  const r = await open(path, opts);
  if ('status' in r) throw new Error(`refused: ${r.status} ${r.body}`);
  return r;
}

async function refused(path: string, opts: { token?: string; protocols?: string[] } = {}): Promise<Refused> {
  const r = await open(path, opts);
  if (!('status' in r)) throw new Error('the upgrade was accepted');
  return r;
}

function closed(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => (ws.readyState === ws.CLOSED ? resolve() : ws.once('close', () => resolve())));
}

const pf = (pod: string, ports: string) => `/api/v1/namespaces/observability/pods/${pod}/portforward?${ports}`;

describe('simulated pods/portforward', () => {
  it('opens each port with its number (little-endian) on both channels, then carries data frames', async () => {
    const { ws, frames, protocol } = await opened(pf(queryPodName(w.sim), 'ports=16686'));
    expect(protocol).toBe('v4.channel.k8s.io');
    const request = 'GET /api/services HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n';
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from(request)]));
    await closed(ws);
    expect(frames[0]).toEqual(Buffer.from([0, 0x2e, 0x41]));
    expect(frames[1]).toEqual(Buffer.from([1, 0x2e, 0x41]));
    const data = Buffer.concat(frames.slice(2).map((f) => (expect(f[0]).toBe(0), f.subarray(1)))).toString();
    expect(data).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(data).toContain('jaeger-query GET /api/services');
  });

  it('picks v4 among the protocols client-node offers, and speaks base64 when asked', async () => {
    const offered = await opened(pf(queryPodName(w.sim), 'ports=16686'), {
      protocols: ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'channel.k8s.io'],
    });
    expect(offered.protocol).toBe('v4.channel.k8s.io');
    offered.ws.close();
    const b64 = await opened(pf(queryPodName(w.sim), 'ports=16686'), { protocols: ['v4.base64.channel.k8s.io'] });
    b64.ws.send(`0${Buffer.from('GET /b64 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n').toString('base64')}`);
    await closed(b64.ws);
    const text = b64.frames.map((f) => f.toString());
    expect(text.slice(0, 2)).toEqual(['0LkE=', '1LkE=']);
    expect(
      Buffer.from(
        text
          .slice(2)
          .map((t) => t.slice(1))
          .join(''),
        'base64',
      ).toString(),
    ).toContain('jaeger-query GET /b64');
  });

  it('reports a port nothing listens on as kubelet text on the error channel, then closes', async () => {
    const { ws, frames } = await opened(pf(queryPodName(w.sim), 'ports=9999'));
    await closed(ws);
    expect(frames.slice(0, 2)).toEqual([Buffer.from([0, 0x0f, 0x27]), Buffer.from([1, 0x0f, 0x27])]);
    const error = frames[2]!;
    expect(error[0]).toBe(1);
    expect(error.subarray(1).toString()).toMatch(
      /^error forwarding port 9999 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace "\/var\/run\/netns\/cni-[-0-9a-f]+": failed to connect to localhost:9999 inside namespace "[0-9a-f]{64}", IPv4: dial tcp4 127\.0\.0\.1:9999: connect: connection refused/,
    );
  });

  it('forwards several ports in one connection, two channels each', async () => {
    const { ws, frames } = await opened(pf(queryPodName(w.sim), 'ports=16686,16687'));
    ws.send(
      Buffer.concat([Buffer.from([2]), Buffer.from('GET /admin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')]),
    );
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('GET /ui HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')]));
    await closed(ws);
    const on = (ch: number) =>
      Buffer.concat(frames.filter((f) => f[0] === ch).map((f) => f.subarray(1))).toString('latin1');
    expect(on(2)).toContain('jaeger-admin GET /admin');
    expect(on(0)).toContain('jaeger-query GET /ui');
  });

  it('ends open streams when the pod is deleted', async () => {
    const pod = queryPodName(w.sim);
    const { ws } = await opened(pf(pod, 'ports=16686'));
    const def = w.sim.state.registry.forKind('Pod')!;
    w.sim.api.delete(def, 'observability', pod, { gracePeriodSeconds: 0 });
    await closed(ws);
    await w.sim.settle();
    expect(queryPodName(w.sim)).not.toBe(pod);
  });

  it('refuses with the API server’s Status: unknown pod 404, viewer 403, unscheduled pod 400', async () => {
    const missing = await refused(pf('jaeger-query-nope', 'ports=16686'));
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'pods "jaeger-query-nope" not found',
      code: 404,
    });

    const viewer = await refused(pf(queryPodName(w.sim), 'ports=16686'), { token: DEFAULT_TOKENS.viewerToken });
    expect(viewer.status).toBe(403);
    expect(JSON.parse(viewer.body)).toMatchObject({
      reason: 'Forbidden',
      message: `pods "${queryPodName(w.sim)}" is forbidden: User "viewer" cannot create resource "pods/portforward" in API group "" in the namespace "observability"`,
    });

    const pending = await refused(pf('elasticsearch-master-1', 'ports=9200'));
    expect(pending.status).toBe(400);
    expect(JSON.parse(pending.body)).toMatchObject({
      reason: 'BadRequest',
      message: 'pod elasticsearch-master-1 does not have a host assigned',
    });
  });

  it('relays the kubelet’s plain-text refusals: no port given, a finished pod', async () => {
    const noPort = await refused(pf(queryPodName(w.sim), ''));
    expect(noPort).toMatchObject({ status: 400, body: 'query parameter "port" is required' });
    expect(noPort.contentType).toMatch(/^text\/plain/);

    const def = w.sim.state.registry.forKind('Pod')!;
    const pod = w.sim.state.get(def, 'kube-system', 'storage-provisioner')!.obj;
    w.sim.state.update({
      ...pod,
      metadata: { ...pod.metadata, resourceVersion: '' },
      status: { ...(pod as { status?: object }).status, phase: 'Succeeded' },
    } as typeof pod);
    const finished = await refused('/api/v1/namespaces/kube-system/pods/storage-provisioner/portforward?ports=80');
    expect(finished).toMatchObject({
      status: 500,
      body: 'rpc error: code = Unknown desc = sandbox container is not running',
    });
  });

  it("refuses a subprotocol it does not speak (SPDY's portforward.k8s.io) with a bare 403", async () => {
    const r = await refused(pf(queryPodName(w.sim), 'ports=16686'), { protocols: ['portforward.k8s.io'] });
    expect(r).toMatchObject({ status: 403, body: '' });
  });
});

describe('the demo backend', () => {
  it('answers for every pod port, so a forward in `kcockpit demo` shows traffic', async () => {
    const demo = await startDemoPortBackend();
    const sim = await startSimServer({
      scenario: loadScenario('s1-jaeger'),
      port: 0,
      portForwardBackends: demo.backends,
    });
    const conn = connect({ kubeconfig: sim.kubeconfigPath });
    const m = new PortForwardManager(conn);
    try {
      const info = await m.start({
        target: { kind: 'Service', name: 'jaeger-query' },
        ports: [{ local: 0, remote: 16686 }],
        address: '127.0.0.1',
      });
      expect(await httpGet(info.ports[0]!.local, '/search')).toEqual({
        status: 200,
        body: 'kcockpit simulator: this answer to GET /search came through a port-forward\n',
      });
    } finally {
      await m.stopAll();
      conn.close();
      await sim.close();
      await demo.close();
    }
  });
});
