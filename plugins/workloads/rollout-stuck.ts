// A Deployment whose rollout is past its progress deadline: the controller marks it
// `Progressing=False` with reason `ProgressDeadlineExceeded` once the new ReplicaSet has made
// no progress for `progressDeadlineSeconds` (600 by default). The stall is the symptom; the
// cause is whatever keeps the new pods from existing or becoming available, so this finding
// depends on the new ReplicaSet and its pods and nests under their findings. Quiet within the
// deadline (a rollout that is merely slow) and while paused.
import type { KubeObject, Pod, Workload } from '../../src/model/k8s.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import type { Evidence, FixPlan, ObjectRef } from '../../src/diagnose/types.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { fieldEvidence, kubectlName, refOf } from '../../src/diagnose/evidence.js';
import { manualPlan, nsFlag } from '../../src/diagnose/plans.js';
import { isPodReady, podRef } from '../../src/diagnose/pod-facts.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';

const REVISION = 'deployment.kubernetes.io/revision';

interface Stuck extends Case {
  deployment: Workload;
  condition: { message?: string };
  /** The ReplicaSet of the current revision (the one that did not progress), when found. */
  newRs: Workload | undefined;
  /** Older ReplicaSets that still run pods: what serves while the rollout is stuck. */
  oldRs: Workload[];
  newPods: Pod[];
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function replicaSetsOf(snapshot: Snapshot, d: Workload): Workload[] {
  return snapshot.childrenOf(d).filter((o): o is Workload => o.kind === 'ReplicaSet');
}

/** The current revision's ReplicaSet: same revision annotation, else the one the condition names. */
function newReplicaSet(d: Workload, sets: readonly Workload[], message: string | undefined): Workload | undefined {
  const revision = d.metadata.annotations?.[REVISION];
  const byRevision = revision ? sets.find((rs) => rs.metadata.annotations?.[REVISION] === revision) : undefined;
  if (byRevision) return byRevision;
  const named = message ? /ReplicaSet "([^"]+)"/.exec(message)?.[1] : undefined;
  return named ? sets.find((rs) => rs.metadata.name === named) : undefined;
}

function cases(snapshot: Snapshot): Stuck[] {
  const out: Stuck[] = [];
  for (const d of snapshot.deployments) {
    const condition = (d.status?.conditions ?? []).find((c) => c?.type === 'Progressing');
    if (condition?.status !== 'False' || condition.reason !== 'ProgressDeadlineExceeded') continue;
    const sets = replicaSetsOf(snapshot, d);
    const newRs = newReplicaSet(d, sets, condition.message);
    const oldRs = sets.filter((rs) => rs !== newRs && num(rs.status?.replicas) > 0);
    const newPods = newRs ? snapshot.childrenOf(newRs).filter((o): o is Pod => o.kind === 'Pod') : [];
    out.push({
      subject: refOf(d),
      ...(newRs ? { objects: [refOf(newRs)] } : {}),
      deployment: d,
      condition,
      newRs,
      oldRs,
      newPods,
    });
  }
  return out;
}

function podsLine(pods: readonly Pod[], want: number): string {
  const ready = pods.filter(isPodReady).length;
  if (pods.length === 0) return `none of its ${want} pod${want === 1 ? '' : 's'} exists`;
  return `${ready} of its ${pods.length} pod${pods.length === 1 ? '' : 's'} ${pods.length === 1 || ready === 1 ? 'is' : 'are'} ready`;
}

function explain({ lead: s }: CaseGroup<Stuck>): Explained {
  const d = s.deployment;
  const ref = refOf(d);
  const want = d.spec.replicas ?? 1;
  const available = num(d.status?.availableReplicas);
  const serving = s.oldRs.reduce((n, rs) => n + num(rs.status?.availableReplicas), 0);
  const deadline = num((d.spec as { progressDeadlineSeconds?: number }).progressDeadlineSeconds) || 600;
  const newPart = s.newRs
    ? `Its new ReplicaSet ${s.newRs.metadata.name} made no progress for ${deadline} seconds (spec.progressDeadlineSeconds): ${podsLine(s.newPods, num(s.newRs.spec.replicas) || want)}. `
    : `The ReplicaSet the rollout waits for made no progress for ${deadline} seconds (spec.progressDeadlineSeconds). `;
  const oldPart =
    s.oldRs.length > 0
      ? `The previous ReplicaSet${s.oldRs.length > 1 ? 's' : ''} (${s.oldRs.map((rs) => rs.metadata.name).join(', ')}) still serve${s.oldRs.length > 1 ? '' : 's'} ${serving} available pod${serving === 1 ? '' : 's'}, so the app is up on the old version while the new one does not come up. `
      : available === 0
        ? `There is no older version to fall back on: none of the ${want} replicas is available. `
        : '';
  const evidence: Evidence[] = [
    fieldEvidence(d, 'status.conditions[type=Progressing].message', s.condition.message ?? 'ProgressDeadlineExceeded'),
    fieldEvidence(
      d,
      'status',
      `${want} desired, ${num(d.status?.updatedReplicas)} updated, ${available} available, ${num((d.status as { unavailableReplicas?: number } | undefined)?.unavailableReplicas)} unavailable`,
    ),
  ];
  const dependsOn: ObjectRef[] = s.newRs ? [refOf(s.newRs), ...s.newPods.map(podRef)] : [];
  return {
    severity: available === 0 ? 'critical' : 'warning',
    title: `${kubectlName(ref)}: rollout stuck past its progress deadline${s.oldRs.length > 0 ? ', the old version still serves' : ''}`,
    explanation:
      `Deployment ${ref.name}'s rollout has stopped making progress and Kubernetes has given up waiting (Progressing=False, ProgressDeadlineExceeded). ${newPart}${oldPart}` +
      'The deadline only reports the stall; it does not roll back. The reason is in the new pods: fix them (the findings this one is linked under say why), or roll back to the previous revision.',
    evidence,
    ...(dependsOn.length > 0 ? { dependsOn } : {}),
  };
}

function plans({ lead: s }: CaseGroup<Stuck>): FixPlan[] {
  const ref = refOf(s.deployment as KubeObject);
  const ns = nsFlag(ref.namespace);
  const out: FixPlan[] = [];
  if (s.oldRs.length > 0)
    out.push(
      manualPlan({
        id: 'rollout-undo',
        title: `Roll ${ref.name} back to the previous revision`,
        explanation:
          'Puts the template of the previous ReplicaSet back, which was working; the broken change is lost from the cluster (not from your manifests or chart), so fix it there before the next rollout.',
        commands: [`kubectl rollout history ${kubectlName(ref)}${ns}`, `kubectl rollout undo ${kubectlName(ref)}${ns}`],
      }),
    );
  out.push(
    manualPlan({
      id: 'watch-rollout',
      title: 'Fix the new pods, then watch the rollout finish',
      explanation:
        'Once the new pods can start and become ready, the Deployment progresses again by itself and the condition turns back to Progressing=True.',
      commands: [`kubectl describe ${kubectlName(ref)}${ns}`, `kubectl rollout status ${kubectlName(ref)}${ns}`],
    }),
  );
  return out;
}

export const rule = defineRule({
  id: RULE_IDS.rolloutStuck,
  title: 'Deployment rollout past its progress deadline',
  classify: ({ snapshot }) => cases(snapshot),
  explain,
  plans,
});
