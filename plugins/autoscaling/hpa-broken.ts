// A HorizontalPodAutoscaler that cannot do its job: its scale target does not exist
// (`AbleToScale=False`, `FailedGetScale`), or it cannot read the metric it scales on
// (`ScalingActive=False`, `FailedGet*Metric`) — no metrics-server, or a container without the
// request a utilization target is a percentage of. The workload keeps running at whatever size
// it has, so this is a warning: the app will not grow under load. Quiet for a few minutes after
// the condition turns (new pods have no metrics yet) and for `ScalingDisabled` (scaled to 0 on purpose).
import type { HorizontalPodAutoscaler } from '../../src/model/k8s.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import type { Evidence, FixPlan, JsonPatchOp, ObjectRef } from '../../src/diagnose/types.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { fieldEvidence, kubectlName, refOf } from '../../src/diagnose/evidence.js';
import { jsonPatchCommand, manualPlan, nsFlag } from '../../src/diagnose/plans.js';
import { nearestName } from '../../src/diagnose/nearest.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';

/** Metric failures right after a rollout are normal: new pods report after a scrape or two. */
const SETTLE_MS = 5 * 60_000;

const LISTED: Record<string, string> = {
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  ReplicaSet: 'replicasets',
};

type Cause =
  | { kind: 'target-missing'; near?: string; message?: string }
  | { kind: 'missing-request'; resource: string; container: string; pod: string; message: string }
  | { kind: 'no-metrics-api'; served: boolean | undefined; message: string }
  | { kind: 'metrics'; reason: string; message: string };

interface Broken extends Case {
  hpa: HorizontalPodAutoscaler;
  target: ObjectRef;
  cause: Cause;
}

type Condition = NonNullable<NonNullable<HorizontalPodAutoscaler['status']>['conditions']>[number];

function condition(hpa: HorizontalPodAutoscaler, type: string): Condition | undefined {
  return (hpa.status?.conditions ?? []).find((c) => c?.type === type);
}

function settled(c: Condition, now: number): boolean {
  const at = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return Number.isNaN(at) || now - at >= SETTLE_MS;
}

function metricCause(c: Condition, snapshot: Snapshot): Cause {
  const message = c.message ?? '';
  const m = /missing request for (\S+) in container (\S+) of Pod (\S+)/.exec(message);
  if (m) return { kind: 'missing-request', resource: m[1]!, container: m[2]!, pod: m[3]!, message };
  if (
    /unable to (?:get|fetch) metrics from resource metrics API|no metrics returned from resource metrics API|get pods\.metrics\.k8s\.io/.test(
      message,
    )
  ) {
    // No discovery at all (forbidden, or it failed) says nothing about metrics-server.
    const served = snapshot.apiGroups.size === 0 ? undefined : snapshot.hasGroup('metrics.k8s.io');
    return { kind: 'no-metrics-api', served, message };
  }
  return { kind: 'metrics', reason: c.reason ?? '', message };
}

function cases(snapshot: Snapshot, now: number): Broken[] {
  const out: Broken[] = [];
  for (const hpa of snapshot.horizontalPodAutoscalers) {
    const ref = hpa.spec?.scaleTargetRef;
    if (!ref?.name || !ref.kind) continue;
    const ns = hpa.metadata.namespace;
    const target: ObjectRef = { kind: ref.kind, name: ref.name, ...(ns ? { namespace: ns } : {}) };
    const base = { subject: refOf(hpa), hpa, target };
    const able = condition(hpa, 'AbleToScale');
    const list = LISTED[ref.kind];
    const readable = list !== undefined && !snapshot.forbidden.has(list);
    const missing = readable
      ? !snapshot.get(ref.kind, ns, ref.name)
      : able?.status === 'False' && able.reason === 'FailedGetScale';
    if (missing) {
      const near = readable
        ? nearestName(
            ref.name,
            snapshot.inNamespace(ref.kind, ns ?? '').map((o) => o.metadata.name),
          )
        : undefined;
      out.push({
        ...base,
        detail: 'target',
        cause: {
          kind: 'target-missing',
          ...(near ? { near } : {}),
          ...(able?.reason === 'FailedGetScale' && able.message ? { message: able.message } : {}),
        },
      });
      continue;
    }
    const active = condition(hpa, 'ScalingActive');
    if (active?.status === 'False' && /^FailedGet.*Metric$/.test(active.reason ?? '') && settled(active, now))
      out.push({ ...base, detail: 'metrics', cause: metricCause(active, snapshot) });
  }
  return out;
}

