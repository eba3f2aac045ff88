// Talking to a simulator from tests: HTTPS requests trusting its certificate, watch streams
// read line by line, and the captured samples of a real API server.
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { loadScenario, type Scenario } from '../../src/sim/scenario.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';

export const sample = (file: string): unknown =>
  JSON.parse(readFileSync(new URL(`./samples/${file}`, import.meta.url), 'utf8'));
export const sampleText = (file: string): string => readFileSync(new URL(`./samples/${file}`, import.meta.url), 'utf8');

export async function startScenario(
  name: string,
  opts: { bookmarkIntervalMs?: number; historyLimit?: number; scenario?: Scenario } = {},
): Promise<SimServer> {
  return startSimServer({
    scenario: opts.scenario ?? loadScenario(name),
    ...(opts.bookmarkIntervalMs !== undefined ? { bookmarkIntervalMs: opts.bookmarkIntervalMs } : {}),
    ...(opts.historyLimit !== undefined ? { historyLimit: opts.historyLimit } : {}),
  });
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  /** Bearer token; `null` sends none. Defaults to the admin token. */
  token?: string | null;
  accept?: string;
  contentType?: string;
}

export interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  text: string;
  json<T = Record<string, unknown>>(): T;
}

function open(srv: SimServer, path: string, opts: CallOptions): Promise<IncomingMessage> {
  const token = opts.token === undefined ? srv.users.adminToken : opts.token;
  const headers: Record<string, string> = { accept: opts.accept ?? 'application/json' };
  if (token) headers['authorization'] = `Bearer ${token}`;
  let payload: string | undefined;
  if (opts.body !== undefined) {
    payload = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] = opts.contentType ?? 'application/json';
    // Node sends a DELETE's body without a length otherwise, and the server cannot read it.
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    // No pooled sockets: a test may restart the server on the same port.
    const req = httpsRequest(
      `${srv.url}${path}`,
      { method: opts.method ?? 'GET', headers, ca: srv.tls.cert, agent: false },
      resolve,
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export async function call(srv: SimServer, path: string, opts: CallOptions = {}): Promise<Answer> {
  const res = await open(srv, path, opts);
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return { status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T };
}

export interface Stream {
  status: number;
  lines: string[];
  /** Resolves when at least `n` lines have arrived (rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<string[]>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** A streaming GET (watch, follow logs); `status` is known as soon as headers arrive. */
export async function stream(srv: SimServer, path: string, opts: CallOptions = {}): Promise<Stream> {
  const res = await open(srv, path, opts);
  const lines: string[] = [];
  let buf = '';
  const waiters: (() => void)[] = [];
  const ended = new Promise<void>((resolve) => {
    res.on('end', resolve);
    res.on('close', resolve);
  });
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      lines.push(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
    for (const w of waiters.splice(0)) w();
  });
  res.on('end', () => {
    if (buf) lines.push(buf);
    for (const w of waiters.splice(0)) w();
  });
  return {
    status: res.statusCode ?? 0,
    lines,
    ended,
    close: () => res.destroy(),
    waitFor(n, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for ${n} lines; got ${lines.length}: ${lines.join('\n')}`)),
          timeoutMs,
        );
        const check = () => {
          if (lines.length >= n) {
            clearTimeout(timer);
            resolve(lines);
          } else waiters.push(check);
        };
        check();
      });
    },
  };
}

/** Watch lines parsed as events. */
export const events = (lines: string[]): { type: string; object: Record<string, any> }[] =>
  lines.map((l) => JSON.parse(l));

export const TABLE_ACCEPT =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
