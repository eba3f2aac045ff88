// Steps that create or delete whole objects: `create`, `delete`, and the pull secret, whose
// credentials are gathered at run time and never shown.
import type { FixStep } from '../../model/fix-plan.js';
import type { ObjectRef } from '../../model/ref.js';
import type { KubeObject } from '../../model/k8s.js';
import { KubeError } from '../../kube/errors.js';
import { isConflict, isNotFound, type Cluster } from '../cluster.js';
import { commandFor } from '../commands.js';
import {
  holdsCredentialsFor,
  pullSecretObject,
  pullSecretPlaceholder,
  registryName,
  resolveCredentials,
} from '../registry-credentials.js';
import { forDisplay, refLabel, refOfObject, toYaml } from '../render.js';
import type { StepPreview } from '../types.js';
import {
  BrokenOperation,
  refKeyOf,
  StepFailure,
  type Applied,
  type DryRunNote,
  type Operation,
  type StepContext,
  type Undo,
} from '../operation.js';

const kubectlDelete = (ref: ObjectRef): string =>
  `kubectl delete ${ref.kind.toLowerCase()} ${ref.name}${ref.namespace ? ` -n ${ref.namespace}` : ''}`;

/** POST the object (a dry run when asked); resolves to what the server stored. */
export async function createObject(cluster: Cluster, obj: KubeObject, dryRun: boolean): Promise<KubeObject> {
  const info = await cluster.requireResource(refOfObject(obj));
  return cluster.write<KubeObject>({
    method: 'POST',
    path: cluster.collectionPath(info, obj.metadata.namespace),
    body: obj,
    dryRun,
    action: `create ${refLabel(refOfObject(obj))}`,
  });
}

/**
 * What every delete sends: what the object owns goes with it, as `kubectl delete` does
 * (`--cascade=background`). Without a policy a batch/v1 Job is deleted alone and its pods
 * keep running, ownerless.
 */
