// The built-in rules, in the order they run. Order does not change the result (the engine
// links and ranks findings afterwards); it only keeps output deterministic.
import type { Rule } from '../src/diagnose/types.js';
import { rule as imagePull } from './pods/image-pull.js';
import { rule as crashloop } from './pods/crashloop.js';
import { rule as containerConfig } from './pods/container-config.js';
import { rule as notReady } from './pods/not-ready.js';
import { rule as pending } from './scheduling/pending.js';
import { rule as antiAffinityReplicas } from './workloads/anti-affinity-replicas.js';
import { rule as missingApiGroup } from './crds/missing-api-group.js';
import { rule as releaseStatus } from './helm/release-status.js';
import { rule as cliError } from './helm/cli-error.js';
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
  pending,
  antiAffinityReplicas,
  missingApiGroup,
  releaseStatus,
  cliError,
  serviceSelectorMismatch,
  serviceNoReadyEndpoints,
  serviceTargetPort,
  ingressMissingClass,
  ingressBrokenBackend,
  ingressMissingTlsSecret,
  networkPolicySelectsNothing,
  statefulSetServiceMissing,
];
