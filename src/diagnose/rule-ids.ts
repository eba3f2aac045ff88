// The built-in rules' ids, in one place. They are stable: scripts, `--fail-on` pipelines and
// `kcockpit fix <rule-id>` key on them, and docs/rules.md lists each (a test holds the three
// together). Code names a rule through these constants, never a bare string.
export const RULE_IDS = {
  imagePull: 'pods/image-pull',
  crashloop: 'pods/crashloop',
  createContainerConfig: 'pods/create-container-config',
  notReady: 'pods/not-ready',
  initFailing: 'pods/init-failing',
  evicted: 'pods/evicted',
  pending: 'scheduling/pending',
  antiAffinityReplicas: 'workloads/anti-affinity-replicas',
  failedCreate: 'workloads/failed-create',
  rolloutStuck: 'workloads/rollout-stuck',
  hpaBroken: 'autoscaling/hpa-broken',
  pdb: 'disruption/pdb',
  webhookUnavailable: 'webhooks/unavailable',
  missingApiGroup: 'crds/missing-api-group',
  helmReleaseStatus: 'helm/release-status',
  helmCliError: 'helm/cli-error',
  pvcPending: 'storage/pvc-pending',
  volumeMount: 'storage/volume-mount',
  pvReleased: 'storage/pv-released',
  nodeNotReady: 'nodes/not-ready',
  nodePressure: 'nodes/pressure',
  nodeCordoned: 'nodes/cordoned',
  jobFailed: 'jobs/failed',
  cronJobSchedule: 'jobs/cronjob-schedule',
  serviceSelectorMismatch: 'services/selector-mismatch',
  serviceNoReadyEndpoints: 'services/no-ready-endpoints',
  serviceTargetPort: 'services/target-port',
  ingressMissingClass: 'ingress/missing-class',
  ingressBrokenBackend: 'ingress/broken-backend',
  ingressMissingTlsSecret: 'ingress/missing-tls-secret',
  networkPolicySelectsNothing: 'network/policy-selects-nothing',
  statefulSetServiceMissing: 'workloads/statefulset-service-missing',
} as const;

export type BuiltinRuleId = (typeof RULE_IDS)[keyof typeof RULE_IDS];
