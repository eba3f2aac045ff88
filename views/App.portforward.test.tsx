// Port-forwards and y/n questions as a user reaches them: shift-f, :pf with ctrl-d, ctrl-d on a pod.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { startApp, screenLines } from './testing/app.js';
import { FakeForwards, forwardInfo } from './testing/fakes.js';
import { KEY, frame, press, waitForFrame } from './testing/ink.js';

afterEach(() => cleanup());

const CTRL_U = '\u0015';
const esPod = { kind: 'Pod', namespace: 'observability', name: 'elasticsearch-master-0' };

async function openOnEsPod(forwards = new FakeForwards()) {
  const started = await startApp({ namespace: 'observability', forwards, columns: 140 });
  await press(started.app, 'F');
  await waitForFrame(started.app, (f) => f.includes('Ports (space selects'));
  return { ...started, forwards };
}

describe('the port-forward dialog', () => {
  it('shift-f lists the pod’s ports; space toggles; enter forwards on 127.0.0.1 and says where', async () => {
    const { app, forwards } = await openOnEsPod();
    expect(forwards.asked).toEqual([esPod]);
    let f = frame(app);
    expect(f).toContain('Port-forward pod/elasticsearch-master-0 (observability)');
    expect(f).toContain('> [x] 16686/TCP query  → local 127.0.0.1:16686');
    expect(f).toContain('  [ ] 16687/TCP admin  → local 127.0.0.1:16687');
    expect(f).toContain('Address  127.0.0.1  (this machine only; a changes it)');
    await press(app, 'j', ' ', 'k', ' ');
    f = frame(app);
    expect(f).toContain('> [ ] 16686/TCP query');
    expect(f).toContain('  [x] 16687/TCP admin');
    await press(app, 'e', CTRL_U, ...'9090', KEY.enter);
    expect(frame(app)).toContain('> [x] 16686/TCP query  → local 127.0.0.1:9090');
    await press(app, KEY.enter);
    f = await waitForFrame(app, (x) => x.includes('pods(observability)'));
    expect(screenLines(f).at(-1)).toBe(
      'Forwarding 127.0.0.1:9090 → pod/elasticsearch-master-0:16686, 127.0.0.1:16687 → pod/elasticsearch-master-0:16687',
    );
    expect(forwards.started).toEqual([
      {
        target: esPod,
        ports: [
          { local: 9090, remote: 16686 },
          { local: 16687, remote: 16687 },
        ],
        address: '127.0.0.1',
      },
    ]);
  });

  it('0.0.0.0 shows a warning and needs an extra y before it starts', async () => {
    const { app, forwards } = await openOnEsPod();
    await press(app, 'a', CTRL_U, ...'0.0.0.0', KEY.enter);
    let f = frame(app);
    expect(f).toContain('⚠ 0.0.0.0 exposes the forwarded ports to the network');
    await press(app, KEY.enter);
    f = await waitForFrame(app, (x) => x.includes('Forward on 0.0.0.0, open to the network? [y/n]'));
    expect(forwards.started).toEqual([]);
    await press(app, 'n');
    expect(frame(app)).not.toContain('[y/n]');
    expect(forwards.started).toEqual([]);
    await press(app, KEY.enter, 'y');
    f = await waitForFrame(app, (x) => x.includes('pods(observability)'));
    expect(screenLines(f).at(-1)).toBe('Forwarding 0.0.0.0:16686 → pod/elasticsearch-master-0:16686');
  });

  it('a busy local port is one line in the dialog, with a free port to take with p', async () => {
    const forwards = new FakeForwards();
    forwards.busy = new Set([16686]);
    const { app } = await openOnEsPod(forwards);
    await press(app, KEY.enter);
    const f = await waitForFrame(app, (x) => x.includes('! Local port 16686 is already in use'));
    expect(f).toContain('Port 16687 is free: press p to use it.');
    expect(f).toContain('<p> use free port');
    await press(app, 'p');
    await waitForFrame(
      app,
      (x) => screenLines(x).at(-1) === 'Forwarding 127.0.0.1:16687 → pod/elasticsearch-master-0:16686',
    );
  });

  it('forwards to a Service from :svc and to a Deployment from :deploy; esc closes', async () => {
    const forwards = new FakeForwards();
    const { app } = await startApp({ namespace: 'observability', forwards });
    await press(app, ':', ...'svc', KEY.enter);
    await waitForFrame(app, (x) => x.includes('services(observability)'));
    await press(app, 'F');
    await waitForFrame(app, (x) => x.includes('Port-forward service/elasticsearch-master (observability)'));
    await press(app, KEY.escape, ':', ...'deploy', KEY.enter);
    await waitForFrame(app, (x) => x.includes('deployments(observability)'));
    await press(app, 'F');
    await waitForFrame(app, (x) => x.includes('Port-forward deployment/jaeger-collector (observability)'));
    expect(forwards.asked).toEqual([
      { kind: 'Service', namespace: 'observability', name: 'elasticsearch-master' },
      { kind: 'Deployment', namespace: 'observability', name: 'jaeger-collector' },
    ]);
  });

  it('is allowed in read-only mode (it changes nothing in the cluster); without a manager it says so', async () => {
    const forwards = new FakeForwards();
    const { app } = await startApp({ namespace: 'observability', forwards, readonly: true });
    await press(app, 'F');
    await waitForFrame(app, (x) => x.includes('Ports (space selects'));
    cleanup();
    const bare = await startApp({ namespace: 'observability' });
    await press(bare.app, 'F');
    expect(screenLines(frame(bare.app)).at(-1)).toBe('! Port-forwarding is not available in this build of kcockpit.');
  });
});

