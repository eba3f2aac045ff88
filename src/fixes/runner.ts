// The one fix runner, for the CLI (`kcockpit fix`) and the cockpit alike. Order of business:
// refuse under --readonly (reading nothing) → read what the steps touch → ask what only the
// user knows (credentials) → server-side dry run of every change → confirm → apply in order →
// on a failure, undo what was applied, newest first. The outcome always says in one line what
// was and was not done. Every change (and every --dry-run of one) is written to the audit log.
import type { FixPlan } from '../model/fix-plan.js';
import type { Connection } from '../kube/client.js';
import { appendAudit, auditLogPath } from './audit.js';
import { Cluster } from './cluster.js';
import {
  BrokenOperation,
  lineOf,
  PromptError,
  StepFailure,
  type Applied,
  type DryRunNote,
  type Operation,
  type StepContext,
  type Undo,
} from './operation.js';
import { isMutating, prepareOperations } from './prepare.js';
import type { FixOutcome, OutcomeKind, Prompter, RunOptions, StepPreview, StepResult } from './types.js';

/** What runPlan resolves to: a FixOutcome whose `result` is always set. */
export interface RunOutcome extends FixOutcome {
  result: OutcomeKind;
}

/** The prompter, with any failure to answer turned into a PromptError. */
function guarded(prompter: Prompter): Prompter {
  const wrap =
    <A extends unknown[], R>(ask: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await ask(...args);
      } catch (e) {
        throw new PromptError(lineOf(e));
      }
    };
  return {
    confirm: wrap((q: string) => prompter.confirm(q)),
    secret: wrap((q: string) => prompter.secret(q)),
    text: wrap((q: string, d?: string) => prompter.text(q, d)),
    choose: wrap((q: string, o: readonly string[]) => prompter.choose(q, o)),
  };
}

const noQuestions: Prompter = {
  confirm: () => Promise.reject(new Error('a preview asks nothing')),
  secret: () => Promise.reject(new Error('a preview asks nothing')),
  text: () => Promise.reject(new Error('a preview asks nothing')),
  choose: () => Promise.reject(new Error('a preview asks nothing')),
};

function makeContext(conn: Connection, opts: Partial<RunOptions>): StepContext {
  const env = opts.env ?? process.env;
  const path = auditLogPath(env);
  let auditBroken = false;
  const progress = (line: string): void => opts.onProgress?.(line);
  return {
    cluster: new Cluster(conn, opts.signal),
    prompter: guarded(opts.prompter ?? noQuestions),
    options: opts,
    env,
    progress,
    audit(object, action, result, dryRun) {
      try {
        appendAudit(path, {
          time: new Date().toISOString(),
          context: conn.contextName,
          user: conn.userName,
          object,
          action,
          result,
          dryRun,
        });
      } catch (e) {
        // The change is made either way; say once that it went unrecorded.
        if (!auditBroken) progress(`could not write the audit log ${path}: ${lineOf(e)}`);
        auditBroken = true;
      }
    },
    created: new Set(),
    defaultNamespace: conn.namespace,
  };
}

