// pods/create-container-config, plans: create what is missing (only the user knows its values),
// or mark the reference optional; wait for cert-manager when it is the one to create it.
import type { KubeObject, Pod } from '../../../src/model/k8s.js';
import type { Snapshot } from '../../../src/store/snapshot.js';
import type { FixPlan, FixStep, JsonPatchOp, RuleContext } from '../../../src/diagnose/types.js';
import type { ContainerGroup } from '../../../src/diagnose/container-rule.js';
import { refOf } from '../../../src/diagnose/evidence.js';
import { jsonPatchCommand, manualPlan, nsFlag } from '../../../src/diagnose/plans.js';
import {
  patchableWorkload,
  recreatePods,
  rollsPodsOnTemplateChange,
  templateContainer,
  templatePatchPlan,
} from '../../../src/diagnose/workload-plans.js';
import { containerRefs, sameRef, volumeRefs, type ConfigRef } from '../lib/config-refs.js';
import type { ConfigAnalysis, Missing } from './classify.js';
import { describeMissing, refPhrase } from './explain.js';
import { RULE_IDS } from '../../../src/diagnose/rule-ids.js';

function createCommand(m: Missing, refs: readonly ConfigRef[]): string {
  const keys = [...new Set(refs.map((r) => r.key).filter((k): k is string => k !== undefined))];
  // A reference to the whole object (envFrom, a volume without items) needs keys nobody named.
  const wholeObject = refs.length === 0 || refs.some((r) => r.key === undefined);
  const fromVolume = refs.length > 0 && refs.every((r) => r.via === 'volume');
  const sources = fromVolume
    ? [...keys.map((k) => `--from-file=${k}=<file>`), ...(wholeObject ? ['--from-file=<file>'] : [])]
    : [...keys.map((k) => `--from-literal=${k}=<value>`), ...(wholeObject ? ['--from-literal=<KEY>=<value>'] : [])];
  const what = m.kind === 'ConfigMap' ? `configmap ${m.name}` : `secret generic ${m.name}`;
  return `kubectl create ${what}${nsFlag(m.namespace)} ${sources.join(' ')}`;
}

function addKeyCommand(m: Missing): string {
  // Both are maps of strings, so a merge patch adds the key without touching the others;
  // stringData lets a Secret take the value in plain text and stores it encoded.
  const field = m.kind === 'ConfigMap' ? 'data' : 'stringData';
  return `kubectl patch ${m.kind.toLowerCase()} ${m.name}${nsFlag(m.namespace)} --type=merge -p '${JSON.stringify({ [field]: { [m.key!]: '<value>' } })}'`;
}

function createPlan(a: ConfigAnalysis): FixPlan {
  const m = a.missing!;
  const what = describeMissing(m);
  const command = a.variant === 'missing-key' ? addKeyCommand(m) : createCommand(m, a.refs);
  return manualPlan({
    id: a.variant === 'missing-key' ? 'add-missing-key' : `create-${m.kind.toLowerCase()}`,
    title: a.variant === 'missing-key' ? `Add key ${m.key} to ${m.kind} ${m.name}` : `Create ${what}`,
    explanation: `Only you know the ${m.kind === 'Secret' ? 'secret ' : ''}values the app expects; kcockpit never invents them. Once ${what} exists, the kubelet starts the container at its next retry.`,
    commands: [command],
    instructions: `Create ${what} in namespace ${m.namespace} with the values the app expects (the command shows the shape; replace the placeholders).`,
  });
}

/**
 * A JSON patch of the workload's template that changes each env/envFrom reference of the
 * analysis the same way (`opsFor` one reference, undefined when it cannot), behind a guard on
 * the container; undefined when the template does not hold the same references.
 */
