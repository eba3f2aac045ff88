// pods/exec over WebSocket, as kube-apiserver and the kubelet serve it to `kubectl exec`
// (client-go's WebSocket executor, the default since kubectl 1.30) and to client-node's Exec:
// subprotocols `v5.channel.k8s.io` and `v4.channel.k8s.io` (also its base64 twin); channels
// 0 stdin, 1 stdout, 2 stderr, 3 error — one Status JSON when the command ends, `Success` or
// `NonZeroExitCode` with the code as a cause — and 4 resize; v5 adds 255, on which the
// client closes its stdin. The command runs in the simulator's small shell (src/sim/shell.ts)
// against a file tree made from the pod, so `echo`, `env`, `ls`, `cat /etc/hostname`,
// `exit 3` and an interactive `sh -i` over a TTY behave as in a busybox container.
//
// pods/attach rides the same channels to the container's main process, as the simulator
// models it: the lines it writes to its log from now on (no history: containerd replays
// none) go to stdout. Input reaches it only when the container was started with `stdin:
// true` (a main process that is a shell then reads it); without, containerd has no stdin
// pipe to write to and drops what is typed. The TTY is the container's own (`tty:` in its
// spec), whatever the request says: the kubelet cannot give a running process a terminal.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Container, KubeObject, Pod } from '../model/k8s.js';

type ConfigMap = KubeObject & { data?: Record<string, string> };
import { authenticate, authorize, type SimUsers } from './auth.js';
import type { ResourceRegistry } from './resources.js';
import { parseRoute } from './routes.js';
import { containerFs, NotFound, run, runLine, type ShellIO, type ShellState } from './shell.js';
import type { SimState } from './state.js';
import { ApiError, badRequest, notFound } from './status.js';
import { channelWriter, negotiate, readFrame, Refusal, refuse, type Codec } from './websocket.js';

const PROTOCOLS: ReadonlyMap<string, Codec> = new Map([
  ['v5.channel.k8s.io', 'binary'],
  ['v4.channel.k8s.io', 'binary'],
  ['v4.base64.channel.k8s.io', 'base64'],
]);

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const CLOSE = 255;

interface ExecRequest {
  subresource: 'exec' | 'attach';
  pod: Pod;
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
  protocol: string;
}

const SHELLS = ['sh', 'bash', '/bin/sh', '/bin/bash'];

const flag = (q: URLSearchParams, name: string): boolean => ['1', 'true'].includes(q.get(name) ?? '');

/** The environment the container's processes see (literal values; ConfigMap keys resolved). */
function containerEnv(state: SimState, pod: Pod, c: Container, tty: boolean): Map<string, string> {
  const env = new Map<string, string>([
    ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    ['HOSTNAME', pod.metadata.name],
  ]);
  if (tty) env.set('TERM', 'xterm');
  const cmDef = state.registry.forKind('ConfigMap');
  const entries = (c as { env?: { name: string; value?: string; valueFrom?: unknown }[] }).env ?? [];
  for (const e of entries) {
    const ref = (e.valueFrom as { configMapKeyRef?: { name: string; key: string } } | undefined)?.configMapKeyRef;
    const fromMap =
      ref && cmDef ? (state.get(cmDef, pod.metadata.namespace, ref.name)?.obj as ConfigMap | undefined) : undefined;
    const value = e.value ?? (ref ? fromMap?.data?.[ref.key] : undefined);
    if (value !== undefined) env.set(e.name, value);
  }
  env.set('KUBERNETES_SERVICE_HOST', '10.96.0.1');
  env.set('KUBERNETES_SERVICE_PORT', '443');
  env.set('KUBERNETES_PORT', 'tcp://10.96.0.1:443');
  env.set('HOME', '/root');
  return env;
}

/** The files a shell in the container can read: hostname, hosts, service account namespace, ConfigMap volumes. */
function containerFiles(state: SimState, pod: Pod, c: Container): Record<string, string> {
  const ip = pod.status?.podIP;
  const files: Record<string, string> = {
    '/etc/hostname': `${pod.metadata.name}\n`,
    '/etc/hosts': `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n${ip ? `${ip}\t${pod.metadata.name}\n` : ''}`,
    '/etc/resolv.conf': `search ${pod.metadata.namespace}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n`,
    '/var/run/secrets/kubernetes.io/serviceaccount/namespace': pod.metadata.namespace ?? '',
  };
  const cmDef = state.registry.forKind('ConfigMap');
  const volumes = (pod.spec as { volumes?: { name: string; configMap?: { name: string } }[] }).volumes ?? [];
  const mounts = (c as { volumeMounts?: { name: string; mountPath: string }[] }).volumeMounts ?? [];
  for (const m of mounts) {
    const source = volumes.find((v) => v.name === m.name)?.configMap;
    const cm =
      source && cmDef
        ? (state.get(cmDef, pod.metadata.namespace, source.name)?.obj as ConfigMap | undefined)
        : undefined;
    for (const [key, value] of Object.entries(cm?.data ?? {}))
      files[`${m.mountPath.replace(/\/$/, '')}/${key}`] = value;
  }
  return files;
}

