// `kcockpit audit`: what kcockpit changed in which cluster, oldest first so the newest is
// next to the prompt. Text as aligned columns, or the entries as JSON.
import { auditLogPath, readAudit, type AuditEntry } from '../fixes/audit.js';
import { inert, terminalJson } from '../format/inert.js';
import { CliError, oneLine } from './errors.js';
import type { GlobalFlags } from './flags.js';

const COLUMNS: { title: string; get(e: AuditEntry): string }[] = [
  { title: 'TIME', get: (e) => e.time.replace(/\.\d+Z$/, 'Z') },
  { title: 'CONTEXT', get: (e) => e.context },
  { title: 'USER', get: (e) => e.user },
  { title: 'ACTION', get: (e) => (e.dryRun ? `${e.action} (dry run)` : e.action) },
  { title: 'OBJECT', get: (e) => e.object },
  { title: 'RESULT', get: (e) => e.result },
];

export function auditTable(entries: readonly AuditEntry[]): string {
  // Object names and results were written from cluster answers: shown inert.
  const rows = [COLUMNS.map((c) => c.title), ...entries.map((e) => COLUMNS.map((c) => inert(c.get(e))))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  // The last column is not padded: no trailing blanks.
  return (
    rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n') +
    '\n'
  );
}

export async function runAudit(args: string[], flags: GlobalFlags): Promise<number> {
  if (args.length > 0) throw new CliError(`audit takes no arguments (got "${args.join(' ')}")`);
  if (flags.output !== 'text' && flags.output !== 'json')
    throw new CliError('audit writes text or json (--output text|json)');
  const path = auditLogPath(process.env);
  let log: ReturnType<typeof readAudit>;
  try {
    log = readAudit(path);
  } catch (err) {
    throw new CliError(`cannot read the audit log ${path}: ${oneLine(err)}`);
  }
  if (log.skipped > 0)
    process.stderr.write(
      `kcockpit: warning: ${log.skipped} damaged line${log.skipped === 1 ? '' : 's'} in ${path} skipped\n`,
    );
  if (flags.output === 'json') {
    process.stdout.write(`${terminalJson({ kind: 'AuditLog', schemaVersion: 1, path, entries: log.entries })}\n`);
    return 0;
  }
  if (log.entries.length === 0) {
    process.stdout.write(`kcockpit has changed nothing yet (no entries in ${path})\n`);
    return 0;
  }
  process.stdout.write(auditTable(log.entries));
  return 0;
}
