// Steps that change an existing object: JSON patch, merge patch, rollout restart and scale.
//
// Every patch is pinned to the resourceVersion the preview was computed from (a `test` op in
// a JSON patch, `metadata.resourceVersion` in a merge patch), so what the user confirmed is
// what the server applies. When the object changed meanwhile (409, or 422 for a failed
// `test`), the object is read again and the patch re-sent once — but only when the fields
// it writes are unchanged, so it still means what the user saw; otherwise the step fails
// cleanly. A plan's own resourceVersion guard (pull-secret-plans.ts: "create the list only
// if it is still absent") is checked the same way against the object as it is now.
import type { FixStep, JsonPatchOp } from '../../model/fix-plan.js';
import type { ObjectRef } from '../../model/ref.js';
import type { KubeObject } from '../../model/k8s.js';
import { KubeError } from '../../kube/errors.js';
import { CONTENT, isConflict } from '../cluster.js';
import { commandFor } from '../commands.js';
import { unifiedDiff } from '../diff.js';
import { applyJsonPatch, applyMergePatch, deepEqual, mergePatchLeaves, PatchError, valueAt } from '../patch-local.js';
import { forDisplay, refLabel, toYaml } from '../render.js';
import type { StepPreview } from '../types.js';
import {
  BrokenOperation,
  refKeyOf,
  type Applied,
  type DryRunNote,
  type Operation,
  type StepContext,
  type Undo,
} from '../operation.js';

const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
const RESTARTABLE = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
const SCALABLE = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);

/** The object changed in a way that gives the patch another meaning: do not send it. */
class StaleError extends KubeError {
  constructor(message: string) {
    super('conflict', message, { reason: 'Conflict' });
  }
}

interface PatchKind {
  action: string;
  subresource?: 'scale';
  contentType: string;
  /** The body pinned to `current`; throws StaleError when the patch would now mean something else. */
  body(current: KubeObject): unknown;
  /** The object as the patch leaves it. */
  result(current: KubeObject): KubeObject;
  /** The fields the patch writes are the same in both versions of the object. */
  sameTarget(before: KubeObject, now: KubeObject): boolean;
  /** JSON pointers of the fields the patch writes (a list it appends to counts whole). */
  touched: string[];
  /** What the user types to undo it by hand. */
  byHand(baseline: KubeObject): string;
}

const rv = (o: KubeObject): string => o.metadata.resourceVersion ?? '';

const editCommand = (ref: ObjectRef): string =>
  `kubectl edit ${ref.kind.toLowerCase()} ${ref.name}${ref.namespace ? ` -n ${ref.namespace}` : ''}`;

/** Pointers without those inside another one (a whole list covers its items). */
function outermost(paths: string[]): string[] {
  const unique = [...new Set(paths)];
  return unique.filter((p) => !unique.some((q) => q !== p && p.startsWith(`${q}/`)));
}

/**
 * The JSON patch that takes `written` (what the step left) back to `baseline` in the touched
 * fields, each guarded by a test that it still holds what the step wrote.
 */
export function undoOps(baseline: KubeObject, written: KubeObject, touched: readonly string[]): JsonPatchOp[] {
  const ops: JsonPatchOp[] = [];
  for (const path of touched) {
    const was = valueAt(baseline, path);
    const now = valueAt(written, path);
    if (deepEqual(was, now)) continue;
    if (now !== undefined) ops.push({ op: 'test', path, value: now });
    if (was === undefined) ops.push({ op: 'remove', path });
    else ops.push({ op: now === undefined ? 'add' : 'replace', path, value: was });
  }
  return ops;
}

/** What an op writes, for undo: a list item (or an append) counts as its whole list, since indexes shift. */
function writtenPath(path: string): string {
  return path.replace(/\/(-|\d+)$/, '');
}

function isVersionGuard(op: JsonPatchOp): boolean {
  return op.op === 'test' && op.path === '/metadata/resourceVersion';
}

