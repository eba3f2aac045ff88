// Fix-plan building blocks about the workload behind a pod: where a container sits in its
// pod template, JSON patches against it, recreating pods, and Helm hints.
//
// Patches address containers by index with a `test` of the name first: a JSON merge patch
// would replace the whole containers list, and a JSON patch without the test could land on
// another container if the template changed since the snapshot.
import type { Container, HelmRelease, KubeObject, Pod, Workload } from '../../../src/model/k8s.js';
import type { Snapshot } from '../../../src/store/snapshot.js';
import type { FixStep, JsonPatchOp, ObjectRef } from '../../../src/diagnose/types.js';
import { nsFlag } from '../../../src/diagnose/evidence.js';
import { podRef } from './pod-facts.js';

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

export function templateContainer(workload: Workload, name: string, init: boolean): TemplateContainer | undefined {
  const field = init ? 'initContainers' : 'containers';
  const list = workload.spec.template.spec[field];
  if (!Array.isArray(list)) return undefined;
  const index = list.findIndex((c) => c?.name === name);
  if (index < 0) return undefined;
  const pointer = `/spec/template/spec/${field}/${index}`;
  return { container: list[index]!, pointer, guard: { op: 'test', path: `${pointer}/name`, value: name } };
}

/** Single quotes for a shell argument, closing and reopening around embedded quotes. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `kubectl patch <kind> <name> -n <ns> --type=json -p '<ops>'` */
export function jsonPatchCommand(ref: ObjectRef, ops: readonly JsonPatchOp[]): string {
  return `kubectl patch ${ref.kind.toLowerCase()} ${ref.name}${nsFlag(ref.namespace)} --type=json -p ${shellQuote(JSON.stringify(ops))}`;
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
