// `kcockpit/plugin`: what a rule plugin may import — the rule, finding and fix-plan types,
// the helpers the built-in rules are written with, and the built-in rules' ids. Published
// with declarations (tsconfig.plugin.json), so `npm i kcockpit` is enough to type a rule.
// Everything here is pure: nothing it imports loads a package or does I/O, so a plugin costs
// nothing to load and stays testable without a cluster (test/plugin-entry.test.ts holds that).

export type * from './model/k8s.js';
export type { ObjectRef } from './model/ref.js';
export type { FixAction, FixPlan, FixStep, JsonPatchOp } from './model/fix-plan.js';
export type { Evidence, EvidenceSource, Finding, RawFinding, Rule, RuleContext, Severity } from './diagnose/types.js';

// The cluster at one moment, as rules read it; tests build one from plain objects.
export { Snapshot, type SnapshotInput } from './store/snapshot.js';

// The shape of a rule: classify → explain → plans.
export {
  defineRule,
  uniqueRefs,
  type Case,
  type CaseGroup,
  type Explained,
  type RuleSpec,
} from './diagnose/define-rule.js';
export {
  containerRule,
  type ContainerCase,
  type ContainerGroup,
  type ContainerRuleSpec,
  type PlacedCase,
} from './diagnose/container-rule.js';

// Reading pods and their containers.
export {
  byName,
  containerSites,
  isPodReady,
  isTerminating,
  podContainers,
  podEvents,
  podRef,
  podsPhrase,
  subjectRef,
  waitingEvidence,
  type ContainerSite,
} from './diagnose/pod-facts.js';

// Evidence.
export {
  clip,
  eventEvidence,
  eventsEvidence,
  fieldEvidence,
  findingId,
  kubectlName,
  refKey,
  refOf,
  uniqueEvidence,
} from './diagnose/evidence.js';

// Fix plans.
export {
  helmUpgradeCommand,
  jsonPatchCommand,
  manualPlan,
  nsFlag,
  shellQuote,
  type ManualPlanInput,
} from './diagnose/plans.js';
export {
  patchableWorkload,
  recreatePods,
  rollsPodsOnTemplateChange,
  templateContainer,
  templatePatchPlan,
  type StepsWithCommands,
  type TemplateChange,
  type TemplateContainer,
  type TemplatePatchPlanInput,
} from './diagnose/workload-plans.js';

// Words.
export { durationWords } from './util/duration.js';
export { nearestName } from './diagnose/nearest.js';

// The built-in rules' ids, for `explainsOnly` and for tests.
export { RULE_IDS } from './diagnose/rule-ids.js';

// Running rules as kcockpit does (ids, checks, cause links, ranking), for a plugin's tests.
export { runRules, type DiagnosisResult } from './diagnose/engine.js';
