// One Secret value on screen, asked for with shift-x and a y: the dialog holds it while open
// and forgets it when it closes. It goes nowhere else (no flash line, no log, no audit).
import { dialogCommand } from '../keys/bindings.js';
import type { KeyPress } from '../keys/dispatcher.js';
import { passesThrough, type DialogSession } from './dialog.js';
import { Store } from './store.js';

export interface RevealState {
  title: string;
  lines: readonly string[];
  /** The first line on screen. */
  top: number;
}

export class RevealSession extends Store<RevealState> implements DialogSession {
  readonly kind = 'reveal' as const;

  constructor(
    state: Omit<RevealState, 'top'>,
    private readonly onClose: () => void,
  ) {
    super({ ...state, top: 0 });
  }

  handle(press: KeyPress): boolean {
    if (passesThrough(press)) return false;
    const command = dialogCommand(press.name, 'reveal');
    const { top, lines } = this.state;
    if (command === 'dialog.down') this.update({ top: Math.min(Math.max(0, lines.length - 1), top + 1) });
    else if (command === 'dialog.up') this.update({ top: Math.max(0, top - 1) });
    else if (command === 'dialog.close' || command === 'dialog.enter') this.onClose();
    return true;
  }
}
