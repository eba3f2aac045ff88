// Pods that never exist: the ReplicaSet, StatefulSet, DaemonSet or Job controller asks the API
// server for a pod and admission refuses it (a ResourceQuota, a LimitRange, PodSecurity, a
// ServiceAccount that does not exist, a webhook that says no or cannot be called). There is
// no pod to look at, so pod-centred tools see nothing; the controller's `FailedCreate` events
// (and a ReplicaSet's `ReplicaFailure` condition) are the only trace. One finding per top
// owner, quiet once the controller has the pods it wants (old events of a healthy workload).
import type { Job, KubeEvent, KubeObject, ResourceQuota, WebhookConfiguration, Workload } from '../../src/model/k8s.js';
import { eventTime, type Snapshot } from '../../src/store/snapshot.js';
import { compareText } from '../../src/util/order.js';
import type { Evidence, FixPlan, JsonPatchOp, ObjectRef } from '../../src/diagnose/types.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { eventsEvidence, fieldEvidence, kubectlName, refOf } from '../../src/diagnose/evidence.js';
import { jsonPatchCommand, manualPlan, nsFlag } from '../../src/diagnose/plans.js';
import { nearestName } from '../../src/diagnose/nearest.js';
import { parseQuantity, toQuantity } from '../../src/diagnose/quantity.js';
import { patchableWorkload } from '../../src/diagnose/workload-plans.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';
import { parseCreateError, webhookServiceOf, type CreateError } from './lib/create-error.js';

const CONTROLLERS = new Set(['ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job']);

interface FailedCreate extends Case {
  controller: KubeObject;
  owner: KubeObject;
  /** The controller's FailedCreate events, oldest first (may be empty: events expire, conditions stay). */
  events: KubeEvent[];
  /** The newest refusal as the cluster wrote it. */
  message: string;
  error: CreateError;
  /** Pods the controller wants and does not have. */
  missing: number;
}

type Status = Record<string, unknown> | undefined;
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function replicaFailure(obj: KubeObject): { status: string; message?: string } | undefined {
  const conditions = (obj as Workload).status?.conditions;
  return Array.isArray(conditions) ? conditions.find((c) => c?.type === 'ReplicaFailure') : undefined;
}

