// The port-forward dialog as lines: the target's ports with their local ports, the bind
// address (with a warning when it reaches beyond this machine), and one line for the field
// being edited, the extra confirmation or an error.
import { kubectlName } from '../../src/diagnose/evidence.js';
import type { PortForwardDialogState } from '../dialogs/port-forward-session.js';
import { dialogHints, type DialogCommandId } from '../keys/bindings.js';
import { wrapped, type DialogLine, type DialogView } from './dialog.js';
import { inert } from '../../src/format/inert.js';

function portLabel(p: PortForwardDialogState['ports'][number]['port']): string {
  return `${p.port}/${p.protocol ?? 'TCP'}${p.name ? ` ${inert(p.name)}` : ''}`;
}

function bodyLines(s: PortForwardDialogState, width: number): { body: DialogLine[]; focus?: number } {
  const what = kubectlName(s.target);
  if (s.stage === 'loading') return { body: [{ text: `Reading the ports of ${what}…`, style: 'dim' }] };
  const body: DialogLine[] = [];
  if (s.ports.length === 0 && !s.error)
    body.push(
      ...wrapped(
        `${what} declares no ports. Forward one by number from a shell: kcockpit port-forward ${what} LOCAL:REMOTE`,
        width,
      ),
    );
  if (s.ports.length > 0) body.push({ text: 'Ports (space selects; e sets the local port):', bold: true });
  const first = body.length;
  const label = Math.max(...s.ports.map((p) => portLabel(p.port).length), 0);
  s.ports.forEach((p, i) => {
    const selected = i === s.cursor;
    const box = p.selected ? '[x]' : '[ ]';
    body.push({
      text: `${selected ? '>' : ' '} ${box} ${portLabel(p.port).padEnd(label)}  → local ${s.address}:${p.local}`,
      selected,
      bold: selected,
    });
  });
  body.push(
    { text: '' },
    { text: `Address  ${s.address}${s.exposes ? '' : '  (this machine only; a changes it)'}`, bold: true },
  );
  if (s.exposes) {
    body.push(
      ...wrapped(
        `⚠ ${s.address} exposes the forwarded ports to the network: anyone who can reach this machine can connect to them, without any login. kcockpit asks once more before it starts.`,
        width,
        '',
        { style: 'warning' },
      ),
    );
  }
  return s.ports.length > 0 ? { body, focus: first + s.cursor } : { body };
}

function footerLines(s: PortForwardDialogState, width: number): DialogLine[] {
  if (s.editing?.field === 'local') {
    const port = s.ports[s.editing.index]?.port.port;
    return [{ text: `Local port for ${port}: ${s.editing.text}▏`, bold: true }];
  }
  if (s.editing?.field === 'address')
    return [
      { text: `Bind address: ${s.editing.text}▏  (127.0.0.1: this machine only; 0.0.0.0: every network)`, bold: true },
    ];
  if (s.stage === 'confirm-exposure')
    return wrapped(`Forward on ${s.address}, open to the network? [y/n]`, width, '', { bold: true, style: 'warning' });
  if (s.stage === 'starting') return [{ text: 'Starting the port-forward…', style: 'dim' }];
  if (s.error) return wrapped(`! ${s.error}`, width, '', { style: 'critical' });
  return [];
}

function hints(s: PortForwardDialogState): string {
  if (s.editing) return '<enter> accept <escape> cancel';
  if (s.stage === 'confirm-exposure') return dialogHints(['dialog.yes', 'dialog.no']);
  if (s.stage !== 'form') return dialogHints(['dialog.close']);
  const list: (DialogCommandId | readonly [DialogCommandId, string])[] = [
    'portForward.toggle',
    'portForward.localPort',
    'portForward.address',
    ['dialog.enter', 'start'],
  ];
  if (s.proposal) list.unshift('portForward.takeProposal');
  return dialogHints([...list, 'dialog.close']);
}

export function portForwardDialogView(s: PortForwardDialogState, width: number): DialogView {
  const { body, focus } = bodyLines(s, width);
  const title = `Port-forward ${kubectlName(s.target)}${s.target.namespace ? ` (${s.target.namespace})` : ''}`;
  return {
    title,
    body,
    top: 0,
    ...(focus !== undefined ? { focus } : {}),
    footer: footerLines(s, width),
    hints: hints(s),
  };
}
