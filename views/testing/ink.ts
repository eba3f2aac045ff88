// Helpers for driving Ink components in tests (ink-testing-library 4): give the fake
// terminal a size, type keys, and wait for a frame instead of sleeping.
import type { EventEmitter } from 'node:events';

/** What these helpers need of an ink-testing-library instance. */
export interface InkInstance {
  stdout: EventEmitter;
  stdin: { write(data: string): void };
  lastFrame(): string | undefined;
}

export const KEY = {
  escape: '\u001b',
  enter: '\r',
  tab: '\t',
  backspace: '\u007f',
  up: '\u001b[A',
  down: '\u001b[B',
  pageDown: '\u001b[6~',
  pageUp: '\u001b[5~',
  ctrlD: '\u0004',
  ctrlF: '\u0006',
  ctrlC: '\u0003',
} as const;

/** Ink updates the frame after the current turn of the event loop. */
export function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * ink-testing-library's stdout is always 100 columns with no rows; give it a real size
 * and announce it the way a terminal does, with 'resize'.
 */
export async function resize(instance: InkInstance, columns: number, rows: number): Promise<void> {
  Object.defineProperty(instance.stdout, 'columns', { value: columns, configurable: true });
  Object.defineProperty(instance.stdout, 'rows', { value: rows, configurable: true });
  instance.stdout.emit('resize');
  await tick();
  await tick();
}

export function frame(instance: InkInstance): string {
  return instance.lastFrame() ?? '';
}

/** Wait until the frame satisfies `check`, for at most `ms` (timers such as log batching need real time). */
export async function waitForFrame(
  instance: InkInstance,
  check: (frame: string) => boolean,
  ms = 2000,
): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const f = frame(instance);
    if (check(f)) return f;
    if (Date.now() > deadline) throw new Error(`frame never matched; last frame:\n${f}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Type keys one at a time, letting Ink process each (Esc needs its own turn to be told apart from a sequence). */
export async function press(instance: InkInstance, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    instance.stdin.write(k);
    await tick();
    await tick();
  }
}
