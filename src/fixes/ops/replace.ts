// `kubectl edit`'s write: the whole object as the user left it in the editor, PUT back with the
// resourceVersion it was read at. The server refuses it with 409 when the object changed since
// (nothing is overwritten that the user did not see) and with 422 naming the fields when it does
// not validate; both end the dry run, so nothing changes and the cockpit can offer to edit again.
import type { FixStep } from '../../diagnose/types.js';
import type { KubeObject } from '../../model/k8s.js';
import { commandFor } from '../commands.js';
import { unifiedDiff } from '../diff.js';
import { forDisplay, refLabel, toYaml } from '../render.js';
import type { StepPreview } from '../types.js';
import { BrokenOperation, type Applied, type DryRunNote, type Operation, type StepContext } from '../operation.js';
import { KubeError } from '../../kube/errors.js';

type Step = Extract<FixStep, { action: 'replace' }>;

class ReplaceOperation implements Operation {
  readonly mutates = true;
  readonly executes = true;
  readonly label: string;

  constructor(
    private readonly ctx: StepContext,
    readonly step: Step,
    private readonly before: KubeObject,
  ) {
    this.label = refLabel(step.ref);
  }

  preview(): StepPreview {
    const diff = unifiedDiff(toYaml(forDisplay(this.before)), toYaml(forDisplay(this.step.object)), {
      from: `${this.label} (now)`,
      to: `${this.label} (as you edited it)`,
    });
    return {
      step: this.step,
      ref: this.step.ref,
      diff: diff || `(no change: the edit leaves ${this.label} as it is)`,
      command: commandFor(this.step) ?? '',
    };
  }

  private async put(object: KubeObject, dryRun: boolean): Promise<KubeObject> {
    return this.ctx.cluster.write<KubeObject>({
      method: 'PUT',
      path: await this.ctx.cluster.objectPath(this.step.ref),
      body: object,
      dryRun,
      action: `replace ${this.label}`,
    });
  }

  async dryRun(): Promise<DryRunNote> {
    await this.put(this.step.object, true);
    return { message: `dry run of the edit of ${this.label} passed` };
  }

  async apply(): Promise<Applied> {
    const stored = await this.put(this.step.object, false);
    const label = this.label;
    return {
      status: 'applied',
      message: `replaced ${label}`,
      undo: [
        {
          object: label,
          action: 'restore',
          byHand: commandFor(this.step) ?? '',
          // Pinned to what this edit stored: a change made since is never overwritten.
          run: async () => {
            const { managedFields: _m, ...metadata } = this.before.metadata;
            await this.put(
              { ...this.before, metadata: { ...metadata, resourceVersion: stored.metadata.resourceVersion } },
              false,
            );
            return `restored ${label}`;
          },
        },
      ],
    };
  }
}

export async function prepareReplace(ctx: StepContext, step: Step): Promise<Operation> {
  try {
    const before = await ctx.cluster.read(step.ref);
    if (!before) throw new KubeError('notfound', `not found: ${refLabel(step.ref)} was deleted while you edited it`);
    return new ReplaceOperation(ctx, step, before);
  } catch (e) {
    return new BrokenOperation(step, refLabel(step.ref), true, e as Error, commandFor(step));
  }
}
