// Fix plans that give pods registry credentials. Two facts shape them (STACK-NOTES):
// - ServiceAccount.imagePullSecrets has no merge strategy: a merge patch replaces the list,
//   so the list is appended to with a JSON patch (`add` at `/imagePullSecrets/-`), or
//   created with `add` guarded by a resourceVersion `test` when the field is absent.
// - The ServiceAccount admission plugin copies its pull secrets into a pod only when the
//   pod is created and only if the pod lists none of its own: existing pods are recreated,
//   and a pod template that lists its own secrets makes the ServiceAccount route useless.
import type { HelmRelease, KubeObject, Pod, ServiceAccount } from '../../../src/model/k8s.js';
import type { Snapshot } from '../../../src/store/snapshot.js';
import type { FixPlan, FixStep, JsonPatchOp } from '../../../src/diagnose/types.js';
import { pullSecretValue } from './helm-values.js';
import { registryLabel } from './image-ref.js';
import { helmUpgradeCommand, jsonPatchCommand, nsFlag } from '../../../src/diagnose/plans.js';
import { kubectlName, refOf } from '../../../src/diagnose/evidence.js';
import { patchableWorkload, recreatePods, rollsPodsOnTemplateChange } from '../../../src/diagnose/workload-plans.js';

export interface PullSecretSituation {
  snapshot: Snapshot;
  namespace: string;
  /** The pod's top owner (the pod itself when bare). */
  owner: KubeObject;
  /** The failing pods, recreated where a change only applies at pod creation. */
  pods: readonly Pod[];
  serviceAccountName: string;
  serviceAccount: ServiceAccount | undefined;
  /** The pull secret to use (created first when `createSecret`). */
  secretName: string;
  /** Registry host the image is pulled from (`docker.io`, `ghcr.io`). */
  registry: string;
  /** Registry key as kubectl writes it (`https://index.docker.io/v1/`). */
  server: string;
  createSecret: boolean;
  /** The pods' template lists pull secrets of its own, so the ServiceAccount's are never copied in. */
  templateListsOwnSecrets: boolean;
}

/** Names in a list of LocalObjectReferences, skipping malformed entries. */
export function refNames(refs: unknown): string[] {
  return Array.isArray(refs)
    ? refs.map((r) => (r as { name?: unknown } | null)?.name).filter((n): n is string => typeof n === 'string')
    : [];
}

export function createPullSecretStep(
  s: Pick<PullSecretSituation, 'namespace' | 'secretName' | 'server' | 'registry'>,
): { step: FixStep; command: string } {
  return {
    step: {
      action: 'create-pull-secret',
      namespace: s.namespace,
      name: s.secretName,
      server: s.server,
      description: `Create the pull secret ${s.secretName} (type kubernetes.io/dockerconfigjson) for ${registryLabel(s.registry)} in namespace ${s.namespace}. kcockpit asks for your username and an access token (hidden input), or reads them from ~/.docker/config.json when it holds them inline.`,
    },
    command: `kubectl create secret docker-registry ${s.secretName} --docker-server=${s.server} --docker-username=<user> --docker-password=<token>${nsFlag(s.namespace)}`,
  };
}

/**
 * A JSON patch that adds one entry to a list field: appended when the list exists; created
 * when absent, guarded by the object's resourceVersion so a list that appeared since the
 * snapshot is not overwritten. `initial` seeds a created list.
 */
function appendToList(
  obj: KubeObject,
  pointer: string,
  list: unknown,
  entry: unknown,
  initial: unknown[] = [],
): JsonPatchOp[] {
  if (Array.isArray(list)) return [{ op: 'add', path: `${pointer}/-`, value: entry }];
  const guard: JsonPatchOp[] = obj.metadata.resourceVersion
    ? [{ op: 'test', path: '/metadata/resourceVersion', value: obj.metadata.resourceVersion }]
    : [];
  return [...guard, { op: 'add', path: pointer, value: [...initial, entry] }];
}

/** The command a user would type: the resourceVersion guard only makes sense for the runner. */
function commandOps(ops: readonly JsonPatchOp[]): JsonPatchOp[] {
  return ops.filter((op) => !(op.op === 'test' && op.path === '/metadata/resourceVersion'));
}

function helmStep(release: HelmRelease, secret: string, where: string): { step: FixStep; command: string } {
  const value = pullSecretValue(release.values, release.chartName, secret);
  return {
    step: {
      action: 'manual',
      description: `${where} is managed by the Helm release ${release.name}, which does not know about this change: an upgrade that renders imagePullSecrets itself overwrites it. Record it in the release's values too (chart ${release.chartName ?? 'unknown'}; charts name this value differently, check its values.yaml): ${value.line}`,
    },
    command: helmUpgradeCommand(release, [value.set]),
  };
}

/** A plan's first step and command: create the pull secret, when it does not exist yet. */
function startWithSecret(s: PullSecretSituation): { steps: FixStep[]; commands: string[] } {
  if (!s.createSecret) return { steps: [], commands: [] };
  const c = createPullSecretStep(s);
  return { steps: [c.step], commands: [c.command] };
}

