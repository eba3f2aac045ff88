// Pods the scheduler cannot place. The scheduler's own verdict (the newest FailedScheduling
// event, else the PodScheduled condition) says why per node; this rule picks the reason that
// actually blocks the pod, explains it with the cluster's numbers, and groups the pods of one
// workload into one finding per cause.
import type { KubeObject, Pod } from '../../src/model/k8s.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import type { Evidence, ObjectRef, RuleContext } from '../../src/diagnose/types.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import {
  parseSchedulerMessage,
  type ScheduleReason,
  type ScheduleReasonKind,
  type SchedulerMessage,
} from '../../src/diagnose/scheduler-message.js';
import { isControlPlaneTaint, matchesNodeSelection } from './lib/placement.js';
import { isUnscheduled, readSchedulerVerdict } from './lib/verdict.js';
import { listNames, type CauseReport, type PendingGroup } from './lib/cause.js';
import { explainInsufficient, explainTooManyPods } from './lib/cause-capacity.js';
import { explainTaint } from './lib/cause-taints.js';
import { explainCordoned, explainNoNodes, explainNodeSelection } from './lib/cause-nodes.js';
import { explainUnboundClaim, explainVolumeNodeAffinity } from './lib/cause-volumes.js';
import { explainAffinity, explainAntiAffinity } from './lib/cause-affinity.js';
import { durationWords } from '../../src/util/duration.js';
import { clip, fieldEvidence, kubectlName, refOf } from '../../src/diagnose/evidence.js';
import { byName, isPodReady } from '../../src/diagnose/pod-facts.js';
import { manualPlan } from '../../src/diagnose/plans.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';

/** The scheduler usually answers within seconds; a pod younger than this without a verdict is just new. */
const BRIEFLY_PENDING_MS = 30_000;

type Cause = ScheduleReasonKind | 'no-nodes' | 'not-scheduled';

interface Verdict {
  pod: Pod;
  cause: Cause;
  message: SchedulerMessage;
  reason?: ScheduleReason;
  /** Where the verdict was read: the event or the condition. */
  evidence?: Evidence;
}

// Which reason blocks the pod when nodes fail for several: capacity and conflicts on the nodes
// the pod wants come before the filters that merely exclude nodes it never wanted (taints on
// control-plane nodes, other nodes' labels).
const RANK: Record<ScheduleReasonKind, number> = {
  'unbound-pvc': 0,
  'insufficient-cpu': 1,
  'insufficient-memory': 1,
  'insufficient-resource': 1,
  'too-many-pods': 1,
  'pod-anti-affinity': 2,
  'pod-affinity': 2,
  'volume-node-affinity': 2,
  other: 2,
  taint: 3,
  'unschedulable-node': 3,
  'node-affinity': 3,
};

function dominantReason(snapshot: Snapshot, pod: Pod, reasons: readonly ScheduleReason[]): ScheduleReason | undefined {
  const nodesKnown = snapshot.nodes.length > 0;
  // With the nodes at hand, node selection is the cause exactly when no node matches it.
  const selectsNoNode = nodesKnown && !snapshot.nodes.some((n) => matchesNodeSelection(pod.spec, n));
  // Without them, the scheduler's filter order decides: it counts each node under the first
  // filter that refuses it (NodeUnschedulable, then TaintToleration, then NodeAffinity), so
  // nodes counted under node affinity are untainted nodes the pod does not want, while a
  // cordoned or tainted node may be the one it does. A control-plane taint is rarely that one.
  const rank = (r: ScheduleReason): number => {
    if (r.kind === 'node-affinity') return selectsNoNode ? -1 : nodesKnown ? 4 : 3.5;
    if (!nodesKnown && r.kind === 'taint' && r.taint && isControlPlaneTaint(r.taint.key)) return 3.75;
    return RANK[r.kind];
  };
  return [...reasons].sort((a, b) => rank(a) - rank(b) || b.count - a.count)[0];
}

