// Scrolling a long table in a real terminal. The frame writer tells the terminal to scroll
// the block of rows that moved (scroll region + SU/SD) and sends only the new rows, so what
// tmux shows after many j and k presses must be exactly the table's rows in order: a wrong
// region or direction would show a row twice, a blank row, or rows out of order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveScenario } from '../../src/sim/main.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { BIN } from '../helpers/cli.js';
import { hasTmux, TmuxSession } from '../helpers/tmux.js';

describe('scrolling the pod table in a real terminal', () => {
  let sim: SimServer;
  let term: TmuxSession;
  /** `namespace/name` of every pod, in the table's order. */
  let expected: string[];

  beforeAll(async () => {
    if (!hasTmux())
      throw new Error('tmux is not installed: the end-to-end tests drive the cockpit in tmux (apt-get install tmux)');
    sim = await startSimServer({ scenario: resolveScenario('large:300'), port: 0 });
    const podDef = sim.state.registry.forKind('Pod')!;
    expected = sim.state
      .list(podDef)
      .map((e) => `${e.obj.metadata.namespace}/${e.obj.metadata.name}`)
      .sort((a, b) => (a.replace('/', '\u0000') < b.replace('/', '\u0000') ? -1 : 1));
    term = new TmuxSession(
      `env -u CI NO_COLOR=1 KUBECONFIG='${sim.kubeconfigPath}' '${process.execPath}' '${BIN}' -A --readonly`,
      { columns: 110, rows: 24 },
    );
    await term.waitFor((s) => /pods\(all\) \[1\/300\]/.test(s), 'the whole pod table');
  });

  afterAll(async () => {
    term?.kill();
    await sim?.close();
  });

  /** The table rows on screen as `namespace/name`, and which one has the cursor. */
  function tableRows(screen: string): { rows: string[]; cursor: number } {
    const lines = screen.split('\n');
    const header = lines.findIndex((l) => /NAMESPACE\s+NAME\s+READY/.test(l));
    const rows: string[] = [];
    let cursor = -1;
    for (const line of lines.slice(header + 1)) {
      // Cursor column, severity marker column, a space, then NAMESPACE and NAME.
      const m = /^(.). (\S+)\s+(\S+)\s+\d+\/\d+\s/.exec(line);
      if (!m) break;
      if (m[1] === '>') cursor = rows.length;
      rows.push(`${m[2]}/${m[3]}`);
    }
    return { rows, cursor };
  }

  async function pressAndCheck(key: string, times: number, position: number): Promise<void> {
    for (let i = 0; i < times; i++) term.send(key);
    const screen = await term.waitFor((s) => s.includes(`[${position + 1}/300]`), `the cursor on row ${position + 1}`);
    // The counter is drawn in the same frame as the rows; give the terminal that frame whole.
    await new Promise((r) => setTimeout(r, 200));
    const { rows, cursor } = tableRows(term.screen());
    expect(rows.length, screen).toBeGreaterThan(5);
    const first = expected.indexOf(rows[0]!);
    expect(first, `first row ${rows[0]} is a pod`).toBeGreaterThanOrEqual(0);
    expect(rows).toEqual(expected.slice(first, first + rows.length));
    expect(rows[cursor]).toBe(expected[position]);
  }

  it('shows the right rows after scrolling down and up one row at a time', async () => {
    await pressAndCheck('j', 40, 40);
    await pressAndCheck('k', 25, 15);
    await pressAndCheck('j', 3, 18);
  });

  it('shows the right rows after jumping to the end and back', async () => {
    term.send('G');
    await pressAndCheck('k', 2, 297);
    term.send('g');
    await pressAndCheck('j', 1, 1);
  });
});
