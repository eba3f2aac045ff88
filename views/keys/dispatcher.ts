// The one keypress dispatcher. Ink calls a single useInput handler at the root; the handler
// names the key and offers it to layers in priority order — an open prompt or dialog
// first, then the active view, then global keys — until one consumes it.
import { useCallback, useRef } from 'react';
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
 * held down on a busy machine). A prompt takes such a string whole, as a paste; otherwise
 * it is split into single keys.
 */
export function splitKeys(input: string, key: Key): KeyPress[] {
  const chars = [...input];
  if (chars.length < 2 || key.ctrl || key.meta) return [{ name: keyName(input, key), input }];
  return chars.map((ch) => ({ name: keyName(ch, { ...key, shift: /^[A-Z]$/.test(ch) }), input: ch }));
}

/**
 * Install the single input handler. Layers are rebuilt on every render and read through a
 * ref, so the handler Ink holds never changes identity (a new identity makes useInput
 * unsubscribe and subscribe again on every render). Split keys are handled one per turn of
 * the event loop, so each sees the screen the previous one produced.
 */
export function useKeyDispatcher(layers: readonly (KeyLayer | undefined)[]): void {
  const ref = useRef(layers);
  ref.current = layers;
  const queue = useRef<KeyPress[]>([]);
  const drain = useCallback(() => {
    const next = queue.current.shift();
    if (next) dispatchKey(next, ref.current);
    if (queue.current.length > 0) setImmediate(drain);
  }, []);
  const handler = useCallback(
    (input: string, key: Key) => {
      // Keys still waiting go first, so order is kept.
      if (queue.current.length > 0) {
        queue.current.push(...splitKeys(input, key));
        return;
      }
      // A paste into an open prompt is taken whole.
      if (dispatchKey({ name: keyName(input, key), input }, ref.current) !== undefined) return;
      const keys = splitKeys(input, key);
      if (keys.length < 2) return;
      queue.current.push(...keys);
      drain();
    },
    [drain],
  );
  useInput(handler);
}
