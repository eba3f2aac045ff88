// Fix-plan building blocks about the workload behind a pod: where a container sits in its
// pod template, patches against it, recreating pods, and the Helm caveat.
//
// Patches address containers by index with a `test` of the name first: a JSON merge patch
// would replace the whole containers list, and a JSON patch without the test could land on
// another container if the template changed since the snapshot.
import type { Container, KubeObject, Pod, Workload } from '../model/k8s.js';
import type { FixPlan, FixStep, JsonPatchOp } from '../model/fix-plan.js';
import type { Snapshot } from '../store/snapshot.js';
import { kubectlName, refOf } from './evidence.js';
import { podRef } from './pod-facts.js';
import { helmUpgradeCommand, jsonPatchCommand, nsFlag } from './plans.js';

// Job templates are immutable and ReplicaSets do not roll their pods, so only these get template patches.
const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/** The owner as a workload whose pod template can be patched, or undefined. */
export function patchableWorkload(owner: KubeObject): Workload | undefined {
  if (!TEMPLATE_KINDS.has(owner.kind ?? '')) return undefined;
  const w = owner as Workload;
  return w.spec?.template?.spec && typeof w.spec.template.spec === 'object' ? w : undefined;
}

/**
 * Whether patching the template replaces the pods without help. StatefulSets are recreated
 * by hand either way: the controller waits for a broken pod to become Ready before it
 * replaces anything ("forced rollback" in the StatefulSet docs).
 */
export function rollsPodsOnTemplateChange(w: Workload): boolean {
  if (w.kind === 'StatefulSet') return false;
  return w.spec.updateStrategy?.type !== 'OnDelete';
}

export interface TemplateContainer {
  container: Container;
  /** JSON pointer, e.g. `/spec/template/spec/containers/0`. */
  pointer: string;
  /** Guards the patch: fails it if the index no longer names this container. */
  guard: JsonPatchOp;
}

/** A container of the workload's pod template, with the pointer and guard a patch of it needs. */
export function templateContainer(workload: Workload, name: string, init: boolean): TemplateContainer | undefined {
  const field = init ? 'initContainers' : 'containers';
  const list = workload.spec.template.spec[field];
  if (!Array.isArray(list)) return undefined;
  const index = list.findIndex((c) => c?.name === name);
  if (index < 0) return undefined;
  const pointer = `/spec/template/spec/${field}/${index}`;
  return { container: list[index]!, pointer, guard: { op: 'test', path: `${pointer}/name`, value: name } };
}

export interface StepsWithCommands {
  steps: FixStep[];
  commands: string[];
}

/**
 * Recreate pods so a change that only applies at pod creation takes effect. A pod with a
 * controller is deleted and the controller makes a new one; a bare pod has nobody to
 * recreate it, so that is left to the user with the commands that do it.
 */
export function recreatePods(snapshot: Snapshot, pods: readonly Pod[], why: string): StepsWithCommands {
  const out: StepsWithCommands = { steps: [], commands: [] };
  for (const pod of pods) {
    const ref = podRef(pod);
    const name = pod.metadata.name;
    const controller = snapshot.ownerChain(pod)[0];
    if (controller) {
      out.steps.push({
        action: 'delete',
        ref,
        description: `Delete pod ${name}; its ${controller.kind ?? 'controller'} ${controller.metadata.name} creates a replacement that ${why}.`,
      });
      out.commands.push(`kubectl delete pod ${name}${nsFlag(ref.namespace)}`);
    } else {
      out.steps.push({
        action: 'manual',
        description: `Pod ${name} has no controller, so nothing recreates it after a delete: save its manifest, then replace it so the new pod ${why}.`,
      });
      out.commands.push(
        `kubectl get pod ${name}${nsFlag(ref.namespace)} -o yaml > ${name}.yaml`,
        `kubectl replace --force -f ${name}.yaml`,
      );
    }
  }
  return out;
}

export interface TemplateChange {
  /** The patch step's description: what changes, in which workload. */
  what: string;
  ops: JsonPatchOp[];
  /** A friendlier kubectl command with the same effect, when there is one. */
  command?: string;
  /** `--set` for the Helm value that holds the same setting, when the user's values set it. */
  helmSet?: string;
  /** Where the setting lives in the chart's values, for the Helm caveat. */
  helmHint: string;
}

export interface TemplatePatchPlanInput {
  id: string;
  title: string;
  explanation: string;
  change: TemplateChange;
}

/**
 * A JSON patch of the owner's pod template, then the rollout (or, where the controller does
 * not replace broken pods, their recreation), and the Helm caveat when a release manages the
 * workload. Undefined when the owner has no template kcockpit can patch.
 */
export function templatePatchPlan(
  snapshot: Snapshot,
  owner: KubeObject,
  pods: readonly Pod[],
  input: TemplatePatchPlanInput,
): FixPlan | undefined {
  const w = patchableWorkload(owner);
  if (!w) return undefined;
  const { change } = input;
  const ref = refOf(w);
  const steps: FixStep[] = [{ action: 'json-patch', ref, patch: change.ops, description: change.what }];
  const commands = [change.command ?? jsonPatchCommand(ref, change.ops)];
  if (rollsPodsOnTemplateChange(w)) commands.push(`kubectl rollout status ${kubectlName(ref)}${nsFlag(ref.namespace)}`);
  else {
    const recreate = recreatePods(snapshot, pods, 'uses the new settings');
    steps.push(...recreate.steps);
    commands.push(...recreate.commands);
  }
  const release = snapshot.helmReleaseOf(w);
  if (release) {
    steps.push({
      action: 'manual',
      description: `${ref.kind} ${ref.name} is managed by the Helm release ${release.name}: record the change in its values too, or the next upgrade may undo it (${change.helmHint}).`,
    });
    if (change.helmSet) commands.push(helmUpgradeCommand(release, [change.helmSet]));
  }
  return { id: input.id, title: input.title, explanation: input.explanation, commands, steps, mutates: true };
}
