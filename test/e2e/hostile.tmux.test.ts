// The cockpit on a cluster whose strings attack the terminal (decision 0013): the real
// binary in tmux against the simulator. tmux obeys what reaches it — an OSC 0 would retitle
// the pane — so the pane's title and the bytes the cockpit wrote show whether any of the
// cluster's escape sequences got through; the screen shows them written out instead.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { BIN } from '../helpers/cli.js';
import { TITLE_ATTACK, hostileScenario } from '../helpers/hostile.js';
import { hasTmux, TmuxSession } from '../helpers/tmux.js';

const SHOWN = String.raw`\x1b]0;kcockpit-pwned\x07\x1b[2J`;

describe('the cockpit on a hostile cluster', () => {
  let sim: SimServer;
  let term: TmuxSession;
  let recording: string;
  let titleBefore: string;

  beforeAll(async () => {
    if (!hasTmux()) throw new Error('tmux is not installed: the end-to-end tests drive the cockpit in tmux');
    sim = await startSimServer({ scenario: hostileScenario(), port: 0 });
    recording = join(mkdtempSync(join(tmpdir(), 'kcockpit-hostile-tty-')), 'tty.bin');
    term = new TmuxSession(
      `env -u CI NO_COLOR=1 KUBECONFIG='${sim.kubeconfigPath}' '${process.execPath}' '${BIN}' -n shop`,
      { columns: 200, rows: 40 },
    );
    titleBefore = term.title();
    term.recordTo(recording);
    await term.waitFor((s) => s.includes('checkout') && /\d+ critical/.test(s), 'the pods of shop, diagnosed');
  });

  afterAll(async () => {
    term?.kill();
    await sim?.close();
  });

  it('shows event messages with their escape sequences written out', async () => {
    term.type(':events');
    term.send('Enter');
    await term.waitFor((s) => s.includes('events(shop)') && s.includes(SHOWN), 'the events, escapes shown');
  });

  it('describes a pod with a hostile annotation, shown written out', async () => {
    term.type(':pods');
    term.send('Enter');
    term.type('/checkout');
    term.send('Enter');
    await term.waitFor((s) => /\[1\/1\]/.test(s), 'only the checkout pod');
    term.send('d');
    await term.waitFor(
      (s) => s.includes(`example.com/note=left by a tenant ${SHOWN}`),
      'the annotation, escapes shown',
    );
    term.send('Escape');
  });

  it('changed neither the title nor anything else: no OSC, BEL or C1 control was written', () => {
    expect(term.title()).toBe(titleBefore);
    expect(term.title()).not.toContain(TITLE_ATTACK);
    const written = readFileSync(recording).toString('utf8');
    expect(written.length).toBeGreaterThan(1000);
    expect(written).not.toContain('\u001b]');
    expect(written).not.toContain('\u0007');
    expect(written).not.toMatch(/[\u0080-\u009f\u202a-\u202e]/);
    expect(written).not.toContain('\u001b[31mRED');
  });
});
