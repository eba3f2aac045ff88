// The fix runner's contract. A FixPlan (src/model/fix-plan.ts) is data; one runner executes
// it for the CLI (`kcockpit fix`) and the cockpit alike. The runner never prints a secret.
import type { FixPlan, FixStep } from '../model/fix-plan.js';
import type { ObjectRef } from '../model/ref.js';
import type { ForwardInfo, ForwardRequest } from '../portforward/types.js';

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
  /** What an applied step left in place on purpose; the status line names it after "except". */
  except?: string;
}

export interface FixOutcome {
  plan: FixPlan;
  /** True when every mutating step was applied. */
  applied: boolean;
  results: StepResult[];
  /** One line summarising what was and was not done, e.g. "applied 3 of 3 steps" or "nothing changed: ..." */
  summary: string;
  /** How the run ended (the runner always sets it): what exit codes and colours key on. */
  result?: OutcomeKind;
}

/**
 * `applied`: every change was made · `dry-run-ok`: the dry run passed, nothing changed ·
 * `declined`: the user said no or did not answer · `readonly`: refused by --readonly ·
 * `nothing-to-apply`: only steps the user must do (or helm is missing) · `failed`: an error;
 * whatever had been applied was rolled back or is named in the summary.
 */
export type OutcomeKind = 'applied' | 'dry-run-ok' | 'declined' | 'readonly' | 'nothing-to-apply' | 'failed';

/** Registry credentials handed over by flags; never logged, never printed. */
export interface CredentialInput {
  /** `--username`. */
  username?: string;
  /** `--password-stdin`. */
  password?: string;
  /** `--docker-config PATH` instead of ~/.docker/config.json. */
  dockerConfigPath?: string;
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
  /** Credentials from flags, used before ~/.docker/config.json and before asking. */
  credentials?: CredentialInput;
  /** Starts a `port-forward` step (the cockpit passes its manager); without it the step shows the kubectl command. */
  startPortForward?: (req: ForwardRequest) => Promise<ForwardInfo>;
  /** Environment for PATH (helm), HOME/DOCKER_CONFIG (credentials) and XDG_STATE_HOME (audit log). Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** How often `wait-available` looks (default 1000 ms). */
  pollIntervalMs?: number;
}
