// Run the real kcockpit binary (bin/kcockpit.js → dist/) as a user would.
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export const BIN = fileURLToPath(new URL('../../bin/kcockpit.js', import.meta.url));

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  cwd?: string;
}

function execCli(args: string[], opts: CliOptions, encoding: 'utf8' | 'buffer') {
  const env: Record<string, string | undefined> = {
    NO_COLOR: '1',
    KUBECONFIG: '/nonexistent/kcockpit-test-kubeconfig',
    HOME: '/nonexistent-home',
    ...opts.env,
  };
  return execa(process.execPath, [BIN, ...args], {
    env,
    extendEnv: true,
    reject: false,
    stripFinalNewline: false,
    timeout: 60_000,
    encoding,
    ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' as const }),
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
  });
}

export async function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const r = await execCli(args, opts, 'utf8');
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** The same, with stdout and stderr as the bytes the binary wrote (no decoding hides a bad byte). */
export async function runCliBytes(
  args: string[],
  opts: CliOptions = {},
): Promise<{ exitCode: number; stdout: Uint8Array; stderr: Uint8Array }> {
  const r = await execCli(args, opts, 'buffer');
  return { exitCode: r.exitCode ?? -1, stdout: r.stdout as Uint8Array, stderr: r.stderr as Uint8Array };
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
