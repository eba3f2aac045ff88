// `apply-manifest`: create every object of a manifest the user points to (cert-manager's
// release manifest, or a copy of it on disk), in file order — namespaces and CRDs come first
// in such manifests because what follows needs them. Objects that already exist are left as
// they are (kcockpit creates, it does not merge), so running it again after a partial
// install finishes the job. The dry run checks every object the server can check now; one
// that goes into a namespace, or is of a kind, that this manifest itself creates can only be
// checked once that exists, and the note says so.
import type { FixStep } from '../../model/fix-plan.js';
import type { KubeObject } from '../../model/k8s.js';
import { isAlreadyExists } from '../cluster.js';
import { commandFor } from '../commands.js';
import { loadManifest } from '../manifest.js';
import { refLabel, refOfObject } from '../render.js';
import type { StepPreview } from '../types.js';
import {
  BrokenOperation,
  lineOf,
  refKeyOf,
  StepFailure,
  type Applied,
  type DryRunNote,
  type Operation,
  type StepContext,
  type Undo,
} from '../operation.js';
import { createObject, deleteCreated } from './objects.js';

interface Entry {
  obj: KubeObject;
  label: string;
  /** create now · exists (left alone) · after: checkable only once an earlier object exists. */
  state: 'create' | 'exists' | 'after';
  /** Why it waits: `namespace cert-manager`, `kind Certificate`. */
  waitsFor?: string;
}

/** `group/version/Kind` for every kind the manifest's CRDs define. */
function kindsDefined(objects: readonly KubeObject[]): Set<string> {
  const out = new Set<string>();
  for (const o of objects) {
    if (o.kind !== 'CustomResourceDefinition') continue;
    const spec = (
      o as KubeObject & { spec?: { group?: string; names?: { kind?: string }; versions?: { name?: string }[] } }
    ).spec;
    for (const v of spec?.versions ?? [])
      if (spec?.group && spec.names?.kind && v.name) out.add(`${spec.group}/${v.name}/${spec.names.kind}`);
  }
  return out;
}

class ManifestOperation implements Operation {
  readonly mutates = true;
  readonly executes = true;
  readonly auditsItself = true;
  readonly label: string;

  constructor(
    private readonly ctx: StepContext,
    readonly step: Extract<FixStep, { action: 'apply-manifest' }>,
    private readonly entries: Entry[],
  ) {
    this.label = `manifest ${step.source}`;
  }

  preview(): StepPreview {
    const creates = this.entries.filter((e) => e.state !== 'exists').length;
    const lines = [`creates ${creates} object${creates === 1 ? '' : 's'} from ${this.step.source}:`];
    for (const e of this.entries)
      lines.push(e.state === 'exists' ? `= ${e.label} (exists: left as it is)` : `+ ${e.label}`);
    const p: StepPreview = { step: this.step, diff: lines.join('\n') };
    const command = commandFor(this.step);
    if (command) p.command = command;
    return p;
  }

  async dryRun(): Promise<DryRunNote> {
    let checked = 0;
    for (const e of this.entries) {
      if (e.state !== 'create') continue;
      await createObject(this.ctx.cluster, e.obj, true);
      checked++;
    }
    const later = this.entries.filter((e) => e.state === 'after');
    if (later.length === 0) return { message: `dry run of ${checked} object${checked === 1 ? '' : 's'} passed` };
    const waits = [...new Set(later.map((e) => e.waitsFor))].join(', ');
    return {
      message: `dry run of ${checked} object${checked === 1 ? '' : 's'} passed; ${later.length} more can only be checked once this manifest has created ${waits}`,
      deferred: true,
    };
  }

  async apply(): Promise<Applied> {
    const created: Undo[] = [];
    let skipped = 0;
    for (const e of this.entries) {
      if (e.state === 'exists') {
        skipped++;
        continue;
      }
      if (this.ctx.options.signal?.aborted)
        throw new StepFailure(
          `cancelled after ${created.length} objects of ${this.step.source}`,
          [...created].reverse(),
        );
      try {
        const stored = await createObject(this.ctx.cluster, e.obj, false);
        created.push(deleteCreated(this.ctx, stored));
        this.ctx.audit(e.label, 'create', 'applied', false);
        if (e.obj.kind === 'CustomResourceDefinition')
          for (const k of kindsDefined([e.obj])) this.ctx.cluster.forget(k.split('/').slice(0, 2).join('/'));
      } catch (err) {
        if (isAlreadyExists(err)) {
          skipped++;
          continue;
        }
        this.ctx.audit(e.label, 'create', `failed: ${lineOf(err)}`, false);
        throw new StepFailure(`creating ${e.label} failed: ${lineOf(err)}`, [...created].reverse());
      }
    }
    this.ctx.progress(
      `created ${created.length} object${created.length === 1 ? '' : 's'} from ${this.step.source}${skipped ? `; ${skipped} existed already and were left as they are` : ''}`,
    );
    return {
      status: 'applied',
      message: `created ${created.length} object${created.length === 1 ? '' : 's'} from ${this.step.source}`,
      undo: [...created].reverse(),
    };
  }
}

export async function prepareManifest(
  ctx: StepContext,
  step: Extract<FixStep, { action: 'apply-manifest' }>,
): Promise<Operation> {
  const label = `manifest ${step.source}`;
  try {
    const objects = await loadManifest(step.source, ctx.options.signal);
    const defined = kindsDefined(objects);
    const namespacesHere = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
    const namespaceExists = new Map<string, boolean>();
    const entries: Entry[] = [];
    for (const raw of objects) {
      const obj: KubeObject = { ...raw, metadata: { ...raw.metadata } };
      const ref = refOfObject(obj);
      const info = await ctx.cluster.resource(ref);
      if (!info) {
        if (!defined.has(`${obj.apiVersion}/${obj.kind}`)) {
          throw new StepFailure(
            `the API server does not serve ${obj.kind} (${obj.apiVersion}), and this manifest does not define it: install what provides it first`,
          );
        }
        entries.push({ obj, label: refLabel(ref), state: 'after', waitsFor: `kind ${obj.kind}` });
        continue;
      }
      if (info.namespaced && !obj.metadata.namespace) obj.metadata.namespace = ctx.defaultNamespace;
      const full = refOfObject(obj);
      const ns = info.namespaced ? obj.metadata.namespace : undefined;
      if (ns && namespacesHere.has(ns)) {
        if (!namespaceExists.has(ns))
          namespaceExists.set(ns, (await ctx.cluster.read({ kind: 'Namespace', name: ns })) !== undefined);
        if (!namespaceExists.get(ns)) {
          entries.push({ obj, label: refLabel(full), state: 'after', waitsFor: `namespace ${ns}` });
          continue;
        }
      }
      entries.push({ obj, label: refLabel(full), state: (await ctx.cluster.read(full)) ? 'exists' : 'create' });
    }
    for (const e of entries) if (e.state !== 'exists') ctx.created.add(refKeyOf(refOfObject(e.obj)));
    return new ManifestOperation(ctx, step, entries);
  } catch (e) {
    return new BrokenOperation(step, label, true, e as Error, commandFor(step));
  }
}
