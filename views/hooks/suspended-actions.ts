// The actions that leave the screen for another program — $EDITOR for `e`, a terminal in a
// container for `s` and `a` — carried out for useCommandKeys. The cockpit's owner (src/cli)
// suspends and restores the screen around them; here they are only promises, and how they
// end is a dialog (the edit's plan) or a line in the status bar.
import { kubectlName } from '../../src/diagnose/evidence.js';
import type { Effect } from '../commands/run-command.js';
import { errorLine } from '../dialogs/store.js';
import type { Flash } from '../state.js';
import type { Dialogs } from './useDialogs.js';

type Flasher = (flash: Flash) => void;

export async function edit(effect: Extract<Effect, { type: 'edit' }>, dialogs: Dialogs, flash: Flasher): Promise<void> {
  const { target, backend, readonly } = effect;
  try {
    const result = await effect.edit(target);
    if ('message' in result) return flash({ kind: 'info', text: result.message });
    dialogs.open({
      kind: 'action',
      plan: result.plan,
      backend,
      readonly,
      onOutcome: (outcome) => {
        const note = result.settle(outcome);
        if (note) flash({ kind: 'error', text: note });
      },
    });
  } catch (err) {
    flash({ kind: 'error', text: `Could not edit ${kubectlName(target)}: ${errorLine(err)}` });
  }
}

export async function terminal(
  effect: Extract<Effect, { type: 'terminal' }>,
  dialogs: Dialogs,
  flash: Flasher,
): Promise<void> {
  const { request } = effect;
  const open = async (container: string) => {
    try {
      await effect.terminal({ ...request, container });
    } catch (err) {
      flash({
        kind: 'error',
        text: `Could not ${request.mode === 'exec' ? 'open a shell in' : 'attach to'} ${request.pod.name}/${container}: ${errorLine(err)}`,
      });
    }
  };
  if (request.containers.length === 1) return open(request.containers[0]!);
  dialogs.open({
    kind: 'choose',
    title: `${request.mode === 'exec' ? 'Shell' : 'Attach'}: which container of ${request.pod.name}?`,
    options: request.containers,
    choose: (c) => void open(c),
  });
}
