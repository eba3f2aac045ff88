// The kube-scheduler's "why not" message, as it writes it into FailedScheduling events and
// the PodScheduled condition, parsed into counted reasons. The scheduler builds it as
// `0/<nodes> nodes are available: <count> <reason>, <count> <reason>.` from the filter
// plugins that rejected each node; a PreFilter rejection replaces the counted list with one
// uncounted sentence, and since v1.24 a ` preemption: ...` sentence follows. Older
// versions word the same reasons differently, so classification matches every wording
// seen in the wild rather than one release's constants.

export type ScheduleReasonKind =
  | 'insufficient-cpu'
  | 'insufficient-memory'
  | 'insufficient-resource'
  | 'taint'
  | 'node-affinity'
  | 'pod-anti-affinity'
  | 'pod-affinity'
  | 'unbound-pvc'
  | 'volume-node-affinity'
  | 'unschedulable-node'
  | 'too-many-pods'
  | 'other';

export interface TaintInMessage {
  key: string;
  value?: string;
  effect?: string;
}

export interface ScheduleReason {
  /** Nodes rejected for this reason; for an uncounted (PreFilter) reason, every node that was not available. */
  count: number;
  /** The reason as the scheduler wrote it, without the count. */
  reason: string;
  kind: ScheduleReasonKind;
  /** For insufficient-*: the resource name (`cpu`, `memory`, `nvidia.com/gpu`). */
  resource?: string;
  /** For taint: the taint when the scheduler named it (v1.33+ writes `untolerated taint(s)` without it). */
  taint?: TaintInMessage;
  /** For unbound-pvc: the claim when the scheduler named it (`persistentvolumeclaim "data" not found`). */
  claim?: string;
}

export interface SchedulerMessage {
  /** Nodes that would take the pod (always 0 in a failure message). */
  available: number;
  /** Nodes the scheduler considered; 0 when it had none or the text had no `N/M nodes` header. */
  total: number;
  reasons: ScheduleReason[];
  /** The preemption sentence, when the scheduler appended one. */
  preemption?: string;
  /** The scheduler said it has no nodes at all (`no nodes available to schedule pods`). */
  noNodes?: boolean;
}

// A scheduler message is a few hundred characters; anything longer is not one, and capping
// keeps every regex below linear on hostile input.
const MAX_MESSAGE = 16_384;

const HEADER = /^(\d+)\/(\d+) nodes are available\b:?\s*/;
const COUNTED = /^(\d+)\s+(\S[\s\S]*)$/;
// Schedulers before v1.10 wrote `No nodes are available that match all of the predicates: Insufficient cpu (3).`
const OLD_HEADER = /^No nodes are available that match all of the (?:following )?predicates:+\s*/i;
const OLD_COUNT = /\((\d+)\)$/;

interface Classifier {
  test: RegExp;
  kind: ScheduleReasonKind;
}

// Order matters: "volume node affinity" before "node affinity", anti-affinity before affinity.
const CLASSIFIERS: Classifier[] = [
  { test: /too many pods/i, kind: 'too-many-pods' },
  { test: /untolerated taint|had taints? .*didn't tolerate|PodToleratesNodeTaints|TaintToleration/i, kind: 'taint' },
  {
    test: /volume node affinity conflict|no available volume zone|NoVolumeZoneConflict|VolumeNodeAffinity/i,
    kind: 'volume-node-affinity',
  },
  {
    test: /unbound immediate PersistentVolumeClaims|persistentvolumeclaim "[^"]*" (?:not found|is being deleted)|didn't find available persistent volumes to bind|VolumeBinding/i,
    kind: 'unbound-pvc',
  },
  {
    test: /pod anti-affinity|existing pods anti-affinity|pod affinity\/anti-affinity|MatchInterPodAffinity/i,
    kind: 'pod-anti-affinity',
  },
  { test: /pod affinity/i, kind: 'pod-affinity' },
  { test: /node affinity|node selector|MatchNodeSelector|NodeAffinity/i, kind: 'node-affinity' },
  { test: /were unschedulable|NodeUnschedulable/i, kind: 'unschedulable-node' },
];

const INSUFFICIENT = /^Insufficient\s+(\S+)/i;
const TAINT = /\{([^{}:]*):\s*([^{}]*)\}/;
const CLAIM = /persistentvolumeclaim "([^"]*)"/i;

function classify(reason: string, count: number): ScheduleReason {
  const out: ScheduleReason = { count, reason, kind: 'other' };
  const insufficient = INSUFFICIENT.exec(reason);
  if (insufficient) {
    const resource = insufficient[1]!.replace(/[.,]+$/, '');
    out.resource = resource;
    out.kind =
      resource === 'cpu' ? 'insufficient-cpu' : resource === 'memory' ? 'insufficient-memory' : 'insufficient-resource';
    return out;
  }
  const hit = CLASSIFIERS.find((c) => c.test.test(reason));
  if (!hit) return out;
  out.kind = hit.kind;
  if (hit.kind === 'taint') {
    const t = TAINT.exec(reason);
    if (t) {
      out.taint = { key: t[1]!.trim() };
      const value = t[2]!.trim();
      if (value) out.taint.value = value;
    }
  } else if (hit.kind === 'unbound-pvc') {
    const c = CLAIM.exec(reason);
    if (c) out.claim = c[1]!;
  }
  return out;
}

/** Split the reason list at `, <count> ` so commas inside a reason (a taint, a quoted name) stay put. */
function splitReasons(body: string): string[] {
  return body
    .split(/,\s+(?=\d+\s)/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Drop trailing dots and spaces (a loop, not a regex: `[\s.]+$` backtracks quadratically on hostile text). */
function stripEnd(text: string): string {
  let end = text.length;
  while (end > 0 && /[\s.]/.test(text[end - 1]!)) end--;
  return text.slice(0, end);
}

/** Parse a scheduler failure message. Never throws; unknown text becomes one `other` reason. */
export function parseSchedulerMessage(message: unknown): SchedulerMessage {
  const result: SchedulerMessage = { available: 0, total: 0, reasons: [] };
  if (typeof message !== 'string') return result;
  let text = message.slice(0, MAX_MESSAGE).trim();
  if (!text) return result;

  if (/no nodes available to schedule pods/i.test(text)) {
    result.noNodes = true;
    return result;
  }

  const pre = text.indexOf('preemption:');
  if (pre >= 0) {
    const tail = stripEnd(text.slice(pre + 'preemption:'.length).trim());
    if (tail) result.preemption = tail;
    text = text.slice(0, pre);
  }

  const old = OLD_HEADER.exec(text);
  if (old) {
    for (const item of stripEnd(text.slice(old[0].length)).split(/,\s+/)) {
      const counted = OLD_COUNT.exec(item.trim());
      if (counted) result.reasons.push(classify(item.trim().slice(0, counted.index).trim(), Number(counted[1])));
    }
    return result;
  }

  const header = HEADER.exec(text);
  let uncountedCount = 0;
  if (header) {
    result.available = Number(header[1]);
    result.total = Number(header[2]);
    uncountedCount = Math.max(0, result.total - result.available);
    text = text.slice(header[0].length);
  }
  for (const item of splitReasons(stripEnd(text))) {
    const counted = COUNTED.exec(item);
    result.reasons.push(
      counted ? classify(stripEnd(counted[2]!), Number(counted[1])) : classify(stripEnd(item), uncountedCount),
    );
  }
  return result;
}