/** How many pods the controller still lacks; 0 when it has what it wants (or is done). */
function missingPods(obj: KubeObject): number {
  const status = (obj as { status?: Status }).status;
  switch (obj.kind) {
    case 'ReplicaSet':
    case 'StatefulSet': {
      const want = (obj as Workload).spec?.replicas ?? 1;
      return Math.max(0, want - num(status?.['replicas']));
    }
    case 'DaemonSet':
      return Math.max(0, num(status?.['desiredNumberScheduled']) - num(status?.['currentNumberScheduled']));
    case 'Job': {
      const job = obj as Job;
      const finished = (job.status?.conditions ?? []).some(
        (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
      );
      if (finished || job.spec?.suspend) return 0;
      return Math.max(0, (job.spec?.parallelism ?? 1) - num(job.status?.active));
    }
    default:
      return 0;
  }
}

function controllers(snapshot: Snapshot): KubeObject[] {
  return [...snapshot.replicaSets, ...snapshot.statefulSets, ...snapshot.daemonSets, ...snapshot.jobs];
}

function cases(snapshot: Snapshot): FailedCreate[] {
  const out: FailedCreate[] = [];
  for (const controller of controllers(snapshot)) {
    if (!CONTROLLERS.has(controller.kind ?? '')) continue;
    const missing = missingPods(controller);
    if (missing === 0) continue;
    const ns = controller.metadata.namespace;
    const events = snapshot
      .eventsFor(controller.kind!, ns, controller.metadata.name)
      .filter((e) => e.reason === 'FailedCreate');
    const condition = replicaFailure(controller);
    const message =
      events[events.length - 1]?.message ?? (condition?.status === 'True' ? condition.message : undefined);
    if (!message) continue;
    const owner = snapshot.topOwner(controller);
    out.push({
      subject: refOf(owner),
      objects: [refOf(controller)],
      controller,
      owner,
      events,
      message,
      error: parseCreateError(message),
      missing,
    });
  }
  return out;
}

const lastTime = (c: FailedCreate): string => {
  const e = c.events[c.events.length - 1];
  return e ? eventTime(e) : '';
};

// ---- words ----

function quotaObject(snapshot: Snapshot, ns: string | undefined, name: string): ResourceQuota | undefined {
  return snapshot.get<ResourceQuota>('ResourceQuota', ns, name);
}

/** `requests.cpu` is counted against `cpu` quantities. */
const baseResource = (name: string): string => name.replace(/^(requests|limits)\./, '');

/** The quota's numbers for the resources this pod asked for, from the object when readable. */
function quotaLines(e: Extract<CreateError, { kind: 'quota-exceeded' }>, quota: ResourceQuota | undefined): string[] {
  return Object.entries(e.requested).map(([res, req]) => {
    const hard = quota?.status?.hard?.[res] ?? e.limited[res];
    const used = quota?.status?.used?.[res] ?? e.used[res];
    return `${res}: each pod asks for ${req}, ${used ?? '?'} of ${hard ?? '?'} already used`;
  });
}

function webhookConfigOf(snapshot: Snapshot, webhook: string): WebhookConfiguration | undefined {
  return snapshot.webhooks.find((c) => (c.webhooks ?? []).some((w) => w?.name === webhook));
}

function cause(c: FailedCreate, snapshot: Snapshot): { title: string; why: string } {
  const e = c.error;
  const ns = c.controller.metadata.namespace ?? '';
  switch (e.kind) {
    case 'quota-exceeded': {
      const quota = quotaObject(snapshot, ns, e.quota);
      const unread = snapshot.forbidden.has('resourcequotas')
        ? ` kcockpit may not read ResourceQuotas here, so these numbers are the ones the refusal quotes.`
        : '';
      return {
        title: `the ResourceQuota ${e.quota} is used up`,
        why: `The namespace's ResourceQuota ${e.quota} caps what all its pods may ask for together, and one more pod would go over it: ${quotaLines(e, quota).join('; ')}.${unread} The quota is checked when a pod is created, so the controller retries and is refused every time until room is made.`,
      };
    }
    case 'quota-must-specify':
      return {
        title: `the ResourceQuota ${e.quota} requires ${e.resources.join(', ')}`,
        why: `The ResourceQuota ${e.quota} limits ${e.resources.join(', ')}, and a quota on a resource means every pod must state it: the pod template sets no ${e.resources.join(', ')}, so every pod is refused before it exists.`,
      };
    case 'limit-range':
      return {
        title: `the pod template breaks the namespace's LimitRange`,
        why: `A LimitRange in the namespace sets the smallest and largest requests and limits a container may have, and the template is outside them: ${e.violations.join('; ')}.`,
      };
    case 'pod-security':
      return {
        title: `the pod template violates PodSecurity "${e.level}"`,
        why: `The namespace enforces the Pod Security Standard "${e.level}" (its \`pod-security.kubernetes.io/enforce\` label), and the template fails ${e.checks.length} of its checks: ${e.checks.join('; ')}. The workload itself was accepted, because the standard applies to pods, so the refusal only shows up in the controller's events.`,
      };
    case 'service-account': {
      const near = nearestServiceAccount(snapshot, e.namespace, e.name);
      const known = snapshot.forbidden.has('serviceaccounts')
        ? ' (kcockpit may not list ServiceAccounts here, so it could not look for a similar name)'
        : near
          ? ` — did you mean ${near}, which does exist?`
          : '';
      return {
        title: `the ServiceAccount ${e.name} does not exist`,
        why: `The pod template runs as the ServiceAccount ${e.name}, which does not exist in ${e.namespace}${known}. The API server refuses a pod whose ServiceAccount is missing.`,
      };
    }
    case 'webhook-unreachable': {
      const svc = webhookServiceOf(e.url);
      const config = webhookConfigOf(snapshot, e.webhook);
      const where = svc ? ` Its Service is ${svc.namespace}/${svc.name}.` : '';
      const unread =
        !config && snapshot.forbidden.has('validatingwebhookconfigurations')
          ? ' kcockpit may not read webhook configurations, so this comes from the refusal alone.'
          : '';
      return {
        title: `the admission webhook ${e.webhook} cannot be called`,
        why: `Every pod creation goes through the admission webhook ${e.webhook}${config ? ` (${config.kind ?? 'webhook configuration'} ${config.metadata.name})` : ''}, and the API server could not reach it: ${e.detail}.${where} The webhook fails closed (failurePolicy Fail), so nothing it covers can be created until it answers again.${unread}`,
      };
    }
    case 'webhook-denied':
      return {
        title: `the admission webhook ${e.webhook} denies the pods`,
        why: `The admission webhook ${e.webhook} looked at the pod and refused it: ${e.reason || 'without explanation'}.`,
      };
    case 'other':
      return { title: 'the API server refuses its pods', why: `The API server refused the pod: ${e.text}.` };
  }
}

function nearestServiceAccount(snapshot: Snapshot, ns: string, name: string): string | undefined {
  return nearestName(
    name,
    snapshot.inNamespace('ServiceAccount', ns).map((s) => s.metadata.name),
  );
}

function evidence(c: FailedCreate, snapshot: Snapshot): Evidence[] {
  const ev: Evidence[] = eventsEvidence(c.events, 3);
  const condition = replicaFailure(c.controller);
  if (condition?.status === 'True' && condition.message)
    ev.push(fieldEvidence(c.controller, 'status.conditions[type=ReplicaFailure].message', condition.message));
  if (ev.length === 0) ev.push({ source: 'status', ref: refOf(c.controller), text: c.message });
  if (c.error.kind === 'quota-exceeded') {
    const quota = quotaObject(snapshot, c.controller.metadata.namespace, c.error.quota);
    if (quota)
      for (const res of Object.keys(c.error.requested))
        ev.push(
          fieldEvidence(
            quota,
            `status.used["${res}"]`,
            `${quota.status?.used?.[res] ?? '?'} of ${quota.status?.hard?.[res] ?? '?'}`,
          ),
        );
  }
  return ev;
}

// ---- plans ----

/** The quota each over-limit resource needs so every missing pod fits. */
function raisedQuota(
  c: FailedCreate,
  e: Extract<CreateError, { kind: 'quota-exceeded' }>,
  quota: ResourceQuota | undefined,
): Record<string, string> {
  const hard: Record<string, string> = {};
  for (const [res, req] of Object.entries(e.requested)) {
    const used = parseQuantity(quota?.status?.used?.[res] ?? e.used[res]);
    const each = parseQuantity(req);
    if (used === undefined || each === undefined) continue;
    hard[res] = toQuantity(baseResource(res), used + each * c.missing);
  }
  return hard;
}

/**
 * The per-pod request that lets all replicas fit: what the quota leaves once the pods of other
 * workloads are counted (used − this workload's running pods × their request), split evenly.
 */
function fittingRequests(
  c: FailedCreate,
  e: Extract<CreateError, { kind: 'quota-exceeded' }>,
  quota: ResourceQuota | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  const have = num((c.controller as { status?: Status }).status?.['replicas']);
  const want = have + c.missing;
  for (const [res, req] of Object.entries(e.requested)) {
    if (!/^requests\.(cpu|memory)$/.test(res)) continue;
    const hard = parseQuantity(quota?.status?.hard?.[res] ?? e.limited[res]);
    const used = parseQuantity(quota?.status?.used?.[res] ?? e.used[res]);
    const each = parseQuantity(req);
    if (hard === undefined || used === undefined || each === undefined) continue;
    const fit = (hard - Math.max(0, used - have * each)) / want;
    if (fit > 0) out[baseResource(res)] = toQuantity(baseResource(res), fit);
  }
  return out;
}

function plans(c: FailedCreate, snapshot: Snapshot): FixPlan[] {
  const e = c.error;
  const ns = c.controller.metadata.namespace;
  const owner = refOf(c.owner);
  const target = kubectlName(owner);
  switch (e.kind) {
    case 'quota-exceeded': {
      const quota = quotaObject(snapshot, ns, e.quota);
      const hard = raisedQuota(c, e, quota);
      const fit = fittingRequests(c, e, quota);
      const out: FixPlan[] = [];
      if (Object.keys(fit).length > 0 && c.owner.kind !== 'ReplicaSet' && c.owner.kind !== 'Job')
        out.push(
          manualPlan({
            id: 'fit-requests-to-quota',
            title: `Lower the requests of ${owner.name} so all ${c.missing + num((c.controller as { status?: Status }).status?.['replicas'])} pods fit the quota`,
            explanation: `Requests are what the quota counts, not what the app uses: if the app needs less than it asks for, asking for ${Object.entries(
              fit,
            )
              .map(([k, v]) => `${k}=${v}`)
              .join(
                ', ',
              )} per pod lets every replica fit in ${e.quota}. Check the app's real use first (\`kubectl top pods${nsFlag(ns)}\`): requests too low make the scheduler pack pods onto nodes that cannot carry them.`,
            commands: [
              `kubectl top pods${nsFlag(ns)}`,
              `kubectl set resources ${target}${nsFlag(ns)} --requests=${Object.entries(fit)
                .map(([k, v]) => `${k}=${v}`)
                .join(',')}`,
            ],
          }),
        );
      if (Object.keys(hard).length > 0)
        out.push(
          manualPlan({
            id: 'raise-quota',
            title: `Raise the ResourceQuota ${e.quota}`,
            explanation: `Quotas are usually set by whoever runs the cluster to share it fairly, so raising one is their call: ask them, or if the namespace is yours, raise ${Object.entries(
              hard,
            )
              .map(([k, v]) => `${k} to ${v}`)
              .join(
                ', ',
              )} so the ${c.missing} missing pod${c.missing > 1 ? 's' : ''} fit. The controller retries on its own once there is room.`,
            commands: [
              `kubectl describe resourcequota ${e.quota}${nsFlag(ns)}`,
              `kubectl patch resourcequota ${e.quota}${nsFlag(ns)} --type=merge -p '${JSON.stringify({ spec: { hard } })}'`,
            ],
          }),
        );
      return out;
    }
    case 'quota-must-specify':
      return [
        manualPlan({
          id: 'set-requests',
          title: `Set ${e.resources.join(', ')} on every container of ${owner.name}`,
          explanation: `Give each container the ${e.resources.join(', ')} it needs; a LimitRange with defaults (\`defaultRequest\`/\`default\`) would also fill them in for every pod of the namespace.`,
          commands: [
            `kubectl set resources ${target}${nsFlag(ns)} ${e.resources
              .map((r) => `--${r.startsWith('limits.') ? 'limits' : 'requests'}=${baseResource(r)}=<amount>`)
              .join(' ')}`,
          ],
        }),
      ];
    case 'limit-range':
      return [
        manualPlan({
          id: 'fit-limit-range',
          title: `Set ${owner.name}'s requests and limits inside the LimitRange`,
          explanation: `Change the template's resources so they sit between the LimitRange's min and max (${e.violations.join('; ')}).`,
          commands: [
            `kubectl describe limitrange${nsFlag(ns)}`,
            `kubectl set resources ${target}${nsFlag(ns)} --requests=<resource>=<amount> --limits=<resource>=<amount>`,
          ],
        }),
      ];
    case 'pod-security':
      return [
        manualPlan({
          id: 'meet-pod-security',
          title: `Make ${owner.name}'s pod template meet "${e.level}"`,
          explanation: `Change the securityContext of the pod template so each failed check passes; the message says, per check, which field to set. This keeps the namespace's protection.`,
          commands: [`kubectl edit ${target}${nsFlag(ns)}`],
          instructions: e.checks.map((check) => `Fix: ${check}`),
        }),
        manualPlan({
          id: 'relax-namespace-level',
          title: `Lower the namespace's enforced level (weakens its security)`,
          explanation: `Only if the workload really needs what the standard forbids (a privileged agent, for example) and whoever owns the namespace agrees: enforce "baseline" (or "privileged") instead. Every pod of the namespace loses the protection.`,
          commands: [
            `kubectl label namespace ${ns ?? '<namespace>'} pod-security.kubernetes.io/enforce=baseline --overwrite`,
          ],
        }),
      ];
    case 'service-account':
      return serviceAccountPlans(c, e, snapshot);
    case 'webhook-unreachable': {
      const svc = webhookServiceOf(e.url);
      const config = webhookConfigOf(snapshot, e.webhook);
      return [
        manualPlan({
          id: 'restore-webhook',
          title: `Bring the webhook ${e.webhook} back`,
          explanation: `The webhook's Service needs a ready pod behind it (often it crashed, or its certificate is not issued yet). Once it answers, the controller's next retry creates the pods. If the software that installed the webhook was removed, its configuration is left behind and should be deleted.`,
          commands: [
            ...(svc
              ? [`kubectl get endpoints ${svc.name} -n ${svc.namespace}`, `kubectl get pods -n ${svc.namespace}`]
              : []),
            ...(config
              ? [
                  `kubectl get ${(config.kind ?? 'validatingwebhookconfiguration').toLowerCase()} ${config.metadata.name} -o yaml`,
                ]
              : []),
          ],
        }),
      ];
    }
    case 'webhook-denied':
      return [
        manualPlan({
          id: 'meet-webhook-policy',
          title: `Change ${owner.name} so the webhook ${e.webhook} accepts its pods`,
          explanation: `The webhook enforces a policy; its message says what it wants: ${e.reason || '(no explanation given)'}.`,
          commands: [`kubectl edit ${target}${nsFlag(ns)}`],
        }),
      ];
    case 'other':
      return [];
  }
}

function serviceAccountPlans(
  c: FailedCreate,
  e: Extract<CreateError, { kind: 'service-account' }>,
  snapshot: Snapshot,
): FixPlan[] {
  const out: FixPlan[] = [];
  const near = nearestServiceAccount(snapshot, e.namespace, e.name);
  const w = patchableWorkload(c.owner);
  if (near && w && w.spec.template.spec.serviceAccountName === e.name) {
    const ref = refOf(w);
    const path = '/spec/template/spec/serviceAccountName';
    const ops: JsonPatchOp[] = [
      { op: 'test', path, value: e.name },
      { op: 'replace', path, value: near },
    ];
    out.push({
      id: 'use-existing-serviceaccount',
      title: `Run ${w.metadata.name} as the ServiceAccount ${near}`,
      explanation: `${near} exists and its name is one slip away from ${e.name}: if that is the one meant, point the template at it. The Deployment then rolls out pods that can be created.`,
      commands: [jsonPatchCommand(ref, ops)],
      steps: [
        {
          action: 'json-patch',
          ref,
          patch: ops,
          description: `Set serviceAccountName of ${w.metadata.name} to ${near}.`,
        },
      ],
      mutates: true,
    });
  }
  const account = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: e.name, namespace: e.namespace } };
  out.push({
    id: 'create-serviceaccount',
    title: `Create the ServiceAccount ${e.name}`,
    explanation: `Creates ${e.name} in ${e.namespace} with no permissions of its own; if the app calls the Kubernetes API it also needs a Role and RoleBinding (its chart or manifests usually have them — check they were applied).`,
    commands: [`kubectl create serviceaccount ${e.name} -n ${e.namespace}`],
    steps: [{ action: 'create', object: account, description: `Create ServiceAccount ${e.namespace}/${e.name}.` }],
    mutates: true,
  });
  return out;
}

