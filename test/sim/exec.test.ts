// pods/exec end to end: the real kubectl (its WebSocket executor) and client-node's Exec
// against the simulator, running the small simulated shell.
import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { Exec, KubeConfig, type V1Status } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../../src/sim/server.js';
import { startScenario } from './helpers.js';
import { kubectlFor } from './kubectl-runner.js';

let srv: SimServer;
const kubectl = kubectlFor(() => srv);
let pod: string;
const NS = 'observability';

beforeAll(async () => {
  srv = await startScenario('healthy');
  const podDef = srv.state.registry.forKind('Pod')!;
  pod = srv.state.list(podDef, NS).find((e) => e.obj.metadata.name.startsWith('jaeger-collector-'))!.obj.metadata.name;
});
afterAll(async () => {
  await srv.close();
  kubectl.dispose();
});

describe('kubectl exec against the simulator', () => {
  it('runs echo and returns its output with exit code 0', async () => {
    const r = await kubectl('exec', '-n', NS, pod, '--', 'echo', 'hi');
    expect(r).toEqual({ stdout: 'hi\n', stderr: '', code: 0 });
  });

  it('propagates a non-zero exit code, with stdout and stderr kept apart', async () => {
    const r = await kubectl('exec', '-n', NS, pod, '--', 'sh', '-c', 'echo out; echo err >&2; exit 3');
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('out\n');
    expect(r.stderr).toBe('err\ncommand terminated with exit code 3\n');
  });

  it('reads a known file and the environment of the container', async () => {
    expect((await kubectl('exec', '-n', NS, pod, '--', 'cat', '/etc/hostname')).stdout).toBe(`${pod}\n`);
    const env = (await kubectl('exec', '-n', NS, pod, '--', 'env')).stdout.split('\n');
    expect(env).toContain(`HOSTNAME=${pod}`);
    expect(env).toContain('ES_SERVER_URLS=http://elasticsearch-master:9200');
    const ls = await kubectl('exec', '-n', NS, pod, '--', 'ls', '/etc', '/nope');
    expect(ls.stdout.split('\n')).toContain('hostname');
    expect(ls.stderr).toContain('ls: /nope: No such file or directory');
    expect(ls.code).toBe(1);
  });

  it('a program missing from the image fails with runc’s message and exit code 126', async () => {
    const r = await kubectl('exec', '-n', NS, pod, '--', 'bash2');
    expect(r.code).toBe(126);
    expect(r.stdout).toContain('exec: "bash2": executable file not found in $PATH');
  });

  it('an interactive sh reads commands from stdin until exit', async () => {
    const child = spawn(kubectl.path(), kubectl.args(['exec', '-i', '-n', NS, pod, '--', 'sh']));
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin.end('echo one\nhostname && false || echo two\nexit 4\n');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(out).toBe(`one\n${pod}\ntwo\n`);
    expect(code).toBe(4);
  });

  it('refuses a container that is not running, and a viewer without create on pods/exec', async () => {
    const podDef = srv.state.registry.forKind('Pod')!;
    const entry = srv.state.get(podDef, NS, pod)!;
    const statuses = (entry.obj as { status?: { containerStatuses?: unknown[] } }).status?.containerStatuses ?? [];
    srv.state.patch('Pod', NS, pod, {
      status: {
        containerStatuses: statuses.map((c) => ({
          ...(c as object),
          state: { waiting: { reason: 'CrashLoopBackOff' } },
        })),
      },
    });
    const crashed = await kubectl('exec', '-n', NS, pod, '--', 'echo', 'hi');
    expect(crashed.code).toBe(1);
    expect(crashed.stderr).toContain('container not found ("jaeger-collector")');
    srv.state.patch('Pod', NS, pod, { status: { containerStatuses: statuses } });

    const viewer = await kubectl('--context', 'sim-viewer', 'exec', '-n', NS, pod, '--', 'echo', 'hi');
    expect(viewer.code).toBe(1);
    expect(viewer.stderr).toContain(
      `pods "${pod}" is forbidden: User "viewer" cannot create resource "pods/exec" in API group "" in the namespace "${NS}"`,
    );
  });
});

describe('client-node Exec against the simulator', () => {
  async function exec(command: string[], stdin?: string): Promise<{ out: string; err: string; status: V1Status }> {
    const kc = new KubeConfig();
    kc.loadFromFile(srv.kubeconfigPath);
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    stderr.on('data', (d: Buffer) => (err += d.toString()));
    const input = stdin === undefined ? null : new PassThrough();
    const status = await new Promise<V1Status>((resolve, reject) => {
      new Exec(kc)
        .exec(NS, pod, 'jaeger-collector', command, stdout, stderr, input, false, resolve)
        .then(() => input?.end(stdin))
        .catch(reject);
    });
    return { out, err, status };
  }

  it('returns the output and a Success status', async () => {
    const r = await exec(['echo', 'hello', 'world']);
    expect(r.out).toBe('hello world\n');
    expect(r.status).toEqual({ metadata: {}, status: 'Success' });
  });

  it('returns the exit code in a NonZeroExitCode status', async () => {
    const r = await exec(['sh', '-c', 'echo $HOSTNAME; exit 7']);
    expect(r.out).toBe(`${pod}\n`);
    expect(r.status).toMatchObject({
      status: 'Failure',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '7' }] },
    });
  });

  it('feeds stdin to sh and closes it with the v5 close frame', async () => {
    const r = await exec(['sh'], 'echo from-stdin\n');
    expect(r.out).toBe('from-stdin\n');
    expect(r.status.status).toBe('Success');
  });
});
