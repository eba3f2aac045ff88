// Drive the real binary in a real terminal: tmux runs it, send-keys types, capture-pane reads
// the screen. A private tmux socket keeps tests away from the user's own sessions.
import { execFileSync } from 'node:child_process';

export class TmuxSession {
  private readonly socket = `kcockpit-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  readonly name = 'kc';

  /** Start `command` (a shell command line) in a detached session of the given size. */
  constructor(command: string, size: { columns: number; rows: number }) {
    this.tmux([
      'new-session',
      '-d',
      '-s',
      this.name,
      '-x',
      String(size.columns),
      '-y',
      String(size.rows),
      'sh',
      '-c',
      `${command}; echo KCOCKPIT-EXIT=$?; sleep 600`,
    ]);
  }

  private tmux(args: string[]): string {
    // tmux inherits this process's environment; CI=true would stop Ink from drawing, so the
    // command unsets it itself (see the callers), and the server must not be told otherwise.
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  screen(): string {
    return this.tmux(['capture-pane', '-p', '-t', this.name]);
  }

  /** The pane's title, which a program sets with OSC 0 or OSC 2. */
  title(): string {
    return this.tmux(['display-message', '-p', '-t', this.name, '#{pane_title}']).trim();
  }

  /** From now on, append every byte the program writes to the terminal to `file`. */
  recordTo(file: string): void {
    this.tmux(['pipe-pane', '-o', '-t', this.name, `cat >> '${file}'`]);
  }

  /** Keys as tmux names them: literal text, or `Enter`, `Escape`, `C-d`... */
  send(...keys: string[]): void {
    this.tmux(['send-keys', '-t', this.name, ...keys]);
  }

  /** Type text literally (no key-name lookup), e.g. `:helm`. */
  type(text: string): void {
    this.tmux(['send-keys', '-t', this.name, '-l', text]);
  }

  async waitFor(check: (screen: string) => boolean, what: string, ms = 15_000): Promise<string> {
    const end = Date.now() + ms;
    let last = '';
    while (Date.now() < end) {
      last = this.screen();
      if (check(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}; the screen was:\n${last}`);
  }

  /**
   * Type `:text`, enter, and wait for `expected`. Discovery can arrive a moment after the first
   * pods: a `:` name it does not know yet is refused with "not read yet", so the command is
   * typed again, three times at most, before the last wait takes its full time.
   */
  async command(text: string, expected: RegExp | ((screen: string) => boolean), what: string): Promise<string> {
    const check = typeof expected === 'function' ? expected : (s: string) => expected.test(s);
    for (let attempt = 0; ; attempt++) {
      this.type(`:${text}`);
      this.send('Enter');
      try {
        return await this.waitFor(check, what, attempt < 3 ? 3000 : undefined);
      } catch (e) {
        if (attempt >= 3) throw e;
      }
    }
  }

  kill(): void {
    try {
      this.tmux(['kill-server']);
    } catch {
      // Already gone.
    }
  }
}

export function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
