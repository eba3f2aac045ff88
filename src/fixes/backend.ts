// The runner bound to one connection, in the shape the cockpit's fix dialog calls
// (views/sources.ts FixBackend): it passes its own Prompter (an Ink dialog) per run.
import type { FixPlan } from '../model/fix-plan.js';
import type { Connection } from '../kube/client.js';
import { previewPlan, runPlan, type RunOutcome } from './runner.js';
import type { Prompter, RunOptions, StepPreview } from './types.js';

export interface FixBackendOptions {
  readonly: boolean;
  startPortForward?: RunOptions['startPortForward'];
  env?: NodeJS.ProcessEnv;
}

export interface BoundFixRunner {
  preview(plan: FixPlan): Promise<StepPreview[]>;
  run(
    plan: FixPlan,
    options: { dryRun: boolean; prompter: Prompter; onProgress?: (line: string) => void; signal?: AbortSignal },
  ): Promise<RunOutcome>;
}

export function createFixBackend(conn: Connection, opts: FixBackendOptions): BoundFixRunner {
  const shared: Pick<RunOptions, 'env' | 'startPortForward'> = {};
  if (opts.env) shared.env = opts.env;
  if (opts.startPortForward) shared.startPortForward = opts.startPortForward;
  return {
    preview: (plan) => previewPlan(conn, plan, shared),
    // The dialog's own confirm comes through the prompter: never `yes`.
    run: (plan, o) => runPlan(conn, plan, { ...shared, ...o, readonly: opts.readonly, yes: false }),
  };
}