/** What each step will change, read from the cluster now; Secret values are masked. Never throws for one step. */
export async function previewPlan(
  conn: Connection,
  plan: FixPlan,
  opts: Pick<RunOptions, 'env' | 'signal' | 'startPortForward'> = {},
): Promise<StepPreview[]> {
  const ops = await prepareOperations(makeContext(conn, opts), plan);
  return ops.map((op) => op.preview());
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

class Run {
  readonly results: (StepResult | undefined)[];

  constructor(
    readonly plan: FixPlan,
    readonly ops: Operation[],
    readonly ctx: StepContext,
  ) {
    this.results = ops.map(() => undefined);
  }

  set(i: number, status: StepResult['status'], message: string, except?: string): void {
    this.results[i] = { step: this.ops[i]!.step, status, message, ...(except ? { except } : {}) };
  }

  /** Steps without a result yet get one that fits `why` nothing happened to them. */
  outcome(
    result: OutcomeKind,
    summary: string,
    untouched: { status: StepResult['status']; message: string },
  ): RunOutcome {
    const results = this.ops.map((op, i): StepResult => {
      const r = this.results[i];
      if (r) return r;
      if (op.step.action === 'manual') return { step: op.step, status: 'manual', message: op.step.description };
      return { step: op.step, ...untouched };
    });
    const mutating = results.filter((r) => isMutating(r.step));
    const applied = mutating.length > 0 && mutating.every((r) => r.status === 'applied' || r.status === 'skipped');
    return { plan: this.plan, applied, results, summary, result };
  }

  /** Ends the run before any change; a declined run says `not applied: <why>`. */
  nothingChanged(result: OutcomeKind, why: string): RunOutcome {
    if (result === 'declined')
      return this.outcome(result, `not applied: ${why}; nothing changed`, {
        status: 'refused',
        message: `not applied: ${why}`,
      });
    return this.outcome(result, `${why}; nothing changed`, {
      status: 'skipped',
      message: 'not run: the run stopped before changing anything',
    });
  }
}

/** Undo what was applied, newest first. */
async function rollBack(
  ctx: StepContext,
  undos: readonly Undo[],
): Promise<{ done: string[]; failed: Map<Undo, string> }> {
  const done: string[] = [];
  const failed = new Map<Undo, string>();
  for (const u of undos) {
    try {
      done.push(await u.run());
      ctx.audit(u.object, `rollback ${u.action}`, 'rolled back', false);
    } catch (e) {
      failed.set(u, `${u.object} (${lineOf(e)}; by hand: ${u.byHand})`);
      ctx.audit(u.object, `rollback ${u.action}`, `failed: ${lineOf(e)}`, false);
    }
  }
  return { done, failed };
}

async function failDuringApply(
  run: Run,
  i: number,
  error: unknown,
  applied: { index: number; applied: Applied }[],
): Promise<RunOutcome> {
  const { ops, ctx } = run;
  const op = ops[i]!;
  const why = lineOf(error);
  run.set(i, 'failed', why);
  const head = `failed at step ${i + 1} of ${ops.length} (${op.label}): ${why}`;
  const irreversible = applied.flatMap((a) => (a.applied.irreversible ? [a.applied.irreversible] : []));
  const partial = error instanceof StepFailure ? error.undo : [];
  const changed = applied.some((a) => a.applied.status === 'applied') || partial.length > 0;
  if (!changed)
    return run.outcome('failed', `${head}; nothing was changed`, {
      status: 'skipped',
      message: `not run: step ${i + 1} failed`,
    });
  if (!op.mutates) {
    // A wait or a port-forward failing says nothing against the changes before it: they stay.
    return run.outcome(
      'failed',
      `${head}; the changes before it were made and stay (${applied.map((a) => a.applied.message).join(', ')})`,
      {
        status: 'skipped',
        message: `not run: step ${i + 1} failed`,
      },
    );
  }
  const undos = [...partial, ...applied.flatMap((a) => a.applied.undo ?? []).reverse()];
  const { done, failed } = await rollBack(ctx, undos);
  for (const a of applied) {
    if (a.applied.status !== 'applied') continue;
    const own = a.applied.undo ?? [];
    if (own.length > 0 && own.every((u) => !failed.has(u)))
      run.set(a.index, 'rolled-back', `${a.applied.message}, then rolled back`);
  }
  const parts = [head];
  if (done.length > 0) parts.push(`rolled back: ${done.join(', ')}`);
  if (irreversible.length > 0) parts.push(`cannot be undone: ${irreversible.join('; ')}`);
  if (failed.size > 0) parts.push(`NOT rolled back: ${[...failed.values()].join('; ')}`);
  else if (irreversible.length === 0) parts.push('the cluster is as it was');
  return run.outcome('failed', parts.join('; '), { status: 'skipped', message: `not run: step ${i + 1} failed` });
}

/**
 * Run a plan: dry run, confirm (unless `yes`), apply, roll back on failure. Resolves with
 * the outcome in every case but a bug; a Prompter that cannot answer ends the run as
 * `declined` before anything changed.
 */
export async function runPlan(conn: Connection, plan: FixPlan, opts: RunOptions): Promise<RunOutcome> {
  if (opts.readonly && plan.steps.some(isMutating)) {
    return {
      plan,
      applied: false,
      result: 'readonly',
      summary: 'refused: kcockpit runs with --readonly, so it changes nothing; the commands shown do the same by hand',
      results: plan.steps.map((step): StepResult => ({
        step,
        status: step.action === 'manual' ? 'manual' : isMutating(step) ? 'refused' : 'skipped',
        message: step.action === 'manual' ? step.description : 'not run: --readonly',
      })),
    };
  }
  const ctx = makeContext(conn, opts);
  const ops = await prepareOperations(ctx, plan);
  const run = new Run(plan, ops, ctx);

  const broken = ops.findIndex((op) => op instanceof BrokenOperation);
  if (broken >= 0) {
    const why = lineOf((ops[broken] as BrokenOperation).error);
    run.set(broken, 'failed', why);
    return run.nothingChanged('failed', `${why} (step ${broken + 1}: ${ops[broken]!.label})`);
  }

  for (const op of ops) {
    if (!op.gather) continue;
    try {
      if (!(await op.gather())) return run.nothingChanged('declined', 'you cancelled');
    } catch (e) {
      if (e instanceof PromptError) return run.nothingChanged('declined', e.message);
      return run.nothingChanged('failed', lineOf(e));
    }
  }

  const notes: (DryRunNote | undefined)[] = ops.map(() => undefined);
  const checked = ops.map((op, i) => ({ op, i })).filter(({ op }) => op.mutates && op.executes);
  for (const { op, i } of checked) {
    try {
      notes[i] = await op.dryRun(opts.dryRun);
      if (opts.dryRun)
        ctx.audit(
          op.label,
          op.step.action,
          notes[i]!.deferred ? 'dry run ok (part checked only once earlier steps run)' : 'dry run ok',
          true,
        );
    } catch (e) {
      if (opts.dryRun) ctx.audit(op.label, op.step.action, `failed: ${lineOf(e)}`, true);
      run.set(i, 'failed', `dry run failed: ${lineOf(e)}`);
      return run.nothingChanged('failed', `${lineOf(e)} (dry run of step ${i + 1}: ${op.label})`);
    }
  }
  const deferred = notes.filter((n) => n?.deferred).length;

  if (opts.dryRun) {
    ops.forEach((op, i) => {
      const note = notes[i];
      if (note) run.set(i, 'dry-run-ok', note.message);
      else if (op.mutates)
        run.set(
          i,
          'manual',
          op.preview().command ? `not checked: run ${op.preview().command} yourself` : 'not checked',
        );
    });
    if (checked.length === 0)
      return run.outcome(
        'nothing-to-apply',
        'nothing to dry-run: this plan has only steps for you to do; nothing changed',
        { status: 'skipped', message: 'dry run: not run' },
      );
    return run.outcome(
      'dry-run-ok',
      `dry run OK: ${plural(checked.length, 'change')} would apply${deferred ? ` (${deferred} checked only in part until the steps before ${deferred === 1 ? 'it' : 'them'} run)` : ''}; nothing changed`,
      { status: 'skipped', message: 'dry run: not run' },
    );
  }

  if (checked.length > 0 && !opts.yes) {
    const question = `Dry run passed${deferred ? ' (part of it can only be checked as the steps run)' : ''}. Apply ${plural(checked.length, 'change')} to context ${conn.contextName}?`;
    let yes: boolean;
    try {
      yes = await ctx.prompter.confirm(question);
    } catch (e) {
      return run.nothingChanged('declined', lineOf(e));
    }
    if (!yes) return run.nothingChanged('declined', 'you declined');
  }

  const applied: { index: number; applied: Applied }[] = [];
  for (const [i, op] of ops.entries()) {
    let a: Applied;
    try {
      if (opts.signal?.aborted) throw new Error('cancelled');
      a = await op.apply();
    } catch (e) {
      if (op.mutates && !op.auditsItself) ctx.audit(op.label, op.step.action, `failed: ${lineOf(e)}`, false);
      return failDuringApply(run, i, e, applied);
    }
    run.set(i, a.status, a.message, a.except);
    if (op.mutates && a.status === 'applied') {
      applied.push({ index: i, applied: a });
      if (!op.auditsItself) ctx.audit(op.label, op.step.action, 'applied', false);
    } else if (op.mutates && a.status === 'skipped') applied.push({ index: i, applied: a });
  }

  const outcome = run.outcome('applied', '', { status: 'skipped', message: '' });
  const done = outcome.results.filter((r) => r.status === 'applied' && isMutating(r.step));
  const mine = outcome.results.filter((r) => r.status === 'manual');
  const mutatingCount = plan.steps.filter(isMutating).length;
  if (done.length === 0) {
    const firstManual = mine.find((r) => isMutating(r.step)) ?? mine[0];
    const skipped = outcome.results.filter((r) => r.status === 'skipped' && isMutating(r.step));
    if (skipped.length > 0 && skipped.length === mutatingCount) {
      return {
        ...outcome,
        result: 'applied',
        summary: `nothing needed changing: ${skipped.map((r) => r.message).join(', ')}`,
      };
    }
    return {
      ...outcome,
      result: 'nothing-to-apply',
      summary: `nothing changed: ${firstManual ? firstManual.message : 'this plan has nothing kcockpit can apply'}`,
    };
  }
  const left = mine.length > 0 ? `; ${plural(mine.length, 'step')} left for you (shown above)` : '';
  return {
    ...outcome,
    summary: `applied ${done.length} of ${plural(mutatingCount, 'change')}: ${done.map((r) => r.message).join(', ')}${left}`,
  };
}
