// Admission webhooks, as far as their reachability decides: a request a webhook's rules,
// namespaceSelector and objectSelector match is "sent" to its Service. A Service with a ready
// endpoint answers (the webhook allows: its own logic is not simulated); a Service with none,
// or no Service at all, fails the call, and with failurePolicy Fail (the v1 default) the
// request fails with the API server's 500 (api-samples/status-500-webhook-failed-calling.json):
//   Internal error occurred: failed calling webhook "<name>": failed to call webhook:
//   Post "https://<svc>.<ns>.svc:443/<path>?timeout=10s": dial tcp <clusterIP>:443: connect: connection refused
// The dial error is the one kube-apiserver's default ClusterIP resolver meets when kube-proxy
// rejects a Service without endpoints.
import type { Endpoints, KubeObject, Namespace, Service, Webhook, WebhookConfiguration } from '../model/k8s.js';
import { matchesSelector } from '../model/selectors.js';
import type { ResourceDef } from './resources.js';
import type { SimState } from './state.js';
import { internalError } from './status.js';

export type AdmissionPhase = 'mutating' | 'validating';
export type Operation = 'CREATE' | 'UPDATE' | 'DELETE';

const CONFIG_KIND: Record<AdmissionPhase, string> = {
  mutating: 'MutatingWebhookConfiguration',
  validating: 'ValidatingWebhookConfiguration',
};

const listMatches = (list: string[] | undefined, value: string): boolean =>
  (list ?? []).some((v) => v === '*' || v === value);

function ruleMatches(hook: Webhook, def: ResourceDef, op: Operation): boolean {
  return (hook.rules ?? []).some((r) => {
    const scope = r.scope ?? '*';
    const inScope = scope === '*' || (scope === 'Namespaced') === def.namespaced;
    return (
      inScope &&
      listMatches(r.operations, op) &&
      listMatches(r.apiGroups, def.group) &&
      listMatches(r.apiVersions, def.version) &&
      listMatches(r.resources, def.resource)
    );
  });
}

function selectorsMatch(state: SimState, hook: Webhook, def: ResourceDef, obj: KubeObject): boolean {
  if (hook.objectSelector && !matchesSelector(obj.metadata.labels, hook.objectSelector)) return false;
  if (!hook.namespaceSelector) return true;
  const nsLabels =
    def.kind === 'Namespace' && !def.group
      ? obj.metadata.labels
      : def.namespaced
        ? (state.find('Namespace', undefined, obj.metadata.namespace ?? '') as Namespace | undefined)?.metadata.labels
        : undefined;
  // Cluster-scoped objects other than namespaces are never excluded by a namespace selector.
  return !def.namespaced && def.kind !== 'Namespace' ? true : matchesSelector(nsLabels, hook.namespaceSelector);
}

/** Why a call to the webhook's Service fails, or undefined when a ready endpoint would answer. */
function callError(state: SimState, hook: Webhook): string | undefined {
  const svcRef = hook.clientConfig?.service;
  if (!svcRef) return undefined;
  const port = svcRef.port ?? 443;
  const url = `https://${svcRef.name}.${svcRef.namespace}.svc:${port}${svcRef.path ?? ''}?timeout=${hook.timeoutSeconds ?? 10}s`;
  const svc = state.find('Service', svcRef.namespace, svcRef.name) as Service | undefined;
  const fail = (tail: string) =>
    `failed calling webhook "${hook.name}": failed to call webhook: Post "${url}": ${tail}`;
  if (!svc) return fail(`service "${svcRef.name}" not found`);
  const ep = state.find('Endpoints', svcRef.namespace, svcRef.name) as Endpoints | undefined;
  const ready = (ep?.subsets ?? []).some((s) => (s.addresses ?? []).length > 0);
  return ready ? undefined : fail(`dial tcp ${svc.spec.clusterIP ?? ''}:${port}: connect: connection refused`);
}

/** Run the webhooks of one admission phase over a request; throws the API server's 500 when a Fail-policy call fails. */
export function admitWebhooks(
  state: SimState,
  phase: AdmissionPhase,
  def: ResourceDef,
  op: Operation,
  obj: KubeObject,
): void {
  // Webhook configurations are never themselves subject to webhooks (so a broken one can be removed).
  if (def.group === 'admissionregistration.k8s.io') return;
  for (const config of state.objectsOf<WebhookConfiguration>(CONFIG_KIND[phase])) {
    for (const hook of config.webhooks ?? []) {
      if (!ruleMatches(hook, def, op) || !selectorsMatch(state, hook, def, obj)) continue;
      const err = callError(state, hook);
      if (err && (hook.failurePolicy ?? 'Fail') === 'Fail') throw internalError(err);
    }
  }
}
