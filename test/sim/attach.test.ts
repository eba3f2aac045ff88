// pods/attach end to end: the real kubectl and client-node's Attach against the simulator,
// attached to a container's main process: the log lines it writes from then on, and its
// stdin only when its spec has `stdin: true`.
import { spawn, type ChildProcess } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { Attach, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../src/model/k8s.js';
import type { SimServer } from '../../src/sim/server.js';
import { startScenario } from './helpers.js';
import { kubectlFor } from './kubectl-runner.js';

let srv: SimServer;
const runner = kubectlFor(() => srv);
let pod: string;
const NS = 'observability';
const C = 'jaeger-collector';

beforeAll(async () => {
  srv = await startScenario('healthy');
  const podDef = srv.state.registry.forKind('Pod')!;
  pod = srv.state.list(podDef, NS).find((e) => e.obj.metadata.name.startsWith('jaeger-collector-'))!.obj.metadata.name;
});
afterAll(async () => {
  await srv.close();
  runner.dispose();
});

function kubectl(...args: string[]): {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  done: Promise<number | null>;
} {
  const child = spawn(runner.path(), runner.args(args));
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, out: () => out, err: () => err, done };
}

/** The process writes a line now and then until `seen` says the attached side got it. */
async function writeUntil(line: string, seen: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !seen(); i++) {
    srv.state.logs.append(NS, pod, C, line);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('kubectl attach against the simulator', () => {
  it('streams what the main process writes from now on, none of its history', async () => {
    srv.state.logs.append(NS, pod, C, 'written-before-attach');
    const k = kubectl('attach', '-n', NS, pod, '-c', C);
    await writeUntil('written-while-attached', () => k.out().includes('written-while-attached'));
    k.child.kill('SIGINT');
    await k.done;
    expect(k.out()).toMatch(/^(written-while-attached\n)+$/);
    expect(k.err()).toContain("If you don't see a command prompt, try pressing enter.");
  });

  it('-it on a container without a TTY: kubectl says so, and what is typed goes nowhere', async () => {
    const k = kubectl('attach', '-it', '-n', NS, pod, '-c', C);
    k.child.stdin!.write('echo typed\n');
    await writeUntil('still-streaming', () => k.out().includes('still-streaming'));
    k.child.kill('SIGINT');
    await k.done;
    expect(k.err()).toContain(`Unable to use a TTY - container ${C} did not allocate one`);
    expect(k.out()).not.toContain('typed');
  });

  it('refuses a container that is not running, and a viewer without create on pods/attach', async () => {
    const entry = srv.state.get(srv.state.registry.forKind('Pod')!, NS, pod)!;
    const statuses = (entry.obj as Pod).status?.containerStatuses ?? [];
    srv.state.patch('Pod', NS, pod, {
      status: {
        containerStatuses: statuses.map((c) => ({ ...c, state: { waiting: { reason: 'CrashLoopBackOff' } } })),
      },
    });
    const crashed = kubectl('attach', '-n', NS, pod, '-c', C);
    expect(await crashed.done).toBe(1);
    expect(crashed.err()).toContain(`container not found ("${C}")`);
    srv.state.patch('Pod', NS, pod, { status: { containerStatuses: statuses } });

    const viewer = kubectl('--context', 'sim-viewer', 'attach', '-n', NS, pod, '-c', C);
    expect(await viewer.done).toBe(1);
    expect(viewer.err()).toContain(
      `pods "${pod}" is forbidden: User "viewer" cannot create resource "pods/attach" in API group "" in the namespace "${NS}"`,
    );
  });
});

describe('client-node Attach against the simulator', () => {
  it('a main process that is a shell started with stdin and a TTY reads what is typed', async () => {
    const entry = srv.state.get(srv.state.registry.forKind('Pod')!, NS, pod)!;
    const containers = (entry.obj as Pod).spec.containers;
    srv.state.patch('Pod', NS, pod, {
      spec: { containers: containers.map((c) => ({ ...c, command: ['sh'], args: [], stdin: true, tty: true })) },
    });
    try {
      const kc = new KubeConfig();
      kc.loadFromFile(srv.kubeconfigPath);
      const stdout = new PassThrough();
      const stdin = new PassThrough();
      let out = '';
      stdout.on('data', (d: Buffer) => (out += d.toString()));
      const ws = await new Attach(kc).attach(NS, pod, C, stdout, null, stdin, true);
      const closed = new Promise((resolve) => ws.on('close', resolve));
      stdin.write('echo $HOSTNAME\r');
      for (let i = 0; i < 100 && !out.includes('/ # '); i++) await new Promise((r) => setTimeout(r, 50));
      await writeUntil('logged', () => out.includes('logged'));
      stdin.write('exit\r');
      await closed;
      // No prompt at first: the shell wrote it before anyone attached.
      expect(out).toMatch(new RegExp(`^echo \\$HOSTNAME\r\n${pod}\r\n/ # (logged\r\n)+exit\r\n$`));
    } finally {
      srv.state.patch('Pod', NS, pod, { spec: { containers } });
    }
  });
});
