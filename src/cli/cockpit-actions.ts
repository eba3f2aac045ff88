// The cockpit's actions that leave the screen for another program: `e` opens the object's
// YAML in $EDITOR (as `kubectl edit`: KUBE_EDITOR, then EDITOR, then vi) and hands back the
// plan that writes it; `s`/`a` open an interactive terminal in a container — `kubectl exec
// -it` / `kubectl attach -it` when kubectl is on PATH (same kubeconfig and context), else
// client-node's Exec over the WebSocket with raw stdin. The caller suspends the screen.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Attach, Exec } from '@kubernetes/client-node';
import { execa } from 'execa';
import { parse } from 'yaml';
import type { FixPlan, ObjectRef } from '../diagnose/types.js';
import type { Connection } from '../kube/client.js';
import { KubeError } from '../kube/errors.js';
import type { KubeObject } from '../model/k8s.js';
import { editPlan } from '../fixes/actions.js';
import { appendAudit, auditLogPath } from '../fixes/audit.js';
import { Cluster } from '../fixes/cluster.js';
import { findOnPath } from '../fixes/ops/helm.js';
import { deepEqual } from '../fixes/patch-local.js';
import { toYaml } from '../fixes/render.js';
import type { FixOutcome } from '../fixes/types.js';
import { readTerminal } from './stdin-handover.js';

/** Runs a program with the terminal handed to it, and gives the screen back after. */
export type Suspend = <T>(run: () => Promise<T>) => Promise<T>;

const HEADER = [
  '# Please edit the object below. Lines beginning with a "#" will be ignored,',
  '# and an empty file will abort the edit. If the server refuses it, press e again:',
  '# kcockpit keeps your text and shows the errors here.',
  '#',
];

const keyOf = (ref: ObjectRef): string => `${ref.apiVersion ?? ''}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;

function withoutComments(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n');
}

function withoutManagedFields(obj: KubeObject): KubeObject {
  const { managedFields: _m, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

export type EditResult = { plan: FixPlan; settle(outcome: FixOutcome): string | undefined } | { message: string };

export function createEditor(conn: Connection, suspend: Suspend, env: NodeJS.ProcessEnv = process.env) {
  /** Texts the server refused (422) or that did not parse, by object: the next `e` reopens them. */
  const kept = new Map<string, string>();
  const editor = env['KUBE_EDITOR'] || env['EDITOR'] || 'vi';
  return async (ref: ObjectRef): Promise<EditResult> => {
    const key = keyOf(ref);
    const cluster = new Cluster(conn);
    const current = await cluster.read(ref);
    if (!current) throw new KubeError('notfound', `not found: ${ref.kind} ${ref.name} is gone`);
    const original = withoutManagedFields(current);
    const text = kept.get(key) ?? [...HEADER, toYaml(original)].join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'kcockpit-edit-'));
    const file = join(dir, `${ref.kind.toLowerCase()}-${ref.name}.yaml`);
    let edited: string;
    try {
      writeFileSync(file, text, { mode: 0o600 });
      // $EDITOR may carry arguments (`code -w`): the shell splits it, as kubectl does.
      const run = await suspend(() =>
        execa(`${editor} "${file}"`, { shell: true, stdio: 'inherit', env, reject: false }),
      );
      // As kubectl edit: an editor that fails (or is interrupted) ends the edit, whatever it saved.
      if (run.failed)
        return {
          message: `Edit cancelled: the editor (${editor}) ${run.signal ? `was stopped by ${run.signal}` : `exited with code ${run.exitCode}`}; nothing changed.`,
        };
      edited = readFileSync(file, 'utf8');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const body = withoutComments(edited);
    if (body.trim() === '') {
      kept.delete(key);
      return { message: 'Edit cancelled: the file was empty; nothing changed.' };
    }
    let object: KubeObject;
    try {
      object = parse(body) as KubeObject;
      if (!object || typeof object !== 'object' || !object.metadata)
        throw new Error('it is not an object with metadata');
    } catch (e) {
      kept.set(
        key,
        [...HEADER, `# error: the YAML does not parse: ${(e as Error).message.split('\n')[0]}`, '#', body].join('\n'),
      );
      return { message: `Not applied: your edit is not valid YAML. Press e to fix it (your text is kept).` };
    }
    if (deepEqual(object, original)) {
      kept.delete(key);
      return { message: 'Edit cancelled: no changes.' };
    }
    return {
      plan: editPlan(ref, object),
      settle(outcome) {
        if (outcome.result !== 'failed') {
          if (outcome.result === 'applied') kept.delete(key);
          return undefined;
        }
        if (/^conflict: /.test(outcome.summary)) {
          kept.delete(key);
          return `Not applied: ${ref.kind} ${ref.name} changed while you edited it. Press e to edit the new version.`;
        }
        if (/^invalid: /.test(outcome.summary)) {
          const errors = outcome.summary.split(/(?<=\.|;) /).map((l) => `# ${l}`);
          kept.set(key, [...HEADER, '# The server refused this edit:', ...errors, '#', body].join('\n'));
          return 'Not applied: the server refused the edit (see the dialog). Press e to fix it (your text is kept).';
        }
        return undefined;
      },
    };
  };
}

export interface TerminalTarget {
  pod: ObjectRef;
  container: string;
  mode: 'exec' | 'attach';
}