function templateRefPatch(
  owner: KubeObject,
  a: ConfigAnalysis,
  opsFor: (templateRef: ConfigRef) => JsonPatchOp[] | undefined,
): { w: NonNullable<ReturnType<typeof patchableWorkload>>; ops: JsonPatchOp[] } | undefined {
  if (a.refs.length === 0 || a.refs.some((r) => r.via === 'volume')) return undefined;
  const w = patchableWorkload(owner);
  const tc = w ? templateContainer(w, a.site.name, a.site.init) : undefined;
  if (!w || !tc) return undefined;
  const templateRefs = containerRefs(tc.container, 'template', tc.pointer);
  const ops: JsonPatchOp[] = [tc.guard];
  for (const r of a.refs) {
    const t = templateRefs.find((x) => sameRef(x, r));
    const more = t && opsFor(t);
    if (!more) return undefined;
    ops.push(...more);
  }
  return { w, ops };
}

/** Mark env/envFrom references optional in the workload's template, when it has the same references. */
function optionalPlan(
  snapshot: Snapshot,
  owner: KubeObject,
  a: ConfigAnalysis,
  pods: readonly Pod[],
): FixPlan | undefined {
  const patch = templateRefPatch(owner, a, (t) => [
    { op: 'test', path: `${t.pointer}/name`, value: t.name },
    { op: 'add', path: `${t.pointer}/optional`, value: true },
  ]);
  if (!patch) return undefined;
  const { w, ops } = patch;
  const ref = refOf(w);
  const steps: FixStep[] = [
    {
      action: 'json-patch',
      ref,
      patch: ops,
      description: `Mark ${a.refs.map(refPhrase).join(', ')} optional in ${ref.kind} ${ref.name}.`,
    },
  ];
  const commands = [jsonPatchCommand(ref, ops)];
  if (!rollsPodsOnTemplateChange(w)) {
    const recreate = recreatePods(snapshot, pods, 'no longer requires it');
    steps.push(...recreate.steps);
    commands.push(...recreate.commands);
  }
  return {
    id: 'mark-reference-optional',
    title: `Let ${a.site.name} start without ${describeMissing(a.missing!)}`,
    explanation: `An optional reference lets the container start when the ${a.missing!.kind} or key is absent; the variable is then left unset. Choose this only if the app works without it.`,
    commands,
    steps,
    mutates: true,
  };
}

const OTHER_FIELD: Record<string, string> = {
  secretKeyRef: 'configMapKeyRef',
  configMapKeyRef: 'secretKeyRef',
  secretRef: 'configMapRef',
  configMapRef: 'secretRef',
};

/** Turn the references into references of the kind that exists (secretKeyRef → configMapKeyRef, or back). */
function switchKindPlan(
  snapshot: Snapshot,
  owner: KubeObject,
  a: ConfigAnalysis,
  pods: readonly Pod[],
): FixPlan | undefined {
  const m = a.missing;
  const o = a.otherKind;
  if (!m || !o) return undefined;
  const patch = templateRefPatch(owner, a, (t) => {
    const field = t.pointer.split('/').pop() ?? '';
    const other = OTHER_FIELD[field];
    if (!other) return undefined;
    const value = {
      name: t.name,
      ...(t.key !== undefined ? { key: t.key } : {}),
      ...(t.optional ? { optional: true } : {}),
    };
    return [
      { op: 'test', path: `${t.pointer}/name`, value: t.name },
      { op: 'remove', path: t.pointer },
      { op: 'add', path: `${t.pointer.slice(0, -field.length)}${other}`, value },
    ];
  });
  if (!patch) return undefined;
  const { w, ops } = patch;
  const ref = refOf(w);
  return templatePatchPlan(snapshot, owner, pods, {
    id: 'reference-existing-kind',
    title: `Read ${m.name} from the ${o.kind} that exists`,
    explanation: `${a.refs.map(refPhrase).join(', ')} ${a.refs.length === 1 ? 'names' : 'name'} a ${m.kind}; ${m.name} is a ${o.kind}. The values stay where they are; only the reference changes.`,
    change: {
      what: `Make ${a.refs.map(refPhrase).join(', ')} of ${a.site.name} in ${ref.kind} ${ref.name} read ${o.kind} ${m.name}.`,
      ops,
      helmHint: `the chart's value that references ${m.name}`,
    },
  });
}

