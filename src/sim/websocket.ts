// The kubelet's WebSocket channel protocol, shared by pods/portforward and pods/exec: the
// subprotocol handshake (`v5.channel.k8s.io`, `v4.channel.k8s.io`, the base64 twin), frames
// whose first byte (or first character, in base64) is the channel, and the refusals sent
// before an upgrade — a Status from the API server, or the kubelet's plain text.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import type { ApiError, StatusBody } from './status.js';

export type Codec = 'binary' | 'base64';

/** A refusal before the upgrade: a Status from the API server, or the kubelet's plain text. */
export class Refusal {
  constructor(
    readonly code: number,
    readonly body: string,
    readonly contentType: string,
  ) {}

  static status(e: ApiError): Refusal {
    const s: StatusBody = e.status;
    return new Refusal(s.code ?? 500, JSON.stringify(s), 'application/json');
  }

  static text(code: number, text: string): Refusal {
    return new Refusal(code, text, 'text/plain; charset=utf-8');
  }
}

export function refuse(socket: Duplex, r: Refusal): void {
  const body = Buffer.from(r.body);
  const head = [
    `HTTP/1.1 ${r.code} ${STATUS_CODES[r.code] ?? ''}`,
    `Content-Type: ${r.contentType}`,
    'Cache-Control: no-cache, private',
    `Content-Length: ${body.length}`,
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  socket.end(Buffer.concat([Buffer.from(head), body]));
}

/** The subprotocol the handshake settles on: the client's first that `supported` has; '' when the client named none. */
export function negotiate(header: string | undefined, supported: ReadonlyMap<string, Codec>): string | undefined {
  const offered = (header ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (offered.length === 0) return supported.has('') ? '' : undefined;
  return offered.find((p) => supported.has(p));
}

/** Writes `data` on `channel`, framed for the codec; nothing once the socket is closing. */
export function channelWriter(ws: WebSocket, codec: Codec): (channel: number, data: Buffer) => void {
  return (channel, data) => {
    if (ws.readyState !== ws.OPEN) return;
    if (codec === 'binary') ws.send(Buffer.concat([Buffer.from([channel]), data]), { binary: true });
    else ws.send(String.fromCharCode(48 + channel) + data.toString('base64'), { binary: false });
  };
}

/** A received frame's channel and payload; undefined for an empty frame. */
export function readFrame(raw: RawData, isBinary: boolean): { channel: number; payload: Buffer } | undefined {
  const frame = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
  if (frame.length === 0) return undefined;
  const channel = isBinary ? (frame[0] as number) : (frame[0] as number) - 48;
  const payload = isBinary ? frame.subarray(1) : Buffer.from(frame.subarray(1).toString(), 'base64');
  return { channel, payload };
}
