// The one keypress dispatcher. Ink calls a single useInput handler at the root; the handler
// names the key and offers it to layers in priority order — an open prompt or dialog
// first, then the active view, then global keys — until one consumes it.
import { useCallback, useEffect, useRef } from 'react';
import { useInput, type Key } from 'ink';

export interface KeyPress {
  /** Normalised name: `j`, `shift-g`, `ctrl-d`, `escape`, `enter`, `pagedown`, `space`... */
  name: string;
  /** The raw text Ink delivered (a pasted string arrives whole), for prompts that type. */
  input: string;
}

/** Ink's (input, key) pair → one key name, so bindings can be plain strings. */
export function keyName(input: string, key: Key): string {
  // Esc also sets key.meta in Ink 6: it must be recognised before any meta handling.
  if (key.escape) return 'escape';
  if (key.return || input === '\r' || input === '\n') return 'enter';
  if (key.tab) return key.shift ? 'shift-tab' : 'tab';
  if (key.backspace) return 'backspace';
  // Most terminals send DEL (0x7f) for the Backspace key; Ink reports it as `delete`.
  if (key.delete) return 'delete';
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  // ctrl-space sends NUL, which Ink names as the control key before `a` (a backquote);
  // ctrl-\ sends FS (0x1c), which Ink passes on as is.
  if (input === '\u0000' || (key.ctrl && input === '`')) return 'ctrl-space';
  if (input === '\u001c') return 'ctrl-\\';
  if (key.ctrl && input) return `ctrl-${input.toLowerCase()}`;
  if (input === ' ') return 'space';
  if (key.meta && input) return `alt-${input}`;
  if (/^[A-Z]$/.test(input)) return `shift-${input.toLowerCase()}`;
  return input;
}

export interface KeyLayer {
  /** For tests and debugging: which layer took the key. */
  id: string;
  /** Return true when the key was consumed; false lets the next layer see it. */
  handle(press: KeyPress): boolean;
}

/** Offer a key to each layer in order; returns the id of the layer that consumed it. */
export function dispatchKey(press: KeyPress, layers: readonly (KeyLayer | undefined)[]): string | undefined {
  for (const layer of layers) if (layer?.handle(press)) return layer.id;
  return undefined;
}

/**
 * Keys typed faster than the screen repaints reach Ink as one string (`jjj` while j is
 * held down on a busy machine, or `helm\r` from a fast typist or tmux's send-keys). The
 * string is cut at line breaks, which are Enter presses; a prompt takes each text run whole,
 * as a paste, and any other layer gets it split into single keys.
 */
export function splitKeys(input: string, key: Key): KeyPress[] {
  const chars = [...input];
  if (chars.length < 2 || key.ctrl || key.meta) return [{ name: keyName(input, key), input }];
  return chars.map((ch) => ({
    name: CONTROL_CHARS[ch] ?? keyName(ch, { ...key, shift: /^[A-Z]$/.test(ch) }),
    input: ch,
  }));
}

/**
 * Control characters inside a burst, named as Ink names them when they arrive alone
 * (Backspace sends DEL, which Ink reports as `delete`).
 */
const CONTROL_CHARS: Readonly<Record<string, string>> = {
  '\u007f': 'delete',
  '\b': 'backspace',
  '\t': 'tab',
  '\u001b': 'escape',
};

export function splitChunk(input: string, key: Key): KeyPress[] {
  if ([...input].length < 2 || key.ctrl || key.meta || !/[\r\n\u007f\b\t]/.test(input))
    return [{ name: keyName(input, key), input }];
  // Line breaks are Enter; Backspace (DEL) and Tab are keys of their own, even inside a
  // burst typed into a prompt.
  return input
    .split(/(\r\n|\r|\n|\u007f|\b|\t)/)
    .filter((part) => part !== '')
    .map((part) =>
      /^[\r\n]+$/.test(part)
        ? { name: 'enter', input: '\r' }
        : CONTROL_CHARS[part]
          ? { name: CONTROL_CHARS[part]!, input: part }
          : {
              name: keyName(part, { ...key, return: false, delete: false, backspace: false, tab: false }),
              input: part,
            },
    );
}

const NO_KEY = {} as Key;

/** How long a queued key waits for the previous key's repaint when that key changed nothing. */
const SETTLE_MS = 50;

/**
 * Install the single input handler. Layers are rebuilt on every render and read through a
 * ref, so the handler Ink holds never changes identity (a new identity makes useInput
 * unsubscribe and subscribe again on every render). Queued keys are handled one at a time,
 * each after the render the previous one caused has been committed, so `:helm` typed in
 * one burst opens the prompt first and then types into it. `onInput` hears of every key as
 * it arrives, before it is handled.
 */
export function useKeyDispatcher(layers: readonly (KeyLayer | undefined)[], onInput?: () => void): void {
  const ref = useRef(layers);
  ref.current = layers;
  const inputRef = useRef(onInput);
  inputRef.current = onInput;
  const queue = useRef<KeyPress[]>([]);
  const waiting = useRef<NodeJS.Timeout | undefined>(undefined);

  const step = useCallback(() => {
    if (waiting.current) clearTimeout(waiting.current);
    waiting.current = undefined;
    const next = queue.current.shift();
    if (
      next &&
      dispatchKey(next, ref.current) === undefined &&
      [...next.input].length > 1 &&
      next.name === next.input
    ) {
      // Nobody took the run whole (no prompt is open): it is keys typed in a hurry.
      const [first, ...rest] = splitKeys(next.input, NO_KEY);
      queue.current.unshift(...rest);
      if (first) dispatchKey(first, ref.current);
    }
    // Wait for the commit this key causes (the effect below); a key that changed nothing
    // causes none, so a short timer moves on.
    if (queue.current.length > 0) waiting.current = setTimeout(step, SETTLE_MS);
  }, []);

  useEffect(() => {
    if (waiting.current) step();
  });
  useEffect(() => () => clearTimeout(waiting.current), []);

  const handler = useCallback(
    (input: string, key: Key) => {
      inputRef.current?.();
      // Keys still waiting go first, so order is kept.
      const busy = queue.current.length > 0 || waiting.current !== undefined;
      queue.current.push(...splitChunk(input, key));
      if (!busy) step();
    },
    [step],
  );
  useInput(handler);
}
