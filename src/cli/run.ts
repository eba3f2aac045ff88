// `kcockpit run -- <command>`: run a tool (helm, kubectl) with its output passed through;
// when it fails, explain its error text the same way `diagnose --from-error` does.
import { execa } from 'execa';
import { CliError } from './errors.js';
import type { GlobalFlags } from './flags.js';
import { diagnoseReport, formatReport } from './diagnose.js';

/** The namespace a helm/kubectl command line targets, so the cluster part looks at the same place. */
export function namespaceOf(command: readonly string[]): string | undefined {
  for (let i = 0; i < command.length; i++) {
    const a = command[i]!;
    if ((a === '-n' || a === '--namespace') && command[i + 1]) return command[i + 1];
    const m = /^(?:-n|--namespace)=(.+)$/.exec(a);
    if (m) return m[1];
  }
  return undefined;
}

export async function runCommandAndExplain(command: string[], flags: GlobalFlags): Promise<number> {
  const [file, ...args] = command as [string, ...string[]];
  // Pass the child's output through as it comes, and keep a copy to explain it afterwards.
  const child = execa(file, args, {
    stdin: 'inherit',
    stdout: ['pipe', 'inherit'],
    stderr: ['pipe', 'inherit'],
    reject: false,
    all: true,
  });
  const result = await child;
  if (result.failed && result.exitCode === undefined) {
    const code = (result as { code?: string }).code;
    if (code === 'ENOENT') throw new CliError(`${file}: command not found on PATH`, 127);
    throw new CliError(`${file} could not be started: ${result.shortMessage}`, 126);
  }
  const exitCode = result.exitCode ?? 1;
  if (exitCode === 0) return 0;
  const text = [result.stderr, result.stdout]
    .filter((s): s is string => typeof s === 'string' && s.length > 0)
    .join('\n');
  const scoped: GlobalFlags = { ...flags, output: flags.output };
  if (!scoped.namespace && !scoped.allNamespaces) {
    const ns = namespaceOf(args);
    if (ns) scoped.namespace = ns;
  }
  const report = await diagnoseReport({ flags: scoped, errorText: text, clusterOptional: true }, (l) =>
    process.stderr.write(`kcockpit: warning: ${l}\n`),
  );
  process.stderr.write(`\nkcockpit: \`${command.join(' ')}\` exited with ${exitCode}. What kcockpit makes of it:\n\n`);
  process.stderr.write(formatReport(report, scoped, process.stderr));
  return exitCode;
}
