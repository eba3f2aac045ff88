// services/selector-mismatch: a Service whose selector matches no pod in its namespace, so
// it has no endpoints and every client gets "connection refused" or a timeout. Says which
// labels differ from the workload it most likely meant, and patches the selector to match.
import type { Service } from '../../src/model/k8s.js';
import type { Evidence, FixPlan, RuleContext } from '../../src/diagnose/types.js';
import { defineRule, type Case, type CaseGroup } from '../../src/diagnose/define-rule.js';
import { fieldEvidence, kubectlName, refOf } from '../../src/diagnose/evidence.js';
import { manualPlan, nsFlag, shellQuote } from '../../src/diagnose/plans.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';
import { labelQuery, namespaceWorkloads, nearestWorkload, type NearestWorkload } from './lib/selector.js';
import { serviceHealth } from './lib/service-health.js';
import { matchesSelector } from '../../src/model/selectors.js';

/** A Service created a moment ago may be ahead of its workload. */
export const SERVICE_GRACE_MS = 2 * 60 * 1000;

interface Mismatch extends Case {
  service: Service;
  nearest: NearestWorkload | undefined;
}

function isJudged(svc: Service): boolean {
  return Object.keys(svc.spec?.selector ?? {}).length > 0 && svc.spec?.type !== 'ExternalName';
}

export function oldEnough(svc: Service, now: number): boolean {
  const created = Date.parse(svc.metadata.creationTimestamp ?? '');
  return !Number.isFinite(created) || now - created >= SERVICE_GRACE_MS;
}

function* classify(ctx: RuleContext): Iterable<Mismatch> {
  const { snapshot } = ctx;
  // Without the pods there is nothing to compare the selector with.
  if (snapshot.forbidden.has('pods')) return;
  for (const service of snapshot.services) {
    if (!isJudged(service) || !oldEnough(service, ctx.now)) continue;
    if (serviceHealth(snapshot, service).state !== 'selects-nothing') continue;
    const selector = { matchLabels: service.spec.selector };
    // A workload whose template matches has no pods yet, or is scaled to zero: not a selector problem.
    const ns = service.metadata.namespace ?? '';
    if (namespaceWorkloads(snapshot, ns).some((w) => matchesSelector(w.spec?.template?.metadata?.labels, selector)))
      continue;
    yield { subject: refOf(service, 'Service'), service, nearest: nearestWorkload(snapshot, service) };
  }
}

function differencesText(n: NearestWorkload): string {
  return n.differences
    .map((d) =>
      d.has !== undefined
        ? `${d.key}=${d.wanted} (the pods have ${d.key}=${d.has})`
        : d.nearKey
          ? `${d.key}=${d.wanted} (the pods have ${d.nearKey}=${n.labels[d.nearKey]}: a different key)`
          : `${d.key}=${d.wanted} (the pods have no ${d.key} label)`,
    )
    .join(', ');
}

function explain({ lead }: CaseGroup<Mismatch>) {
  const svc = lead.service;
  const name = svc.metadata.name;
  const ns = svc.metadata.namespace ?? '';
  const sel = labelQuery(svc.spec.selector ?? {});
  const n = lead.nearest;
  const evidence: Evidence[] = [fieldEvidence(svc, 'spec.selector', sel, 'spec')];
  if (n) {
    const w = n.workload;
    evidence.push(fieldEvidence(w, 'spec.template.metadata.labels', labelQuery(n.labels), 'spec'));
  }
  const why = n
    ? `It most likely means ${n.workload.kind} ${n.workload.metadata.name}, whose pods carry ${labelQuery(n.labels)}; the selector differs in ${differencesText(n)}. A Service selects a pod only when every label of its selector matches exactly.`
    : `No workload in namespace ${ns} has pods with labels like these.`;
  return {
    severity: 'critical' as const,
    title: n
      ? `Service ${name} selects no pods: its selector differs from ${n.workload.kind} ${n.workload.metadata.name}'s labels`
      : `Service ${name} selects no pods`,
    explanation: [
      `Service ${name} selects pods with ${sel}, and no pod in namespace ${ns} has those labels, so it has no endpoints: every request to ${name} fails (connection refused or a timeout), and whatever depends on it fails with it.`,
      why,
      n
        ? `Correct the selector (or the pods' labels) so they agree.`
        : `Correct the selector to the labels of the pods it should reach (kubectl get pods --show-labels).`,
    ].join(' '),
    evidence,
    // Clients that wait on this Service (dependsOn) hang under it through its subject.
    ...(n ? { objects: [refOf(n.workload)] } : {}),
  };
}

function plans({ lead }: CaseGroup<Mismatch>): FixPlan[] {
  const svc = lead.service;
  const ref = refOf(svc, 'Service');
  const ns = svc.metadata.namespace;
  const n = lead.nearest;
  const inspect = `kubectl get pods${nsFlag(ns)} --show-labels`;
  if (!n)
    return [
      manualPlan({
        id: 'correct-selector',
        title: `Point Service ${svc.metadata.name}'s selector at the pods it should reach`,
        explanation: 'Only you know which pods the Service is for; their labels show what to select.',
        commands: [inspect],
      }),
    ];
  const selector: Record<string, string | null> = { ...n.corrected };
  for (const k of Object.keys(svc.spec.selector ?? {})) if (!(k in selector)) selector[k] = null;
  const patch = { spec: { selector } };
  return [
    {
      id: 'patch-selector',
      title: `Make Service ${svc.metadata.name} select ${n.workload.kind} ${n.workload.metadata.name}'s pods (${labelQuery(n.corrected)})`,
      explanation: `The merge patch sets the selector to the labels ${n.workload.metadata.name}'s pods carry (a null removes a label the pods do not have). If the pods' labels are the ones that are wrong, change the ${n.workload.kind}'s template instead; changing the Service is the smaller step.`,
      commands: [
        `kubectl patch ${kubectlName(ref)}${nsFlag(ns)} --type=merge -p ${shellQuote(JSON.stringify(patch))}`,
        `kubectl get endpointslices${nsFlag(ns)} -l kubernetes.io/service-name=${svc.metadata.name}`,
      ],
      steps: [
        {
          action: 'merge-patch',
          ref,
          patch,
          description: `Set Service ${svc.metadata.name}'s selector to ${labelQuery(n.corrected)}.`,
        },
      ],
      mutates: true,
    },
  ];
}

export const rule = defineRule<Mismatch>({
  id: RULE_IDS.serviceSelectorMismatch,
  title: 'Service selects no pods',
  classify,
  explain,
  plans,
});
