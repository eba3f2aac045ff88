// Runs the simulated API server in its own process so its memory and CPU are not counted
// against the program being measured.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const BIN = fileURLToPath(new URL('../../bin/kcockpit.js', import.meta.url));

export interface SimProcess {
  url: string;
  kubeconfigPath: string;
  /** The admin user's bearer token, for the plain-GET reference. */
  token: string;
  /** A PEM file with the simulator's CA, so a plain client can verify its certificate. */
  caFile: string;
  /** The namespace of the `sim` context: one of the scenario's (a small one in `large`). */
  namespace: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** `args`: more of `kcockpit sim`'s flags (`--list-rate 40`). */
export function startSimProcess(scenario: string, args: readonly string[] = []): Promise<SimProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-old-space-size=8192', BIN, 'sim', scenario, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`simulator did not start in 120 s: ${err}`)), 120_000);
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => reject(new Error(`simulator exited (${code}): ${err.trim()}`)));
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /kubeconfig: (\S+)/.exec(out);
      const u = /at (http\S+)/.exec(out);
      if (!m || !u) return;
      clearTimeout(timer);
      const kubeconfigPath = m[1]!;
      const kc = parse(readFileSync(kubeconfigPath, 'utf8')) as {
        users: { name: string; user: { token?: string } }[];
        contexts: { name: string; context: { user: string; cluster: string; namespace?: string } }[];
        clusters: { name: string; cluster: { 'certificate-authority-data'?: string } }[];
      };
      const context = kc.contexts.find((c) => c.name === 'sim')?.context;
      const token = kc.users.find((u2) => u2.name === context?.user)?.user.token ?? '';
      const ca = kc.clusters.find((c) => c.name === context?.cluster)?.cluster['certificate-authority-data'] ?? '';
      const caFile = join(dirname(kubeconfigPath), 'ca.pem');
      writeFileSync(caFile, Buffer.from(ca, 'base64'));
      resolve({
        url: u[1]!,
        kubeconfigPath,
        token,
        caFile,
        namespace: context?.namespace ?? 'default',
        child,
        stop: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
