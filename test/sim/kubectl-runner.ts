// The unchanged kubectl binary pointed at a simulator through the kubeconfig it writes, with a
// discovery cache of its own per test file.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SimServer } from '../../src/sim/server.js';

const run = promisify(execFile);

function findKubectl(): string | undefined {
  try {
    return execFileSync('which', ['kubectl'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export const kubectlPath = findKubectl();

export interface KubectlResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface Kubectl {
  (...extra: string[]): Promise<KubectlResult>;
  /** The arguments every call starts with (kubeconfig, cache dir), for spawning kubectl directly. */
  args(extra: string[]): string[];
  /** The executable; throws a one-line explanation when kubectl is not installed. */
  path(): string;
  dispose(): void;
}

export function kubectlFor(srv: () => SimServer): Kubectl {
  const cacheDir = mkdtempSync(join(tmpdir(), 'kcockpit-kubectl-cache-'));
  const args = (extra: string[]) => ['--kubeconfig', srv().kubeconfigPath, '--cache-dir', cacheDir, ...extra];
  const path = () => {
    if (!kubectlPath)
      throw new Error(
        'kubectl is not installed (not on PATH): these tests run the real kubectl against the simulator; install kubectl (CI does) to run them.',
      );
    return kubectlPath;
  };
  const kubectl = async (...extra: string[]): Promise<KubectlResult> => {
    try {
      const { stdout, stderr } = await run(path(), args(extra), { timeout: 20_000 });
      return { stdout, stderr, code: 0 };
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string; code?: number; message?: string };
      if (err.message?.startsWith('kubectl is not installed')) throw e;
      return { stdout: err.stdout ?? '', stderr: err.stderr ?? '', code: err.code ?? 1 };
    }
  };
  return Object.assign(kubectl, {
    args,
    path,
    dispose: () => rmSync(cacheDir, { recursive: true, force: true }),
  });
}
