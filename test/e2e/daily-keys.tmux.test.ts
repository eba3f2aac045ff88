// Issue #9's k9s habits in the real binary against the simulator, keys only: sort the pods by
// restarts (shift-t), mark two pods and delete both as one plan (space, ctrl-d: preview, dry
// run, one y, audited), decode one key of a Secret reached by k9s's `:sec` (shift-x, and the
// value only after y, never in the audit log), and a pod's logs from a chosen container or
// from all of them at once.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/sim/scenario.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { BIN } from '../helpers/cli.js';
import { hasTmux, TmuxSession } from '../helpers/tmux.js';

const NS = 'observability';
const PASSWORD = 'e2e-hunter2-value';

describe('k9s habits in the cockpit, keys only', () => {
  let sim: SimServer;
  let term: TmuxSession;
  let home: string;
  const exists = (kind: string, name: string) =>
    sim.state.get(sim.state.registry.forKind(kind)!, NS, name) !== undefined;

  beforeAll(async () => {
    if (!hasTmux())
      throw new Error('tmux is not installed: the end-to-end tests drive the cockpit in tmux (apt-get install tmux)');
    sim = await startSimServer({ scenario: loadScenario('s1-jaeger'), port: 0 });
    const def = (kind: string) => sim.state.registry.forKind(kind)!;
    sim.api.create(def('Secret'), NS, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'e2e-db-login', namespace: NS },
      type: 'Opaque',
      data: {
        username: Buffer.from('jaeger').toString('base64'),
        password: Buffer.from(PASSWORD).toString('base64'),
      },
    });
    // Two pods nothing recreates, to delete; one with a sidecar, to read logs from.
    for (const name of ['scratch-a', 'scratch-b'])
      sim.api.create(def('Pod'), NS, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: NS },
        spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] },
      });
    sim.api.create(def('Pod'), NS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'api-sidecar', namespace: NS },
      spec: {
        containers: [
          { name: 'api', image: 'nginx:1.25' },
          { name: 'proxy', image: 'envoyproxy/envoy:v1.30.1' },
        ],
      },
    });
    await sim.settle();
    sim.state.logs.append(NS, 'api-sidecar', 'api', 'GET /healthz 200 from the api');
    sim.state.logs.append(NS, 'api-sidecar', 'proxy', 'upstream connect ok from the proxy');
    home = mkdtempSync(join(tmpdir(), 'kcockpit-home-'));
    const env = `env -u CI NO_COLOR=1 HOME='${home}' XDG_STATE_HOME='${home}/state' KUBECONFIG='${sim.kubeconfigPath}'`;
    // Wide enough for the metrics columns beside the pane.
    term = new TmuxSession(`${env} '${process.execPath}' '${BIN}' -n ${NS}`, { columns: 220, rows: 45 });
    await term.waitFor((s) => /pods\(observability\) \[1\/\d+\]/.test(s), 'the first screen', 30_000);
  });

  afterAll(async () => {
    term?.kill();
    await sim?.close();
  });

  it('shift-t sorts the pods by restarts, most first, and says so in the header; shift-n by name', async () => {
    term.type('T');
    let s = await term.waitFor((x) => x.includes('RESTARTS↓'), 'the sorted header');
    const firstRow = s.split('\n').find((l) => /^[ >][●▲○ ] \S/.test(l) && !/NAME/.test(l)) ?? '';
    expect(firstRow).toMatch(/jaeger-(collector|query)\S*\s+0\/1\s+CrashLoopBackOff/);
    term.type('N');
    s = await term.waitFor((x) => x.includes('NAME↑'), 'sorted by name');
    expect(s.indexOf('api-sidecar')).toBeLessThan(s.indexOf('scratch-a'));
  });

  it('shows CPU and MEM from metrics-server; shift-c sorts by CPU, most first, pods without metrics last', async () => {
    let s = await term.waitFor((x) => /CPU\s+MEM/.test(x) && /\d+m\s+\d+Mi/.test(x), 'the metrics columns');
    term.type('C');
    s = await term.waitFor((x) => x.includes('CPU↓'), 'sorted by CPU');
    const cpus = s
      .split('\n')
      .map((l) => /^[ >][●▲○ ] \S+\s+\d+\/\d+\s+\S+\s+.*?\s(\d+m|n\/a)\s+(\d+Mi|n\/a)/.exec(l)?.[1])
      .filter((c): c is string => c !== undefined);
    const numbers = cpus.filter((c) => c !== 'n/a').map((c) => Number(c.slice(0, -1)));
    expect(numbers.length).toBeGreaterThan(1);
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    // Pods without metrics (not running) come after every measured one.
    expect(cpus.slice(numbers.length).every((c) => c === 'n/a')).toBe(true);
  });

  it('space marks two pods; ctrl-d deletes both as one plan, dry-run, one y, audited', async () => {
    term.type('/scratch');
    term.send('Enter');
    await term.waitFor((x) => /pods\(observability\) <\/scratch> \[1\/2\]/.test(x), 'the two scratch pods');
    term.send('Space', 'j', 'Space');
    await term.waitFor((x) => x.includes('2 marked') && /^\+. scratch-a/m.test(x), 'two marks');
    term.send('C-d');
    await term.waitFor((x) => x.includes('Delete 2 Pods') && x.includes('<enter> apply'), 'the plan preview');
    const preview = term.screen();
    expect(preview).toContain('kubectl delete pod scratch-a -n observability');
    expect(preview).toContain('kubectl delete pod scratch-b -n observability');
    term.send('Enter');
    await term.waitFor((x) => /Dry run passed\. Apply 2 changes to context/.test(x), 'one confirmation for both');
    term.type('y');
    await term.waitFor((x) => x.includes('applied 2 of 2 changes'), 'the outcome');
    term.send('Enter');
    await sim.settle();
    expect(exists('Pod', 'scratch-a')).toBe(false);
    expect(exists('Pod', 'scratch-b')).toBe(false);
    const audit = readFileSync(join(home, 'state', 'kcockpit', 'audit.log'), 'utf8');
    expect(audit).toMatch(/scratch-a/);
    expect(audit).toMatch(/scratch-b/);
    // The marks went with the pods.
    await term.waitFor((x) => !x.includes('marked'), 'no marks left');
    term.send('Escape');
    // An Esc followed at once by a key reads as alt-key: the next key waits for the Esc to land.
    await term.waitFor((x) => /pods\(observability\) \[/.test(x), 'the filter cleared');
  });

  it(':sec lists Secrets; shift-x shows one key only after y, and never writes it anywhere', async () => {
    term.type(':sec');
    term.send('Enter');
    term.type('/e2e-db');
    term.send('Enter');
    await term.waitFor((x) => /secrets\(observability\) <\/e2e-db> \[1\/1\]/.test(x), 'the Secret');
    term.type('X');
    await term.waitFor((x) => x.includes('Decode: which key of Secret observability/e2e-db-login?'), 'the key chooser');
    term.send('Enter');
    await term.waitFor(
      (x) => x.includes('Show the decoded value of "password"') && x.includes('[y/n]'),
      'the question',
    );
    expect(term.screen()).not.toContain(PASSWORD);
    term.type('n');
    await term.waitFor((x) => !x.includes('[y/n]'), 'the question answered no');
    expect(term.screen()).not.toContain(PASSWORD);
    term.type('X');
    await term.waitFor((x) => x.includes('Decode: which key'), 'the key chooser again');
    term.send('Enter');
    await term.waitFor((x) => x.includes('[y/n]'), 'the question again');
    term.type('y');
    await term.waitFor((x) => x.includes(PASSWORD), 'the value');
    term.send('Escape');
    await term.waitFor((x) => !x.includes(PASSWORD), 'the value gone');
    const audit = readFileSync(join(home, 'state', 'kcockpit', 'audit.log'), 'utf8');
    expect(audit).not.toContain(PASSWORD);
    expect(audit).not.toContain(Buffer.from(PASSWORD).toString('base64'));
  });

  it('l on a pod of two containers asks which; all containers shows both logs, prefixed', async () => {
    term.type(':pods');
    term.send('Enter');
    term.type('/api-sidecar');
    term.send('Enter');
    await term.waitFor((x) => /<\/api-sidecar> \[1\/1\]/.test(x), 'the pod');
    term.type('l');
    await term.waitFor((x) => x.includes('Logs: which container of api-sidecar?'), 'the container chooser');
    term.send('Enter');
    await term.waitFor((x) => x.includes('GET /healthz 200 from the api'), 'the api log');
    term.send('Escape');
    await term.waitFor((x) => /pods\(observability\) <\/api-sidecar>/.test(x), 'back on the pod');
    term.type('l');
    await term.waitFor((x) => x.includes('(all containers)'), 'the chooser again');
    term.send('j', 'j', 'Enter');
    const s = await term.waitFor(
      (x) => x.includes('[api] GET /healthz 200') && x.includes('[proxy] upstream connect ok'),
      'both logs, prefixed',
    );
    expect(s).toContain('logs api-sidecar (all containers: api, proxy)');
    // Followed: a new line shows up.
    sim.state.logs.append(NS, 'api-sidecar', 'proxy', 'a line written later');
    await term.waitFor((x) => x.includes('[proxy] a line written later'), 'the followed line');
    term.send('Escape');
  });
});