function verdictFor(snapshot: Snapshot, pod: Pod, now: number): Verdict | undefined {
  const read = readSchedulerVerdict(snapshot, pod);
  if (read === 'placed') return undefined;
  const text = read?.text;
  const evidence = read?.evidence;

  if (text === undefined) {
    const created = Date.parse(pod.metadata.creationTimestamp ?? '');
    if (Number.isNaN(created) || now - created < BRIEFLY_PENDING_MS) return undefined;
    return { pod, cause: 'not-scheduled', message: parseSchedulerMessage('') };
  }
  const message = parseSchedulerMessage(text);
  if (message.noNodes) return withEvidence({ pod, cause: 'no-nodes', message }, evidence);
  const reason = dominantReason(snapshot, pod, message.reasons);
  const verdict: Verdict = { pod, cause: reason?.kind ?? 'other', message };
  if (reason) verdict.reason = reason;
  return withEvidence(verdict, evidence);
}

function withEvidence(v: Verdict, evidence: Evidence | undefined): Verdict {
  if (evidence) v.evidence = evidence;
  return v;
}

function explainNotScheduled(group: PendingGroup): CauseReport {
  const scheduler = group.sample.spec?.schedulerName ?? 'default-scheduler';
  const custom = scheduler !== 'default-scheduler';
  const description = custom
    ? `The pod asks for scheduler "${scheduler}" (spec.schedulerName). If no scheduler of that name runs in this cluster, nothing will ever place it: install that scheduler, or remove schedulerName from the pod template.`
    : 'The kube-scheduler may be down: check its pod with `kubectl get pods -n kube-system -l component=kube-scheduler` and its logs.';
  return {
    title: custom ? `no scheduler named "${scheduler}" has picked it up` : 'no scheduler has picked it up',
    explanation: `No scheduler has tried to place it: there is no FailedScheduling event and no PodScheduled condition. ${description}`,
    evidence: [fieldEvidence(group.sample, 'spec.schedulerName', scheduler, 'spec')],
    fixes: [
      manualPlan({
        id: 'check-scheduler',
        title: custom ? `Check scheduler ${scheduler}` : 'Check the kube-scheduler',
        explanation: description,
        commands: ['kubectl get pods -n kube-system -l component=kube-scheduler'],
      }),
    ],
  };
}

function explainOther(group: PendingGroup): CauseReport {
  const reason = group.reason?.reason ?? 'no reason given';
  return {
    title: clip(reason, 120),
    explanation: `The scheduler's reason is "${clip(reason, 500)}". kcockpit has no explanation of its own for it; \`kubectl describe pod ${group.sample.metadata.name}\` shows the full event history.`,
    evidence: [],
    fixes: [],
  };
}

function explain(group: PendingGroup, cause: Cause): CauseReport {
  switch (cause) {
    case 'insufficient-cpu':
      return explainInsufficient(group, 'cpu');
    case 'insufficient-memory':
      return explainInsufficient(group, 'memory');
    case 'insufficient-resource':
      return explainInsufficient(group, group.reason?.resource ?? 'unknown');
    case 'too-many-pods':
      return explainTooManyPods(group);
    case 'taint':
      return explainTaint(group);
    case 'node-affinity':
      return explainNodeSelection(group);
    case 'unschedulable-node':
      return explainCordoned(group);
    case 'no-nodes':
      return explainNoNodes(group);
    case 'unbound-pvc':
      return explainUnboundClaim(group);
    case 'volume-node-affinity':
      return explainVolumeNodeAffinity(group);
    case 'pod-anti-affinity':
      return explainAntiAffinity(group);
    case 'pod-affinity':
      return explainAffinity(group);
    case 'not-scheduled':
      return explainNotScheduled(group);
    case 'other':
      return explainOther(group);
  }
}

function ownerHasReadyPods(snapshot: Snapshot, owner: KubeObject, pod: Pod): boolean {
  if (owner === pod) return false;
  return snapshot.podsIn(pod.metadata.namespace ?? '').some((p) => isPodReady(p) && snapshot.topOwner(p) === owner);
}

/** "Pod big has" / "2 pods of statefulset/db (db-1, db-2) have". */
function whoIsPending(group: PendingGroup): string {
  const names = group.pods.map((p) => p.metadata.name);
  if (group.owner === group.sample) return `Pod ${names[0]} has`;
  return `${names.length === 1 ? `Pod ${names[0]} of` : `${names.length} pods of`} ${kubectlName(group.ownerRef)}${names.length > 1 ? ` (${listNames(names, 4)})` : ''} ${names.length === 1 ? 'has' : 'have'}`;
}

