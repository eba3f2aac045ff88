// Fix-plan builders shared by rules: the plan that only tells the user what to do, and the
// commands plans show (kubectl and helm as a user would type them).
import type { HelmRelease } from '../model/k8s.js';
import type { FixPlan, FixStep, JsonPatchOp } from '../model/fix-plan.js';
import type { ObjectRef } from '../model/ref.js';

export interface ManualPlanInput {
  /** Stable within the rule, e.g. `check-health-endpoint`. */
  id: string;
  title: string;
  /** Why this is the fix and what to watch out for, in plain words. */
  explanation: string;
  /** The kubectl/helm commands that help, shown so users learn them. */
  commands?: readonly string[];
  /** What the user does, one string per step; without it the explanation is the one step. */
  instructions?: string | readonly string[];
}

/** A plan only the user can carry out (fix code, pick a value kcockpit cannot know): shown, never run. */
export function manualPlan(input: ManualPlanInput): FixPlan {
  const instructions = input.instructions ?? input.explanation;
  return {
    id: input.id,
    title: input.title,
    explanation: input.explanation,
    commands: [...(input.commands ?? [])],
    steps: (typeof instructions === 'string' ? [instructions] : instructions).map((description): FixStep => ({
      action: 'manual',
      description,
    })),
    mutates: false,
  };
}

/** ` -n <ns>` for commands shown to users; empty for cluster-scoped objects. */
export function nsFlag(namespace: string | undefined): string {
  return namespace ? ` -n ${namespace}` : '';
}

/** Single quotes for a shell argument, closing and reopening around embedded quotes. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `kubectl patch <kind> <name> -n <ns> --type=json -p '<ops>'` */
export function jsonPatchCommand(ref: ObjectRef, ops: readonly JsonPatchOp[]): string {
  return `kubectl patch ${ref.kind.toLowerCase()} ${ref.name}${nsFlag(ref.namespace)} --type=json -p ${shellQuote(JSON.stringify(ops))}`;
}

/**
 * `helm upgrade` that changes only the given values: `--reuse-values` keeps the rest and
 * `--version` pins the chart so the upgrade does not also move to a newer chart. The
 * chart's repository is not recorded in the release, hence the placeholder.
 */
export function helmUpgradeCommand(release: HelmRelease, sets: readonly string[]): string {
  const chart = `<repo>/${release.chartName ?? '<chart>'}`;
  const version = release.chartVersion ? ` --version ${release.chartVersion}` : '';
  const values = sets.map((s) => ` --set ${shellQuote(s)}`).join('');
  return `helm upgrade ${release.name} ${chart}${version} -n ${release.namespace} --reuse-values${values}`;
}
