// PortForwardManager end to end: client-node's PortForward over the simulator's WebSocket
// port-forward to real HTTP servers standing in for jaeger-query's ports.
import { createServer, type Server } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/kube/client.js';
import { KubeError } from '../../src/kube/errors.js';
import type { Pod } from '../../src/model/k8s.js';
import { ForwardError } from '../../src/portforward/errors.js';
import { PortForwardManager, type ForwardLine } from '../../src/portforward/manager.js';
import type { PortForwardBackend } from '../../views/sources.js';
import { httpGet, queryPodName, startForwardWorld, waitFor, type ForwardWorld } from './helpers.js';

let w: ForwardWorld;
let manager: PortForwardManager;
let lines: ForwardLine[];

beforeAll(async () => {
  w = await startForwardWorld();
});
afterAll(() => w.close());

function newManager(conn = w.conn): PortForwardManager {
  manager = new PortForwardManager(conn, { checkIntervalMs: 100 });
  lines = [];
  manager.onLine((l) => lines.push(l));
  return manager;
}

afterEach(() => manager?.stopAll());

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the promise to reject');
}

function deleteQueryPod(): string {
  const name = queryPodName(w.sim);
  w.sim.api.delete(w.sim.state.registry.forKind('Pod')!, 'observability', name, { gracePeriodSeconds: 0 });
  return name;
}

