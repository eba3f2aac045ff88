// `kcockpit port-forward` through the real binary, as a user runs it: it keeps running until
// Ctrl-C, prints kubectl's lines, and fails in one line with exit 2 when it cannot start.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, expectOneLineError, runCli } from '../helpers/cli.js';
import { httpGet, queryPodName, startForwardWorld, waitFor, type ForwardWorld } from './helpers.js';

let w: ForwardWorld;
let env: Record<string, string>;
beforeAll(async () => {
  w = await startForwardWorld();
  env = { KUBECONFIG: w.sim.kubeconfigPath };
});
afterAll(() => w.close());

interface Running {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function spawnCli(args: string[]): Running {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, NO_COLOR: '1', HOME: '/nonexistent-home', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  void exit.then(() => clearTimeout(timer));
  return { child, stdout: () => out, stderr: () => err, exit };
}

/** The local port of each "Forwarding from ADDRESS:PORT -> REMOTE" line, once they are all printed. */
async function forwardedPorts(run: Running, count: number): Promise<number[]> {
  return waitFor(
    () => {
      const ports = [...run.stdout().matchAll(/^Forwarding from [^\n]*:(\d+) -> \d+$/gm)].map((m) => Number(m[1]));
      return ports.length >= count ? ports : undefined;
    },
    10_000,
    `"Forwarding from" in ${JSON.stringify(run.stdout())} / ${JSON.stringify(run.stderr())}`,
  );
}

describe('kcockpit port-forward', () => {
  it('forwards svc/jaeger-query until Ctrl-C, printing kubectl’s lines, and exits 0', async () => {
    const run = spawnCli(['port-forward', 'svc/jaeger-query', ':16686', ':16687', '-n', 'observability']);
    const [ui, admin] = await forwardedPorts(run, 2);
    expect(run.stdout()).toMatch(
      new RegExp(
        `^Forwarding from 127\\.0\\.0\\.1:${ui} -> 16686\nForwarding from 127\\.0\\.0\\.1:${admin} -> 16687\n`,
      ),
    );
    expect(await httpGet(ui!, '/search')).toEqual({ status: 200, body: 'jaeger-query GET /search\n' });
    expect((await httpGet(admin!, '/metrics')).body).toBe('jaeger-admin GET /metrics\n');
    await waitFor(
      () => (run.stdout().includes(`Handling connection for ${admin}`) ? true : undefined),
      3_000,
      'the connection line',
    );
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(0);
    expect(run.stderr()).toBe('');
    await expect(httpGet(ui!)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('warns on stderr before exposing the port on 0.0.0.0', async () => {
    const run = spawnCli(['port-forward', 'deploy/jaeger-query', ':16686', '--address', '0.0.0.0']);
    const [port] = await forwardedPorts(run, 1);
    expect(run.stderr()).toBe(
      `warning: 0.0.0.0 exposes the forwarded port to every network this machine is on: anyone who can reach this machine can use the forward; use --address 127.0.0.1 to keep it to this machine\n`,
    );
    expect(run.stdout()).toContain(`Forwarding from 0.0.0.0:${port} -> 16686`);
    expect((await httpGet(port!)).status).toBe(200);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  });

  it('says when the pod of a pod forward is deleted, and exits 1', async () => {
    const pod = queryPodName(w.sim);
    const run = spawnCli(['port-forward', `pod/${pod}`, ':16686']);
    await forwardedPorts(run, 1);
    w.sim.api.delete(w.sim.state.registry.forKind('Pod')!, 'observability', pod, { gracePeriodSeconds: 0 });
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toBe(
      `kcockpit: pod ${pod} was deleted: a forward to one pod ends with it; forward to its Service or Deployment (svc/NAME, deploy/NAME) to follow its replacement\n`,
    );
    await w.sim.settle();
  });

  it('lists the ports to choose from when REMOTE is missing, and exits 2 with a hint', async () => {
    const r = await runCli(['port-forward', 'svc/jaeger-query'], { env });
    expect(r.stdout).toBe(
      'PORT    NAME    TARGET PORT   PROTOCOL\n16686   query   query         TCP\n16687   admin   admin         TCP\n',
    );
    expect(expectOneLineError(r)).toBe(
      "kcockpit: port-forward needs a port: pick one of svc/jaeger-query's ports listed above, e.g. kcockpit port-forward svc/jaeger-query 16686 -n observability",
    );
  });

  it('refuses a busy local port in one line, proposing a free one', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const taken = (busy.address() as { port: number }).port;
    try {
      const r = await runCli(['port-forward', 'svc/jaeger-query', `${taken}:16686`], { env });
      expect(expectOneLineError(r)).toMatch(
        new RegExp(
          `^kcockpit: local port ${taken} is already in use on 127\\.0\\.0\\.1: .*; (\\d+) is free: use \\1:16686$`,
        ),
      );
    } finally {
      busy.close();
    }
  });

  it.concurrent.each([
    [
      ['port-forward', 'svc/jaeger-query', '8080:abc'],
      /^kcockpit: "8080:abc" is not a port spec: give \[LOCAL:\]REMOTE/,
    ],
    [
      ['port-forward'],
      /^kcockpit: port-forward needs a target and a port: kcockpit port-forward <pod\|svc\|deploy>\/<name>/,
    ],
    [['port-forward', 'svc/nope', '80'], /^kcockpit: not found: services "nope" not found/],
    [
      ['port-forward', 'svc/jaeger-query', '16686', '--context', 'sim-viewer'],
      /^kcockpit: forbidden: pods "jaeger-query-[a-z0-9-]+" is forbidden: User "viewer" cannot create resource "pods\/portforward"/,
    ],
  ])('%j fails in one line with exit 2', async (args, message) => {
    expect(expectOneLineError(await runCli(args, { env }))).toMatch(message);
  });
});
