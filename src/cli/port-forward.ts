// `kcockpit port-forward <pod|svc|deploy>/<name> [LOCAL:]REMOTE ...`: kubectl's output and
// habits, plus a Service or Deployment forward that follows its pods when one dies.
import type { ObjectRef } from '../model/ref.js';
import type { Connection } from '../kube/client.js';
import { PortForwardManager, type ForwardLine } from '../portforward/manager.js';
import type { AvailablePort } from '../portforward/pods.js';
import { DEFAULT_ADDRESS, checkAddress, exposureWarning, hostPort, parsePortSpecs } from '../portforward/ports.js';
import { availablePorts } from '../portforward/resolve.js';
import { formatTarget, parseTarget } from '../portforward/target.js';
import type { ForwardInfo } from '../portforward/types.js';
import { openCluster } from './cluster.js';
import { inert } from '../format/inert.js';
import { CliError, oneLine } from './errors.js';
import type { GlobalFlags } from './flags.js';

const USAGE = 'kcockpit port-forward <pod|svc|deploy>/<name> [LOCAL:]REMOTE ... [-n namespace] [--address 127.0.0.1]';

function asCliError(e: unknown): CliError {
  return e instanceof CliError ? e : new CliError(oneLine(e));
}

function portTable(ports: readonly AvailablePort[], service: boolean): string {
  const rows = ports
    .map((p) =>
      service
        ? [String(p.port), p.name ?? '', String(p.targetPort ?? p.port), p.protocol]
        : [String(p.port), p.name ?? '', p.container ?? '', p.protocol],
    )
    .map((r) => r.map(inert));
  const head = service ? ['PORT', 'NAME', 'TARGET PORT', 'PROTOCOL'] : ['PORT', 'NAME', 'CONTAINER', 'PROTOCOL'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [head, ...rows]
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('   ')
        .trimEnd(),
    )
    .join('\n');
}

/** Without REMOTE: show what can be forwarded, then stop with a hint (exit 2). */
async function listPorts(conn: Connection, ref: ObjectRef, namespace: string): Promise<never> {
  const ports = await availablePorts(conn, ref);
  const target = formatTarget(ref);
  if (ports.length === 0) {
    throw new CliError(
      `${target} declares no ports: give the port the program inside listens on, e.g. kcockpit port-forward ${target} 8080 -n ${namespace}`,
    );
  }
  process.stdout.write(`${portTable(ports, ref.kind === 'Service')}\n`);
  const first = ports[0] as AvailablePort;
  throw new CliError(
    `port-forward needs a port: pick one of ${target}'s ports listed above, e.g. kcockpit port-forward ${target} ${first.port} -n ${namespace}`,
  );
}

function forwardingLines(info: ForwardInfo): string {
  return info.ports.map((p) => `Forwarding from ${hostPort(info.address, p.local)} -> ${p.remote}\n`).join('');
}

function printLine(line: ForwardLine): void {
  switch (line.kind) {
    case 'connection':
    case 'moved':
    case 'recovered':
      process.stdout.write(`${inert(line.text)}\n`);
      return;
    case 'error':
    case 'waiting':
      process.stderr.write(`${inert(line.text)}\n`);
      return;
    case 'failed':
      // Reported once, as the command's own error.
      return;
  }
}

export async function runPortForward(args: string[], flags: GlobalFlags): Promise<number> {
  const [targetText, ...specs] = args;
  if (targetText === undefined) throw new CliError(`port-forward needs a target and a port: ${USAGE}`);
  if (flags.allNamespaces) throw new CliError('port-forward works in one namespace: use -n <namespace> instead of -A');
  try {
    const parsed = parseTarget(targetText);
    const address = flags.address ?? DEFAULT_ADDRESS;
    checkAddress(address);
    const ports = specs.length > 0 ? parsePortSpecs(specs) : undefined;
    const cluster = openCluster(flags);
    const namespace = cluster.conn.namespace;
    const ref: ObjectRef = { ...parsed, namespace };
    if (!ports) return await listPorts(cluster.conn, ref, namespace);

    const warning = exposureWarning(
      address,
      ports.map((p) => p.local),
    );
    if (warning) process.stderr.write(`warning: ${warning}\n`);
    const manager = new PortForwardManager(cluster.conn);
    manager.onLine(printLine);
    const info = await manager.start({ target: ref, ports, address });
    process.stdout.write(forwardingLines(info));
    return await runUntilStopped(manager, info.id, () => cluster.conn.close());
  } catch (e) {
    throw asCliError(e);
  }
}

/** Until Ctrl-C or SIGTERM (exit 0), or until the forward ends on its own (exit 1). */
function runUntilStopped(manager: PortForwardManager, id: string, closeConnection: () => void): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let finished = false;
    const finish = (outcome: { code: number } | { error: CliError }) => {
      if (finished) return;
      finished = true;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      unsubscribe();
      void manager.stopAll().then(() => {
        closeConnection();
        if ('code' in outcome) resolve(outcome.code);
        else reject(outcome.error);
      });
    };
    const onSignal = () => finish({ code: 0 });
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const unsubscribe = manager.subscribe(() => {
      const fwd = manager.list().find((f) => f.id === id);
      if (fwd?.state === 'failed') finish({ error: new CliError(fwd.detail ?? 'the port-forward ended', 1) });
    });
  });
}