describe('PortForwardManager', () => {
  it('forwards a local port to a pod and counts connections and bytes', async () => {
    const m = newManager();
    const pod = queryPodName(w.sim);
    const info = await m.start({
      target: { kind: 'Pod', name: pod },
      ports: [{ local: 0, remote: 16686 }],
      address: '127.0.0.1',
    });
    expect(info).toMatchObject({
      namespace: 'observability',
      target: `pod/${pod}`,
      pod,
      address: '127.0.0.1',
      state: 'active',
      connections: 0,
    });
    const local = info.ports[0]!.local;
    expect(local).toBeGreaterThan(0);

    const first = await httpGet(local, '/search');
    expect(first).toEqual({ status: 200, body: 'jaeger-query GET /search\n' });
    expect((await httpGet(local, '/api/services')).body).toBe('jaeger-query GET /api/services\n');

    const counted = await waitFor(
      () => m.list().find((f) => f.id === info.id && f.connections === 2 && f.bytesIn > 0 && f.bytesOut > 0),
      3_000,
      'counters',
    );
    // Two requests out (about 60 bytes each), two answers back (headers + body).
    expect(counted.bytesOut).toBeGreaterThan(100);
    expect(counted.bytesIn).toBeGreaterThan(counted.bytesOut);
    expect(lines.filter((l) => l.kind === 'connection').map((l) => l.text)).toEqual([
      `Handling connection for ${local}`,
      `Handling connection for ${local}`,
    ]);
  });

  it('forwards two ports of a Service at once, mapping its named targetPorts', async () => {
    const m = newManager();
    // The cockpit's contract (views/sources.ts), checked by the compiler where tests are typechecked.
    const source: PortForwardBackend = m;
    let notified = 0;
    source.subscribe(() => notified++);
    const info = await m.start({
      target: { kind: 'Service', name: 'jaeger-query' },
      ports: [
        { local: 0, remote: 16686 },
        { local: 0, remote: 16687 },
      ],
      address: '127.0.0.1',
    });
    expect(info.target).toBe('svc/jaeger-query');
    expect(info.pod).toBe(queryPodName(w.sim));
    expect(info.ports.map((p) => p.remote)).toEqual([16686, 16687]);
    expect((await httpGet(info.ports[0]!.local, '/ui')).body).toBe('jaeger-query GET /ui\n');
    expect((await httpGet(info.ports[1]!.local, '/metrics')).body).toBe('jaeger-admin GET /metrics\n');
    expect(notified).toBeGreaterThan(0);
    expect(source.list().map((f) => f.id)).toEqual([info.id]);
  });

  it('forwards to a Deployment’s pod', async () => {
    const m = newManager();
    const info = await m.start({
      target: { kind: 'Deployment', name: 'jaeger-query' },
      ports: [{ local: 0, remote: 16686 }],
      address: '127.0.0.1',
    });
    expect(info.target).toBe('deploy/jaeger-query');
    expect((await httpGet(info.ports[0]!.local)).status).toBe(200);
  });

  it('refuses a busy local port in one line, proposing a free one, and leaves nothing listening', async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const taken = (busy.address() as { port: number }).port;
    try {
      const m = newManager();
      const e = await rejection(
        m.start({
          target: { kind: 'Service', name: 'jaeger-query' },
          ports: [
            { local: 0, remote: 16687 },
            { local: taken, remote: 16686 },
          ],
          address: '127.0.0.1',
        }),
      );
      expect(e).toBeInstanceOf(ForwardError);
      const err = e as ForwardError;
      expect(err.kind).toBe('busy');
      expect(err.localPort).toBe(taken);
      expect(err.freePort).toBeGreaterThan(0);
      expect(err.message).toBe(
        `local port ${taken} is already in use on 127.0.0.1: another program (or another port-forward) listens there; ${err.freePort} is free: use ${err.freePort}:16686`,
      );
      expect(m.list()).toEqual([]);
      // The proposed port really is free.
      const check = createServer();
      await new Promise<void>((resolve, reject) => {
        check.once('error', reject);
        check.listen(err.freePort, '127.0.0.1', () => check.close(() => resolve()));
      });
    } finally {
      busy.close();
    }
  });

  it('moves a Service forward to the replacement pod when its pod is deleted, and says so', async () => {
    const m = newManager();
    const info = await m.start({
      target: { kind: 'Service', name: 'jaeger-query' },
      ports: [{ local: 0, remote: 16686 }],
      address: '127.0.0.1',
    });
    const local = info.ports[0]!.local;
    expect((await httpGet(local, '/before')).body).toBe('jaeger-query GET /before\n');

    const old = deleteQueryPod();
    await w.sim.settle();
    const replacement = queryPodName(w.sim);
    expect(replacement).not.toBe(old);

    const moved = await waitFor(() => m.list().find((f) => f.pod === replacement), 5_000, 'the move');
    expect(moved).toMatchObject({
      state: 'active',
      detail: `moved to pod ${replacement}: the previous pod ${old} was deleted`,
    });
    expect(lines).toContainEqual({
      id: info.id,
      kind: 'moved',
      text: `svc/jaeger-query: moved to pod ${replacement}: the previous pod ${old} was deleted`,
    });

    expect((await httpGet(local, '/after')).body).toBe('jaeger-query GET /after\n');
    expect(w.query.streams.at(-1)).toEqual({ pod: replacement, port: 16686 });
  });

  it('ends a pod forward cleanly when its pod is deleted: failed, one line, port closed', async () => {
    const m = newManager();
    const pod = queryPodName(w.sim);
    const info = await m.start({
      target: { kind: 'Pod', name: pod },
      ports: [{ local: 0, remote: 16686 }],
      address: '127.0.0.1',
    });
    deleteQueryPod();
    await w.sim.settle();
    const failed = await waitFor(() => m.list().find((f) => f.state === 'failed'), 5_000, 'the failure');
    expect(failed.detail).toBe(
      `pod ${pod} was deleted: a forward to one pod ends with it; forward to its Service or Deployment (svc/NAME, deploy/NAME) to follow its replacement`,
    );
    expect(lines.filter((l) => l.kind === 'failed')).toHaveLength(1);
    await expect(httpGet(info.ports[0]!.local)).rejects.toThrow(/ECONNREFUSED/);
    await m.stop(info.id);
    expect(m.list()).toEqual([]);
  });

  it('reports a port nothing listens on in the pod, per connection, as kubectl does', async () => {
    const m = newManager();
    const info = await m.start({
      target: { kind: 'Deployment', name: 'jaeger-query' },
      ports: [{ local: 0, remote: 9999 }],
      address: '127.0.0.1',
    });
    const local = info.ports[0]!.local;
    await expect(httpGet(local)).rejects.toThrow(/socket hang up|ECONNRESET/);
    const error = await waitFor(() => lines.find((l) => l.kind === 'error'), 3_000, 'the error line');
    expect(error.text).toMatch(
      new RegExp(
        `^an error occurred forwarding ${local} -> 9999: error forwarding port 9999 to pod [0-9a-f]{64}, uid : .*connect: connection refused`,
      ),
    );
    expect(m.list()[0]?.state).toBe('active');
  });

  it('refuses the read-only viewer with the API server’s 403 in one line, before listening', async () => {
    const viewer = connect({ kubeconfig: w.sim.kubeconfigPath, context: 'sim-viewer' });
    try {
      const m = newManager(viewer);
      const pod = queryPodName(w.sim);
      const e = await rejection(
        m.start({ target: { kind: 'Pod', name: pod }, ports: [{ local: 0, remote: 16686 }], address: '127.0.0.1' }),
      );
      expect(e).toBeInstanceOf(KubeError);
      expect((e as KubeError).kind).toBe('forbidden');
      expect(e.message).toBe(
        `forbidden: pods "${pod}" is forbidden: User "viewer" cannot create resource "pods/portforward" in API group "" in the namespace "observability" (ask a cluster admin for this permission)`,
      );
      expect(m.list()).toEqual([]);
    } finally {
      viewer.close();
    }
  });

  it('explains targets it cannot forward to', async () => {
    const m = newManager();
    const start = (kind: string, name: string, remote = 16686) =>
      rejection(m.start({ target: { kind, name }, ports: [{ local: 0, remote }], address: '127.0.0.1' }));
    expect((await start('Pod', 'jaeger-query-nope')).message).toBe(
      'not found: pods "jaeger-query-nope" not found (check the name, the namespace (-n) and the context)',
    );
    expect((await start('Pod', 'elasticsearch-master-1', 9200)).message).toBe(
      'pod elasticsearch-master-1 is not running (status Pending): a port-forward needs a running pod; see why with kcockpit diagnose or kubectl describe pod elasticsearch-master-1',
    );
    expect((await start('Service', 'jaeger-query', 9999)).message).toBe(
      'svc/jaeger-query has no port 9999: its ports are 16686 (query), 16687 (admin); give one of those as REMOTE',
    );
    expect(
      (
        await rejection(
          m.start({ target: { kind: 'Pod', name: 'x' }, ports: [{ local: 0, remote: 1 }], address: 'my-laptop' }),
        )
      ).message,
    ).toMatch(/^--address "my-laptop" is not an IP address/);
  });

  it('lists the ports a target offers', async () => {
    expect(await newManager().availablePorts({ kind: 'Service', name: 'jaeger-query' })).toEqual([
      { port: 16686, name: 'query', protocol: 'TCP', targetPort: 'query' },
      { port: 16687, name: 'admin', protocol: 'TCP', targetPort: 'admin' },
    ]);
    const deploy = await manager.availablePorts({
      kind: 'Deployment',
      name: 'jaeger-query',
      namespace: 'observability',
    });
    expect(deploy.filter((p) => p.container === 'jaeger-query').map((p) => p.port)).toEqual([16686, 16687]);
  });

  it('stops a forward: the port closes and the forward leaves the list', async () => {
    const m = newManager();
    const info = await m.start({
      target: { kind: 'Service', name: 'jaeger-query' },
      ports: [{ local: 0, remote: 16686 }],
      address: '127.0.0.1',
    });
    await m.stop(info.id);
    expect(m.list()).toEqual([]);
    await expect(httpGet(info.ports[0]!.local)).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('PortForwardManager on a healthy cluster', () => {
  let healthy: ForwardWorld;
  beforeAll(async () => {
    healthy = await startForwardWorld('healthy');
  });
  afterAll(() => healthy.close());

  it('moves a Deployment forward off a pod that stops being ready when another is ready', async () => {
    const m = newManager(healthy.conn);
    const info = await m.start({
      target: { kind: 'Deployment', name: 'jaeger-query' },
      ports: [{ local: 0, remote: 16686 }],
      address: '127.0.0.1',
    });
    const first = info.pod;
    const deployDef = healthy.sim.state.registry.forKind('Deployment')!;
    healthy.sim.api.writeScale(deployDef, 'observability', 'jaeger-query', { body: { spec: { replicas: 2 } } });
    await healthy.sim.settle();
    const podDef = healthy.sim.state.registry.forKind('Pod')!;
    const second = healthy.sim.state
      .list(podDef, 'observability')
      .map((e) => e.obj.metadata.name)
      .find((n) => n.startsWith('jaeger-query-') && n !== first)!;
    expect(m.list()[0]?.pod).toBe(first);

    const pod = healthy.sim.state.get(podDef, 'observability', first)!.obj as Pod;
    const conditions = (pod.status?.conditions ?? []).map((c) =>
      c.type === 'Ready' ? { ...c, status: 'False', reason: 'ContainersNotReady' } : c,
    );
    healthy.sim.state.update({
      ...pod,
      metadata: { ...pod.metadata, resourceVersion: '' },
      status: { ...pod.status, conditions },
    } as Pod);

    const moved = await waitFor(() => m.list().find((f) => f.pod === second), 5_000, 'the move');
    expect(moved.detail).toBe(`moved to pod ${second}: the previous pod ${first} is not ready`);
    expect((await httpGet(info.ports[0]!.local, '/ready')).body).toBe('jaeger-query GET /ready\n');
    expect(healthy.query.streams.at(-1)).toEqual({ pod: second, port: 16686 });
  });
});