function exitStatus(command: string[], code: number): string {
  if (code === 0) return JSON.stringify({ metadata: {}, status: 'Success' });
  return JSON.stringify({
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  });
}

export interface SimExecOptions {
  state: SimState;
  registry: ResourceRegistry;
  users: SimUsers;
}

export class SimExec {
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (offered) => negotiate([...offered].join(','), PROTOCOLS) ?? false,
  });
  private readonly open = new Set<WebSocket>();

  constructor(private readonly opts: SimExecOptions) {}

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    try {
      const exec = this.admit(req);
      this.wss.handleUpgrade(req, socket, head, (ws) => this.serve(ws, exec));
    } catch (e) {
      if (e instanceof Refusal) refuse(socket, e);
      else if (e instanceof ApiError) refuse(socket, Refusal.status(e));
      else refuse(socket, Refusal.text(500, e instanceof Error ? e.message : String(e)));
    }
  }

  close(): void {
    for (const ws of this.open) ws.terminate();
    this.wss.close();
  }

  /** The checks in the order the API server and then the kubelet make them. */
  private admit(req: IncomingMessage): ExecRequest {
    const url = new URL(req.url ?? '/', 'http://sim');
    const path = url.pathname.replace(/\/+$/, '');
    const q = url.searchParams;
    const subresource = path.endsWith('/attach') ? 'attach' : 'exec';
    const caller = authenticate(req.headers.authorization, this.opts.users);
    const route = parseRoute(path, this.opts.registry);
    if (!route || route.type !== 'resource' || route.def.kind !== 'Pod' || !route.name || !route.namespace)
      throw badRequest(`the simulated API server accepts ${subresource} upgrades for pods only`);
    // A WebSocket upgrade is authorized as `create` (AuthorizePodWebsocketUpgradeCreatePermission, on since 1.30).
    authorize(caller, {
      verb: 'create',
      path,
      def: route.def,
      subresource,
      namespace: route.namespace,
      name: route.name,
    });
    const entry = this.opts.state.get(route.def, route.namespace, route.name);
    if (!entry) throw notFound(route.def, route.name);
    const pod = entry.obj as Pod;
    const command = q.getAll('command');
    const streams = { stdin: flag(q, 'stdin'), stdout: flag(q, 'stdout'), stderr: flag(q, 'stderr') };
    let tty = flag(q, 'tty');
    if (!streams.stdin && !streams.stdout && !streams.stderr)
      throw badRequest('you must specify at least one of stdin, stdout, stderr');
    if (subresource === 'exec' && command.length === 0) throw badRequest('you must specify at least 1 command');
    const names = (pod.spec.containers ?? []).map((c) => c.name);
    let container = q.get('container') ?? '';
    if (!container) {
      if (names.length !== 1)
        throw badRequest(
          `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]`,
        );
      container = names[0] as string;
    }
    if (!names.includes(container))
      throw badRequest(`container ${container} is not valid for pod ${pod.metadata.name}`);
    if (!pod.spec.nodeName) throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
    const running = pod.status?.containerStatuses?.find((c) => c.name === container)?.state?.running;
    // The kubelet finds no running container to exec in: a crashed, waiting or finished one.
    if (!running) throw Refusal.text(404, `container not found ("${container}")`);
    const protocol = negotiate(req.headers['sec-websocket-protocol'], PROTOCOLS);
    if (protocol === undefined) throw Refusal.text(403, '');
    if (subresource === 'attach') {
      const spec = (pod.spec.containers ?? []).find((c) => c.name === container) as Container & { tty?: boolean };
      tty = spec.tty === true;
      // One terminal, one stream: the kubelet drops stderr under a TTY.
      if (tty) streams.stderr = false;
      return {
        subresource,
        pod,
        container,
        command: [...(spec.command ?? []), ...(spec.args ?? [])],
        ...streams,
        tty,
        protocol,
      };
    }
    return { subresource, pod, container, command, ...streams, tty, protocol };
  }

  private serve(ws: WebSocket, x: ExecRequest): void {
    this.open.add(ws);
    const send = channelWriter(ws, PROTOCOLS.get(x.protocol) ?? 'binary');
    const c = (x.pod.spec.containers ?? []).find((k) => k.name === x.container) as Container;
    const sh: ShellState = {
      env: containerEnv(this.opts.state, x.pod, c, x.tty),
      fs: containerFs(containerFiles(this.opts.state, x.pod, c)),
      status: 0,
    };
    // A terminal turns \n into \r\n and has one output stream.
    const write = (channel: number) => (text: string) =>
      send(x.tty ? STDOUT : channel, Buffer.from(x.tty ? text.replace(/\r?\n/g, '\r\n') : text));
    const io: ShellIO = {
      out: x.stdout ? write(STDOUT) : () => undefined,
      err: x.stderr || x.tty ? write(STDERR) : () => undefined,
    };
    let done = false;
    const finish = (status: string) => {
      if (done) return;
      done = true;
      send(ERROR, Buffer.from(status));
      ws.close(1000);
    };

    const [program, ...flags] = x.command;
    const interactive = SHELLS.includes(program as string) && flags.every((f) => f === '-i' || f === '-l');
    ws.on('close', () => {
      done = true;
      this.open.delete(ws);
    });
    ws.on('error', () => undefined);
    if (x.subresource === 'attach') return this.attach(ws, x, c, sh, io, interactive, finish);
    if (!interactive) {
      try {
        finish(exitStatus(x.command, run(x.command, sh, io)));
      } catch (e) {
        if (!(e instanceof NotFound)) throw e;
        // runc's own message on the exec's output, then exit code 126, as containerd reports it.
        io.out(
          `OCI runtime exec failed: exec failed: unable to start container process: exec: "${e.program}": executable file not found in $PATH: unknown\n`,
        );
        finish(exitStatus(x.command, 126));
      }
    } else {
      this.interact(ws, x, sh, io, (code) => finish(exitStatus(x.command, code)));
    }
  }

  /** The main process's output as it writes it, and its stdin when it has one. */
  private attach(
    ws: WebSocket,
    x: ExecRequest,
    c: Container & { stdin?: boolean },
    sh: ShellState,
    io: ShellIO,
    shell: boolean,
    finish: (status: string) => void,
  ): void {
    const ns = x.pod.metadata.namespace ?? '';
    const out = x.stdout ? io.out : x.stderr ? io.err : () => undefined;
    const stop = this.opts.state.logs.follow(ns, x.pod.metadata.name, x.container, (line) => {
      // The pod is gone and its container with it: the stream ends as the process did.
      if (line === null) return finish(exitStatus(x.command, 0));
      out(`${typeof line.text === 'string' ? line.text : line.text.toString('latin1')}\n`);
    });
    ws.on('close', stop);
    // A shell started with stdin reads what is typed; `exit` ends it, and the attach with it.
    // Its prompt was written before anyone attached (hence kubectl's "try pressing enter").
    if (c.stdin && shell && x.stdin) this.interact(ws, x, sh, io, () => finish(exitStatus(x.command, 0)), false);
  }

  /** `sh` reading commands from stdin: a prompt and echo on a TTY, line by line without one. */
  private interact(
    ws: WebSocket,
    x: ExecRequest,
    sh: ShellState,
    io: ShellIO,
    end: (code: number) => void,
    promptFirst = true,
  ): void {
    const prompt = () => {
      if (x.tty) io.out('/ # ');
    };
    let line = '';
    let ended = false;
    const stop = (code: number) => {
      if (ended) return;
      ended = true;
      end(code);
    };
    const submit = () => {
      const code = runLine(line, sh, io);
      line = '';
      if (sh.exited !== undefined) stop(code);
      else prompt();
    };
    if (!x.stdin) return stop(0);
    if (promptFirst) prompt();
    ws.on('message', (raw: RawData, isBinary: boolean) => {
      const frame = readFrame(raw, isBinary);
      if (!frame || ended) return;
      if (frame.channel === CLOSE && frame.payload[0] === STDIN) {
        if (line.trim()) submit();
        return stop(sh.status);
      }
      if (frame.channel !== STDIN) return;
      for (const ch of frame.payload.toString('utf8')) {
        if (ended) return;
        if (!x.tty) {
          if (ch === '\n') submit();
          else line += ch;
          continue;
        }
        // A terminal's line discipline: echo, erase, interrupt, end of file.
        if (ch === '\r' || ch === '\n') {
          io.out('\n');
          submit();
        } else if (ch === '\x7f' || ch === '\b') {
          if (line) {
            line = line.slice(0, -1);
            io.out('\b \b');
          }
        } else if (ch === '\x03') {
          io.out('^C\n');
          line = '';
          prompt();
        } else if (ch === '\x04') {
          if (line === '') {
            io.out('\n');
            stop(sh.status);
          }
        } else if (ch >= ' ') {
          line += ch;
          io.out(ch);
        }
      }
    });
  }
}
