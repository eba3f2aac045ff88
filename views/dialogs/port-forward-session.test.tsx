import { describe, expect, it, vi } from 'vitest';
import type { KeyPress } from '../keys/dispatcher.js';
import { FakeForwards, forwardInfo } from '../testing/fakes.js';
import { PortForwardSession, busyPort, forwardingText } from './port-forward-session.js';

const INPUT: Record<string, string> = { enter: '\r', escape: '\u001b', space: ' ', backspace: '\u007f', 'ctrl-u': 'u' };
const key = (name: string, input = INPUT[name] ?? name): KeyPress => ({ name, input });
const settle = () => new Promise((resolve) => setImmediate(resolve));
const query = { kind: 'Pod', namespace: 'observability', name: 'jaeger-query-5c9d8f7b6-qk4lm' };

async function open(backend = new FakeForwards(), target = query) {
  const onClose = vi.fn();
  const onFlash = vi.fn();
  const session = new PortForwardSession({ target, backend, onClose, onFlash });
  await settle();
  return { session, onClose, onFlash, backend };
}

async function keys(session: PortForwardSession, ...names: string[]) {
  for (const n of names) {
    session.handle(key(n));
    await settle();
  }
}

describe('PortForwardSession', () => {
  it('offers the target’s ports with the first chosen and local = remote', async () => {
    const { session, backend } = await open();
    expect(backend.asked).toEqual([query]);
    expect(session.state.stage).toBe('form');
    expect(session.state.ports.map((p) => [p.port.port, p.selected, p.local])).toEqual([
      [16686, true, 16686],
      [16687, false, 16687],
    ]);
  });

  it('toggles ports with space, edits a local port, and starts on 127.0.0.1', async () => {
    const { session, backend, onFlash, onClose } = await open();
    await keys(session, 'j', 'space', 'k', 'e', 'ctrl-u');
    session.handle(key('8080'));
    await keys(session, 'enter', 'enter');
    expect(backend.started).toEqual([
      {
        target: query,
        ports: [
          { local: 8080, remote: 16686 },
          { local: 16687, remote: 16687 },
        ],
        address: '127.0.0.1',
      },
    ]);
    expect(onFlash).toHaveBeenCalledWith({
      kind: 'info',
      text: 'Forwarding 127.0.0.1:8080 → pod/jaeger-query-5c9d8f7b6-qk4lm:16686, 127.0.0.1:16687 → pod/jaeger-query-5c9d8f7b6-qk4lm:16687',
    });
    expect(onClose).toHaveBeenCalled();
  });

  it('refuses a local port that is not a port, and a local port chosen twice', async () => {
    const { session, backend } = await open();
    await keys(session, 'e', 'ctrl-u', 'x', 'enter');
    expect(session.state.error).toBe('"x" is not a port: a local port is a whole number from 1 to 65535.');
    await keys(session, 'j', 'e', 'ctrl-u');
    session.handle(key('16686'));
    await keys(session, 'enter', 'enter');
    expect(session.state.error).toBe('Local port 16686 is chosen for two ports: give each its own local port with e.');
    expect(backend.started).toEqual([]);
  });

  it('asks once more before binding to an address that exposes the ports; n goes back', async () => {
    const { session, backend } = await open();
    await keys(session, 'a', 'ctrl-u');
    session.handle(key('0.0.0.0'));
    await keys(session, 'enter');
    expect(session.state).toMatchObject({ address: '0.0.0.0', exposes: true });
    await keys(session, 'enter');
    expect(session.state.stage).toBe('confirm-exposure');
    await keys(session, 'n');
    expect(session.state.stage).toBe('form');
    await keys(session, 'enter', 'y');
    expect(backend.started.map((r) => r.address)).toEqual(['0.0.0.0']);
  });

  it('turns a busy local port into one line with a free port, taken with p', async () => {
    const backend = new FakeForwards();
    backend.busy = new Set([16686, 16688]);
    const { session, onFlash } = await open(backend);
    await keys(session, 'enter');
    expect(session.state.error).toBe(
      'Local port 16686 is already in use on 127.0.0.1 (another program listens there). Port 16687 is free: press p to use it.',
    );
    await keys(session, 'p');
    expect(backend.started.at(-1)?.ports).toEqual([{ local: 16687, remote: 16686 }]);
    expect(onFlash).toHaveBeenCalledWith({
      kind: 'info',
      text: 'Forwarding 127.0.0.1:16687 → pod/jaeger-query-5c9d8f7b6-qk4lm:16686',
    });
  });

  it('says when the target’s ports cannot be read', async () => {
    const backend = new FakeForwards();
    backend.availablePorts = () => Promise.reject(new Error('pods "jaeger-query-5c9d8f7b6-qk4lm" not found'));
    const { session } = await open(backend);
    expect(session.state.error).toBe(
      'Could not read the ports of pod/jaeger-query-5c9d8f7b6-qk4lm: pods "jaeger-query-5c9d8f7b6-qk4lm" not found',
    );
  });

  it('reads a busy port from the manager’s error, and names a service forward by what was asked', () => {
    expect(busyPort(Object.assign(new Error('in use'), { localPort: 8080, freePort: 8081 }))).toEqual({
      localPort: 8080,
      freePort: 8081,
    });
    expect(busyPort(new Error('connection refused'))).toBeUndefined();
    const info = forwardInfo(
      '1',
      {
        target: { kind: 'Service', namespace: 'observability', name: 'jaeger-query' },
        ports: [{ local: 8080, remote: 16686 }],
        address: '127.0.0.1',
      },
      'jaeger-query-5c9d8f7b6-qk4lm',
    );
    expect(forwardingText(info)).toBe(
      'Forwarding 127.0.0.1:8080 → pod/jaeger-query-5c9d8f7b6-qk4lm:16686 (for svc/jaeger-query; moves to a new pod if this one goes)',
    );
  });
});
