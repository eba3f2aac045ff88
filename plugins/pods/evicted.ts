// pods/evicted: pods the kubelet evicted (status.phase Failed, reason Evicted) — because the
// node ran low on disk, memory or process ids, or because a pod went over its own
// ephemeral-storage limit (a container's limit, the pod's total, an emptyDir's sizeLimit).
// Evicted pods stay behind as records until deleted; their controller replaces them. So the
// finding is one per workload and cause, however many pods: critical while nothing replaced
// them (or a bare pod, which nobody recreates), a warning once ready replacements serve — and
// for a limit of the pod's own, a warning that the replacements will fill up the same way.
// While the node is still under pressure, nodes/pressure explains these pods and this finding
// nests under it.
import type { Job, KubeEvent, KubeObject, Pod, Workload } from '../../src/model/k8s.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import type { Evidence, FixPlan, RuleContext, Severity } from '../../src/diagnose/types.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { eventsEvidence, fieldEvidence, kubectlName, refOf } from '../../src/diagnose/evidence.js';
import { manualPlan, nsFlag } from '../../src/diagnose/plans.js';
import {
  byName,
  isPodReady,
  isTerminating,
  podContainers,
  podEvents,
  podRef,
  subjectRef,
} from '../../src/diagnose/pod-facts.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';
import { patchableWorkload, templateContainer, templatePatchPlan } from '../../src/diagnose/workload-plans.js';
import { durationWords } from '../../src/util/duration.js';
import { evictionVariant, isEvicted, parseEviction, type EvictionCause } from './lib/eviction.js';
import { doubledSize } from './lib/sizes.js';

/** Evictions older than this, of a workload that serves again, are history: said, but as info. */
const HISTORY_MS = 24 * 60 * 60 * 1000;

interface EvictedCase extends Case {
  pod: Pod;
  owner: KubeObject;
  cause: EvictionCause;
  /** When the kubelet evicted it, as well as the pod's status and events tell. */
  at: number | undefined;
  events: KubeEvent[];
}

function evictedAt(pod: Pod, events: readonly KubeEvent[]): number | undefined {
  const times = [
    ...events.map((e) => e.lastTimestamp ?? e.eventTime),
    ...(Array.isArray(pod.status?.conditions) ? pod.status.conditions : [])
      .filter((c) => c?.type === 'DisruptionTarget')
      .map((c) => c.lastTransitionTime),
    ...(Array.isArray(pod.status?.containerStatuses) ? pod.status.containerStatuses : []).map(
      (s) => s?.state?.terminated?.finishedAt,
    ),
  ]
    .map((t) => Date.parse(t ?? ''))
    .filter(Number.isFinite);
  return times.length > 0 ? Math.max(...times) : undefined;
}

/** The pod's Job, when a Job runs it. */
function jobOf(snapshot: Snapshot, pod: Pod): Job | undefined {
  const controller = snapshot.ownerChain(pod)[0];
  return controller?.kind === 'Job' ? (controller as Job) : undefined;
}

/** A Job that finished (Complete or Failed) has told its story; its evicted pods are history (jobs/failed tells a failure). */
function finishedJob(job: Job | undefined): boolean {
  const conditions = Array.isArray(job?.status?.conditions) ? job.status.conditions : [];
  return conditions.some((c) => (c?.type === 'Complete' || c?.type === 'Failed') && c.status === 'True');
}

function* classify({ snapshot }: RuleContext): Iterable<EvictedCase> {
  for (const pod of byName(snapshot.pods)) {
    if (!isEvicted(pod) || isTerminating(pod) || finishedJob(jobOf(snapshot, pod))) continue;
    const owner = snapshot.topOwner(pod);
    const cause = parseEviction(pod.status?.message ?? '');
    const events = podEvents(snapshot, pod).filter((e) => e.reason === 'Evicted');
    yield {
      subject: subjectRef(owner, [pod]),
      detail: evictionVariant(cause),
      objects: [podRef(pod)],
      pod,
      owner,
      cause,
      at: evictedAt(pod, events),
      events,
    };
  }
}

