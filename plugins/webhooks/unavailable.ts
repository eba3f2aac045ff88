// An admission webhook that fails closed and cannot answer: its configuration says
// `failurePolicy: Fail` (the default in admissionregistration/v1) and its Service does not
// exist or has no ready endpoint. The API server then refuses every request the webhook
// intercepts ("failed calling webhook"), so Deployments stop creating pods, Helm installs fail,
// Certificates cannot be made — cert-manager's webhook before its pod is ready is the classic.
// This finding is the cause of those refusals (workloads/failed-create depends on it) and a
// symptom of whatever keeps the webhook's own pods from being ready (it depends on the Service).
import type { Pod, Service, Webhook, WebhookConfiguration } from '../../src/model/k8s.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import type { Evidence, FixPlan, JsonPatchOp, ObjectRef } from '../../src/diagnose/types.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { eventsEvidence, kubectlName, refOf } from '../../src/diagnose/evidence.js';
import { jsonPatchCommand, manualPlan } from '../../src/diagnose/plans.js';
import { nearestName } from '../../src/diagnose/nearest.js';
import { isPodReady } from '../../src/diagnose/pod-facts.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';

interface Unavailable extends Case {
  config: WebhookConfiguration;
  webhook: Webhook;
  index: number;
  service: { name: string; namespace: string };
  /** Undefined when the Service does not exist. */
  svc: Service | undefined;
  ready: number;
  notReady: number;
  pods: Pod[];
}

/** Ready and not-ready endpoints, from the Service's EndpointSlices; undefined when they may not be read. */
function endpointCounts(snapshot: Snapshot, svc: Service): { ready: number; notReady: number } | undefined {
  if (snapshot.forbidden.has('endpointslices')) return undefined;
  let ready = 0;
  let notReady = 0;
  // No slice at all (a Service without selector nobody fills) means no endpoint either.
  for (const s of snapshot.endpointSlicesFor(svc))
    for (const e of s.endpoints ?? []) {
      // A missing `ready` means ready (discovery.k8s.io/v1).
      if (e?.conditions?.ready === false) notReady++;
      else ready++;
    }
  return { ready, notReady };
}

function cases(snapshot: Snapshot): Unavailable[] {
  const out: Unavailable[] = [];
  // Without the Service list, "missing" would be a guess.
  if (snapshot.forbidden.has('services')) return out;
  for (const config of snapshot.webhooks) {
    (config.webhooks ?? []).forEach((webhook, index) => {
      if (!webhook || (webhook.failurePolicy ?? 'Fail') !== 'Fail') return;
      const service = webhook.clientConfig?.service;
      if (!service?.name || !service.namespace) return;
      // A diagnosis of one namespace has no Services of the others to judge by.
      if (snapshot.namespace !== undefined && snapshot.namespace !== service.namespace) return;
      const svc = snapshot.get<Service>('Service', service.namespace, service.name);
      let counts = { ready: 0, notReady: 0 };
      if (svc) {
        if (svc.spec.type === 'ExternalName') return;
        const c = endpointCounts(snapshot, svc);
        if (!c || c.ready > 0) return;
        counts = c;
      }
      out.push({
        subject: refOf(config),
        detail: webhook.name,
        config,
        webhook,
        index,
        service: { name: service.name, namespace: service.namespace },
        svc,
        ...counts,
        pods: svc ? snapshot.podsForService(svc) : [],
      });
    });
  }
  return out;
}

/** What the webhook intercepts, in words: `CREATE pods, configmaps`. */
function interceptsText(w: Webhook): string {
  const parts = (w.rules ?? []).map((r) => {
    const ops = (r.operations ?? ['*']).join('/');
    const res = (r.resources ?? ['*']).join(', ');
    const groups = (r.apiGroups ?? []).filter((g) => g !== '').join(', ');
    return `${ops} ${res}${groups ? ` (${groups})` : ''}`;
  });
  return parts.length > 0 ? parts.join('; ') : 'nothing (no rules)';
}

/** FailedCreate and other refusals anywhere that quote this webhook. */
function refusals(snapshot: Snapshot, webhook: string) {
  const needle = `failed calling webhook "${webhook}"`;
  return snapshot.events.filter((e) => e.type !== 'Normal' && (e.message ?? '').includes(needle));
}

