// The built-in rules, in the order they run. Order does not change the result (the engine
// links and ranks findings afterwards); it only keeps output deterministic.
import type { Rule } from '../src/diagnose/types.js';
import { rule as imagePull } from './pods/image-pull.js';
import { rule as crashloop } from './pods/crashloop.js';
import { rule as containerConfig } from './pods/container-config.js';
import { rule as notReady } from './pods/not-ready.js';
import { rule as initFailing } from './pods/init-failing.js';
import { rule as evicted } from './pods/evicted.js';
import { rule as pending } from './scheduling/pending.js';
import { rule as antiAffinityReplicas } from './workloads/anti-affinity-replicas.js';
import { rule as failedCreate } from './workloads/failed-create.js';
import { rule as rolloutStuck } from './workloads/rollout-stuck.js';
import { rule as webhookUnavailable } from './webhooks/unavailable.js';
import { rule as hpaBroken } from './autoscaling/hpa-broken.js';
import { rule as pdb } from './disruption/pdb.js';
import { rule as missingApiGroup } from './crds/missing-api-group.js';
import { rule as releaseStatus } from './helm/release-status.js';
import { rule as cliError } from './helm/cli-error.js';
import { rule as pvcPending } from './storage/pvc-pending.js';
import { rule as volumeMount } from './storage/volume-mount.js';
import { rule as pvReleased } from './storage/pv-released.js';
import { rule as nodeNotReady } from './nodes/not-ready.js';
import { rule as nodePressure } from './nodes/pressure.js';
import { rule as nodeCordoned } from './nodes/cordoned.js';
import { rule as jobFailed } from './jobs/failed.js';
import { rule as cronJobSchedule } from './jobs/cronjob-schedule.js';
import { rule as cronJobBlocked } from './jobs/cronjob-blocked.js';
import { rule as serviceSelectorMismatch } from './services/selector-mismatch.js';
import { rule as serviceNoReadyEndpoints } from './services/no-ready-endpoints.js';
import { rule as serviceTargetPort } from './services/target-port.js';
import { rule as ingressMissingClass } from './ingress/missing-class.js';
import { rule as ingressBrokenBackend } from './ingress/broken-backend.js';
import { rule as ingressMissingTlsSecret } from './ingress/missing-tls-secret.js';
import { rule as networkPolicySelectsNothing } from './network/policy-selects-nothing.js';
import { rule as statefulSetServiceMissing } from './workloads/statefulset-service-missing.js';

export const builtinRules: readonly Rule[] = [
  imagePull,
  crashloop,
  containerConfig,
  notReady,
  initFailing,
  evicted,
  pending,
  antiAffinityReplicas,
  failedCreate,
  rolloutStuck,
  webhookUnavailable,
  hpaBroken,
  pdb,
  missingApiGroup,
  releaseStatus,
  cliError,
  pvcPending,
  volumeMount,
  pvReleased,
  nodeNotReady,
  nodePressure,
  nodeCordoned,
  jobFailed,
  cronJobSchedule,
  cronJobBlocked,
  serviceSelectorMismatch,
  serviceNoReadyEndpoints,
  serviceTargetPort,
  ingressMissingClass,
  ingressBrokenBackend,
  ingressMissingTlsSecret,
  networkPolicySelectsNothing,
  statefulSetServiceMissing,
];