function jsonPatchKind(ref: ObjectRef, ops: readonly JsonPatchOp[]): PatchKind {
  const guard = ops.find(isVersionGuard);
  const edits = ops.filter((op) => !isVersionGuard(op));
  return {
    action: 'json-patch',
    contentType: CONTENT.jsonPatch,
    body(current) {
      if (guard && guard.value !== rv(current)) {
        // The plan creates fields it saw absent; an `add` on a field that exists now replaces it.
        const taken = edits
          .filter((op) => op.op === 'add' && !op.path.endsWith('/-') && valueAt(current, op.path) !== undefined)
          .map((op) => op.path);
        if (taken.length > 0) {
          throw new StaleError(
            `${refLabel(ref)} changed since kcockpit diagnosed it: ${taken.join(', ')} ${taken.length > 1 ? 'are' : 'is'} set now, and this patch would replace ${taken.length > 1 ? 'them' : 'it'}; run the fix again so it is computed from the current object`,
          );
        }
      }
      return [{ op: 'test', path: '/metadata/resourceVersion', value: rv(current) }, ...edits];
    },
    result: (current) => applyJsonPatch(current, edits),
    sameTarget: (before, now) =>
      edits.every(
        (op) =>
          op.op === 'test' || op.path.endsWith('/-') || deepEqual(valueAt(before, op.path), valueAt(now, op.path)),
      ),
    touched: outermost(edits.filter((op) => op.op !== 'test').map((op) => writtenPath(op.path))),
    byHand: () => editCommand(ref),
  };
}

function mergePatchKind(ref: ObjectRef, patch: Record<string, unknown>, action = 'merge-patch'): PatchKind {
  const leaves = mergePatchLeaves(patch);
  return {
    action,
    contentType: CONTENT.mergePatch,
    body(current) {
      const meta = (patch['metadata'] as Record<string, unknown> | undefined) ?? {};
      return { ...patch, metadata: { ...meta, resourceVersion: rv(current) } };
    },
    result: (current) => applyMergePatch(current, patch),
    sameTarget: (before, now) => leaves.every((p) => deepEqual(valueAt(before, p), valueAt(now, p))),
    touched: leaves,
    byHand: () => editCommand(ref),
  };
}

/** `kubectl rollout restart`: a new template annotation makes the controller replace every pod. */
function restartKind(ref: ObjectRef, at: string): PatchKind {
  const base = mergePatchKind(
    ref,
    { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: at } } } } },
    'rollout-restart',
  );
  // The annotation is computed now, not read: re-sending it is always what the user asked for.
  return { ...base, sameTarget: () => true };
}

function scaleKind(ref: ObjectRef, replicas: number): PatchKind {
  return {
    action: 'scale',
    subresource: 'scale',
    contentType: CONTENT.mergePatch,
    body: (current) => ({ spec: { replicas }, metadata: { resourceVersion: rv(current) } }),
    result: (current) => applyMergePatch(current, { spec: { replicas } }),
    sameTarget: (before, now) => deepEqual(valueAt(before, '/spec/replicas'), valueAt(now, '/spec/replicas')),
    touched: ['/spec/replicas'],
    byHand: (baseline) =>
      `kubectl scale ${ref.kind.toLowerCase()}/${ref.name} --replicas=${String(valueAt(baseline, '/spec/replicas') ?? 1)}${ref.namespace ? ` -n ${ref.namespace}` : ''}`,
  };
}