/** The owner's pods that serve now (not evicted, ready); for a Job, the pods that run its work now. */
function replacements(snapshot: Snapshot, owner: KubeObject, evicted: readonly Pod[]): Pod[] {
  if (evicted.includes(owner as Pod)) return [];
  const job = evicted[0] ? jobOf(snapshot, evicted[0]) : undefined;
  return snapshot
    .podsIn(owner.metadata.namespace ?? '')
    .filter(
      (p) =>
        !isEvicted(p) &&
        !isTerminating(p) &&
        snapshot.topOwner(p) === owner &&
        (job ? p.status?.phase === 'Running' || p.status?.phase === 'Pending' : isPodReady(p)),
    );
}

function causePhrase(c: EvictionCause, node: string | undefined): string {
  const on = node ? `node ${node}` : 'the node';
  switch (c.kind) {
    case 'node-low':
      return `${on} ran low on ${c.resource === 'memory' ? 'memory' : c.resource === 'pids' ? 'process ids' : `disk (${c.resource})`}`;
    case 'container-limit':
      return `container ${c.container} went over its ephemeral-storage limit of ${c.limit}`;
    case 'pod-limit':
      return `the pod's disk use went over its containers' total ephemeral-storage limit of ${c.limit}`;
    case 'emptydir-limit':
      return `emptyDir volume ${c.volume} went over its sizeLimit of ${c.limit}`;
    case 'node-condition':
      return `${on} had condition ${c.condition}`;
    case 'unknown':
      return 'the kubelet needed the room back';
  }
}

function podCount(n: number): string {
  return n === 1 ? '1 pod' : `${n} pods`;
}

function ownerName(group: CaseGroup<EvictedCase>): string {
  const s = group.subject;
  return s.kind === 'Pod' ? `pod ${s.name}` : `${s.kind} ${s.name}`;
}

function severityOf(group: CaseGroup<EvictedCase>, ready: number, now: number): Severity {
  if (ready === 0) return 'critical';
  const last = Math.max(...group.cases.map((c) => c.at ?? 0));
  return last > 0 && now - last > HISTORY_MS ? 'info' : 'warning';
}

function whatToDo(c: EvictionCause): string {
  switch (c.kind) {
    case 'node-low': {
      const top = c.users[0];
      const who = top
        ? ` Container ${top.container} was using ${top.using} against a request of ${top.request}: the kubelet evicts first the pods furthest over their requests.`
        : '';
      if (c.resource === 'memory')
        return `${who} Give the container a memory request that matches its use (and a limit), so the scheduler reserves it, or add memory to the nodes.`;
      if (c.resource === 'pids') return `${who} Find what starts so many processes or threads on the node.`;
      return `${who} Set an ephemeral-storage request and limit on the containers that write to their own filesystem or to emptyDir volumes, so the scheduler accounts for it and one pod cannot fill the node; move data that grows to a PersistentVolumeClaim; and see what else fills the node's disk (images, logs).`;
    }
    case 'container-limit':
      return ` The limit is the container's own (resources.limits.ephemeral-storage: its writable layer, logs and emptyDir volumes), so its replacements are evicted again when they reach it. Raise the limit if the use is expected, or write less (clean up temporary files, send logs to stdout, use a PersistentVolumeClaim for data).`;
    case 'pod-limit':
      return ` The limit is the pod's own (the sum of its containers' ephemeral-storage limits), so its replacements are evicted again when they reach it. Raise the limits if the use is expected, or write less.`;
    case 'emptydir-limit':
      return ` The limit is the volume's own sizeLimit, so its replacements are evicted again when they fill it. Raise the sizeLimit if the use is expected, clean the volume up as the app runs, or use a PersistentVolumeClaim.`;
    case 'node-condition':
    case 'unknown':
      return ' kubectl describe node shows what the node was short of.';
  }
}