/** `kubectl exec -it` / `attach -it` with the cockpit's kubeconfig and context. */
export function kubectlTerminalArgs(t: TerminalTarget, kubeconfig: string | undefined, context: string): string[] {
  const args = kubeconfig ? ['--kubeconfig', kubeconfig] : [];
  args.push('--context', context, t.mode, '-it', '-n', t.pod.namespace ?? 'default', t.pod.name, '-c', t.container);
  if (t.mode === 'exec') args.push('--', 'sh');
  return args;
}

export function createTerminal(
  conn: Connection,
  kubeconfig: string | undefined,
  suspend: Suspend,
  env: NodeJS.ProcessEnv = process.env,
) {
  return async (t: TerminalTarget): Promise<void> => {
    const kubectl = findOnPath('kubectl', env);
    let failed: string | undefined;
    try {
      failed = await suspend(async () => {
        if (!kubectl) {
          await webSocketTerminal(conn, t);
          return undefined;
        }
        // kubectl's own errors are kept as well as shown: the screen they were written on is
        // gone the moment the cockpit comes back, so the status line repeats the last one.
        const run = await execa(kubectl, kubectlTerminalArgs(t, kubeconfig, conn.contextName), {
          stdin: 'inherit',
          stdout: 'inherit',
          stderr: ['pipe', 'inherit'],
          reject: false,
          env,
        });
        return run.exitCode === 0 ? undefined : kubectlFailure(run.stderr);
      });
    } catch (e) {
      failed = e instanceof Error ? e.message : String(e);
    }
    auditSession(conn, t, failed, env);
    if (failed) throw new Error(failed);
  };
}

/**
 * A shell is no plan (nothing to preview or dry-run), but what is typed in it can change
 * anything in the container: the audit log says who opened one where, and whether it opened.
 */
function auditSession(conn: Connection, t: TerminalTarget, failed: string | undefined, env: NodeJS.ProcessEnv): void {
  try {
    appendAudit(auditLogPath(env), {
      time: new Date().toISOString(),
      context: conn.contextName,
      user: conn.userName,
      object: `Pod ${t.pod.namespace ?? 'default'}/${t.pod.name} container ${t.container}`,
      action: t.mode === 'exec' ? 'exec sh' : 'attach',
      result: failed ? `failed: ${failed}` : 'session ended',
      dryRun: false,
    });
  } catch {
    // The session is over either way; an unwritable log is reported by the next plan's runner.
  }
}

/**
 * What `kubectl attach` says on the way in, not why it failed: a container without a TTY
 * gets a line-mode session (where ctrl-c is how one leaves, so kubectl ends non-zero).
 */
const ATTACH_NOTICES = [
  /^(error: )?Unable to use a TTY - container .+ did not allocate one$/,
  /^If you don't see a command prompt, try pressing enter\.$/,
];

/**
 * Why kubectl could not give a terminal, from its stderr; undefined when it did and the
 * program in it ended with a failing status (`exit 3`: "command terminated with exit code 3").
 */
export function kubectlFailure(stderr: string): string | undefined {
  const last = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !ATTACH_NOTICES.some((n) => n.test(l)))
    .at(-1);
  if (!last || /^command terminated with exit code \d+$/.test(last)) return undefined;
  return last.replace(/^error: /, '');
}

const CTRL_P = 0x10;
const CTRL_Q = 0x11;

/**
 * Filters an attach session's keys for ctrl-p ctrl-q, the detach keys of docker, crictl and
 * kubectl attach (--detach-keys): in raw mode ctrl-c is the container's, so without them
 * nothing would leave a process that never ends. A ctrl-p is held back until the next key.
 */
export function detachKeys(onDetach: () => void): (chunk: Buffer) => Buffer {
  let held = false;
  return (chunk) => {
    const out: number[] = [];
    for (const b of chunk) {
      if (held) {
        held = false;
        if (b === CTRL_Q) {
          onDetach();
          return Buffer.from(out);
        }
        out.push(CTRL_P);
      }
      if (b === CTRL_P) held = true;
      else out.push(b);
    }
    return Buffer.from(out);
  };
}

/** Without kubectl: client-node's Exec/Attach over the WebSocket, the terminal in raw mode. */
async function webSocketTerminal(conn: Connection, t: TerminalTarget): Promise<void> {
  // The cockpit has stopped reading the terminal (stdin-handover.ts); here the socket reads it
  // alone. client-node listens on the stream it is given and never lets go, so it gets a
  // stream of its own, fed from stdin only while the socket is open.
  const stdin = process.stdin;
  const keys = new PassThrough();
  let detach = () => undefined as void;
  const filter = t.mode === 'attach' ? detachKeys(() => detach()) : (chunk: Buffer) => chunk;
  const forward = (chunk: Buffer | string) => keys.write(filter(Buffer.from(chunk)));
  if (stdin.isTTY) stdin.setRawMode(true);
  stdin.on('data', forward);
  stdin.resume();
  readTerminal(stdin);
  try {
    await new Promise<void>((resolve, reject) => {
      const ns = t.pod.namespace ?? 'default';
      const opened =
        t.mode === 'exec'
          ? new Exec(conn.kc).exec(
              ns,
              t.pod.name,
              t.container,
              ['sh'],
              process.stdout,
              process.stderr,
              keys,
              true,
              () => resolve(),
            )
          : new Attach(conn.kc).attach(ns, t.pod.name, t.container, process.stdout, process.stderr, keys, true);
      opened.then((ws) => {
        detach = () => ws.close();
        ws.on('close', () => resolve());
      }, reject);
    });
  } finally {
    stdin.off('data', forward);
    stdin.pause();
  }
}
