// The speed-ups that reach into Ink and string-width (decisions 0006, 0008, 0011) are in
// the program that ships, and do their work there: the real binary (the bundle) runs with
// --debug in tmux, is driven by keys, and its debug lines say what each cache did. A
// bundle built without the string-width wrapper, or whose row cache patched a copy of Ink
// that the renderer does not use, would draw the same screen, only slower; this fails.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../../src/sim/server.js';
import { BIN } from '../helpers/cli.js';
import { startSim } from '../helpers/sim.js';
import { hasTmux, TmuxSession } from '../helpers/tmux.js';

/** `kcockpit: debug: <name>: <text>` → text, by name; the first line of each name and the last. */
function debugLines(stderr: string, name: string): string[] {
  const prefix = `kcockpit: debug: ${name}: `;
  return stderr
    .split('\n')
    .filter((l) => l.startsWith(prefix))
    .map((l) => l.slice(prefix.length));
}

const number = (text: string, label: string): number => {
  const m = new RegExp(`([\\d,]+) ${label}`).exec(text);
  if (!m) throw new Error(`no "${label}" in: ${text}`);
  return Number(m[1]!.replace(/,/g, ''));
};

describe('the speed-ups in the real binary', () => {
  let sim: SimServer;
  let dir: string;
  let stderr = '';

  beforeAll(async () => {
    if (!hasTmux())
      throw new Error('tmux is not installed: the end-to-end tests drive the cockpit in tmux (apt-get install tmux)');
    sim = await startSim('s1-jaeger');
    dir = mkdtempSync(join(tmpdir(), 'kcockpit-speedups-'));
    const errFile = join(dir, 'stderr');
    const term = new TmuxSession(
      `env -u CI KUBECONFIG='${sim.kubeconfigPath}' '${process.execPath}' '${BIN}' -n observability --debug 2>'${errFile}'`,
      { columns: 120, rows: 32 },
    );
    try {
      await term.waitFor((s) => /● jaeger-op-jaeg.*ImagePullBackOff/.test(s), 'the pods of observability');
      for (const key of ['j', 'j', 'j', 'k']) term.send(key);
      term.type('/elastic');
      await term.waitFor((s) => /<\/elastic> \[\d+\/3\]/.test(s), 'the filtered table');
      term.send('Escape');
      await term.waitFor((s) => /pods\(observability\) \[\d+\/\d+\]/.test(s), 'the filter cleared');
      term.send('q');
      await term.waitFor((s) => s.includes('KCOCKPIT-EXIT=0'), 'kcockpit to exit');
      stderr = readFileSync(errFile, 'utf8');
    } finally {
      term.kill();
    }
  }, 60_000);

  afterAll(async () => {
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('says which speed-ups are on before the cockpit opens', () => {
    expect(debugLines(stderr, 'ink row cache')[0]).toMatch(/^on \(Ink 6\.8\.\d+\)$/);
    expect(debugLines(stderr, 'string-width cache')[0]).toMatch(/^on \(2 string-width versions wrapped\)$/);
    expect(debugLines(stderr, 'compile cache')[0]).toMatch(/^(on|off) \(.+\)$/);
  });

  it("draws Ink's frames through the row cache, most rows from memory", () => {
    const end = debugLines(stderr, 'ink row cache').at(-1)!;
    expect(number(end, 'frames')).toBeGreaterThan(5);
    expect(number(end, 'rendered by Ink')).toBeGreaterThan(0);
    expect(number(end, 'rows from memory')).toBeGreaterThan(number(end, 'rendered by Ink'));
  });

  it("answers Ink's width measurements through the string-width cache, most from memory", () => {
    const end = debugLines(stderr, 'string-width cache').at(-1)!;
    expect(number(end, 'calls')).toBeGreaterThan(100);
    expect(number(end, 'from memory')).toBeGreaterThan(number(end, 'calls') / 2);
  });
});