function explain(group: CaseGroup<EvictedCase>, { snapshot, now }: RuleContext): Explained {
  const lead = group.lead;
  const pods = group.cases.map((c) => c.pod);
  const node = lead.pod.spec?.nodeName;
  const ready = replacements(snapshot, lead.owner, pods);
  const last = Math.max(...group.cases.map((c) => c.at ?? 0));
  const ago = last > 0 ? ` (the last ${durationWords(now - last)} ago)` : '';
  const bare = pods.includes(lead.owner as Pod);
  const served = bare
    ? 'A bare pod has no controller to recreate it: it is gone until someone creates it again.'
    : ready.length > 0
      ? `${ownerName(group)} has replaced them: ${podCount(ready.length)} ready now. The evicted pods stay behind as records (kubectl get pods shows them as Evicted) until they are deleted.`
      : `${ownerName(group)} has no ready pod now: its replacements have not come up.`;
  const evidence: Evidence[] = [
    ...(lead.pod.status?.message ? [fieldEvidence(lead.pod, 'status.message', lead.pod.status.message)] : []),
    fieldEvidence(lead.pod, 'status.reason', 'Evicted'),
    ...eventsEvidence(
      group.cases.flatMap((c) => c.events),
      2,
    ),
  ];
  if (lead.cause.kind === 'container-limit') {
    const containers = podContainers(lead.pod, false);
    const i = containers.findIndex((c) => c?.name === (lead.cause as { container: string }).container);
    const limit = containers[i]?.resources?.limits?.['ephemeral-storage'];
    if (i >= 0 && limit)
      evidence.push(fieldEvidence(lead.pod, `spec.containers[${i}].resources.limits.ephemeral-storage`, limit, 'spec'));
  }
  if (!bare)
    evidence.push({
      source: 'status',
      ref: refOf(lead.owner),
      text: `${ready.length} ready pod${ready.length === 1 ? '' : 's'}`,
    });
  return {
    severity: severityOf(group, ready.length, now),
    title: `${podCount(pods.length)} of ${ownerName(group)} evicted: ${causePhrase(lead.cause, node)}${!bare && ready.length > 0 ? ` (replaced, ${ready.length} ready)` : ''}`,
    explanation: `The kubelet${node ? ` on ${node}` : ''} evicted ${pods.length === 1 ? `pod ${lead.pod.metadata.name}` : podCount(pods.length)}${ago} because ${causePhrase(lead.cause, node)}: "${lead.pod.status?.message?.trim() ?? ''}". Eviction stops the pod's containers and marks it Failed to take the ${lead.cause.kind === 'node-low' && lead.cause.resource === 'memory' ? 'memory' : 'disk space'} back. ${served}${whatToDo(lead.cause)}`,
    evidence,
  };
}

/** Raise the limit the pod went over, in the workload's template, when the template still holds that limit. */
function raiseLimitPlan(snapshot: Snapshot, group: CaseGroup<EvictedCase>): FixPlan | undefined {
  const { owner, cause } = group.lead;
  const w = patchableWorkload(owner);
  if (!w) return undefined;
  const ref = refOf(w);
  const pods = group.cases.map((c) => c.pod);
  if (cause.kind === 'container-limit') {
    const tc = templateContainer(w, cause.container, false);
    const now = tc?.container.resources?.limits?.['ephemeral-storage'];
    const next = doubledSize(cause.limit);
    if (!tc || !now || now !== cause.limit || !next) return undefined;
    const at = `${tc.pointer}/resources/limits/ephemeral-storage`;
    return templatePatchPlan(snapshot, w, pods, {
      id: 'raise-ephemeral-storage-limit',
      title: `Raise ${cause.container}'s ephemeral-storage limit from ${now} to ${next}`,
      explanation:
        'Doubling is a first step: if the use keeps growing, the container writes something it should clean up or keep on a volume.',
      change: {
        what: `Raise the ephemeral-storage limit of ${cause.container} in ${ref.kind} ${ref.name} from ${now} to ${next}.`,
        ops: [tc.guard, { op: 'test', path: at, value: now }, { op: 'replace', path: at, value: next }],
        command: `kubectl set resources ${kubectlName(ref)} -c ${cause.container} --limits=ephemeral-storage=${next}${nsFlag(ref.namespace)}`,
        helmHint: `the chart's resources value for ${cause.container}, often resources.limits.ephemeral-storage`,
      },
    });
  }
  if (cause.kind === 'emptydir-limit') {
    const volumes = (w as Workload).spec.template.spec.volumes;
    const i = Array.isArray(volumes) ? volumes.findIndex((v) => v?.name === cause.volume) : -1;
    const now = (volumes?.[i] as { emptyDir?: { sizeLimit?: string } } | undefined)?.emptyDir?.sizeLimit;
    const next = doubledSize(cause.limit);
    if (i < 0 || !now || now !== cause.limit || !next) return undefined;
    const base = `/spec/template/spec/volumes/${i}`;
    return templatePatchPlan(snapshot, w, pods, {
      id: 'raise-emptydir-size-limit',
      title: `Raise the sizeLimit of emptyDir ${cause.volume} from ${now} to ${next}`,
      explanation:
        "An emptyDir lives on the node's disk: a larger limit takes more of it. Check the node has the room.",
      change: {
        what: `Raise the sizeLimit of emptyDir volume ${cause.volume} in ${ref.kind} ${ref.name} from ${now} to ${next}.`,
        ops: [
          { op: 'test', path: `${base}/name`, value: cause.volume },
          { op: 'test', path: `${base}/emptyDir/sizeLimit`, value: now },
          { op: 'replace', path: `${base}/emptyDir/sizeLimit`, value: next },
        ],
        helmHint: `the chart's value for volume ${cause.volume}`,
      },
    });
  }
  return undefined;
}

