// The port-forward dialog's state machine: read the target's ports → choose ports, local
// ports and the bind address → (an address reachable from the network asks once more) →
// start. A busy local port comes back as one line with a free port to take instead.
import type { ObjectRef } from '../../src/diagnose/types.js';
import { kubectlName } from '../../src/diagnose/evidence.js';
import type { ForwardInfo, PortPair } from '../../src/portforward/types.js';
import { dialogCommand } from '../keys/bindings.js';
import type { KeyPress } from '../keys/dispatcher.js';
import { editPrompt } from '../keys/prompt.js';
import type { AvailablePort, PortForwardBackend } from '../sources.js';
import type { Flash } from '../state.js';
import { passesThrough, type DialogSession } from './dialog.js';
import { Store, errorLine } from './store.js';

const DEFAULT_ADDRESS = '127.0.0.1';

export interface PortChoice {
  port: AvailablePort;
  selected: boolean;
  local: number;
}

export type EditedField = { field: 'local'; index: number; text: string } | { field: 'address'; text: string };

export interface PortForwardDialogState {
  target: ObjectRef;
  /** `confirm-exposure`: the address reaches beyond this machine and the user must say yes. */
  stage: 'loading' | 'form' | 'confirm-exposure' | 'starting';
  ports: readonly PortChoice[];
  cursor: number;
  address: string;
  /** The address exposes the ports to the network (0.0.0.0, ::, a LAN IP). */
  exposes: boolean;
  editing?: EditedField;
  /** One line: what went wrong and what to do. */
  error?: string;
  /** After a busy-port error: a free local port for the port at `index`, taken with `p`. */
  proposal?: { index: number; port: number };
}

export interface PortForwardSessionOptions {
  target: ObjectRef;
  backend: PortForwardBackend;
  onClose(): void;
  onFlash(flash: Flash): void;
}

/** What a rejected `start` says about a busy local port (see PortForwardBackend). */
export function busyPort(err: unknown): { localPort: number; freePort?: number } | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { localPort, freePort } = err as { localPort?: unknown; freePort?: unknown };
  if (typeof localPort !== 'number') return undefined;
  return typeof freePort === 'number' ? { localPort, freePort } : { localPort };
}

function parsePort(text: string): number | undefined {
  const n = Number(text.trim());
  return /^\d+$/.test(text.trim()) && n >= 1 && n <= 65535 ? n : undefined;
}

/** `Forwarding 127.0.0.1:8080 → pod/jaeger-query-5c9d8:16686`, plus what was asked for when that was not a pod. */
export function forwardingText(info: ForwardInfo): string {
  const pod = info.pod.includes('/') ? info.pod : `pod/${info.pod}`;
  const pairs = info.ports.map((p) => `${info.address}:${p.local} → ${pod}:${p.remote}`).join(', ');
  const via = info.target.startsWith('pod/') ? '' : ` (for ${info.target}; moves to a new pod if this one goes)`;
  return `Forwarding ${pairs}${via}`;
}

export class PortForwardSession extends Store<PortForwardDialogState> implements DialogSession {
  readonly kind = 'portForward' as const;
  private closed = false;
  /** The address the user already said yes to exposing. */
  private confirmedAddress: string | undefined;

  constructor(private readonly options: PortForwardSessionOptions) {
    super({ target: options.target, stage: 'loading', ports: [], cursor: 0, address: DEFAULT_ADDRESS, exposes: false });
    options.backend.availablePorts(options.target).then(
      (ports) =>
        // The first port is chosen already, so enter alone forwards the common case.
        !this.closed &&
        this.update({ stage: 'form', ports: ports.map((port, i) => ({ port, selected: i === 0, local: port.port })) }),
      (err: unknown) =>
        !this.closed &&
        this.update({
          stage: 'form',
          error: `Could not read the ports of ${kubectlName(options.target)}: ${errorLine(err)}`,
        }),
    );
  }