function perNodeBreakdown(message: SchedulerMessage): string {
  if (message.reasons.length < 2) return '';
  const parts = message.reasons.slice(0, 6).map((r) => `${r.count} ${clip(r.reason, 120)}`);
  return ` Per node, the scheduler found: ${parts.join('; ')}.`;
}

/** One Pending pod and the scheduler's verdict on it; the pods of one owner with one cause make one finding. */
interface PendingCase extends Case {
  verdict: Verdict;
  owner: KubeObject;
}

function ownerRefOf(owner: KubeObject, pod: Pod): ObjectRef {
  return owner === pod ? refOf(pod, 'Pod') : refOf(owner);
}

function* classify({ snapshot, now }: RuleContext): Iterable<PendingCase> {
  for (const pod of snapshot.pods) {
    if (!isUnscheduled(pod)) continue;
    const verdict = verdictFor(snapshot, pod, now);
    if (!verdict) continue;
    const owner = snapshot.topOwner(pod);
    yield {
      subject: ownerRefOf(owner, pod),
      detail:
        verdict.cause === 'insufficient-resource'
          ? `${verdict.cause}-${verdict.reason?.resource ?? ''}`
          : verdict.cause,
      verdict,
      owner,
    };
  }
}

// The explanation of a group is worked out once and read by both explain and plans.
const reports = new WeakMap<CaseGroup<PendingCase>, { group: PendingGroup; report: CauseReport }>();

function reportOf(cases: CaseGroup<PendingCase>, snapshot: Snapshot): { group: PendingGroup; report: CauseReport } {
  const known = reports.get(cases);
  if (known) return known;
  const { lead } = cases;
  const group: PendingGroup = {
    snapshot,
    owner: lead.owner,
    ownerRef: cases.subject,
    pods: byName(cases.cases.map((c) => c.verdict.pod)),
    sample: lead.verdict.pod,
    message: lead.verdict.message,
  };
  if (lead.verdict.reason) group.reason = lead.verdict.reason;
  const release = snapshot.helmReleaseOf(lead.owner);
  if (release) group.release = release;
  const made = { group, report: explain(group, lead.verdict.cause) };
  reports.set(cases, made);
  return made;
}

function explainGroup(cases: CaseGroup<PendingCase>, ctx: RuleContext): Explained {
  const { group, report } = reportOf(cases, ctx.snapshot);
  const cause = cases.lead.verdict.cause;
  const oldest = Math.min(
    ...group.pods.map((p) => Date.parse(p.metadata.creationTimestamp ?? '')).filter((t) => !Number.isNaN(t)),
  );
  const since = Number.isFinite(oldest) ? ` for ${durationWords(ctx.now - oldest)}` : '';
  const them = group.pods.length === 1 ? 'it' : 'them';
  const happened =
    cause === 'not-scheduled'
      ? `${whoIsPending(group)} been Pending${since}.`
      : `${whoIsPending(group)} been Pending${since}: the scheduler found no node for ${them}.${perNodeBreakdown(group.message)}`;
  const evidence = cases.lead.verdict.evidence;
  const severity =
    cause === 'not-scheduled' || ownerHasReadyPods(ctx.snapshot, group.owner, group.sample) ? 'warning' : 'critical';
  const who =
    group.owner === group.sample
      ? kubectlName(group.ownerRef)
      : `${kubectlName(group.ownerRef)}: ${group.pods.length === 1 ? `pod ${group.sample.metadata.name}` : `${group.pods.length} pods`}`;
  return {
    severity,
    title: `${who} Pending — ${report.title}`,
    explanation: `${happened} ${report.explanation}`,
    evidence: [...(evidence ? [evidence] : []), ...report.evidence],
    objects: [...group.pods.map((p) => refOf(p, 'Pod')), ...(report.objects ?? [])],
  };
}

export const rule = defineRule<PendingCase>({
  id: RULE_IDS.pending,
  title: 'Pods the scheduler cannot place',
  classify,
  // The explanation quotes the first pod by name, whatever order the pods were listed in.
  lead(cases) {
    const first = byName(cases.map((c) => c.verdict.pod))[0];
    return cases.find((c) => c.verdict.pod === first)!;
  },
  explain: explainGroup,
  plans: (cases, ctx) => reportOf(cases, ctx.snapshot).report.fixes,
});