function plans(group: CaseGroup<EvictedCase>, { snapshot }: RuleContext): FixPlan[] {
  const { owner, cause, pod } = group.lead;
  const pods = group.cases.map((c) => c.pod);
  const ns = pod.metadata.namespace;
  const out: FixPlan[] = [];
  const raise = raiseLimitPlan(snapshot, group);
  if (raise) out.push(raise);
  else if (cause.kind === 'node-low' || cause.kind === 'node-condition' || cause.kind === 'pod-limit') {
    const node = pod.spec?.nodeName;
    const top = cause.kind === 'node-low' ? cause.users[0]?.container : undefined;
    const w = patchableWorkload(owner);
    out.push(
      manualPlan({
        id: 'size-ephemeral-storage',
        title:
          cause.kind === 'node-low' && cause.resource === 'memory'
            ? `Give ${top ?? 'the containers'} a memory request that matches its use`
            : `Give ${top ?? 'the containers'} an ephemeral-storage request and limit`,
        explanation:
          'A request makes the scheduler reserve the room on the node; a limit keeps one pod from taking the whole disk. Which size is right depends on what the app writes.',
        commands: [
          ...(node ? [`kubectl describe node ${node}`] : []),
          ...(w && top
            ? [
                `kubectl set resources ${kubectlName(refOf(w))} -c ${top} --requests=${cause.kind === 'node-low' && cause.resource === 'memory' ? 'memory' : 'ephemeral-storage'}=<size> --limits=${cause.kind === 'node-low' && cause.resource === 'memory' ? 'memory' : 'ephemeral-storage'}=<size>${nsFlag(ns)}`,
              ]
            : []),
        ],
        instructions: whatToDo(cause).trim(),
      }),
    );
  }
  // Evicted pods are records only; deleting them loses nothing once the workload serves again.
  const bare = pods.includes(owner as Pod);
  if (!bare && replacements(snapshot, owner, pods).length > 0)
    out.push({
      id: 'delete-evicted-pods',
      title: `Delete the ${pods.length === 1 ? 'evicted pod' : `${pods.length} evicted pods`} of ${kubectlName(refOf(owner))}`,
      explanation:
        "They are records of the eviction and hold no resources; the workload's ready pods serve. Read their messages first if you want them.",
      commands: [`kubectl delete pod ${pods.map((p) => p.metadata.name).join(' ')}${nsFlag(ns)}`],
      steps: pods.map((p) => ({
        action: 'delete' as const,
        ref: podRef(p),
        description: `Delete evicted pod ${p.metadata.name}.`,
      })),
      mutates: true,
    });
  return out;
}

export const rule = defineRule<EvictedCase>({
  id: RULE_IDS.evicted,
  title: 'Pods evicted by the kubelet',
  classify,
  // Explain from the most recent eviction: its message is the current story.
  lead: (cases) => [...cases].sort((a, b) => (b.at ?? 0) - (a.at ?? 0))[0]!,
  explain,
  plans,
});
