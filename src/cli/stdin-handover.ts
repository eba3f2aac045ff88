// Lending the terminal's input to a child program ($EDITOR, `kubectl exec -it`) and taking it
// back. Two readers on one TTY share every key between them: whichever read() wins gets it.
// So while the child runs, the cockpit must not read the terminal at all — not merely ignore
// what it reads — and Node's stream API has no public way to say so:
//
// - `stdin.pause()` stops delivering data, not reading: a TTY stream (highWaterMark 0) still
//   reads one more chunk into its buffer before it stops, and that chunk is the child's key.
// - Ink reads keys in a loop (`while ((chunk = stdin.read()) !== null)`, components/App.js),
//   and the key that opens the child is dispatched inside that loop. Its last read(), after our
//   handler returns, starts the stream reading again (Readable.read → _read → readStart). A
//   hand-over done synchronously in the key handler is undone before the child even starts:
//   this was the shell's "Enter never arrives" bug — the cockpit took every other key.
// - A Go child (kubectl) makes the terminal's file description blocking (os.File.Fd() does);
//   libuv shares that description with it (fd 0 is dup'ed from libuv's reopened TTY) and
//   expects it non-blocking, so a read with nothing to read would hang the whole cockpit.
//
// Hence: wait until the current input handler has returned, then step Ink's listeners aside
// and stop the libuv handle itself; after the child, put O_NONBLOCK back, then the listeners.

interface TtyHandle {
  reading?: boolean;
  readStop?(): number;
  readStart?(): number;
  setBlocking?(blocking: boolean): number;
}

export interface Lent {
  /** Give the input back to the cockpit's key reader. */
  restore(): void;
}

const handleOf = (stdin: NodeJS.ReadStream): TtyHandle | undefined =>
  (stdin as unknown as { _handle?: TtyHandle })._handle;

/** Stops the cockpit reading `stdin`; resolves once nothing in this process reads the terminal. */
export async function lendInput(stdin: NodeJS.ReadStream): Promise<Lent> {
  // Let the key handler that asked for the hand-over return, and Ink's read loop after it.
  await new Promise((resolve) => setImmediate(resolve));
  const listeners = stdin.listeners('readable') as ((...args: unknown[]) => void)[];
  stdin.removeAllListeners('readable');
  stdin.pause();
  const handle = handleOf(stdin);
  if (handle?.reading && handle.readStop) {
    handle.readStop();
    handle.reading = false;
  }
  return {
    restore() {
      handle?.setBlocking?.(false);
      for (const l of listeners) stdin.on('readable', l);
      readTerminal(stdin);
      stdin.resume();
    },
  };
}

/**
 * Starts the handle reading again. The stream cannot do it itself: its last _read() before
 * the hand-over never got an answer, so it believes a read is still under way.
 */
export function readTerminal(stdin: NodeJS.ReadStream): void {
  const handle = handleOf(stdin);
  if (handle && !handle.reading && handle.readStart) {
    handle.reading = true;
    handle.readStart();
  }
}

/** Whether this process is reading the terminal now (for tests). */
export function isReading(stdin: NodeJS.ReadStream): boolean {
  return handleOf(stdin)?.reading === true;
}
