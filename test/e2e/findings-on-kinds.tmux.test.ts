// What is red in any list, as an operator scanning `:cj` or `:pvc` meets it: the real binary in
// tmux against the broken shop, whose findings are about CronJobs, claims and nodes, not only
// pods. The row of an object a finding is about carries the finding's glyph, and `x` on it
// opens that finding's fix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../../src/sim/server.js';
import { BIN } from '../helpers/cli.js';
import { startSim } from '../helpers/sim.js';
import { hasTmux, TmuxSession } from '../helpers/tmux.js';

describe('findings on any kind, in a real terminal', () => {
  let sim: SimServer;
  let term: TmuxSession;

  beforeAll(async () => {
    if (!hasTmux())
      throw new Error('tmux is not installed: the end-to-end tests drive the cockpit in tmux (apt-get install tmux)');
    sim = await startSim('shop');
    const command = `env -u CI NO_COLOR=1 KUBECONFIG='${sim.kubeconfigPath}' '${process.execPath}' '${BIN}' -A`;
    term = new TmuxSession(command, { columns: 160, rows: 32 });
    await term.waitFor((s) => /pods\(all\)/.test(s) && /● live/.test(s), 'the first screen of pods', 60_000);
  }, 90_000);

  afterAll(async () => {
    term?.kill();
    await sim?.close();
  });

  it(':cj marks both broken CronJobs; x on the one that skips its runs opens the fix of what holds it', async () => {
    // The marks come with the first diagnosis, a moment after the rows (the header says `diagnosing…` until then).
    const screen = await term.command('cj', /● shop-system\s+stock-sync\s/, 'the cronjobs view, marked');
    expect(screen).toMatch(/^[> ]● shop\s+sales-report\s/m);
    expect(screen).toMatch(/^[> ]● shop-system\s+stock-sync\s/m);
    term.type('/stock-sync');
    term.send('Enter');
    await term.waitFor((s) => /cronjobs\.batch\(all\) <\/stock-sync> \[1\/1\]/.test(s), 'the filtered list');
    term.type('x');
    const dialog = await term.waitFor((s) => /Fix: sync cannot pull/.test(s), 'the fix dialog');
    expect(dialog).toMatch(/kubectl set image cronjob\/stock-sync sync=ghcr\.io\/acme-shop\/stock-sync:<correct-tag>/);
    term.send('Escape');
    await term.waitFor((s) => !/Fix: sync cannot pull/.test(s), 'the dialog closed');
  });

  it(':no marks the cordoned node and leaves the others alone', async () => {
    const screen = await term.command('no', /[▲●] shop-node-3\s/, 'the nodes view, marked');
    expect(screen).toMatch(/^[> ][▲●] shop-node-3\s/m);
    expect(screen).toMatch(/^[> ] {2}shop-node-1\s/m);
  });
});
