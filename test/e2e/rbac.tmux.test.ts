// The cockpit as a user with little RBAC: the simulator's `sim-viewer` may get, list and
// watch in one namespace (observability) and nothing else, as a namespaced "view" RoleBinding
// gives. Every list it may not read says so in one line with the verb missing — never a blank
// view, never a crash — and a list it may read but the server cannot watch is polled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/sim/scenario.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { BIN } from '../helpers/cli.js';
import { hasTmux, TmuxSession } from '../helpers/tmux.js';

describe('a user who may read one namespace only', () => {
  let sim: SimServer;
  let term: TmuxSession;

  beforeAll(async () => {
    if (!hasTmux())
      throw new Error('tmux is not installed: the end-to-end tests drive the cockpit in tmux (apt-get install tmux)');
    sim = await startSimServer({ scenario: loadScenario('s1-jaeger'), port: 0 });
    const env = `env -u CI NO_COLOR=1 HOME=/nonexistent-home KUBECONFIG='${sim.kubeconfigPath}'`;
    term = new TmuxSession(`${env} '${process.execPath}' '${BIN}' --context sim-viewer`, { columns: 140, rows: 30 });
    await term.waitFor(
      (s) => s.includes('user sim-viewer') && /pods\(observability\) \[1\/\d+\]/.test(s),
      'the pods the viewer may read',
      30_000,
    );
  }, 60_000);

  afterAll(async () => {
    term?.kill();
    await sim?.close();
  });

  it('a cluster-scoped list it may not read is one line naming the missing verb', async () => {
    const s = await term.command(
      'no',
      (x) => x.includes('Forbidden: you may not list nodes (RBAC verb "list" missing).'),
      'the forbidden line for nodes',
    );
    expect(s).toMatch(/^nodes \[0\/0\]/m);
  });

  it('every namespace at once is forbidden; its own namespace lists', async () => {
    await term.command(
      'cm all',
      (x) => x.includes('Forbidden: you may not list configmaps (RBAC verb "list" missing).'),
      'the forbidden line for configmaps in every namespace',
    );
    const s = await term.command(
      'cm observability',
      (x) => /configmaps\(observability\) \[1\/\d+\]/.test(x),
      'its own',
    );
    expect(s).toContain('kube-root-ca.crt');
    await term.command(
      'crd',
      (x) => x.includes('Forbidden: you may not list customresourcedefinitions.apiextensions.k8s.io'),
      'the forbidden line for CRDs',
    );
  });

  it('the views the store feeds say why another namespace is out of reach', async () => {
    await term.command(
      'pods kube-system',
      (x) => x.includes('Your user may not list pods in every namespace, so kcockpit watches "observability" only.'),
      'the reason on the status line',
    );
  });

  it('a list it may read but the server cannot watch is polled, and the title says so', async () => {
    await term.command(
      'podmetrics observability',
      (x) => x.includes('pods.metrics.k8s.io(observability) [polled: the server does not offer watch'),
      'the polled title',
    );
  });

  it('still answers keys after all of it, and quits cleanly', async () => {
    term.type(':pods observability');
    term.send('Enter');
    await term.waitFor((s) => /pods\(observability\) \[1\/\d+\]/.test(s), 'the pods again');
    term.type('j');
    await term.waitFor((s) => /pods\(observability\) \[2\/\d+\]/.test(s), 'the cursor moved');
    term.type('q');
    await term.waitFor((s) => s.includes('KCOCKPIT-EXIT=0'), 'a clean exit');
  });
});
