// The terminal Prompter of `kcockpit fix`, driven through a fake TTY: a secret is read with
// nothing echoed, and questions go to the output stream (stderr in real use), not stdout.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { terminalPrompter } from '../../src/cli/prompter.js';

function fakeTty(): {
  input: NodeJS.ReadStream;
  output: NodeJS.WriteStream;
  written(): string;
  type(text: string): void;
} {
  const input = new PassThrough() as PassThrough & {
    isTTY: boolean;
    isRaw: boolean;
    setRawMode(mode: boolean): unknown;
  };
  input.isTTY = true;
  input.isRaw = false;
  input.setRawMode = (mode: boolean) => {
    input.isRaw = mode;
    return input;
  };
  const output = new PassThrough() as PassThrough & { columns: number; isTTY: boolean };
  output.columns = 80;
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return {
    input: input as unknown as NodeJS.ReadStream,
    output: output as unknown as NodeJS.WriteStream,
    written: () => text,
    type: (t) => input.write(t),
  };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('terminalPrompter', () => {
  it('reads a secret in raw mode and echoes none of it, backspace included', async () => {
    const tty = fakeTty();
    const answer = terminalPrompter(tty.input, tty.output).secret('Docker Hub access token (or password) for alice');
    await tick();
    tty.type('hunter22');
    tty.type('\u007f');
    tty.type('\r');
    expect(await answer).toBe('hunter2');
    expect(tty.written()).toBe('Docker Hub access token (or password) for alice (typing is not shown): \n');
    expect((tty.input as unknown as { isRaw: boolean }).isRaw).toBe(false);
  });

  it('ctrl-c cancels a secret', async () => {
    const tty = fakeTty();
    const answer = terminalPrompter(tty.input, tty.output).secret('token');
    await tick();
    tty.type('abc\u0003');
    await expect(answer).rejects.toThrow('cancelled (ctrl-c)');
  });

  it('confirms only on yes, and picks a numbered option', async () => {
    const tty = fakeTty();
    const p = terminalPrompter(tty.input, tty.output);
    const yes = p.confirm('Apply 3 changes to context sim?');
    await tick();
    tty.type('y\n');
    expect(await yes).toBe(true);
    const no = p.confirm('Apply?');
    await tick();
    tty.type('\n');
    expect(await no).toBe(false);
    const pick = p.choose('Secret regcred already exists.', ['Use it', 'Replace it', 'Cancel']);
    await tick();
    tty.type('7\n');
    await tick();
    tty.type('2\n');
    expect(await pick).toBe(1);
    expect(tty.written()).toContain('  1) Use it\n  2) Replace it\n  3) Cancel\n');
    expect(tty.written()).toContain('Type a number from 1 to 3.');
  });
});
