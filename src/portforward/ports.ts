// Local ports: `[LOCAL:]REMOTE` specs as kubectl takes them, the bind address, and finding a
// free port to propose when the asked one is taken.
import { createServer, isIP, isIPv4, type AddressInfo } from 'node:net';
import { ForwardError } from './errors.js';
import type { PortPair } from './types.js';

export const DEFAULT_ADDRESS = '127.0.0.1';

const EXAMPLE = 'e.g. 8080:16686, or 16686 for the same port on both sides';

function portNumber(text: string, spec: string, side: 'local' | 'remote'): number {
  if (!/^\d+$/.test(text)) {
    throw new ForwardError(
      'spec',
      `"${spec}" is not a port spec: give [LOCAL:]REMOTE with ports from 1 to 65535 (${EXAMPLE})`,
    );
  }
  const n = Number(text);
  if (n < 1 || n > 65535) {
    throw new ForwardError(
      'spec',
      `${side} port ${text} in "${spec}" is out of range: ports go from 1 to 65535 (${EXAMPLE})`,
    );
  }
  return n;
}

/**
 * `8080:16686` → local 8080 to remote 16686; `16686` → the same port on both sides;
 * `:16686` → any free local port (local 0, chosen when the forward starts).
 */
export function parsePortSpecs(specs: readonly string[]): PortPair[] {
  if (specs.length === 0)
    throw new ForwardError('spec', `no port to forward: give at least one [LOCAL:]REMOTE (${EXAMPLE})`);
  const pairs = specs.map((spec): PortPair => {
    const parts = spec.split(':');
    if (parts.length === 1) {
      const port = portNumber(spec, spec, 'remote');
      return { local: port, remote: port };
    }
    if (parts.length !== 2)
      throw new ForwardError(
        'spec',
        `"${spec}" is not a port spec: give [LOCAL:]REMOTE with ports from 1 to 65535 (${EXAMPLE})`,
      );
    const [local, remote] = parts as [string, string];
    return { local: local === '' ? 0 : portNumber(local, spec, 'local'), remote: portNumber(remote, spec, 'remote') };
  });
  const seen = new Set<number>();
  for (const p of pairs) {
    if (p.local !== 0 && seen.has(p.local)) {
      throw new ForwardError(
        'spec',
        `local port ${p.local} is given twice: one local port can forward to one remote port only; pick another local port for the second`,
      );
    }
    seen.add(p.local);
  }
  return pairs;
}

/** Checks a bind address; `localhost` and IP addresses are accepted. */
export function checkAddress(address: string): void {
  if (address === 'localhost' || isIP(address) !== 0) return;
  throw new ForwardError(
    'spec',
    `--address "${address}" is not an IP address: use 127.0.0.1 (this machine only), 0.0.0.0 (every network) or one of this machine's own addresses`,
  );
}

/** False for loopback addresses only: anything else lets other machines connect. */
export function exposesNetwork(address: string): boolean {
  if (address === 'localhost') return false;
  if (isIPv4(address)) return !address.startsWith('127.');
  const v6 = address.toLowerCase();
  return !(v6 === '::1' || v6 === '0:0:0:0:0:0:0:1' || v6.startsWith('::ffff:127.'));
}

/** The warning to show (and have acknowledged) before binding a non-loopback address. */
export function exposureWarning(address: string, localPorts: readonly number[]): string | undefined {
  if (!exposesNetwork(address)) return undefined;
  // Port 0 is picked when binding, after this warning: name the ports only when all are known.
  const known = localPorts.every((p) => p !== 0);
  const plural = localPorts.length !== 1;
  const ports = known ? `port${plural ? 's' : ''} ${localPorts.join(', ')}` : `the forwarded port${plural ? 's' : ''}`;
  const reach =
    address === '0.0.0.0' || address === '::' ? 'every network this machine is on' : `the network ${address} is on`;
  return `${address} exposes ${ports} to ${reach}: anyone who can reach this machine can use the forward; use --address 127.0.0.1 to keep it to this machine`;
}

/** `host:port`, with brackets for IPv6. */
export function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** A port free on `address` right now: the system picks it when asked for port 0. */
export function freePort(address: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(undefined));
    probe.listen(0, address, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
