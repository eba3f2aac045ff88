// The rule plugin API. Rules are pure: they read a Snapshot and return Findings.
// Everything here is plain data so the CLI, the cockpit and tests share it, and so
// JSON output is a direct serialisation (see docs/json-output.md for the versioned form).
import type { Snapshot } from '../store/snapshot.js';
import type { ObjectRef } from '../model/ref.js';
import type { FixPlan } from '../model/fix-plan.js';

export type { ObjectRef } from '../model/ref.js';
export type { FixAction, FixPlan, FixStep, JsonPatchOp } from '../model/fix-plan.js';

export type Severity = 'critical' | 'warning' | 'info';

export type EvidenceSource =
  | 'event' // a core/v1 Event (message, reason, count)
  | 'status' // an object's status field (path says which)
  | 'spec' // an object's spec field
  | 'log' // a container log line
  | 'discovery' // what the API server serves (or does not)
  | 'helm' // a Helm release record
  | 'node' // node capacity / taints / labels
  | 'error'; // text a tool printed (kcockpit diagnose --from-error)

export interface Evidence {
  source: EvidenceSource;
  /** The object the evidence was read from. */
  ref?: ObjectRef;
  /** Field path for status/spec evidence, e.g. `status.containerStatuses[0].state.waiting.message`. */
  path?: string;
  /** The text as the cluster wrote it (event message, field value, log line). */
  text: string;
  /** Event reason (`Failed`, `FailedScheduling`, ...) when source is `event`. */
  reason?: string;
  /** How often it happened (event count). */
  count?: number;
  /** When it was last seen (RFC 3339). */
  at?: string;
}

export interface Finding {
  /**
   * Stable across runs for the same object and cause: `<ruleId>:<namespace>/<Kind>/<name>`
   * (plus `#<detail>` where one subject can have several findings of a rule, e.g. a container).
   */
  id: string;
  ruleId: string;
  severity: Severity;
  /** The object the finding is about: the owning workload where there is one, else the pod. */
  subject: ObjectRef;
  /** One line: what is wrong. */
  title: string;
  /** Plain words: what happened, why, what to do — in that order. */
  explanation: string;
  evidence: Evidence[];
  /** Every object this finding covers (the subject and, e.g., its failing pods). */
  objects: ObjectRef[];
  /**
   * Objects whose problems this finding explains (it is their deeper cause). The engine
   * marks other findings about these objects as caused by this one.
   */
  explains?: ObjectRef[];
  /**
   * When set, `explains` covers only findings of these rules: a missing cert-manager explains
   * a failed release or a missing certificate Secret, not an image pull on the same pod.
   */
  explainsOnly?: string[];
  /**
   * Objects this finding's subject waits on (a Service or workload named in a crash log).
   * The engine links this finding under the findings that cover those objects.
   */
  dependsOn?: ObjectRef[];
  /** Ids of findings this one is caused by. Filled by the engine. */
  causedBy: string[];
  fixes: FixPlan[];
  /**
   * Names a cause that findings about many objects share — one registry's rate limit, one
   * missing StorageClass, one node: `<what>:<name>`, e.g. `image-pull/rate-limit:docker.io`.
   * The engine folds root findings with the same key into one group (see `group`).
   */
  groupKey?: string;
  /** On the lead of a group of root findings sharing a `groupKey`. Filled by the engine. */
  group?: FindingGroup;
  /** On the group's other members: the lead's id. Filled by the engine. */
  groupedUnder?: string;
}

/** Root findings that share one cause, told once: the lead stands for them all. */
export interface FindingGroup {
  key: string;
  /** Ids of the other findings of the group, in rank order. */
  members: string[];
  /** Distinct subjects (workloads, claims...) of the lead and its members. */
  subjects: number;
  /** Distinct namespaces of those subjects (cluster-scoped subjects count none). */
  namespaces: number;
}

/**
 * What a rule returns: a finding before the engine has given it an id and linked it. The
 * engine fills `ruleId` (the rule's own), `objects` (the subject), `evidence` and `fixes`
 * (none) when a rule leaves them out, and drops a finding it cannot use with a note.
 */
export type RawFinding = Omit<
  Finding,
  'causedBy' | 'id' | 'ruleId' | 'objects' | 'evidence' | 'fixes' | 'group' | 'groupedUnder'
> & {
  id?: string;
  ruleId?: string;
  objects?: ObjectRef[];
  evidence?: Evidence[];
  fixes?: FixPlan[];
  causedBy?: string[];
};

export interface RuleContext {
  snapshot: Snapshot;
  /** Current time (ms since epoch); rules use it instead of Date.now() so they stay pure. */
  now: number;
  /** Error text handed over by the user (`--from-error`), split into lines. */
  errorText?: string;
}

export interface Rule {
  /** Stable id, `<area>/<name>`, listed in docs/rules.md; scripts key on it. */
  id: string;
  title: string;
  /**
   * Lists the rule finds nothing without (plural resource names, as `Snapshot.forbidden`
   * records them, e.g. `nodes`): when the user may not read one, the report names the rule
   * among what could not be checked.
   */
  needs?: readonly string[];
  diagnose(ctx: RuleContext): RawFinding[];
}
