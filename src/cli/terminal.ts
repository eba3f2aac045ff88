// Terminal manners for the full-screen cockpit. Ink 6.8 has no alternate-screen option, so
// we enter it ourselves and promise to leave it on every way out: normal exit, Ctrl-C,
// SIGTERM, SIGHUP (what an SSH disconnect sends) and a crash.
import { oneLine } from './errors.js';

const ENTER_ALT = '\u001b[?1049h';
const LEAVE_ALT = '\u001b[?1049l';
const SHOW_CURSOR = '\u001b[?25h';
const HIDE_CURSOR = '\u001b[?25l';

export interface TerminalSession {
  /** Leave the alternate screen and show the cursor; safe to call more than once. */
  restore(): void;
  /** Hand the terminal to a child program (kubectl exec, $EDITOR) and take it back after. */
  suspend<T>(run: () => Promise<T>): Promise<T>;
}

export function enterFullScreen(stdout: NodeJS.WriteStream, stdin: NodeJS.ReadStream): TerminalSession {
  let active = true;
  const write = (s: string) => {
    try {
      stdout.write(s);
    } catch {
      // The terminal may already be gone (SIGHUP); nothing left to restore.
    }
  };
  write(ENTER_ALT + HIDE_CURSOR);

  const restore = () => {
    if (!active) return;
    active = false;
    if (stdin.isTTY) {
      try {
        stdin.setRawMode(false);
      } catch {
        // stdin closed under us.
      }
    }
    write(SHOW_CURSOR + LEAVE_ALT);
  };

  // While a child program has the terminal, ctrl-c in cooked mode (an editor's prompt, kubectl
  // still connecting) signals the whole foreground group: it is the child's to handle.
  let lent = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (lent && signal === 'SIGINT') return;
    restore();
    // Re-raise with the default action so the exit status says how we died.
    process.removeListener(signal, onSignal);
    process.kill(process.pid, signal);
  };
  const onCrash = (err: unknown) => {
    restore();
    process.stderr.write(`kcockpit: ${oneLine(err)}\n`);
    process.exit(2);
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, onSignal);
  process.prependListener('uncaughtException', onCrash);
  process.on('exit', restore);

  return {
    restore,
    async suspend(run) {
      write(SHOW_CURSOR + LEAVE_ALT);
      if (stdin.isTTY) stdin.setRawMode(false);
      lent = true;
      try {
        return await run();
      } finally {
        lent = false;
        if (stdin.isTTY) stdin.setRawMode(true);
        write(ENTER_ALT + HIDE_CURSOR);
      }
    },
  };
}

/** Why the cockpit cannot draw here, or undefined when it can. */
export function cockpitUnavailableReason(
  stdout: NodeJS.WriteStream,
  stdin: NodeJS.ReadStream,
  env: NodeJS.ProcessEnv,
): string | undefined {
  if (!stdout.isTTY || !stdin.isTTY)
    return 'the cockpit needs a terminal; for scripts use `kcockpit diagnose` (text, json or markdown)';
  // Ink renders nothing interactive when CI is set at all, even to an empty string.
  if (env['CI'] !== undefined)
    return 'the CI environment variable is set, so the terminal UI cannot draw; unset CI or use `kcockpit diagnose`';
  return undefined;
}
