// One choice from a short list over the view: which container a shell, attach or log opens
// in; which key of a Secret to decode.
import { dialogCommand } from '../keys/bindings.js';
import type { KeyPress } from '../keys/dispatcher.js';
import { passesThrough, type DialogSession } from './dialog.js';
import { Store } from './store.js';

export interface ChooseState {
  title: string;
  options: readonly string[];
  cursor: number;
}

export class ChooseSession extends Store<ChooseState> implements DialogSession {
  readonly kind = 'choose' as const;

  constructor(
    state: Omit<ChooseState, 'cursor'> & { cursor?: number },
    private readonly onChoose: (option: string) => void,
    private readonly onClose: () => void,
  ) {
    super({ ...state, cursor: Math.max(0, Math.min(state.options.length - 1, state.cursor ?? 0)) });
  }

  handle(press: KeyPress): boolean {
    if (passesThrough(press)) return false;
    const command = dialogCommand(press.name, 'choose');
    const { cursor, options } = this.state;
    if (command === 'dialog.down') this.update({ cursor: Math.min(options.length - 1, cursor + 1) });
    else if (command === 'dialog.up') this.update({ cursor: Math.max(0, cursor - 1) });
    else if (command === 'dialog.close') this.onClose();
    else if (command === 'dialog.enter') {
      this.onClose();
      this.onChoose(options[cursor]!);
    }
    return true;
  }
}
