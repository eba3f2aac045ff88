// The cockpit lends the terminal's input to a child program from inside Ink's key loop. A
// real libuv stream stands in for the TTY (a socket with a TTY's highWaterMark of 0), read
// the way Ink reads keys; bytes written while the input is lent must stay unread — they are
// the child's — and reach the cockpit's reader only after restore().
import { createServer, Socket, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isReading, lendInput, type Lent } from '../../src/cli/stdin-handover.js';

describe('lending the terminal input to a child program', () => {
  let server: Server;
  let peer: Socket;
  let input: NodeJS.ReadStream;

  beforeEach(async () => {
    const accepted = new Promise<Socket>((resolve) => {
      server = createServer(resolve);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const sock = new Socket({ readableHighWaterMark: 0 } as ConstructorParameters<typeof Socket>[0]);
    await new Promise<void>((resolve) => sock.connect(port, '127.0.0.1', resolve));
    input = sock as unknown as NodeJS.ReadStream;
    peer = await accepted;
  });

  afterEach(async () => {
    (input as unknown as Socket).destroy();
    peer.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

  it('stops reading although the key that asked was read in a loop that reads once more', async () => {
    const keys: string[] = [];
    let lent: Promise<Lent> | undefined;
    input.setEncoding('utf8');
    // Ink's App.handleReadable: read until read() gives null, dispatching each key.
    input.on('readable', () => {
      let chunk: string | null;
      while ((chunk = input.read() as string | null) !== null) {
        keys.push(chunk);
        if (chunk === 's') lent = lendInput(input);
      }
    });
    peer.write('s');
    await settle();
    expect(keys).toEqual(['s']);
    const handed = await lent!;
    expect(isReading(input)).toBe(false);

    peer.write('echo hi\r');
    await settle();
    expect(keys).toEqual(['s']);
    expect(isReading(input)).toBe(false);

    handed.restore();
    await settle();
    expect(keys.join('')).toBe('secho hi\r');
    expect(isReading(input)).toBe(true);
  });
});
