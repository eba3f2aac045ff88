// services/no-ready-endpoints: a Service whose selector matches pods, none of them ready for
// minutes (or whose workload has none at all), so it has no endpoints to send traffic to. A
// symptom by construction: the finding hangs under whatever explains its pods (a crash, a
// scheduling failure, a quota), and the Service's own clients hang under it.
import type { Pod, Service, Workload } from '../../src/model/k8s.js';
import type { Evidence, FixPlan, ObjectRef, RuleContext } from '../../src/diagnose/types.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { fieldEvidence, refOf } from '../../src/diagnose/evidence.js';
import { manualPlan, nsFlag } from '../../src/diagnose/plans.js';
import { podRef } from '../../src/diagnose/pod-facts.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';
import { matchesSelector } from '../../src/model/selectors.js';
import { labelQuery, namespaceWorkloads } from './lib/selector.js';
import { serviceHealth, type ServiceHealth } from './lib/service-health.js';
import { oldEnough, SERVICE_GRACE_MS } from './selector-mismatch.js';

interface NoEndpoints extends Case {
  service: Service;
  health: ServiceHealth;
  /** When no pod exists: the workloads whose template the selector matches (pods never created). */
  podless: Workload[];
}

function readySince(pod: Pod): number {
  const c = (Array.isArray(pod.status?.conditions) ? pod.status.conditions : []).find((x) => x?.type === 'Ready');
  const t = Date.parse(c?.lastTransitionTime ?? pod.metadata.creationTimestamp ?? '');
  return Number.isFinite(t) ? t : 0;
}

function desired(w: Workload): number {
  // DaemonSets have no replicas field; they want a pod per node.
  return w.kind === 'DaemonSet' ? 1 : (w.spec?.replicas ?? 1);
}

function* classify(ctx: RuleContext): Iterable<NoEndpoints> {
  const { snapshot } = ctx;
  if (snapshot.forbidden.has('pods')) return;
  for (const service of snapshot.services) {
    if (!oldEnough(service, ctx.now)) continue;
    const health = serviceHealth(snapshot, service);
    const subject = refOf(service, 'Service');
    if (health.state === 'none-ready') {
      // Pods that only just turned unready (a rollout, a restart) get their grace too.
      if (health.pods.some((p) => ctx.now - readySince(p) < SERVICE_GRACE_MS)) continue;
      yield { subject, service, health, podless: [] };
    } else if (health.state === 'selects-nothing') {
      const selector = { matchLabels: service.spec.selector };
      const podless = namespaceWorkloads(snapshot, service.metadata.namespace ?? '').filter(
        (w) => matchesSelector(w.spec?.template?.metadata?.labels, selector) && desired(w) > 0,
      );
      // Scaled to zero on purpose (or no workload: services/selector-mismatch's case): quiet.
      if (podless.length > 0) yield { subject, service, health, podless };
    }
  }
}

function explain({ lead }: CaseGroup<NoEndpoints>, ctx: RuleContext): Explained {
  const { service: svc, health, podless } = lead;
  const name = svc.metadata.name;
  const sel = labelQuery(svc.spec.selector ?? {});
  const evidence: Evidence[] = [];
  for (const slice of ctx.snapshot.endpointSlicesFor(svc).slice(0, 1)) {
    const eps = Array.isArray(slice.endpoints) ? slice.endpoints : [];
    evidence.push(
      fieldEvidence(
        slice,
        'endpoints',
        eps.length === 0
          ? 'null'
          : eps
              .map((e) => `${e.targetRef?.name ?? e.addresses.join(',')} ready=${String(e.conditions?.ready)}`)
              .join('; '),
      ),
    );
  }
  evidence.push(fieldEvidence(svc, 'spec.selector', sel, 'spec'));
  const dependsOn: ObjectRef[] = [];
  let what: string;
  if (podless.length > 0) {
    const names = podless.map((w) => `${w.kind} ${w.metadata.name}`).join(', ');
    what = `Its selector (${sel}) matches the pods of ${names}, but none exists: they were never created or were all removed. Its finding says why (a quota, admission, a missing ServiceAccount...).`;
    for (const w of podless) {
      dependsOn.push(refOf(w));
      evidence.push(fieldEvidence(w, 'status.replicas', String(w.status?.replicas ?? 0)));
    }
  } else {
    const shown = health.pods.slice(0, 5);
    for (const p of shown) {
      const ready = (Array.isArray(p.status?.conditions) ? p.status.conditions : []).findIndex(
        (c) => c?.type === 'Ready',
      );
      const c = p.status?.conditions?.[ready];
      if (c)
        evidence.push(
          fieldEvidence(p, `status.conditions[${ready}]`, `Ready=${c.status}${c.message ? `: ${c.message}` : ''}`),
        );
    }
    for (const p of health.pods) dependsOn.push(podRef(p));
    dependsOn.push(...health.owners.map((o) => refOf(o)));
    const owners = health.owners.map((o) => `${o.kind} ${o.metadata.name}`).join(', ');
    what = `It selects ${health.pods.length === 1 ? 'one pod' : `${health.pods.length} pods`}${owners ? ` of ${owners}` : ''} (${sel}), and none is ready, so the Service has no endpoints to send requests to.`;
  }
  return {
    severity: 'warning',
    title:
      podless.length > 0
        ? `Service ${name} has no endpoints: the pods it selects were never created`
        : `Service ${name} has no ready endpoints: none of its ${health.pods.length} pods is ready`,
    explanation: [
      `Every request to Service ${name} fails (connection refused or a timeout) because nothing behind it can answer.`,
      what,
      'The Service is fine; its pods are the problem. Fix them (the finding about them says how) and the Service serves again by itself; whatever waits on it recovers too.',
    ].join(' '),
    evidence,
    dependsOn,
  };
}

function plans({ lead }: CaseGroup<NoEndpoints>): FixPlan[] {
  const svc = lead.service;
  const ns = svc.metadata.namespace;
  return [
    manualPlan({
      id: 'fix-pods-first',
      title: `Fix the pods behind ${svc.metadata.name}; the Service recovers by itself`,
      explanation: 'A Service only forwards to ready pods; nothing about the Service itself needs to change.',
      commands: [
        `kubectl get pods${nsFlag(ns)} -l ${labelQuery(svc.spec.selector ?? {})}`,
        `kubectl get endpointslices${nsFlag(ns)} -l kubernetes.io/service-name=${svc.metadata.name} -w`,
      ],
      instructions: `Fix what keeps ${svc.metadata.name}'s pods from being ready (see the finding about them), then watch its endpoints fill.`,
    }),
  ];
}

export const rule = defineRule<NoEndpoints>({
  id: RULE_IDS.serviceNoReadyEndpoints,
  title: 'Service has no ready endpoints',
  classify,
  explain,
  plans,
});
