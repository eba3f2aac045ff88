// HTTP plumbing shared by the handlers: JSON answers, Status errors, request bodies and the
// Accept negotiation that decides between plain JSON and the Table form.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeProtobufObject } from './protobuf.js';
import { ApiError, badRequest, internalError, unsupportedMediaType, type StatusBody } from './status.js';

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendStatus(res: ServerResponse, status: StatusBody): void {
  sendJson(res, status.code ?? 500, status);
}

/**
 * Write chunks with back-pressure: a 70 MB list must not be buffered whole in the socket.
 * With `bytesPerSecond`, no faster than that: a real API server reads a list from etcd and
 * encodes it at tens of MB/s, several times slower than the simulator's cached JSON.
 */
export async function sendChunks(
  res: ServerResponse,
  chunks: Iterable<string>,
  bytesPerSecond?: number,
): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  const start = performance.now();
  let sent = 0;
  for (const chunk of chunks) {
    if (res.destroyed) return;
    if (bytesPerSecond) {
      // This chunk goes out once the ones before it would have taken their time.
      const due = start + (sent / bytesPerSecond) * 1000 - performance.now();
      if (due > 1) await new Promise((resolve) => setTimeout(resolve, due));
      if (res.destroyed) return;
      sent += chunk.length;
    }
    if (!res.write(chunk))
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.once('drain', done);
        res.once('close', done);
      });
  }
  if (bytesPerSecond) {
    const due = start + (sent / bytesPerSecond) * 1000 - performance.now();
    if (due > 1) await new Promise((resolve) => setTimeout(resolve, due));
  }
  res.end();
}

export function toStatus(e: unknown): StatusBody {
  if (e instanceof ApiError) return e.status;
  return internalError(e instanceof Error ? e.message : String(e)).status;
}

export async function readBody(req: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const chunk of req) parts.push(chunk as Buffer);
  const body = Buffer.concat(parts);
  const contentType = req.headers['content-type'] ?? '';
  if (contentType.startsWith('application/vnd.kubernetes.protobuf')) {
    try {
      return decodeProtobufObject(body);
    } catch (e) {
      throw unsupportedMediaType(`${contentType}: ${(e as Error).message}`);
    }
  }
  const text = body.toString('utf8');
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml: ${(e as Error).message}`,
    );
  }
}

/** The meta.k8s.io version of Table the client accepts first, if it asked for the Table form. */
export function tableVersion(accept: string | undefined): string | undefined {
  for (const part of (accept ?? '').split(',')) {
    const params = new Map(
      part
        .split(';')
        .slice(1)
        .map((p) => p.trim().split('=') as [string, string]),
    );
    if (params.get('as') === 'Table' && params.get('g') === 'meta.k8s.io') {
      const v = params.get('v');
      if (v === 'v1' || v === 'v1beta1') return `meta.k8s.io/${v}`;
    }
  }
  return undefined;
}
