// A y/n question over the view: "Delete pod X?", "Stop the port-forward …?".
import { dialogCommand } from '../keys/bindings.js';
import type { KeyPress } from '../keys/dispatcher.js';
import { passesThrough, type DialogSession } from './dialog.js';
import { Store } from './store.js';

export interface ConfirmState {
  title: string;
  /** Asked as is, followed by `[y/n]`. */
  question: string;
}

export class ConfirmSession extends Store<ConfirmState> implements DialogSession {
  readonly kind = 'confirm' as const;

  constructor(
    state: ConfirmState,
    private readonly onYes: () => void,
    private readonly onClose: () => void,
  ) {
    super(state);
  }

  handle(press: KeyPress): boolean {
    if (passesThrough(press)) return false;
    const command = dialogCommand(press.name, 'confirm');
    if (command === 'dialog.yes') {
      this.onClose();
      this.onYes();
    } else if (command === 'dialog.no' || command === 'dialog.close') {
      this.onClose();
    }
    // Anything else is ignored: only y answers yes, so a stray enter cannot delete a pod.
    return true;
  }
}