function dependsOn(c: FailedCreate, snapshot: Snapshot): ObjectRef[] {
  if (c.error.kind === 'webhook-unreachable') {
    const config = webhookConfigOf(snapshot, c.error.webhook);
    if (config) return [refOf(config)];
    const svc = webhookServiceOf(c.error.url);
    if (svc) return [{ kind: 'Service', ...svc }];
  }
  return [];
}

export const rule = defineRule({
  id: RULE_IDS.failedCreate,
  title: 'Pods refused at creation (FailedCreate)',
  classify: ({ snapshot }) => cases(snapshot),
  // The newest refusal tells the current cause.
  lead: (all) => [...all].sort((a, b) => compareText(lastTime(b), lastTime(a)))[0]!,
  explain({ lead: c, cases: all }: CaseGroup<FailedCreate>, { snapshot }): Explained {
    const { title, why } = cause(c, snapshot);
    const missing = all.reduce((n, x) => n + x.missing, 0);
    const owner = refOf(c.owner);
    const via = c.controller === c.owner ? '' : ` (its ${c.controller.kind} ${c.controller.metadata.name})`;
    const deps = dependsOn(c, snapshot);
    return {
      severity: 'critical',
      title: `${kubectlName(owner)} cannot create its pods: ${title}`,
      explanation:
        `${owner.kind} ${owner.name}${via} is missing ${missing} pod${missing > 1 ? 's' : ''}, and they do not exist at all: the API server refuses each one when the controller asks for it, so there is no pod to describe and no log to read — only the controller's FailedCreate events. ` +
        why,
      evidence: evidence(c, snapshot),
      ...(deps.length > 0 ? { dependsOn: deps } : {}),
    };
  },
  plans: ({ lead }, { snapshot }) => plans(lead, snapshot),
});
