// `helm-upgrade`: values belong to the release, so the fix is `helm upgrade --reuse-values
// --set ...` pinned to the chart version already deployed (`--version`), run through helm
// itself when it is installed, its output shown live. Without helm the step is the user's:
// the exact command and the values, never a failure. kcockpit does not reimplement helm.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import type { FixStep } from '../../model/fix-plan.js';
import { commandFor, helmUpgradeArgs } from '../commands.js';
import { toYaml } from '../render.js';
import type { StepPreview } from '../types.js';
import type { Applied, DryRunNote, Operation, StepContext, Undo } from '../operation.js';

/** An executable named `name` on PATH, as the shell would find it. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      if (statSync(candidate).isFile()) {
        accessSync(candidate, constants.X_OK);
        return candidate;
      }
    } catch {
      // not here
    }
  }
  return undefined;
}

/** `--set a.b=1` as the values file that does the same: `a: {b: 1}` (helm reads "1" as a number too). */
export function valuesYaml(set: Record<string, string>): string {
  const root: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(set)) {
    const parts = key.split('.');
    let node = root;
    for (const p of parts.slice(0, -1)) {
      if (typeof node[p] !== 'object' || node[p] === null) node[p] = {};
      node = node[p] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]!] = /^-?\d+$/.test(raw)
      ? Number(raw)
      : raw === 'true'
        ? true
        : raw === 'false'
          ? false
          : raw;
  }
  return toYaml(root);
}

const lastLine = (text: string | undefined): string =>
  (text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .pop() ?? 'no output';

class HelmOperation implements Operation {
  readonly mutates = true;
  readonly label: string;
  readonly executes: boolean;

  constructor(
    private readonly ctx: StepContext,
    readonly step: Extract<FixStep, { action: 'helm-upgrade' }>,
    private readonly helm: string | undefined,
  ) {
    this.label = `helm release ${step.namespace}/${step.release}`;
    this.executes = helm !== undefined;
  }

  private get command(): string {
    return commandFor(this.step) ?? '';
  }

  preview(): StepPreview {
    const kept = this.step.reuseValues
      ? 'every other value stays as it is (--reuse-values)'
      : 'values not listed go back to the chart defaults';
    const version = this.step.version
      ? `the chart stays at version ${this.step.version} (--version)`
      : 'the chart moves to the newest version in the repository';
    return {
      step: this.step,
      ref: { kind: 'HelmRelease', name: this.step.release, namespace: this.step.namespace },
      diff: `values set on release ${this.step.release}; ${kept}; ${version}:\n${valuesYaml(this.step.set)}${this.helm ? '' : 'helm is not installed here: run the command yourself, or save these values to a file and pass it with -f.\n'}`,
      command: this.command,
    };
  }

  private async run(dryRun: boolean, live: boolean): Promise<{ ok: boolean; why: string }> {
    const child = execa(this.helm!, helmUpgradeArgs(this.step, dryRun), {
      all: true,
      reject: false,
      stdin: 'ignore',
      env: this.ctx.env,
      extendEnv: false,
      ...(this.ctx.options.signal ? { cancelSignal: this.ctx.options.signal } : {}),
    });
    if (live) for await (const line of child.iterable({ from: 'all' })) this.ctx.progress(`helm: ${line}`);
    const r = await child;
    if (r.exitCode === 0) return { ok: true, why: '' };
    if (r.exitCode === undefined)
      return { ok: false, why: `helm could not be run (${(r.shortMessage ?? 'no such file').split('\n')[0]})` };
    return { ok: false, why: `helm exited with ${r.exitCode}: ${lastLine(r.stderr || r.all)}` };
  }

  async dryRun(final: boolean): Promise<DryRunNote> {
    if (!this.helm) return { message: `helm is not installed here: run ${this.command}` };
    const r = await this.run(true, final);
    if (!r.ok) throw new Error(`helm upgrade --dry-run failed: ${r.why}`);
    return { message: `helm upgrade --dry-run of ${this.step.release} passed` };
  }

  async apply(): Promise<Applied> {
    if (!this.helm) return { status: 'manual', message: `helm is not installed here: run ${this.command}` };
    this.ctx.progress(`running ${this.command}`);
    const r = await this.run(false, true);
    if (!r.ok) throw new Error(`helm upgrade ${this.step.release} failed: ${r.why}`);
    const rollback = `helm rollback ${this.step.release} -n ${this.step.namespace}`;
    const undo: Undo = {
      object: this.label,
      action: 'helm rollback',
      byHand: rollback,
      run: async () => {
        const res = await execa(this.helm!, ['rollback', this.step.release, '-n', this.step.namespace], {
          reject: false,
          stdin: 'ignore',
          env: this.ctx.env,
          extendEnv: false,
        });
        if (res.exitCode !== 0) throw new Error(`helm rollback failed: ${lastLine(res.stderr)}`);
        return `rolled ${this.step.release} back to its previous revision`;
      },
    };
    return { status: 'applied', message: `upgraded release ${this.step.release}`, undo: [undo] };
  }
}

export function prepareHelm(ctx: StepContext, step: Extract<FixStep, { action: 'helm-upgrade' }>): Operation {
  return new HelmOperation(ctx, step, findOnPath('helm', ctx.env));
}