const DELETE_OPTIONS = { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' } as const;

/** Deletes what `create` made — only that object: the uid precondition spares a namesake made since. */
export function deleteCreated(ctx: StepContext, stored: KubeObject): Undo {
  const ref = refOfObject(stored);
  const label = refLabel(ref);
  return {
    object: label,
    action: 'delete',
    byHand: kubectlDelete(ref),
    run: async () => {
      try {
        await ctx.cluster.write({
          method: 'DELETE',
          path: await ctx.cluster.objectPath(ref),
          body: { ...DELETE_OPTIONS, preconditions: { uid: stored.metadata.uid } },
          action: `delete ${label}`,
        });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      return `deleted ${label}`;
    },
  };
}

/** A plan's `create` step: never overwrites an object that exists. */
class CreateOperation implements Operation {
  readonly mutates = true;
  readonly executes = true;
  readonly label: string;

  constructor(
    private readonly ctx: StepContext,
    readonly step: Extract<FixStep, { action: 'create' }>,
    private readonly object: KubeObject,
  ) {
    this.label = refLabel(refOfObject(object));
  }

  preview(): StepPreview {
    const p: StepPreview = { step: this.step, ref: refOfObject(this.object), diff: toYaml(forDisplay(this.object)) };
    const command = commandFor(this.step);
    if (command) p.command = command;
    return p;
  }

  async dryRun(): Promise<DryRunNote> {
    await createObject(this.ctx.cluster, this.object, true);
    return { message: `dry run of creating ${this.label} passed` };
  }

  async apply(): Promise<Applied> {
    const stored = await createObject(this.ctx.cluster, this.object, false);
    return { status: 'applied', message: `created ${this.label}`, undo: [deleteCreated(this.ctx, stored)] };
  }
}

export async function prepareCreate(
  ctx: StepContext,
  step: Extract<FixStep, { action: 'create' }>,
): Promise<Operation> {
  const obj: KubeObject = { ...step.object, metadata: { ...step.object.metadata } };
  try {
    const info = await ctx.cluster.requireResource(refOfObject(obj));
    if (info.namespaced && !obj.metadata.namespace) obj.metadata.namespace = ctx.defaultNamespace;
    if (await ctx.cluster.read(refOfObject(obj))) {
      const label = refLabel(refOfObject(obj));
      return new BrokenOperation(
        step,
        label,
        true,
        new KubeError('conflict', `${label} already exists: kcockpit creates objects, it never overwrites one`, {
          reason: 'AlreadyExists',
        }),
        commandFor(step),
      );
    }
  } catch (e) {
    return new BrokenOperation(step, refLabel(refOfObject(obj)), true, e as Error, commandFor(step));
  }
  ctx.created.add(refKeyOf(refOfObject(obj)));
  return new CreateOperation(ctx, step, obj);
}

/** Delete an object, usually a pod so its controller makes a new one. A delete cannot be undone. */
class DeleteOperation implements Operation {
  readonly mutates = true;
  readonly executes = true;
  readonly label: string;

  constructor(
    private readonly ctx: StepContext,
    readonly step: Extract<FixStep, { action: 'delete' }>,
    private readonly before: KubeObject | undefined,
  ) {
    this.label = refLabel(step.ref);
  }

  preview(): StepPreview {
    const p: StepPreview = { step: this.step, ref: this.step.ref, diff: '' };
    const command = commandFor(this.step);
    if (command) p.command = command;
    const owner = this.owner();
    p.diff = this.before
      ? `- ${this.label} (deleted${owner ? `; its ${owner} creates a new one` : ''})`
      : `(no change: ${this.label} is already gone)`;
    return p;
  }

  private owner(): string | undefined {
    const ref = this.before?.metadata.ownerReferences?.find((r) => r.controller);
    return ref ? `${ref.kind} ${ref.name}` : undefined;
  }

  private async send(uid: string | undefined, dryRun: boolean): Promise<void> {
    await this.ctx.cluster.write({
      method: 'DELETE',
      path: await this.ctx.cluster.objectPath(this.step.ref),
      body: { ...DELETE_OPTIONS, ...(uid ? { preconditions: { uid } } : {}) },
      dryRun,
      action: `delete ${this.label}`,
    });
  }

  async dryRun(): Promise<DryRunNote> {
    if (!this.before) return { message: `${this.label} is already gone` };
    await this.send(this.before.metadata.uid, true);
    return { message: `dry run of deleting ${this.label} passed` };
  }

  async apply(): Promise<Applied> {
    if (!this.before) return { status: 'skipped', message: `${this.label} is already gone` };
    let uid = this.before.metadata.uid;
    try {
      await this.send(uid, false);
    } catch (e) {
      if (isNotFound(e)) return { status: 'skipped', message: `${this.label} was already gone` };
      if (!isConflict(e)) throw e;
      // Its controller replaced it meanwhile: the step's purpose (a fresh object) holds for the new one too.
      const now = await this.ctx.cluster.read(this.step.ref);
      if (!now) return { status: 'skipped', message: `${this.label} was already gone` };
      this.ctx.progress(`${this.label} was replaced since kcockpit read it: deleting the new one`);
      uid = now.metadata.uid;
      await this.send(uid, false);
    }
    const owner = this.owner();
    const irreversible =
      this.step.ref.kind === 'Pod'
        ? `${this.label} was deleted: a delete cannot be undone${owner ? `, and its ${owner} has made a new pod` : ''}`
        : `${this.label} was deleted: a delete cannot be undone`;
    return { status: 'applied', message: `deleted ${this.label}`, irreversible };
  }
}

export async function prepareDelete(
  ctx: StepContext,
  step: Extract<FixStep, { action: 'delete' }>,
): Promise<Operation> {
  try {
    return new DeleteOperation(ctx, step, await ctx.cluster.read(step.ref));
  } catch (e) {
    return new BrokenOperation(step, refLabel(step.ref), true, e as Error, commandFor(step));
  }
}

type SecretMode = { kind: 'create' } | { kind: 'reuse' } | { kind: 'replace'; existing: KubeObject };

/**
 * The pull secret. An existing Secret of that name is never overwritten unless the user
 * says so; with --yes one that already holds credentials for the registry is reused.
 */
class PullSecretOperation implements Operation {
  readonly mutates = true;
  readonly executes = true;
  readonly label: string;
  private mode: SecretMode;
  private secret: KubeObject | undefined;

  constructor(
    private readonly ctx: StepContext,
    readonly step: Extract<FixStep, { action: 'create-pull-secret' }>,
    private readonly existing: KubeObject | undefined,
  ) {
    this.label = refLabel(this.ref);
    this.mode = existing ? { kind: 'reuse' } : { kind: 'create' };
  }

  private get ref(): ObjectRef {
    return { kind: 'Secret', name: this.step.name, namespace: this.step.namespace };
  }

  preview(): StepPreview {
    const p: StepPreview = { step: this.step, ref: this.ref, diff: '' };
    const command = commandFor(this.step);
    if (command) p.command = command;
    const placeholder = toYaml(pullSecretPlaceholder(this.step.namespace, this.step.name)).replace(
      '<registry credentials, hidden>',
      `<credentials for ${this.step.server}: asked when the fix runs, never shown>`,
    );
    p.diff = this.existing
      ? `${this.label} already exists (${(this.existing as KubeObject & { type?: string }).type ?? 'no type'}): kcockpit asks whether to use it as it is; it never overwrites it unless you say so.\n${toYaml(forDisplay(this.existing))}`
      : placeholder;
    return p;
  }

  async gather(): Promise<boolean> {
    const registry = registryName(this.step.server);
    if (this.existing) {
      const reusable = holdsCredentialsFor(this.existing, this.step.server);
      if (this.ctx.options.yes) {
        if (!reusable) {
          throw new StepFailure(
            `${this.label} already exists and holds no credentials for ${registry}: kcockpit does not overwrite it (--yes never does); delete it or run without --yes to choose`,
          );
        }
        this.mode = { kind: 'reuse' };
        this.ctx.progress(`${this.label} already exists and holds credentials for ${registry}: using it as it is`);
        return true;
      }
      const options = reusable
        ? [`Use ${this.step.name} as it is`, `Replace its credentials`, 'Cancel']
        : [`Replace it with a pull secret for ${registry}`, 'Cancel'];
      const question = reusable
        ? `Secret ${this.step.name} already exists in ${this.step.namespace} and holds credentials for ${registry}.`
        : `Secret ${this.step.name} already exists in ${this.step.namespace} and holds no credentials for ${registry}.`;
      const picked = options[await this.ctx.prompter.choose(question, options)];
      if (picked === undefined || picked === 'Cancel') return false;
      if (picked.startsWith('Use ')) {
        this.mode = { kind: 'reuse' };
        return true;
      }
      this.mode = { kind: 'replace', existing: this.existing };
    }
    const credentials = await resolveCredentials(
      this.step.server,
      this.ctx.options.credentials ?? {},
      this.ctx.prompter,
      this.ctx.env,
      this.ctx.progress,
    );
    this.secret = pullSecretObject(this.step.namespace, this.step.name, this.step.server, credentials);
    return true;
  }

  private body(): KubeObject {
    if (!this.secret) throw new Error('the pull secret has no credentials yet');
    if (this.mode.kind !== 'replace') return this.secret;
    return {
      ...this.secret,
      metadata: { ...this.secret.metadata, resourceVersion: this.mode.existing.metadata.resourceVersion ?? '' },
    };
  }

  private async put(body: KubeObject, dryRun: boolean): Promise<KubeObject> {
    return this.ctx.cluster.write<KubeObject>({
      method: 'PUT',
      path: await this.ctx.cluster.objectPath(this.ref),
      body,
      dryRun,
      action: `replace ${this.label}`,
    });
  }

  async dryRun(): Promise<DryRunNote> {
    if (this.mode.kind === 'reuse') return { message: `uses the existing ${this.label}` };
    if (this.mode.kind === 'replace') await this.put(this.body(), true);
    else await createObject(this.ctx.cluster, this.body(), true);
    return { message: `dry run of ${this.mode.kind === 'replace' ? 'replacing' : 'creating'} ${this.label} passed` };
  }

  async apply(): Promise<Applied> {
    if (this.mode.kind === 'reuse')
      return { status: 'skipped', message: `uses the existing ${this.label} (not changed)` };
    if (this.mode.kind === 'create') {
      const stored = await createObject(this.ctx.cluster, this.body(), false);
      return { status: 'applied', message: `created ${this.label}`, undo: [deleteCreated(this.ctx, stored)] };
    }
    const previous = this.mode.existing;
    const stored = await this.put(this.body(), false);
    const { managedFields: _m, ...metadata } = previous.metadata;
    const undo: Undo = {
      object: this.label,
      action: 'restore',
      byHand: `kubectl edit secret ${this.step.name} -n ${this.step.namespace}`,
      run: async () => {
        await this.put(
          { ...previous, metadata: { ...metadata, resourceVersion: stored.metadata.resourceVersion ?? '' } },
          false,
        );
        return `restored the previous ${this.label}`;
      },
    };
    return { status: 'applied', message: `replaced the credentials in ${this.label}`, undo: [undo] };
  }
}

export async function preparePullSecret(
  ctx: StepContext,
  step: Extract<FixStep, { action: 'create-pull-secret' }>,
): Promise<Operation> {
  const ref: ObjectRef = { kind: 'Secret', name: step.name, namespace: step.namespace };
  let existing: KubeObject | undefined;
  try {
    existing = await ctx.cluster.read(ref);
  } catch (e) {
    return new BrokenOperation(step, refLabel(ref), true, e as Error, commandFor(step));
  }
  if (!existing) ctx.created.add(refKeyOf(ref));
  return new PullSecretOperation(ctx, step, existing);
}
