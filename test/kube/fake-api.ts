// A tiny node:http stand-in for kube-apiserver, for the edge cases the simulator is not the
// clearest way to provoke (410 mid-watch, silent stalls, 500s). Responses reuse the shapes
// captured from a real API server (fixtures/api-samples).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, type Connection, type ConnectionOptions } from '../../src/kube/client.js';

const SAMPLES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'api-samples');

export function sample<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(path.join(SAMPLES, name), 'utf8')) as T;
}

export function sampleLines(name: string): string[] {
  return readFileSync(path.join(SAMPLES, name), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
}

export const TOKEN = 'sekret-token-3f9a1c';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void | Promise<void>;

export interface FakeApi {
  url: string;
  port: number;
  kubeconfigPath: string;
  /** Every request path with its query, in order. */
  requests: URL[];
  /** TCP connections accepted so far. */
  connections: () => number;
  connect(opts?: ConnectionOptions): Connection;
  close(): Promise<void>;
}

export async function startFakeApi(handler: Handler, opts: { port?: number } = {}): Promise<FakeApi> {
  const requests: URL[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    Promise.resolve(handler(req, res, url)).catch((e: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: String(e), code: 500 });
    });
  });
  server.on('connection', (s) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'kcockpit-fake-'));
  const kubeconfigPath = path.join(dir, 'config');
  writeFileSync(kubeconfigPath, kubeconfigFor(url));
  return {
    url,
    port,
    kubeconfigPath,
    requests,
    connections: () => connections,
    connect: (o = {}) => connect({ kubeconfig: kubeconfigPath, ...o }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export function kubeconfigFor(server: string, namespace = 'sample'): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: fake',
    '  cluster:',
    `    server: ${server}`,
    '    insecure-skip-tls-verify: true',
    'users:',
    '- name: tester',
    '  user:',
    `    token: ${TOKEN}`,
    'contexts:',
    '- name: fake',
    '  context:',
    '    cluster: fake',
    '    user: tester',
    `    namespace: ${namespace}`,
    'current-context: fake',
    '',
  ].join('\n');
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** A list response as the API server sends it: kind/apiVersion on the list, not on the items. */
export function listBody(
  kind: string,
  items: unknown[],
  resourceVersion: string,
  extra: { continue?: string; remainingItemCount?: number } = {},
) {
  const metadata: Record<string, unknown> = { resourceVersion };
  if (extra.continue) metadata['continue'] = extra.continue;
  if (extra.remainingItemCount !== undefined) metadata['remainingItemCount'] = extra.remainingItemCount;
  return { kind: `${kind}List`, apiVersion: 'v1', metadata, items };
}

/** Open a watch stream: headers flushed at once, as the API server does (client-node waits for them). */
export function openWatch(res: http.ServerResponse): { send(event: unknown): void; end(): void } {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  return {
    send: (event) => res.write(`${JSON.stringify(event)}\n`),
    end: () => res.end(),
  };
}

/** A pod in the shape `kubectl get pod -o json` gives, from the captured list. */
export function podFromSample(name: string, namespace: string, rv: string, uid = `uid-${namespace}-${name}`) {
  const base = sample<{ items: { metadata: Record<string, unknown> }[] }>('list-paged-limit1.json').items[0]!;
  const pod = structuredClone(base) as { metadata: Record<string, unknown> };
  pod.metadata = { ...pod.metadata, name, namespace, uid, resourceVersion: rv };
  return pod;
}

export async function until(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
