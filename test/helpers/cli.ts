// Run the real kcockpit binary (bin/kcockpit.js → dist/) as a user would.
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export const BIN = fileURLToPath(new URL('../../bin/kcockpit.js', import.meta.url));

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  args: string[],
  opts: { env?: Record<string, string | undefined>; input?: string; cwd?: string } = {},
): Promise<CliResult> {
  const env: Record<string, string | undefined> = {
    NO_COLOR: '1',
    KUBECONFIG: '/nonexistent/kcockpit-test-kubeconfig',
    HOME: '/nonexistent-home',
    ...opts.env,
  };
  const r = await execa(process.execPath, [BIN, ...args], {
    env,
    extendEnv: true,
    reject: false,
    stripFinalNewline: false,
    timeout: 60_000,
    ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' as const }),
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
  });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** A failed run must say what is wrong in one line, without a stack trace. */
export function expectOneLineError(r: CliResult): string {
  const lines = r.stderr.trim().split('\n');
  if (r.exitCode !== 2) throw new Error(`expected exit 2, got ${r.exitCode}: ${r.stderr}`);
  if (lines.length !== 1) throw new Error(`expected one line on stderr, got ${lines.length}:\n${r.stderr}`);
  if (/\n\s+at /.test(r.stderr) || /\bat .*\.js:\d+/.test(r.stderr))
    throw new Error(`stack trace on stderr:\n${r.stderr}`);
  return lines[0]!;
}
