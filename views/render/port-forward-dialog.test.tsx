import { describe, expect, it } from 'vitest';
import type { PortForwardDialogState } from '../dialogs/port-forward-session.js';
import { jaegerQueryPorts } from '../testing/fakes.js';
import { portForwardDialogView } from './port-forward-dialog.js';

const base: PortForwardDialogState = {
  target: { kind: 'Service', namespace: 'observability', name: 'jaeger-query' },
  stage: 'form',
  ports: jaegerQueryPorts.map((port, i) => ({ port, selected: i === 0, local: port.port })),
  cursor: 1,
  address: '127.0.0.1',
  exposes: false,
};

describe('portForwardDialogView', () => {
  it('lists the ports with a box for the chosen ones and where each listens', () => {
    const view = portForwardDialogView(base, 90);
    expect(view.title).toBe('Port-forward service/jaeger-query (observability)');
    expect(view.body.map((l) => l.text)).toEqual([
      'Ports (space selects; e sets the local port):',
      '  [x] 16686/TCP query  → local 127.0.0.1:16686',
      '> [ ] 16687/TCP admin  → local 127.0.0.1:16687',
      '',
      'Address  127.0.0.1  (this machine only; a changes it)',
    ]);
    expect(view.focus).toBe(2);
    expect(view.hints).toBe('<space> toggle <e> local port <a> address <enter> start <escape> close');
  });

  it('warns when the address exposes the ports, and asks once more', () => {
    const exposed = portForwardDialogView({ ...base, address: '0.0.0.0', exposes: true }, 200);
    expect(exposed.body.at(-1)).toEqual({
      text: '⚠ 0.0.0.0 exposes the forwarded ports to the network: anyone who can reach this machine can connect to them, without any login. kcockpit asks once more before it starts.',
      style: 'warning',
    });
    const asking = portForwardDialogView(
      { ...base, address: '0.0.0.0', exposes: true, stage: 'confirm-exposure' },
      200,
    );
    expect(asking.footer.map((l) => l.text)).toEqual(['Forward on 0.0.0.0, open to the network? [y/n]']);
    expect(asking.hints).toBe('<y> yes <n> no');
  });

  it('shows the field being edited, and an error with its way out', () => {
    expect(
      portForwardDialogView({ ...base, editing: { field: 'local', index: 0, text: '80' } }, 90).footer[0]?.text,
    ).toBe('Local port for 16686: 80▏');
    const busy = portForwardDialogView(
      {
        ...base,
        error:
          'Local port 8080 is already in use on 127.0.0.1 (another program listens there). Port 8081 is free: press p to use it.',
        proposal: { index: 0, port: 8081 },
      },
      200,
    );
    expect(busy.footer[0]).toEqual({
      text: '! Local port 8080 is already in use on 127.0.0.1 (another program listens there). Port 8081 is free: press p to use it.',
      style: 'critical',
    });
    expect(busy.hints.startsWith('<p> use free port')).toBe(true);
  });
});
