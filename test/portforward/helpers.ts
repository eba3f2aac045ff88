// A real TCP backend standing in for pods' ports, the simulator wired to it, and a plain
// node:http GET through a forwarded local port.
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, type Connection } from '../../src/kube/client.js';
import { loadScenario } from '../../src/sim/scenario.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';

export interface Backend {
  port: number;
  /** Every stream the simulator opened to this backend: the pod and port it stood for. */
  streams: { pod: string; port: number }[];
  close(): Promise<void>;
}

/** An HTTP server that answers `<name> <method> <path>`. */
export async function startBackend(name: string): Promise<Backend & { server: Server }> {
  const server = createServer((req, res) => {
    const body = `${name} ${req.method ?? ''} ${req.url ?? ''}\n`;
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    streams: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface ForwardWorld {
  sim: SimServer;
  conn: Connection;
  /** jaeger-query's UI port 16686, in any pod of the jaeger-query Deployment. */
  query: Backend;
  /** jaeger-query's admin port 16687. */
  admin: Backend;
  close(): Promise<void>;
}

/** A scenario (S1 by default) with jaeger-query's two ports served by real HTTP servers, whatever its pod is called. */
export async function startForwardWorld(scenario = 's1-jaeger'): Promise<ForwardWorld> {
  const query = await startBackend('jaeger-query');
  const admin = await startBackend('jaeger-admin');
  const sim = await startSimServer({
    scenario: loadScenario(scenario),
    port: 0,
    portForwardBackends: (namespace, pod, port) => {
      if (namespace !== 'observability' || !pod.startsWith('jaeger-query-')) return undefined;
      const backend = port === 16686 ? query : port === 16687 ? admin : undefined;
      backend?.streams.push({ pod, port });
      return backend ? { host: '127.0.0.1', port: backend.port } : undefined;
    },
  });
  const conn = connect({ kubeconfig: sim.kubeconfigPath });
  return {
    sim,
    conn,
    query,
    admin,
    async close() {
      conn.close();
      await sim.close();
      await query.close();
      await admin.close();
    },
  };
}

/** GET http://host:port/path with a fresh connection; resolves with status and body. */
export function httpGet(port: number, path = '/', host = '127.0.0.1'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = get({ host, port, path, agent: false, timeout: 5_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} on port ${port} timed out`)));
    req.on('error', reject);
  });
}

/** The name of the jaeger-query pod the simulator has now. */
export function queryPodName(sim: SimServer): string {
  const def = sim.state.registry.forKind('Pod');
  const pod = def
    ? sim.state.list(def, 'observability').find((e) => e.obj.metadata.name.startsWith('jaeger-query-'))
    : undefined;
  if (!pod) throw new Error('no jaeger-query pod in the simulator');
  return pod.obj.metadata.name;
}

/** Poll until `check` returns a value (not undefined), or fail after `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined, timeoutMs = 8_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
