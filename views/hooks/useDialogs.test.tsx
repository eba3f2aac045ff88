// What happens after the y of a y/n question, without Ink.
import { describe, expect, it, vi } from 'vitest';
import type { KeyPress } from '../keys/dispatcher.js';
import { FakeForwards, forwardInfo } from '../testing/fakes.js';
import { openSession, type DialogHost } from './useDialogs.js';

const y: KeyPress = { name: 'y', input: 'y' };
const settle = () => new Promise((resolve) => setImmediate(resolve));
const pod = { kind: 'Pod', namespace: 'observability', name: 'coredns-787d4945fb-lmq2k' };

function dialogHost() {
  const host: DialogHost = { close: vi.fn(), flash: vi.fn() };
  const said = () => vi.mocked(host.flash).mock.calls.map(([f]) => `${f.kind}: ${f.text}`);
  return { host, said };
}

describe('openSession', () => {
  it('asks before deleting, deletes on y and says how it went', async () => {
    const { host, said } = dialogHost();
    const del = vi.fn(() => Promise.resolve());
    const session = openSession({ kind: 'delete', target: pod, delete: del }, host);
    expect(session.kind).toBe('confirm');
    expect(session.kind === 'confirm' && session.state.question).toBe(
      'Delete pod/coredns-787d4945fb-lmq2k in observability?',
    );
    session.handle(y);
    await settle();
    expect(host.close).toHaveBeenCalled();
    expect(del).toHaveBeenCalledWith(pod);
    expect(said()).toEqual([
      'info: Deleting pod/coredns-787d4945fb-lmq2k…',
      'info: Deleted pod/coredns-787d4945fb-lmq2k.',
    ]);
  });

  it('reports a delete that failed, thrown or rejected, in one line', async () => {
    for (const del of [
      () => Promise.reject(new Error('pods "coredns" is forbidden\nmore')),
      () => {
        throw new Error('pods "coredns" is forbidden');
      },
    ]) {
      const { host, said } = dialogHost();
      openSession({ kind: 'delete', target: pod, delete: del }, host).handle(y);
      await settle();
      expect(said()[1]).toBe('error: Could not delete pod/coredns-787d4945fb-lmq2k: pods "coredns" is forbidden');
    }
  });

  it('stops a port-forward on y and says so', async () => {
    const { host, said } = dialogHost();
    const forward = forwardInfo(
      '7',
      {
        target: { kind: 'Service', namespace: 'observability', name: 'jaeger-query' },
        ports: [{ local: 16686, remote: 16686 }],
        address: '127.0.0.1',
      },
      'jaeger-query-5c9d8f7b6-qk4lm',
    );
    const backend = new FakeForwards([forward]);
    openSession({ kind: 'stopForward', forward, backend }, host).handle(y);
    await settle();
    expect(backend.stopped).toEqual(['7']);
    expect(said()).toEqual(['info: Stopped forwarding 127.0.0.1:16686 → svc/jaeger-query:16686.']);
  });
});
