// What every open dialog is to the cockpit: a kind (which component draws it) and a key
// handler that sits first in the dispatcher's layers.
import type { DialogKind } from '../keys/bindings.js';
import type { KeyPress } from '../keys/dispatcher.js';

export interface DialogSession {
  readonly kind: DialogKind;
  /** True when the key was taken; a dialog takes every key except those `passesThrough` lets by. */
  handle(press: KeyPress): boolean;
}

/**
 * Keys an open dialog does not take: ctrl-c still quits, and a run of keys typed faster than
 * the screen repaints goes back to the dispatcher, which splits it and offers the dialog
 * one key at a time (a text field takes the run whole instead, as a paste).
 */
export function passesThrough(press: KeyPress): boolean {
  return press.name === 'ctrl-c' || ([...press.input].length > 1 && press.name === press.input);
}
