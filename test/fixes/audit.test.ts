import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendAudit, auditLogPath, readAudit, type AuditEntry } from '../../src/fixes/audit.js';
import { auditTable } from '../../src/cli/audit.js';

const entry = (over: Partial<AuditEntry> = {}): AuditEntry => ({
  time: '2026-11-21T22:30:01.123Z',
  context: 'minikube',
  user: 'minikube',
  object: 'Secret observability/regcred',
  action: 'create-pull-secret',
  result: 'applied',
  dryRun: false,
  ...over,
});

describe('audit log', () => {
  it('lives under $XDG_STATE_HOME, else ~/.local/state (a relative XDG_STATE_HOME is ignored, per the spec)', () => {
    expect(auditLogPath({ XDG_STATE_HOME: '/var/state', HOME: '/home/u' })).toBe('/var/state/kcockpit/audit.log');
    expect(auditLogPath({ HOME: '/home/u' })).toBe('/home/u/.local/state/kcockpit/audit.log');
    expect(auditLogPath({ XDG_STATE_HOME: 'rel', HOME: '/home/u' })).toBe('/home/u/.local/state/kcockpit/audit.log');
  });

  it('appends one JSON line per entry and reads them back oldest first, skipping damaged lines', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kcockpit-audit-')), 'deep', 'audit.log');
    expect(readAudit(path)).toEqual({ entries: [], skipped: 0 });
    appendAudit(path, entry());
    appendFileSync(path, '{"half": \n');
    appendAudit(
      path,
      entry({
        action: 'json-patch',
        object: 'ServiceAccount observability/default',
        dryRun: true,
        result: 'dry run ok',
      }),
    );
    const log = readAudit(path);
    expect(log.skipped).toBe(1);
    expect(log.entries.map((e) => e.action)).toEqual(['create-pull-secret', 'json-patch']);
  });

  it('prints aligned columns', () => {
    const text = auditTable([
      entry(),
      entry({
        action: 'json-patch',
        object: 'ServiceAccount observability/default',
        dryRun: true,
        result: 'dry run ok',
      }),
    ]);
    expect(text).toBe(
      [
        'TIME                  CONTEXT   USER      ACTION                OBJECT                                RESULT',
        '2026-11-21T22:30:01Z  minikube  minikube  create-pull-secret    Secret observability/regcred          applied',
        '2026-11-21T22:30:01Z  minikube  minikube  json-patch (dry run)  ServiceAccount observability/default  dry run ok',
        '',
      ].join('\n'),
    );
  });
});