  handle(press: KeyPress): boolean {
    const { editing, stage } = this.state;
    if (editing) return this.type(editing, press);
    if (passesThrough(press)) return false;
    const command = dialogCommand(press.name, 'portForward');
    if (stage === 'confirm-exposure') {
      if (command === 'dialog.yes') {
        this.confirmedAddress = this.state.address;
        this.start();
      } else if (command === 'dialog.no' || command === 'dialog.close') this.update({ stage: 'form' });
      return true;
    }
    if (command === 'dialog.close') {
      this.close();
      return true;
    }
    if (stage !== 'form') return true;
    const { ports, cursor } = this.state;
    const current = ports[cursor];
    switch (command) {
      case 'dialog.down':
      case 'dialog.up':
        this.update({ cursor: Math.max(0, Math.min(ports.length - 1, cursor + (command === 'dialog.down' ? 1 : -1))) });
        break;
      case 'portForward.toggle':
        if (current) this.setPort(cursor, { selected: !current.selected });
        break;
      case 'portForward.localPort':
        if (current) this.update({ editing: { field: 'local', index: cursor, text: String(current.local) } });
        break;
      case 'portForward.address':
        this.update({ editing: { field: 'address', text: this.state.address } });
        break;
      case 'portForward.takeProposal': {
        const proposal = this.state.proposal;
        if (proposal) {
          this.setPort(proposal.index, { local: proposal.port, selected: true });
          this.tryStart();
        }
        break;
      }
      case 'dialog.enter':
        this.tryStart();
        break;
      default:
        break;
    }
    return true;
  }

  close(): void {
    this.closed = true;
    this.options.onClose();
  }

  private setPort(index: number, change: Partial<PortChoice>): void {
    this.update({
      ports: this.state.ports.map((p, i) => (i === index ? { ...p, ...change } : p)),
      error: undefined,
      proposal: undefined,
    });
  }

  private type(editing: EditedField, press: KeyPress): boolean {
    if (press.name === 'ctrl-c') return false;
    const outcome = editPrompt(editing.text, press);
    if (outcome.type === 'edit') this.update({ editing: { ...editing, text: outcome.text } });
    else if (outcome.type === 'cancel') this.update({ editing: undefined });
    else if (outcome.type === 'submit') this.submitField(editing, outcome.text);
    return true;
  }

  private submitField(editing: EditedField, text: string): void {
    if (editing.field === 'address') {
      const address = text.trim() || DEFAULT_ADDRESS;
      this.update({
        editing: undefined,
        address,
        exposes: this.options.backend.exposesNetwork(address),
        error: undefined,
        proposal: undefined,
      });
      return;
    }
    const local = parsePort(text);
    if (local === undefined) {
      this.update({
        editing: undefined,
        error: `"${text.trim()}" is not a port: a local port is a whole number from 1 to 65535.`,
      });
      return;
    }
    this.update({ editing: undefined });
    this.setPort(editing.index, { local, selected: true });
  }

  private tryStart(): void {
    const chosen = this.state.ports.filter((p) => p.selected);
    if (chosen.length === 0)
      return this.update({ error: 'No port is selected: select one or more with space, then press enter.' });
    const locals = chosen.map((p) => p.local);
    const twice = locals.find((l, i) => locals.indexOf(l) !== i);
    if (twice !== undefined)
      return this.update({
        error: `Local port ${twice} is chosen for two ports: give each its own local port with e.`,
      });
    if (this.state.exposes && this.confirmedAddress !== this.state.address)
      return this.update({ stage: 'confirm-exposure', error: undefined });
    this.start();
  }

  private start(): void {
    const { target, address } = this.state;
    const chosen = this.state.ports.map((p, index) => ({ p, index })).filter(({ p }) => p.selected);
    const ports: PortPair[] = chosen.map(({ p }) => ({ local: p.local, remote: p.port.port }));
    this.update({ stage: 'starting', error: undefined, proposal: undefined });
    this.options.backend.start({ target, ports, address }).then(
      (info) => {
        this.options.onFlash({ kind: 'info', text: forwardingText(info) });
        if (!this.closed) this.close();
      },
      (err: unknown) => {
        if (this.closed)
          return this.options.onFlash({
            kind: 'error',
            text: `Port-forward to ${kubectlName(target)} failed: ${errorLine(err)}`,
          });
        const busy = busyPort(err);
        const index = busy && chosen.find(({ p }) => p.local === busy.localPort)?.index;
        if (busy && index !== undefined && busy.freePort !== undefined) {
          this.update({
            stage: 'form',
            error: `Local port ${busy.localPort} is already in use on ${address} (another program listens there). Port ${busy.freePort} is free: press p to use it.`,
            proposal: { index, port: busy.freePort },
          });
        } else if (busy) {
          this.update({
            stage: 'form',
            error: `Local port ${busy.localPort} is already in use on ${address} (another program listens there): choose another with e.`,
          });
        } else {
          this.update({ stage: 'form', error: `Could not start the port-forward: ${errorLine(err)}` });
        }
      },
    );
  }
}