function explain({ lead: u }: CaseGroup<Unavailable>, { snapshot }: { snapshot: Snapshot }): Explained {
  const ref = refOf(u.config);
  const svcName = `${u.service.namespace}/${u.service.name}`;
  const near = u.svc
    ? undefined
    : nearestName(
        u.service.name,
        snapshot.inNamespace('Service', u.service.namespace).map((s) => s.metadata.name),
      );
  const state = u.svc
    ? u.pods.length === 0
      ? `its Service ${svcName} selects no pod`
      : `none of the ${u.pods.length} pod${u.pods.length > 1 ? 's' : ''} behind its Service ${svcName} is ready`
    : `its Service ${svcName} does not exist`;
  const failed = refusals(snapshot, u.webhook.name);
  const workloads = new Set(
    failed.map((e) => `${e.involvedObject.kind}/${e.involvedObject.namespace}/${e.involvedObject.name}`),
  );
  const evidence: Evidence[] = [
    {
      source: 'spec',
      ref,
      path: `webhooks[${u.index}]`,
      text: `${u.webhook.name}: failurePolicy ${u.webhook.failurePolicy ?? 'Fail (default)'}, service ${svcName}${u.webhook.clientConfig?.service?.path ?? ''}, intercepts ${interceptsText(u.webhook)}`,
    },
    u.svc
      ? {
          source: 'status',
          ref: { kind: 'Service', name: u.service.name, namespace: u.service.namespace },
          text: `0 ready endpoints${u.notReady > 0 ? `, ${u.notReady} not ready` : ''}${u.pods.length > 0 ? `; pods: ${u.pods.map((p) => `${p.metadata.name} (${isPodReady(p) ? 'ready' : (p.status?.phase ?? 'unknown')})`).join(', ')}` : ''}`,
        }
      : {
          source: 'spec',
          ref: { kind: 'Service', name: u.service.name, namespace: u.service.namespace },
          text: `Service ${svcName} not found`,
        },
    ...eventsEvidence(failed, 3),
  ];
  return {
    severity: 'critical',
    title: `${kubectlName(ref)}: webhook ${u.webhook.name} cannot be called — ${state}`,
    explanation:
      `The admission webhook ${u.webhook.name} (${ref.kind} ${ref.name}) is called by the API server for ${interceptsText(u.webhook)}, and ${state}` +
      (near ? ` (did you mean ${near}, which does exist?)` : '') +
      `. Its failurePolicy is Fail, so when the webhook cannot answer the API server refuses the request instead of letting it through: everything it intercepts fails with "failed calling webhook"` +
      (workloads.size > 0
        ? ` — already ${workloads.size} object${workloads.size > 1 ? 's' : ''} in the events (${[...workloads].slice(0, 5).join(', ')}).`
        : '.') +
      ` Fix the webhook's backend (its pods are often still starting, crashing, or waiting for a certificate) and the refused creations succeed on their next retry.`,
    evidence,
    ...(u.svc
      ? { dependsOn: [{ kind: 'Service', name: u.service.name, namespace: u.service.namespace } as ObjectRef] }
      : {}),
  };
}

function plans({ lead: u }: CaseGroup<Unavailable>, { snapshot }: { snapshot: Snapshot }): FixPlan[] {
  const ref = refOf(u.config);
  const ns = u.service.namespace;
  const out: FixPlan[] = [];
  const near = u.svc
    ? undefined
    : nearestName(
        u.service.name,
        snapshot.inNamespace('Service', ns).map((s) => s.metadata.name),
      );
  const base = `/webhooks/${u.index}`;
  if (near) {
    const ops: JsonPatchOp[] = [
      { op: 'test', path: `${base}/name`, value: u.webhook.name },
      { op: 'replace', path: `${base}/clientConfig/service/name`, value: near },
    ];
    out.push(
      manualPlan({
        id: 'point-at-existing-service',
        title: `Point the webhook at the Service ${near}`,
        explanation: `${near} exists in ${ns} and its name is one slip away from ${u.service.name}. If it is the webhook's backend, point the configuration at it (and fix the manifest or chart that wrote the wrong name).`,
        commands: [jsonPatchCommand(ref, ops)],
      }),
    );
  }
  out.push(
    manualPlan({
      id: 'restore-webhook-backend',
      title: `Get the webhook's pods ready`,
      explanation: u.svc
        ? `The Service ${ns}/${u.service.name} needs at least one ready pod. Look at why its pods are not ready (the findings linked under this one may say), or whether its selector matches them at all.`
        : `The Service ${ns}/${u.service.name} is gone: reinstall the software that provides the webhook (for cert-manager, its Helm release or manifest) so the Service and its pods come back.`,
      commands: [
        `kubectl get service ${u.service.name} -n ${ns}`,
        `kubectl get endpointslices -n ${ns} -l kubernetes.io/service-name=${u.service.name}`,
        `kubectl get pods -n ${ns}`,
      ],
    }),
  );
  out.push(
    manualPlan({
      id: 'remove-stale-webhook',
      title: `Delete ${ref.name} if what installed it was removed`,
      explanation: `Uninstalling a tool (or deleting its namespace) can leave its webhook configuration behind, and then it blocks the cluster for nothing. Delete it only if you are sure the tool is gone: while the tool is installed, the webhook enforces or defaults something it relies on.`,
      commands: [`kubectl delete ${ref.kind.toLowerCase()} ${ref.name}`],
    }),
  );
  return out;
}

export const rule = defineRule({
  id: RULE_IDS.webhookUnavailable,
  title: 'Admission webhook that fails closed and cannot be called',
  needs: ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations'],
  classify: ({ snapshot }) => cases(snapshot),
  explain,
  plans,
});