/** kubectl writes the restart time as RFC 3339 in seconds. */
function restartStamp(now = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

class PatchOperation implements Operation {
  readonly mutates = true;
  readonly executes = true;
  readonly label: string;

  constructor(
    private readonly ctx: StepContext,
    readonly step: FixStep,
    private readonly ref: ObjectRef,
    private readonly kind: PatchKind,
    /** The object as read now; undefined when an earlier step creates it. */
    private readonly before: KubeObject | undefined,
  ) {
    this.label = refLabel(ref);
  }

  preview(): StepPreview {
    const p: StepPreview = { step: this.step, ref: this.ref, diff: '' };
    const command = commandFor(this.step);
    if (command) p.command = command;
    if (!this.before) {
      p.diff = `${this.label} is created by an earlier step: the change is computed from it then.`;
      return p;
    }
    try {
      const after = this.kind.result(this.before);
      const name = `${this.ref.kind}/${this.ref.namespace ? `${this.ref.namespace}/` : ''}${this.ref.name}`;
      p.diff =
        unifiedDiff(toYaml(forDisplay(this.before)), toYaml(forDisplay(after)), {
          from: `${name} (now)`,
          to: `${name} (after the fix)`,
        }) || `(no change: ${this.label} already looks like this)`;
    } catch (e) {
      p.diff = `the patch does not apply to ${this.label} as it is now: ${(e as Error).message}`;
    }
    return p;
  }

  private async send(current: KubeObject, dryRun: boolean): Promise<KubeObject> {
    const body = this.kind.body(current);
    return this.ctx.cluster.write<KubeObject>({
      method: 'PATCH',
      path: await this.ctx.cluster.objectPath(this.ref, this.kind.subresource),
      body,
      contentType: this.kind.contentType,
      dryRun,
      action: `${this.kind.action} ${this.label}`,
    });
  }

  async dryRun(): Promise<DryRunNote> {
    if (!this.before)
      return { message: `not checked yet: ${this.label} is created by an earlier step`, deferred: true };
    await this.send(this.before, true);
    return { message: `dry run of the ${this.kind.action} on ${this.label} passed` };
  }

  private async read(): Promise<KubeObject> {
    const now = await this.ctx.cluster.read(this.ref);
    if (!now) throw new KubeError('notfound', `not found: ${this.label} no longer exists`);
    return now;
  }

  async apply(): Promise<Applied> {
    let current = this.before ?? (await this.read());
    try {
      await this.send(current, false);
    } catch (e) {
      if (!isConflict(e) || e instanceof StaleError) throw e;
      const now = await this.read();
      if (!this.kind.sameTarget(current, now)) {
        throw new StaleError(
          `${this.label} was changed by someone else while kcockpit applied the fix, in the fields this step changes: it was not patched; run the fix again so it is computed from the current object`,
        );
      }
      this.ctx.progress(
        `${this.label} changed since kcockpit read it (not in the fields this step changes): read it again and retrying once`,
      );
      current = now;
      await this.send(current, false);
    }
    // What the step wrote, computed from the version it was applied to (a scale answers with a Scale, not the object).
    const baseline = current;
    const ops = undoOps(baseline, this.kind.result(baseline), this.kind.touched);
    const undo: Undo = {
      object: this.label,
      action: 'restore',
      byHand: this.kind.byHand(baseline),
      run: async () => {
        if (ops.length > 0) {
          await this.ctx.cluster.write({
            method: 'PATCH',
            path: await this.ctx.cluster.objectPath(this.ref),
            body: ops,
            contentType: CONTENT.jsonPatch,
            action: `restore ${this.label}`,
          });
        }
        return `restored ${this.label}`;
      },
    };
    return {
      status: 'applied',
      message: `${this.kind.action === 'scale' ? 'scaled' : this.kind.action === 'rollout-restart' ? 'restarted' : 'patched'} ${this.label}`,
      undo: [undo],
    };
  }
}

/** Read the target and build the operation; failures become a BrokenOperation (shown, never applied). */
export async function preparePatch(
  ctx: StepContext,
  step: Extract<FixStep, { action: 'json-patch' | 'merge-patch' | 'rollout-restart' | 'scale' }>,
): Promise<Operation> {
  const ref = step.ref;
  const label = refLabel(ref);
  const command = commandFor(step);
  let kind: PatchKind;
  switch (step.action) {
    case 'json-patch':
      kind = jsonPatchKind(ref, step.patch);
      break;
    case 'merge-patch':
      kind = mergePatchKind(ref, step.patch);
      break;
    case 'rollout-restart':
      if (!RESTARTABLE.has(ref.kind))
        return new BrokenOperation(
          step,
          label,
          true,
          new KubeError(
            'invalid',
            `a rollout restart works on Deployments, StatefulSets and DaemonSets, not on ${ref.kind}`,
          ),
          command,
        );
      kind = restartKind(ref, restartStamp());
      break;
    case 'scale':
      if (!SCALABLE.has(ref.kind))
        return new BrokenOperation(
          step,
          label,
          true,
          new KubeError('invalid', `kcockpit scales Deployments, StatefulSets and ReplicaSets, not ${ref.kind}`),
          command,
        );
      kind = scaleKind(ref, step.replicas);
      break;
  }
  let before: KubeObject | undefined;
  try {
    before = await ctx.cluster.read(ref);
  } catch (e) {
    return new BrokenOperation(step, label, true, e as Error, command);
  }
  if (!before && !ctx.created.has(refKeyOf(ref))) {
    return new BrokenOperation(
      step,
      label,
      true,
      new KubeError('notfound', `not found: ${label} does not exist (check the name and the namespace)`),
      command,
    );
  }
  if (before) {
    // A patch that cannot apply now would only fail at the server: say why before anything runs.
    try {
      kind.body(before);
      kind.result(before);
    } catch (e) {
      const err =
        e instanceof PatchError
          ? new KubeError('invalid', `invalid: the patch does not apply to ${label} as it is now: ${e.message}`)
          : (e as Error);
      return new BrokenOperation(step, label, true, err, command);
    }
  }
  return new PatchOperation(ctx, step, ref, kind, before);
}
