// The fix runner's contract. A FixPlan (src/diagnose/types.ts) is data; one runner executes
// it for the CLI (`kcockpit fix`) and the cockpit alike. The runner never prints a secret.
import type { FixPlan, FixStep, ObjectRef } from '../diagnose/types.js';

/** How the runner asks the user things; the CLI answers from a TTY or flags, the cockpit from a dialog. */
export interface Prompter {
  /** Yes/no. With --yes the CLI answers yes without asking. */
  confirm(question: string): Promise<boolean>;
  /** Hidden input (a registry password or token): never echoed, never logged. */
  secret(question: string): Promise<string>;
  /** Visible input with an optional default. */
  text(question: string, defaultValue?: string): Promise<string>;
  /** Pick one of several options; resolves to its index. */
  choose(question: string, options: readonly string[]): Promise<number>;
}

/** What a step will change, shown before anything is applied. */
export interface StepPreview {
  step: FixStep;
  /** The object the step touches, when it touches one. */
  ref?: ObjectRef;
  /** A unified diff (or the new object's YAML for a create) with Secret data masked. */
  diff: string;
  /** kubectl/helm that does the same by hand. */
  command?: string;
}

export type StepStatus = 'applied' | 'dry-run-ok' | 'refused' | 'failed' | 'rolled-back' | 'skipped' | 'manual';

export interface StepResult {
  step: FixStep;
  status: StepStatus;
  /** One line, for people. */
  message: string;
}

export interface FixOutcome {
  plan: FixPlan;
  /** True when every mutating step was applied. */
  applied: boolean;
  results: StepResult[];
  /** One line summarising what was and was not done, e.g. "applied 3 of 3 steps" or "nothing changed: ..." */
  summary: string;
}

export interface RunOptions {
  /** Refuse every mutation (`--readonly`). Plans can still be previewed. */
  readonly: boolean;
  /** Server-side dry run only (`--dry-run`): validate everything, change nothing. */
  dryRun: boolean;
  /** Skip the confirmation (`--yes`). */
  yes: boolean;
  prompter: Prompter;
  /** Progress lines (helm's output, "waiting for cert-manager..."), shown live. */
  onProgress?: (line: string) => void;
  signal?: AbortSignal;
}
