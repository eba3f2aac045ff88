// Shared set-up for the runner's tests against the simulated API server: a fresh S1 cluster,
// connections as admin and as the read-only viewer, diagnosis as `kcockpit diagnose` does it,
// a scripted Prompter, and a private HOME/XDG_STATE_HOME so the audit log and Docker config
// are the test's own.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, beforeEach } from 'vitest';
import { join } from 'node:path';
import { builtinRules } from '../../plugins/index.js';
import type { Finding, FixPlan } from '../../src/diagnose/types.js';
import { runRules } from '../../src/diagnose/engine.js';
import type { Prompter, RunOptions } from '../../src/fixes/types.js';
import { connect, type Connection } from '../../src/kube/client.js';
import { loadClusterSnapshot } from '../../src/store/load.js';
import type { KubeObject } from '../../src/model/k8s.js';
import type { SimServer } from '../../src/sim/server.js';
import { startSim } from '../helpers/sim.js';

export interface S1 {
  sim: SimServer;
  admin: Connection;
  close(): Promise<void>;
}

export async function startS1(): Promise<S1> {
  const sim = await startSim('s1-jaeger');
  await sim.settle();
  const admin = connect({ kubeconfig: sim.kubeconfigPath });
  return {
    sim,
    admin,
    async close() {
      admin.close();
      await sim.close();
    },
  };
}

export interface S1Runs {
  s1: S1;
  home: TestHome;
  /** The runner's progress lines of the current test. */
  progress: string[];
  /** Run options that apply without asking, with the test's own HOME; `extra` overrides. */
  options(extra?: Partial<RunOptions>): RunOptions;
}

/** A fresh S1 cluster, HOME and progress log for every test of the calling file. */
export function useS1Runs(defaults: Partial<RunOptions> = {}): S1Runs {
  const t = {
    progress: [] as string[],
    options: (extra: Partial<RunOptions> = {}): RunOptions => ({
      readonly: false,
      dryRun: false,
      yes: true,
      prompter: scripted(),
      env: t.home.env,
      onProgress: (l) => t.progress.push(l),
      ...defaults,
      ...extra,
    }),
  } as S1Runs;
  beforeEach(async () => {
    t.s1 = await startS1();
    t.home = testHome();
    t.progress = [];
  });
  afterEach(() => t.s1.close());
  return t;
}

export function connectAs(sim: SimServer, context: 'sim' | 'sim-viewer'): Connection {
  return connect({ kubeconfig: sim.kubeconfigPath, context });
}

export async function diagnose(conn: Connection, namespace = 'observability'): Promise<Finding[]> {
  const snapshot = await loadClusterSnapshot(conn, { namespace });
  return runRules(builtinRules, snapshot, { now: snapshot.takenAt }).findings;
}

export function planOf(
  findings: readonly Finding[],
  ruleId: string,
  planId: string,
): { finding: Finding; plan: FixPlan } {
  const finding = findings.find((f) => f.ruleId === ruleId && f.fixes.some((p) => p.id === planId));
  const plan = finding?.fixes.find((p) => p.id === planId);
  if (!finding || !plan)
    throw new Error(
      `no plan ${planId} of rule ${ruleId} among ${findings.map((f) => `${f.id}[${f.fixes.map((p) => p.id).join(',')}]`).join(' ')}`,
    );
  return { finding, plan };
}

/** An object as the simulator stores it (not through HTTP), or undefined. */
export function stored<T extends KubeObject = KubeObject>(
  sim: SimServer,
  kind: string,
  namespace: string | undefined,
  name: string,
): T | undefined {
  const def = sim.state.registry.forKind(kind);
  if (!def) throw new Error(`the simulator does not serve ${kind}`);
  return sim.state.get(def, namespace, name)?.obj as T | undefined;
}

export function storedList<T extends KubeObject = KubeObject>(sim: SimServer, kind: string, namespace?: string): T[] {
  const def = sim.state.registry.forKind(kind);
  if (!def) throw new Error(`the simulator does not serve ${kind}`);
  return sim.state.list(def, namespace).map((e) => e.obj as T);
}

/** Change an object on the server side, as another client would (a merge patch through the write path). */
export function changeOnServer(
  sim: SimServer,
  kind: string,
  namespace: string,
  name: string,
  patch: Record<string, unknown>,
): void {
  const def = sim.state.registry.forKind(kind)!;
  sim.api.patch(def, namespace, name, 'application/merge-patch+json', patch, { fieldManager: 'someone-else' });
}

export function createOnServer(sim: SimServer, obj: KubeObject): void {
  const def = sim.state.registry.forKind(obj.kind!)!;
  sim.api.create(def, obj.metadata.namespace, obj, { fieldManager: 'someone-else' });
}

export function deleteOnServer(sim: SimServer, kind: string, namespace: string, name: string): void {
  const def = sim.state.registry.forKind(kind)!;
  sim.api.delete(def, namespace, name, undefined, {});
}

export interface ScriptedPrompter extends Prompter {
  asked: string[];
}

/** Answers from a script; `onConfirm` runs between the dry run and the apply (where a race would strike). */
export function scripted(
  answers: {
    confirm?: boolean;
    text?: string;
    secret?: string;
    choose?: number;
    onConfirm?: () => void | Promise<void>;
  } = {},
): ScriptedPrompter {
  const asked: string[] = [];
  const need = <T>(q: string, v: T | undefined): T => {
    if (v === undefined) throw new Error(`unexpected question: ${q}`);
    return v;
  };
  return {
    asked,
    async confirm(q) {
      asked.push(q);
      await answers.onConfirm?.();
      return need(q, answers.confirm);
    },
    async text(q) {
      asked.push(q);
      return need(q, answers.text);
    },
    async secret(q) {
      asked.push(q);
      return need(q, answers.secret);
    },
    async choose(q) {
      asked.push(q);
      return need(q, answers.choose);
    },
  };
}

export interface TestHome {
  dir: string;
  env: NodeJS.ProcessEnv;
  auditPath: string;
  audit(): string;
  /** Writes ~/.docker/config.json. */
  dockerConfig(config: unknown): string;
}

export function testHome(extraEnv: NodeJS.ProcessEnv = {}): TestHome {
  const dir = mkdtempSync(join(tmpdir(), 'kcockpit-fix-'));
  const state = join(dir, 'state');
  const auditPath = join(state, 'kcockpit', 'audit.log');
  return {
    dir,
    env: { PATH: process.env['PATH'], HOME: dir, XDG_STATE_HOME: state, ...extraEnv },
    auditPath,
    audit: () => {
      try {
        return readFileSync(auditPath, 'utf8');
      } catch {
        return '';
      }
    },
    dockerConfig(config) {
      mkdirSync(join(dir, '.docker'), { recursive: true });
      const path = join(dir, '.docker', 'config.json');
      writeFileSync(path, JSON.stringify(config));
      return path;
    },
  };
}

export const b64 = (s: string): string => Buffer.from(s).toString('base64');