function explain({ lead: b }: CaseGroup<Broken>): Explained {
  const ref = refOf(b.hpa);
  const t = `${b.target.kind} ${b.target.name}`;
  const evidence: Evidence[] = [];
  const c = b.cause;
  const push = (type: string, message: string | undefined): void => {
    if (message) evidence.push(fieldEvidence(b.hpa, `status.conditions[type=${type}].message`, message));
  };
  evidence.push(fieldEvidence(b.hpa, 'spec.scaleTargetRef', `${b.target.kind}/${b.target.name}`, 'spec'));
  switch (c.kind) {
    case 'target-missing':
      push('AbleToScale', c.message);
      return {
        severity: 'warning',
        title: `${kubectlName(ref)} scales ${t}, which does not exist`,
        explanation:
          `The autoscaler ${ref.name} points at ${t}, and there is no such ${b.target.kind} in ${b.target.namespace ?? 'the namespace'}` +
          (c.near ? ` — did you mean ${c.near}?` : '') +
          `. It scales nothing, so the workload it was meant for never grows under load.`,
        evidence: evidence.reverse(),
      };
    case 'missing-request':
      push('ScalingActive', c.message);
      return {
        severity: 'warning',
        title: `${kubectlName(ref)} cannot compute ${c.resource} utilization: container ${c.container} requests no ${c.resource}`,
        explanation: `The autoscaler scales ${t} on ${c.resource} utilization, which is a percentage of what each container requests; container ${c.container} (pod ${c.pod}) requests no ${c.resource}, so there is nothing to take a percentage of and the autoscaler does not scale at all. Set a ${c.resource} request on every container of ${b.target.name}.`,
        evidence: evidence.reverse(),
      };
    case 'no-metrics-api':
      push('ScalingActive', c.message);
      return {
        severity: 'warning',
        title: `${kubectlName(ref)} cannot read metrics: ${c.served === false ? 'metrics-server is not installed' : 'the resource metrics API does not answer'}`,
        explanation:
          `The autoscaler reads pod CPU and memory from the resource metrics API (metrics.k8s.io), which metrics-server provides. ` +
          (c.served === false
            ? 'The cluster does not serve that API group, so metrics-server is not installed: the autoscaler never scales.'
            : c.served === undefined
              ? 'kcockpit may not read API discovery, so it could not check whether metrics-server is installed; the API gave no metrics, so the autoscaler does not scale.'
              : 'The API group is registered but gave no metrics: metrics-server is not running or cannot scrape the kubelets, so the autoscaler does not scale.'),
        evidence: evidence.reverse(),
      };
    case 'metrics':
      push('ScalingActive', c.message);
      return {
        severity: 'warning',
        title: `${kubectlName(ref)} cannot read its metrics (${c.reason})`,
        explanation: `The autoscaler of ${t} cannot get the metric it scales on, so it does not scale: ${c.message}`,
        evidence: evidence.reverse(),
      };
  }
}

function plans({ lead: b }: CaseGroup<Broken>): FixPlan[] {
  const ref = refOf(b.hpa);
  const ns = nsFlag(ref.namespace);
  const c = b.cause;
  switch (c.kind) {
    case 'target-missing': {
      if (!c.near)
        return [
          manualPlan({
            id: 'point-at-workload',
            title: `Point ${ref.name} at the workload it should scale`,
            explanation: `Set spec.scaleTargetRef to the ${b.target.kind} that exists, or delete the autoscaler if that workload is gone.`,
            commands: [`kubectl get ${b.target.kind.toLowerCase()}s${ns}`, `kubectl edit ${kubectlName(ref)}${ns}`],
          }),
        ];
      const path = '/spec/scaleTargetRef/name';
      const ops: JsonPatchOp[] = [
        { op: 'test', path, value: b.target.name },
        { op: 'replace', path, value: c.near },
      ];
      return [
        {
          id: 'retarget-existing-workload',
          title: `Scale ${b.target.kind} ${c.near} instead`,
          explanation: `${c.near} exists and its name is one slip away from ${b.target.name}: point the autoscaler at it.`,
          commands: [jsonPatchCommand(ref, ops)],
          steps: [
            {
              action: 'json-patch',
              ref,
              patch: ops,
              description: `Set scaleTargetRef.name of ${ref.name} to ${c.near}.`,
            },
          ],
          mutates: true,
        },
      ];
    }
    case 'missing-request':
      return [
        manualPlan({
          id: 'set-request',
          title: `Give container ${c.container} a ${c.resource} request`,
          explanation: `Pick a request close to what the container uses at normal load (\`kubectl top pods\`); utilization is measured against it.`,
          commands: [
            `kubectl top pods${ns}`,
            `kubectl set resources ${b.target.kind.toLowerCase()}/${b.target.name}${ns} -c ${c.container} --requests=${c.resource}=<amount>`,
          ],
        }),
      ];
    case 'no-metrics-api':
      return [
        manualPlan({
          id: 'install-metrics-server',
          title: c.served === false ? 'Install metrics-server' : 'Get metrics-server answering',
          explanation:
            "metrics-server provides the resource metrics API the autoscaler reads. On minikube `minikube addons enable metrics-server` installs it; elsewhere apply its release manifest (or your distribution's add-on).",
          commands: [
            'kubectl get apiservice v1beta1.metrics.k8s.io',
            'kubectl apply -f https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml',
            'kubectl top pods -A',
          ],
        }),
      ];
    case 'metrics':
      return [
        manualPlan({
          id: 'check-metrics-source',
          title: 'Check the metrics source the autoscaler uses',
          explanation:
            'Custom and external metrics come from an adapter (Prometheus Adapter, KEDA...): check it is installed and serves the metric by that name.',
          commands: [`kubectl describe ${kubectlName(ref)}${ns}`, 'kubectl get apiservices | grep metrics'],
        }),
      ];
  }
}

export const rule = defineRule({
  id: RULE_IDS.hpaBroken,
  title: 'HorizontalPodAutoscaler that cannot scale',
  classify: ({ snapshot, now }) => cases(snapshot, now),
  explain,
  plans,
});
