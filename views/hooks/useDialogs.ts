// The one dialog that can be open over the view (fix, port-forward, a y/n question), from
// the request a command made (commands/run-command.ts) until it closes. What happens after
// a yes — delete the pod, stop the forward, and say how that went — is written here.
import { useRef, useState } from 'react';
import { kubectlName } from '../../src/diagnose/evidence.js';
import type { DialogRequest } from '../commands/run-command.js';
import { ChooseSession } from '../dialogs/choose-session.js';
import { ConfirmSession } from '../dialogs/confirm-session.js';
import { FixSession } from '../dialogs/fix-session.js';
import { PortForwardSession } from '../dialogs/port-forward-session.js';
import { RevealSession } from '../dialogs/reveal-session.js';
import { decodedLines } from '../data/secret-value.js';
import { errorLine } from '../dialogs/store.js';
import { forwardLabel } from '../render/portforwards.js';
import type { Flash } from '../state.js';

export type OpenDialog = FixSession | PortForwardSession | ConfirmSession | ChooseSession | RevealSession;

export interface DialogHost {
  close(): void;
  flash(flash: Flash): void;
  /** Put another dialog in this one's place (the next step of a chain: choose, ask, show). */
  show(next: OpenDialog): void;
}

/** The session that carries a request from open to close. */
export function openSession(request: DialogRequest, host: DialogHost): OpenDialog {
  const { close, flash, show } = host;
  switch (request.kind) {
    case 'fix': {
      const { finding, backend, readonly } = request;
      return new FixSession({ finding, backend, readonly, onClose: close, onFlash: flash });
    }
    case 'action': {
      const { plan, backend, readonly, onOutcome } = request;
      return new FixSession({
        action: plan,
        backend,
        readonly,
        onClose: close,
        onFlash: flash,
        ...(onOutcome ? { onOutcome } : {}),
      });
    }
    case 'ask': {
      const { ask, backend, readonly } = request;
      return new FixSession({ ask, backend, readonly, onClose: close, onFlash: flash });
    }
    case 'choose': {
      const { title, options, choose, cursor } = request;
      return new ChooseSession({ title, options, ...(cursor !== undefined ? { cursor } : {}) }, choose, close);
    }
    case 'decode': {
      const { secret, data } = request;
      const where = `${secret.namespace ? `${secret.namespace}/` : ''}${secret.name}`;
      // The value is decoded only after the y, and lives in the reveal dialog alone.
      const ask = (key: string) =>
        new ConfirmSession(
          { title: 'Decode', question: `Show the decoded value of "${key}" in Secret ${where} on screen?` },
          () =>
            show(new RevealSession({ title: `Secret ${where}: ${key}`, lines: decodedLines(data[key] ?? '') }, close)),
          close,
        );
      const keys = Object.keys(data).sort();
      if (keys.length === 1) return ask(keys[0]!);
      return new ChooseSession(
        { title: `Decode: which key of Secret ${where}?`, options: keys },
        (k) => show(ask(k)),
        close,
      );
    }
    case 'portForward': {
      const { target, backend } = request;
      return new PortForwardSession({ target, backend, onClose: close, onFlash: flash });
    }
    case 'delete': {
      const { target } = request;
      const what = kubectlName(target);
      const deleted = () => flash({ kind: 'info', text: `Deleted ${what}.` });
      const failed = (err: unknown) => flash({ kind: 'error', text: `Could not delete ${what}: ${errorLine(err)}` });
      const yes = () => {
        flash({ kind: 'info', text: `Deleting ${what}…` });
        try {
          const result = request.delete(target);
          if (result instanceof Promise) result.then(deleted, failed);
        } catch (err) {
          failed(err);
        }
      };
      const question = `Delete ${what}${target.namespace ? ` in ${target.namespace}` : ''}?`;
      return new ConfirmSession({ title: 'Delete', question }, yes, close);
    }
    case 'stopForward': {
      const { forward, backend } = request;
      const label = forwardLabel(forward);
      const stopped = () => flash({ kind: 'info', text: `Stopped forwarding ${label}.` });
      const failed = (err: unknown) =>
        flash({ kind: 'error', text: `Could not stop forwarding ${label}: ${errorLine(err)}` });
      const yes = () => {
        try {
          const result = backend.stop(forward.id);
          if (result instanceof Promise) result.then(stopped, failed);
          else stopped();
        } catch (err) {
          failed(err);
        }
      };
      return new ConfirmSession({ title: 'Stop port-forward', question: `Stop forwarding ${label}?` }, yes, close);
    }
  }
}

export interface Dialogs {
  /** The dialog on screen. */
  dialog: OpenDialog | undefined;
  /** The dialog as it is now: a key typed right after the one that opened it must reach it before the next render. */
  current(): OpenDialog | undefined;
  open(request: DialogRequest): void;
}

export function useDialogs(flash: (flash: Flash) => void): Dialogs {
  const [dialog, setDialog] = useState<OpenDialog | undefined>(undefined);
  const ref = useRef<OpenDialog | undefined>(undefined);
  const set = (next: OpenDialog | undefined) => {
    ref.current = next;
    setDialog(next);
  };
  return {
    dialog,
    current: () => ref.current,
    open: (request) => set(openSession(request, { close: () => set(undefined), flash, show: set })),
  };
}
