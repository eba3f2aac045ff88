// Reading a target's pods from the cluster: the pod itself, or the pods a Service's or a
// Deployment's selector picks. client-node 1.4's port-forward takes a pod name only, so
// this is kcockpit's own resolution (kubectl resolves on its side too).
import type { ObjectRef } from '../model/ref.js';
import type { Connection } from '../kube/client.js';
import type { LabelSelector, Pod, Service, Workload } from '../model/k8s.js';
import { matchesSelector } from '../model/selectors.js';
import { ForwardError } from './errors.js';
import { containerPorts, servicePorts, type AvailablePort } from './pods.js';
import { formatTarget } from './target.js';

export interface TargetPods {
  /** Every pod the target selects (for a pod target: the pod itself). */
  pods: Pod[];
  /** For a Service target: its ports map to container ports per pod. */
  service?: Service;
}

const enc = encodeURIComponent;

function describeSelector(sel: LabelSelector): string {
  const labels = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  const exprs = (sel.matchExpressions ?? []).map(
    (e) => `${e.key} ${e.operator}${e.values?.length ? ` (${e.values.join(',')})` : ''}`,
  );
  return [...labels, ...exprs].join(',');
}

/** Pods matching a selector: the label part is filtered by the server, expressions here. */
async function selectPods(
  conn: Connection,
  namespace: string,
  selector: LabelSelector,
  signal?: AbortSignal,
): Promise<Pod[]> {
  const labelSelector = Object.entries(selector.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const result = await conn.list<Pod>(`/api/v1/namespaces/${enc(namespace)}/pods`, {
    query: labelSelector ? { labelSelector } : {},
    action: `list pods in namespace ${namespace}`,
    ...(signal ? { signal } : {}),
  });
  return result.items.filter((p) => matchesSelector(p.metadata.labels, selector));
}

function namespaceOf(ref: ObjectRef, conn: Connection): string {
  return ref.namespace ?? conn.namespace;
}

/** Throws KubeError (not found, forbidden...) or ForwardError (a Service without a selector). */
export async function readTarget(conn: Connection, ref: ObjectRef, signal?: AbortSignal): Promise<TargetPods> {
  const ns = namespaceOf(ref, conn);
  const opts = signal ? { signal } : {};
  switch (ref.kind) {
    case 'Pod': {
      const pod = await conn.getJson<Pod>(
        `/api/v1/namespaces/${enc(ns)}/pods/${enc(ref.name)}`,
        {},
        { ...opts, action: `get pod ${ref.name}` },
      );
      return { pods: [pod] };
    }
    case 'Service': {
      const service = await conn.getJson<Service>(
        `/api/v1/namespaces/${enc(ns)}/services/${enc(ref.name)}`,
        {},
        { ...opts, action: `get service ${ref.name}` },
      );
      const sel = service.spec.selector;
      if (!sel || Object.keys(sel).length === 0) {
        throw new ForwardError(
          'nopod',
          `svc/${ref.name} has no selector, so no pod belongs to it (its endpoints are set by hand): forward to the pod or workload behind it instead`,
        );
      }
      return { pods: await selectPods(conn, ns, { matchLabels: sel }, signal), service };
    }
    case 'Deployment': {
      const deploy = await conn.getJson<Workload>(
        `/apis/apps/v1/namespaces/${enc(ns)}/deployments/${enc(ref.name)}`,
        {},
        { ...opts, action: `get deployment ${ref.name}` },
      );
      const sel = deploy.spec.selector;
      if (!sel) throw new ForwardError('nopod', `deploy/${ref.name} has no selector: no pod can be found for it`);
      return { pods: await selectPods(conn, ns, sel, signal) };
    }
    default:
      throw new ForwardError('spec', `cannot port-forward to a ${ref.kind}: give pod/NAME, svc/NAME or deploy/NAME`);
  }
}

/** One line on why a target has no pod to forward to, for a start that cannot go ahead. */
export function noPodMessage(ref: ObjectRef, found: TargetPods): string {
  const target = formatTarget(ref);
  if (ref.kind === 'Pod') {
    const pod = found.pods[0];
    const phase = pod?.metadata.deletionTimestamp ? 'Terminating' : (pod?.status?.phase ?? 'Pending');
    return `pod ${ref.name} is not running (status ${phase}): a port-forward needs a running pod; see why with kcockpit diagnose or kubectl describe pod ${ref.name}`;
  }
  if (found.pods.length === 0) {
    const sel = found.service?.spec.selector
      ? describeSelector({ matchLabels: found.service.spec.selector })
      : 'its selector';
    return `${target} selects no pods (${sel}): nothing to forward to; check that the selector matches the pods' labels and that the pods exist`;
  }
  const n = found.pods.length;
  return `${target} has ${n} pod${n === 1 ? '' : 's'} and none is running: wait for one to start, or see why with kcockpit diagnose`;
}

/** The ports a user can choose from: a Service's ports, or the containers' ports of a pod or Deployment. */
export async function availablePorts(conn: Connection, ref: ObjectRef): Promise<AvailablePort[]> {
  const ns = namespaceOf(ref, conn);
  switch (ref.kind) {
    case 'Service':
      return servicePorts(
        await conn.getJson<Service>(
          `/api/v1/namespaces/${enc(ns)}/services/${enc(ref.name)}`,
          {},
          { action: `get service ${ref.name}` },
        ),
      );
    case 'Deployment':
      return containerPorts(
        (
          await conn.getJson<Workload>(
            `/apis/apps/v1/namespaces/${enc(ns)}/deployments/${enc(ref.name)}`,
            {},
            { action: `get deployment ${ref.name}` },
          )
        ).spec.template.spec,
      );
    default:
      return containerPorts(
        (
          await conn.getJson<Pod>(
            `/api/v1/namespaces/${enc(ns)}/pods/${enc(ref.name)}`,
            {},
            { action: `get pod ${ref.name}` },
          )
        ).spec,
      );
  }
}
