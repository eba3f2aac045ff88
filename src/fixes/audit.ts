// The audit log: one JSON line per change kcockpit made (or tried, or dry-ran on request),
// so "what did that tool do to my cluster?" always has an answer. It lives in the XDG state
// directory because it is history, not configuration. Lines never carry a secret's value:
// entries name objects and actions, and messages come from KubeError, which redacts tokens.
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';

export interface AuditEntry {
  /** RFC 3339, UTC. */
  time: string;
  /** Kubeconfig context. */
  context: string;
  /** Kubeconfig user the API server saw. */
  user: string;
  /** `Secret observability/regcred`, `helm release observability/jaeger`. */
  object: string;
  /** The step's action (`create-pull-secret`, `json-patch`, ...) or `rollback <action>`. */
  action: string;
  /** `applied`, `dry run ok`, `rolled back`, or `failed: <one line>`. */
  result: string;
  dryRun: boolean;
}

/** `$XDG_STATE_HOME/kcockpit/audit.log`, default `~/.local/state/kcockpit/audit.log`. */
export function auditLogPath(env: NodeJS.ProcessEnv = process.env): string {
  // The XDG spec says to ignore a relative XDG_STATE_HOME.
  const xdg = env['XDG_STATE_HOME'];
  const base = xdg && isAbsolute(xdg) ? xdg : join(env['HOME'] || homedir(), '.local', 'state');
  return join(base, 'kcockpit', 'audit.log');
}

export function appendAudit(path: string, entry: AuditEntry): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // One write per line with O_APPEND: concurrent kcockpit processes never interleave a line.
  appendFileSync(path, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
}

function isEntry(v: unknown): v is AuditEntry {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return ['time', 'context', 'user', 'object', 'action', 'result'].every((k) => typeof e[k] === 'string');
}

/** Every readable entry, oldest first; a missing log is an empty one, a damaged line is skipped. */
export function readAudit(path: string): { entries: AuditEntry[]; skipped: number } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], skipped: 0 };
    throw e;
  }
  const entries: AuditEntry[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed: unknown = JSON.parse(line);
      if (isEntry(parsed)) entries.push({ ...parsed, dryRun: parsed.dryRun === true });
      else skipped++;
    } catch {
      skipped++;
    }
  }
  return { entries, skipped };
}