/** Point the template's volume at the existing ConfigMap with the closest name. */
function useMeantPlan(
  snapshot: Snapshot,
  owner: KubeObject,
  a: ConfigAnalysis,
  pods: readonly Pod[],
): FixPlan | undefined {
  const m = a.missing;
  const w = patchableWorkload(owner);
  if (!a.meant || !m || a.variant !== 'missing-volume-source' || !w) return undefined;
  const ref = volumeRefs(w.spec.template.spec, 'spec.template.spec', '/spec/template/spec').find(
    (r) => r.volume === m.volume && r.kind === m.kind && r.name === m.name,
  );
  const volumePointer = ref?.pointer.match(/^\/spec\/template\/spec\/volumes\/\d+/)?.[0];
  if (!ref || !volumePointer) return undefined;
  return templatePatchPlan(snapshot, owner, pods, {
    id: 'use-existing-configmap',
    title: `Mount ConfigMap ${a.meant} instead of ${m.name}`,
    explanation: `ConfigMap ${m.name} does not exist and ${a.meant} does, with the closest name: pointing volume ${m.volume} at it lets the kubelet mount it. Check that it holds what the app expects.`,
    change: {
      what: `Point volume ${m.volume} of ${refOf(w).kind} ${refOf(w).name} at ConfigMap ${a.meant}`,
      ops: [
        { op: 'test', path: `${volumePointer}/name`, value: m.volume },
        { op: 'test', path: `${ref.pointer}/name`, value: m.name },
        { op: 'replace', path: `${ref.pointer}/name`, value: a.meant },
      ],
      helmHint: 'the chart value that names the ConfigMap',
    },
  });
}

export function configErrorPlans(group: ContainerGroup<ConfigAnalysis>, ctx: RuleContext): FixPlan[] {
  const { owner, lead: a, pods } = group;
  const snapshot = ctx.snapshot;
  const m = a.missing;
  if (a.resolvedNow) return [];
  if (a.certManager && m)
    return [
      manualPlan({
        id: 'install-cert-manager-first',
        title: `Let cert-manager create Secret ${m.name}`,
        explanation: a.certManager.groupMissing
          ? `The Secret is issued by cert-manager, which is not installed; installing it is the fix of the ${RULE_IDS.missingApiGroup} finding. Creating the Secret by hand would leave an unmanaged, never-renewed certificate.`
          : 'cert-manager is installed; the Certificate that writes this Secret is not ready yet.',
        commands: a.certManager.certificate
          ? [`kubectl describe certificate ${a.certManager.certificate}${nsFlag(m.namespace)}`]
          : [],
        instructions: `Install cert-manager (see the ${RULE_IDS.missingApiGroup} finding) or fix the Certificate; the pod starts once Secret ${m.name} exists.`,
      }),
    ];
  if (a.variant === 'run-as-non-root')
    return [
      manualPlan({
        id: 'run-as-non-root-user',
        title: `Run ${a.site.name} as a non-root user`,
        explanation: 'Which UID works depends on the image; kcockpit does not guess it.',
        commands: [`kubectl explain pod.spec.containers.securityContext.runAsUser`],
        instructions: `Set securityContext.runAsUser of ${a.site.name} to a non-zero UID the image supports, or use an image that runs as a non-root user.`,
      }),
    ];
  if (!m)
    return [
      manualPlan({
        id: 'inspect-config-error',
        title: `Read why ${a.site.name} cannot be created`,
        explanation: "The pod's events carry the kubelet's complete message.",
        commands: [`kubectl describe pod ${a.pod.metadata.name}${nsFlag(a.pod.metadata.namespace)}`],
        instructions: 'Read the Failed events of the pod and fix what they name.',
      }),
    ];
  const meant = useMeantPlan(snapshot, owner, a, pods);
  const optional = optionalPlan(snapshot, owner, a, pods);
  const switched = switchKindPlan(snapshot, owner, a, pods);
  return [...(switched ? [switched] : []), ...(meant ? [meant] : []), createPlan(a), ...(optional ? [optional] : [])];
}
