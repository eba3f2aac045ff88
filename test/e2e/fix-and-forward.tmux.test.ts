// Issue #4 as a person does it: in the real cockpit, keys only, fix the operator's pull
// secret on S1 and watch the finding go; port-forward jaeger-query and get an HTTP answer.
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { loadScenario } from '../../src/sim/scenario.js';
import { startDemoPortBackend } from '../../src/sim/portforward.js';
import { BIN } from '../helpers/cli.js';
import { hasTmux, TmuxSession } from '../helpers/tmux.js';

const TOKEN = 'dckr_pat_e2e-never-on-screen';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe('fixing and forwarding from the cockpit, keys only', () => {
  let sim: SimServer;
  let demo: Awaited<ReturnType<typeof startDemoPortBackend>>;
  let term: TmuxSession;
  const screens: string[] = [];
  const waitFor = async (check: (s: string) => boolean, what: string) => {
    const screen = await term.waitFor(check, what);
    screens.push(screen);
    return screen;
  };

  beforeAll(async () => {
    if (!hasTmux())
      throw new Error('tmux is not installed: the end-to-end tests drive the cockpit in tmux (apt-get install tmux)');
    demo = await startDemoPortBackend();
    sim = await startSimServer({ scenario: loadScenario('s1-jaeger'), port: 0, portForwardBackends: demo.backends });
    // A home without ~/.docker/config.json, so the fix asks for credentials; a private audit log.
    const home = mkdtempSync(join(tmpdir(), 'kcockpit-home-'));
    const env = `env -u CI NO_COLOR=1 HOME='${home}' XDG_STATE_HOME='${home}/state' KUBECONFIG='${sim.kubeconfigPath}'`;
    term = new TmuxSession(`${env} '${process.execPath}' '${BIN}' -n observability`, { columns: 120, rows: 36 });
    await waitFor((s) => /\d+ critical/.test(s) && s.includes('ImagePullBackOff'), 'the diagnosed first screen');
  });

  afterAll(async () => {
    term?.kill();
    await sim?.close();
    await demo?.close();
  });

  it('applies the pull-secret fix and the finding clears as the cluster catches up', async () => {
    term.type('/jaeger-op');
    term.send('Enter');
    await waitFor((s) => /pods\(observability\) <\/jaeger-op> \[1\/1\]/.test(s), 'the operator pod selected');
    term.type('x');
    await waitFor(
      (s) => s.includes('Fix: jaeger-operator cannot pull') && s.includes('through ServiceAccount'),
      'the fix dialog with its plans',
    );
    term.send('Enter');
    await waitFor((s) => s.includes('<enter> apply'), 'the preview of the changes');
    term.send('Enter');
    await waitFor((s) => s.includes('Docker Hub username'), 'the username question');
    term.type('learner');
    term.send('Enter');
    await waitFor((s) => s.includes('access token'), 'the hidden token question');
    term.type(TOKEN);
    await waitFor((s) => s.includes('access token'), 'the token typed');
    term.send('Enter');
    await waitFor((s) => /Dry run passed\. Apply \d+ changes/.test(s), 'the confirmation after the dry run');
    term.type('y');
    const done = await waitFor((s) => /applied 3 of 3 changes/.test(s), 'the outcome');
    expect(done).toContain('created Secret observability/regcred');
    term.send('Enter');
    term.send('Escape');
    // The pod is recreated and runs; the marker goes once the next diagnosis has run.
    await waitFor(
      (s) =>
        /^[ >] {2}jaeger-op-jaeg\S*\s+1\/1\s+Running/m.test(s) &&
        !/jaeger-op-jaeg\S*\s+0\/1\s+ImagePullBackOff/.test(s),
      'the recreated operator pod Running, unmarked: its pull finding gone',
    );
    for (const screen of screens) expect(screen).not.toContain(TOKEN);
  });

  it('forwards a local port to jaeger-query and an HTTP request gets through', async () => {
    const port = await freePort();
    term.type('/jaeger-query');
    term.send('Enter');
    await waitFor((s) => /<\/jaeger-query> \[1\/1\]/.test(s), 'the query pod selected');
    term.type('F');
    await waitFor(
      (s) => s.includes('Port-forward pod/jaeger-query') && s.includes('16686/TCP'),
      'the port-forward dialog',
    );
    term.type('e');
    await waitFor((s) => s.includes('Local port for 16686'), 'the local port field');
    term.send('BSpace', 'BSpace', 'BSpace', 'BSpace', 'BSpace');
    term.type(String(port));
    term.send('Enter');
    await waitFor((s) => s.includes(`local 127.0.0.1:${port}`), 'the chosen local port');
    term.send('Enter');
    await waitFor((s) => s.includes(`Forwarding 127.0.0.1:${port}`), 'the forward started');
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('came through a port-forward');
    term.type(':pf');
    term.send('Enter');
    await waitFor(
      (s) => new RegExp(`127\\.0\\.0\\.1\\s+${port}:16686\\s+active\\s+1\\b`).test(s),
      'the forward listed with its connection',
    );
  });
});