/** Attach the secret to the pods' ServiceAccount, then recreate the pods so they pick it up. */
function serviceAccountPlan(s: PullSecretSituation): FixPlan | undefined {
  const sa = s.serviceAccount;
  if (!sa || s.templateListsOwnSecrets) return undefined;
  const saRef = refOf(sa, 'ServiceAccount');
  const { steps, commands } = startWithSecret(s);
  const alreadyListed = refNames(sa.imagePullSecrets).includes(s.secretName);
  if (!alreadyListed) {
    const ops = appendToList(sa, '/imagePullSecrets', sa.imagePullSecrets, { name: s.secretName });
    steps.push({
      action: 'json-patch',
      ref: saRef,
      patch: ops,
      description: `Add ${s.secretName} to the imagePullSecrets of ServiceAccount ${s.serviceAccountName}, keeping any entries already there.`,
    });
    commands.push(jsonPatchCommand(saRef, commandOps(ops)));
  }
  const recreate = recreatePods(s.snapshot, s.pods, `gets ${s.secretName} from the ServiceAccount`);
  steps.push(...recreate.steps);
  commands.push(...recreate.commands);
  const release = s.snapshot.helmReleaseOf(sa);
  if (release && !alreadyListed) {
    const h = helmStep(release, s.secretName, `ServiceAccount ${s.serviceAccountName}`);
    steps.push(h.step);
    commands.push(h.command);
  }
  const what = alreadyListed
    ? `ServiceAccount ${s.serviceAccountName} already lists ${s.secretName}, but these pods were created before it did.`
    : `Every pod that runs as ServiceAccount ${s.serviceAccountName} gets its pull secrets, so this also covers future pods and other workloads using it.`;
  return {
    id: 'pull-secret-via-serviceaccount',
    title: alreadyListed
      ? `Recreate the pods so they get ${s.secretName} from ServiceAccount ${s.serviceAccountName}`
      : `Use ${s.secretName} through ServiceAccount ${s.serviceAccountName}, then recreate the pods`,
    explanation: `${what} A ServiceAccount's pull secrets are copied into a pod only when the pod is created (and only if the pod lists none of its own), so the failing pods are deleted and their controller creates new ones. The list is appended to with a JSON patch: a merge patch would replace pull secrets already there.`,
    commands,
    steps,
    mutates: true,
  };
}

/** Add the secret to the workload's pod template; new pods list it themselves. */
function podTemplatePlan(s: PullSecretSituation): FixPlan | undefined {
  const w = patchableWorkload(s.owner);
  if (!w) return undefined;
  const tplSecrets = w.spec.template.spec.imagePullSecrets;
  if (refNames(tplSecrets).includes(s.secretName)) return undefined;
  const ref = refOf(w);
  const { steps, commands } = startWithSecret(s);
  // A template that lists no secrets got the ServiceAccount's at pod creation; once it lists
  // its own those stop being copied, so they are carried over into the new list.
  const inherited = Array.isArray(tplSecrets)
    ? []
    : refNames(s.serviceAccount?.imagePullSecrets).filter((n) => n !== s.secretName);
  const ops = appendToList(
    w,
    '/spec/template/spec/imagePullSecrets',
    tplSecrets,
    { name: s.secretName },
    inherited.map((name) => ({ name })),
  );
  steps.push({
    action: 'json-patch',
    ref,
    patch: ops,
    description: `Add ${s.secretName} to the imagePullSecrets of ${ref.kind} ${ref.name}'s pod template${inherited.length ? ` (with ${inherited.join(', ')}, which the pods got from their ServiceAccount until now)` : ''}.`,
  });
  commands.push(jsonPatchCommand(ref, commandOps(ops)));
  let rollout: string;
  if (rollsPodsOnTemplateChange(w)) {
    rollout = `Changing the template makes ${ref.kind} ${ref.name} replace its pods with ones that use ${s.secretName}.`;
    commands.push(`kubectl rollout status ${kubectlName(ref)}${nsFlag(ref.namespace)}`);
  } else {
    rollout = `${ref.kind} ${ref.name} does not replace a pod that never became ready on its own, so the failing pods are deleted and recreated from the new template.`;
    const recreate = recreatePods(s.snapshot, s.pods, `lists ${s.secretName}`);
    steps.push(...recreate.steps);
    commands.push(...recreate.commands);
  }
  const release = s.snapshot.helmReleaseOf(w);
  if (release) {
    const h = helmStep(release, s.secretName, `${ref.kind} ${ref.name}`);
    steps.push(h.step);
    commands.push(h.command);
  }
  const why = s.templateListsOwnSecrets
    ? `The pod template lists pull secrets of its own, so Kubernetes never copies the ServiceAccount's into these pods: the secret has to go into the template.`
    : `This changes only this workload, not others that share ServiceAccount ${s.serviceAccountName}.`;
  return {
    id: 'pull-secret-via-pod-template',
    title: `Add ${s.secretName} to ${ref.kind} ${ref.name}'s pod template`,
    explanation: `${why} ${rollout}${release ? ` Helm manages this workload: record the change in the release's values too, or an upgrade that renders imagePullSecrets overwrites it.` : ''}`,
    commands,
    steps,
    mutates: true,
  };
}

/** The ServiceAccount route first (it covers future workloads too) unless it cannot work. */
export function pullSecretPlans(s: PullSecretSituation): FixPlan[] {
  return [serviceAccountPlan(s), podTemplatePlan(s)].filter((p): p is FixPlan => p !== undefined);
}
