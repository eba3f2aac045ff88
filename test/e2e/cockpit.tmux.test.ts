// The cockpit as a person uses it: the real binary in tmux against the simulated cluster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../../src/sim/server.js';
import { BIN } from '../helpers/cli.js';
import { startSim } from '../helpers/sim.js';
import { hasTmux, TmuxSession } from '../helpers/tmux.js';

const ns = 'observability';

function cockpitCommand(kubeconfig: string, extra = ''): string {
  // Ink draws nothing interactive when CI is set at all; CI runs set it.
  return `echo BEFORE-KCOCKPIT; env -u CI NO_COLOR=1 KUBECONFIG='${kubeconfig}' '${process.execPath}' '${BIN}' -n ${ns} ${extra}`;
}

describe('the cockpit in a real terminal', () => {
  let sim: SimServer;
  let term: TmuxSession;

  beforeAll(async () => {
    if (!hasTmux())
      throw new Error('tmux is not installed: the end-to-end tests drive the cockpit in tmux (apt-get install tmux)');
    sim = await startSim('s1-jaeger');
    term = new TmuxSession(cockpitCommand(sim.kubeconfigPath), { columns: 120, rows: 32 });
    await term.waitFor(
      (s) => s.includes('ImagePullBackOff') && /\d+ critical/.test(s),
      'the first screen of pods, diagnosed',
    );
  });

  afterAll(async () => {
    term?.kill();
    await sim?.close();
  });

  it('shows the header, the pods with their markers, and the finding of the selected pod', () => {
    const screen = term.screen();
    expect(screen).toMatch(/ctx sim/);
    expect(screen).toMatch(/ns observability/);
    expect(screen).toMatch(/critical/);
    expect(screen).toMatch(/● jaeger-op-jaeg.*ImagePullBackOff/);
    // Critical since its rollout is stuck past the deadline (workloads/rollout-stuck), nested under the crash.
    expect(screen).toMatch(/● jaeger-collect\S*\s+0\/1\s+CrashLoopBackOff/);
  });

  it('shows a pod that turns ImagePullBackOff, red-marked, with its finding', async () => {
    const podDef = sim.state.registry.forKind('Pod')!;
    sim.api.create(podDef, ns, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'hotfix-operator', namespace: ns, labels: { app: 'hotfix' } },
      spec: { containers: [{ name: 'operator', image: 'jaegertracing/jaeger-operator:1.39.0' }] },
    });
    await term.waitFor(
      (s) => /● hotfix-operator\s+0\/1\s+(ImagePullBackOff|ErrImagePull)/.test(s),
      'the new pod marked with its pull failure',
    );
    term.type('/hotfix');
    term.send('Enter');
    const screen = await term.waitFor((s) => /pull rate limit/i.test(s), 'the finding pane of the new pod');
    expect(screen).toMatch(/hotfix-operator/);
    term.send('Escape');
    await term.waitFor((s) => /pods\(observability\) \[\d+\/7\]/.test(s), 'the filter cleared');
  });

  it('lists Helm releases with :helm', async () => {
    term.type(':helm');
    term.send('Enter');
    const screen = await term.waitFor((s) => /helm\(observability\)/.test(s), 'the helm view');
    expect(screen).toMatch(/jaeger-op\s+observability\s+1\s+deployed\s+jaeger-operator-2\.38\.0/);
    expect(screen).toMatch(/jaeger\s+observability\s+1\s+deployed\s+jaeger-0\.65\.4/);
  });

  it('filters the pod table with /', async () => {
    term.type(':pods');
    term.send('Enter');
    await term.waitFor((s) => /pods\(observability\)/.test(s), 'the pods view');
    term.type('/collector');
    term.send('Enter');
    const screen = await term.waitFor((s) => /\[1\/1\]/.test(s), 'one row left');
    expect(screen).toMatch(/jaeger-collector/);
    expect(screen).not.toMatch(/elasticsearch-master-0/);
  });

  it('quits with q and gives the terminal back as it was', async () => {
    term.send('q');
    const screen = await term.waitFor((s) => s.includes('KCOCKPIT-EXIT='), 'kcockpit to exit');
    expect(screen).toContain('KCOCKPIT-EXIT=0');
    // The alternate screen was left: what was there before is back, the cockpit is gone.
    expect(screen).toContain('BEFORE-KCOCKPIT');
    expect(screen).not.toMatch(/ctx sim/);
  });
});

describe('the cockpit where it cannot run', () => {
  it('says so in one line when there is no cluster', async () => {
    const term = new TmuxSession(cockpitCommand('/nonexistent/kubeconfig'), { columns: 100, rows: 10 });
    try {
      const screen = await term.waitFor((s) => s.includes('KCOCKPIT-EXIT='), 'kcockpit to exit');
      expect(screen).toContain('KCOCKPIT-EXIT=2');
      expect(screen).toMatch(/kcockpit: .*kubeconfig/);
    } finally {
      term.kill();
    }
  });
});

describe('kcockpit demo, the README command', () => {
  it('opens the cockpit on the built-in S1 cluster and quits cleanly', async () => {
    const term = new TmuxSession(`echo BEFORE-KCOCKPIT; env -u CI NO_COLOR=1 '${process.execPath}' '${BIN}' demo`, {
      columns: 100,
      rows: 30,
    });
    try {
      await term.waitFor(
        (s) => /ctx sim/.test(s) && /\d+ critical/.test(s) && s.includes('ImagePullBackOff'),
        'the demo cockpit, diagnosed',
      );
      term.send('q');
      const screen = await term.waitFor((s) => s.includes('KCOCKPIT-EXIT='), 'the demo to exit');
      expect(screen).toContain('KCOCKPIT-EXIT=0');
    } finally {
      term.kill();
    }
  });
});