describe(':pf', () => {
  const running = () => [
    {
      ...forwardInfo(
        '1',
        {
          target: { kind: 'Service', namespace: 'observability', name: 'jaeger-query' },
          ports: [{ local: 8080, remote: 16686 }],
          address: '127.0.0.1',
        },
        'jaeger-query-5c9d8f7b6-qk4lm',
      ),
      connections: 2,
      bytesIn: 48_213,
      bytesOut: 1_245_184,
    },
    forwardInfo(
      '2',
      { target: esPod, ports: [{ local: 9200, remote: 9200 }], address: '127.0.0.1' },
      'elasticsearch-master-0',
    ),
  ];

  it('lists forwards with connections and bytes, follows their changes, and ctrl-d stops one after y', async () => {
    const forwards = new FakeForwards(running());
    const { app } = await startApp({ forwards, columns: 200 });
    await press(app, ':', ...'pf', KEY.enter);
    let f = await waitForFrame(app, (x) => x.includes('portforwards(all) [1/2]'));
    expect(f).toMatch(/NAMESPACE +TARGET +POD +ADDRESS +PORTS +STATE +CONN +IN +OUT +DETAIL/);
    expect(f).toMatch(
      /observability +svc\/jaeger-query +jaeger-query-5c9d8f7b6-qk4lm +127\.0\.0\.1 +8080:16686 +active +2 +47 KiB +1\.2 MiB/,
    );
    const [first, second] = running();
    forwards.set([
      { ...first!, pod: 'jaeger-query-5c9d8f7b6-x7w2p', detail: 'moved to jaeger-query-5c9d8f7b6-x7w2p' },
      second!,
    ]);
    f = await waitForFrame(app, (x) => x.includes('moved to jaeger-query-5c9d8f7b6-x7w2p'));
    expect(f).toMatch(/svc\/jaeger-query +jaeger-query-5c9d8f7b6-x7w2p /);

    await press(app, KEY.ctrlD);
    f = await waitForFrame(app, (x) => x.includes('Stop forwarding 127.0.0.1:8080 → svc/jaeger-query:16686? [y/n]'));
    // The table stays visible above the question.
    expect(f).toContain('portforwards(all) [1/2]');
    await press(app, 'n');
    expect(forwards.stopped).toEqual([]);
    await press(app, KEY.ctrlD, 'y');
    f = await waitForFrame(app, (x) => x.includes('portforwards(all) [1/1]'));
    expect(forwards.stopped).toEqual(['1']);
    expect(screenLines(f).at(-1)).toBe('Stopped forwarding 127.0.0.1:8080 → svc/jaeger-query:16686.');
  });
});

describe('ctrl-d on a pod', () => {
  it('asks "Delete pod X?" and deletes only after y', async () => {
    const del = vi.fn(() => Promise.resolve());
    const { app } = await startApp({ namespace: 'observability', actions: { delete: del } });
    await press(app, KEY.ctrlD);
    let f = await waitForFrame(app, (x) => x.includes('Delete pod/elasticsearch-master-0 in observability? [y/n]'));
    expect(f).toContain('pods(observability)');
    // Only y says yes: a stray enter or j does not delete.
    await press(app, KEY.enter, 'j', 'n');
    expect(del).not.toHaveBeenCalled();
    expect(frame(app)).not.toContain('[y/n]');
    await press(app, KEY.ctrlD, 'y');
    f = await waitForFrame(app, (x) => screenLines(x).at(-1) === 'Deleted pod/elasticsearch-master-0.');
    expect(del).toHaveBeenCalledWith(esPod);
  });

  it('reports a failed delete, and refuses in read-only mode before asking', async () => {
    const del = vi.fn(() =>
      Promise.reject(new Error('pods "elasticsearch-master-0" is forbidden: User "dev" cannot delete resource "pods"')),
    );
    const { app } = await startApp({ namespace: 'observability', actions: { delete: del }, columns: 160 });
    await press(app, KEY.ctrlD, 'y');
    await waitForFrame(
      app,
      (x) =>
        screenLines(x).at(-1) ===
        '! Could not delete pod/elasticsearch-master-0: pods "elasticsearch-master-0" is forbidden: User "dev" cannot delete resource "pods"',
    );
    cleanup();
    const ro = await startApp({ namespace: 'observability', actions: { delete: del }, readonly: true });
    await press(ro.app, KEY.ctrlD);
    expect(screenLines(frame(ro.app)).at(-1)).toBe('! Read-only mode (--readonly): deleting is turned off.');
    expect(frame(ro.app)).not.toContain('[y/n]');
  });
});

describe('help', () => {
  it('? lists the keys of the dialogs the view opens', async () => {
    const { app } = await startApp({ namespace: 'observability', rows: 80, columns: 140 });
    await press(app, '?');
    const f = await waitForFrame(app, (x) => x.includes('help(pods)'));
    expect(f).toMatch(/space +Port-forward dialog: Select or unselect the port under the cursor/);
    expect(f).toMatch(/enter +Fix dialog: Choose the plan; on its preview, run it/);
    expect(f).toMatch(/y +y\/n question: Yes: answer the question/);
  });
});
