// What the runner asks of each step: a preview, the inputs only the user has, a server-side
// dry run, the change itself, and how to undo it. One class per kind of step (ops/), all
// driven by the one runner (runner.ts), so every plan gets the same dry-run, confirm,
// rollback and audit behaviour.
import type { FixStep } from '../model/fix-plan.js';
import type { ObjectRef } from '../model/ref.js';
import type { Cluster } from './cluster.js';
import type { Prompter, RunOptions, StepPreview } from './types.js';

export interface StepContext {
  cluster: Cluster;
  /** Answers from the user; a failure to answer rejects with PromptError. */
  prompter: Prompter;
  options: Partial<Pick<RunOptions, 'credentials' | 'startPortForward' | 'pollIntervalMs' | 'signal' | 'yes'>>;
  env: NodeJS.ProcessEnv;
  progress(line: string): void;
  audit(object: string, action: string, result: string, dryRun: boolean): void;
  /** Objects that earlier steps of the plan create (refKey), so later steps can say why they cannot be dry-run yet. */
  created: Set<string>;
  /** Namespace for objects that name none (a manifest's namespaced objects), as kubectl does. */
  defaultNamespace: string;
}

export interface DryRunNote {
  message: string;
  /** Part of the step could not be checked until an earlier step has run. */
  deferred?: boolean;
}

/** How to take back one applied change. */
export interface Undo {
  /** The object, for the audit log: `Secret observability/regcred`. */
  object: string;
  /** The audit action: `delete`, `restore`, `helm rollback`. */
  action: string;
  /** Resolves to what was done (`deleted Secret observability/regcred`); throws when it could not be done. */
  run(): Promise<string>;
  /** What the user can do by hand if it fails. */
  byHand: string;
}

export interface Applied {
  status: 'applied' | 'skipped' | 'manual';
  /** One line. */
  message: string;
  undo?: Undo[];
  /** Set when the change cannot be taken back (a deleted pod): says so in plain words. */
  irreversible?: string;
  /** One line: what the step, applied, left in place on purpose (pods a PodDisruptionBudget kept). */
  except?: string;
}

export interface Operation {
  readonly step: FixStep;
  /** `Secret observability/regcred`, `helm release observability/jaeger`. */
  readonly label: string;
  /** Changes the cluster: refused under --readonly, dry-run first, covered by the confirmation. */
  readonly mutates: boolean;
  /** kcockpit carries it out (false: a manual step, or helm missing). */
  readonly executes: boolean;
  /** Writes its own audit lines (one per object, for a manifest); otherwise the runner writes one for the step. */
  readonly auditsItself?: boolean;
  preview(): StepPreview;
  /** Ask what only the user knows. Resolves false when the user cancels. */
  gather?(): Promise<boolean>;
  /** Server-side dry run. `final` when the dry run is the whole run (`--dry-run`): show tool output live. */
  dryRun(final: boolean): Promise<DryRunNote>;
  apply(): Promise<Applied>;
}

/** A step that failed; `undo` takes back what it did before failing (part of a manifest). */
export class StepFailure extends Error {
  override readonly name = 'StepFailure';
  constructor(
    message: string,
    readonly undo: Undo[] = [],
  ) {
    super(message);
  }
}

/** The user could not or would not answer (no TTY, dialog closed). Nothing has changed yet when it is thrown. */
export class PromptError extends Error {
  override readonly name = 'PromptError';
}

export function refKeyOf(ref: Pick<ObjectRef, 'kind' | 'name' | 'namespace'>): string {
  return `${ref.namespace ?? ''}/${ref.kind}/${ref.name}`;
}

/** One line from anything thrown. */
export function lineOf(e: unknown): string {
  const text = e instanceof Error ? e.message || e.name : String(e);
  return text.split('\n')[0]!.trim();
}

/** A step whose preparation failed (object unreadable, manifest missing): shown, and fails the dry run. */
export class BrokenOperation implements Operation {
  readonly executes = true;
  constructor(
    readonly step: FixStep,
    readonly label: string,
    readonly mutates: boolean,
    readonly error: Error,
    private readonly command?: string,
  ) {}

  preview(): StepPreview {
    const p: StepPreview = { step: this.step, diff: `cannot prepare this step: ${lineOf(this.error)}` };
    if (this.command) p.command = this.command;
    return p;
  }

  async dryRun(): Promise<DryRunNote> {
    throw this.error;
  }

  async apply(): Promise<Applied> {
    throw this.error;
  }
}
