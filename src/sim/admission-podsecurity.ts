// Pod Security admission for pods in a namespace labelled
// `pod-security.kubernetes.io/enforce: baseline|restricted`: a pod that fails a check is
// refused with every failed check, in the order the real plugin reports them
// (api-samples/status-403-podsecurity-restricted.json):
//   violates PodSecurity "restricted:latest": privileged (container "web" must not set
//   securityContext.privileged=true), allowPrivilegeEscalation != false (...), ...
// The checks kept are the ones a typical workload trips: privileged (baseline) and
// allowPrivilegeEscalation, capabilities, runAsNonRoot and seccompProfile (restricted).
import type { Container, Namespace, Pod } from '../model/k8s.js';
import type { ResourceDef } from './resources.js';
import type { SimState } from './state.js';
import { forbiddenBy } from './status.js';

interface SecurityContext {
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  runAsNonRoot?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
  seccompProfile?: { type?: string };
}

const LEVELS = ['privileged', 'baseline', 'restricted'];

const sc = (c: Container): SecurityContext =>
  (c as Container & { securityContext?: SecurityContext }).securityContext ?? {};
const quoted = (names: string[]): string => names.map((n) => `"${n}"`).join(', ');
const containers = (names: string[]): string => `${names.length === 1 ? 'container' : 'containers'} ${quoted(names)}`;

type Check = (pod: Pod, all: Container[], podSc: SecurityContext) => string | undefined;

const privileged: Check = (_pod, all) => {
  const bad = all.filter((c) => sc(c).privileged === true).map((c) => c.name);
  return bad.length ? `privileged (${containers(bad)} must not set securityContext.privileged=true)` : undefined;
};

const allowPrivilegeEscalation: Check = (_pod, all) => {
  const bad = all.filter((c) => sc(c).allowPrivilegeEscalation !== false).map((c) => c.name);
  return bad.length
    ? `allowPrivilegeEscalation != false (${containers(bad)} must set securityContext.allowPrivilegeEscalation=false)`
    : undefined;
};

const capabilities: Check = (_pod, all) => {
  const bad = all.filter((c) => !(sc(c).capabilities?.drop ?? []).includes('ALL')).map((c) => c.name);
  return bad.length
    ? `unrestricted capabilities (${containers(bad)} must set securityContext.capabilities.drop=["ALL"])`
    : undefined;
};

const runAsNonRoot: Check = (_pod, all, podSc) => {
  const explicit = all.filter((c) => sc(c).runAsNonRoot === false).map((c) => c.name);
  const implicit = all.filter((c) => sc(c).runAsNonRoot === undefined).map((c) => c.name);
  const details: string[] = [];
  if (podSc.runAsNonRoot === false) details.push('pod must not set securityContext.runAsNonRoot=false');
  if (explicit.length) details.push(`${containers(explicit)} must not set securityContext.runAsNonRoot=false`);
  if (podSc.runAsNonRoot === undefined && implicit.length)
    details.push(`pod or ${containers(implicit)} must set securityContext.runAsNonRoot=true`);
  return details.length ? `runAsNonRoot != true (${details.join('; ')})` : undefined;
};

const seccompProfile: Check = (_pod, all, podSc) => {
  const allowed = (t: string | undefined) => t === 'RuntimeDefault' || t === 'Localhost';
  const podOk = allowed(podSc.seccompProfile?.type);
  const bad = all.filter((c) => (sc(c).seccompProfile ? !allowed(sc(c).seccompProfile?.type) : !podOk));
  if (!bad.length) return undefined;
  const who = podSc.seccompProfile
    ? containers(bad.map((c) => c.name))
    : `pod or ${containers(bad.map((c) => c.name))}`;
  return `seccompProfile (${who} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")`;
};

const CHECKS: Record<string, Check[]> = {
  baseline: [privileged],
  restricted: [privileged, allowPrivilegeEscalation, capabilities, runAsNonRoot, seccompProfile],
};

/** Refuse a pod its namespace's enforced Pod Security level does not allow. */
export function admitPodSecurity(state: SimState, def: ResourceDef, pod: Pod): void {
  const ns = state.find('Namespace', undefined, pod.metadata.namespace ?? '') as Namespace | undefined;
  const labels = ns?.metadata.labels ?? {};
  const level = labels['pod-security.kubernetes.io/enforce'];
  if (!level || !LEVELS.includes(level)) return;
  const version = labels['pod-security.kubernetes.io/enforce-version'] ?? 'latest';
  const all = [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])];
  const podSc = ((pod.spec as { securityContext?: SecurityContext }).securityContext ?? {}) as SecurityContext;
  const failed = (CHECKS[level] ?? []).map((check) => check(pod, all, podSc)).filter((m): m is string => !!m);
  if (failed.length)
    throw forbiddenBy(def, pod.metadata.name, `violates PodSecurity "${level}:${version}": ${failed.join(', ')}`);
}
