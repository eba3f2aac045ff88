// `kubectl describe`-like text: what users already know how to read, including the events
// at the bottom, which is where most answers are. Secret values never appear: env vars from
// Secrets are shown as references, as kubectl does.
import type {
  Container,
  ContainerState,
  ContainerStatus,
  KubeEvent,
  KubeObject,
  Namespace,
  Pod,
  Probe,
  Service,
  Workload,
} from '../../src/model/k8s.js';
import type { ObjectRef } from '../../src/diagnose/types.js';
import { eventTime, type Snapshot } from '../../src/store/snapshot.js';
import { humanAge } from '../../src/format/age.js';
import { stringify } from 'yaml';
import { missingText } from '../data/objects.js';
import { secretDescribe } from '../kinds/SecretsKind.js';
import { eventCount } from './events.js';
import { fit } from './text.js';

type Lines = string[];

/** Label widths: top-level values line up at column 18, nested ones 16 past their indent. */
const TOP_LABEL = 18;
const NESTED_LABEL = 16;

function field(lines: Lines, indent: number, name: string, value: string | number | undefined): void {
  const width = Math.max(indent === 0 ? TOP_LABEL : NESTED_LABEL, name.length + 3);
  lines.push(
    `${' '.repeat(indent)}${`${name}:`.padEnd(width)}${value === undefined || value === '' ? '<none>' : value}`,
  );
}

/** `k=v` pairs, one per line after the first, aligned under the value column as kubectl does. */
function pairs(lines: Lines, indent: number, name: string, map: Record<string, string> | undefined): void {
  const entries = Object.entries(map ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  if (entries.length === 0) return field(lines, indent, name, '<none>');
  entries.forEach(([k, v], i) => {
    if (i === 0) field(lines, indent, name, `${k}=${v}`);
    else
      lines.push(' '.repeat(indent + Math.max(indent === 0 ? TOP_LABEL : NESTED_LABEL, name.length + 3)) + `${k}=${v}`);
  });
}

function timestamp(at: string | undefined): string | undefined {
  if (!at) return undefined;
  const t = Date.parse(at);
  return Number.isNaN(t) ? at : new Date(t).toUTCString();
}

function controller(obj: KubeObject): string | undefined {
  const ref = obj.metadata.ownerReferences?.find((r) => r.controller) ?? obj.metadata.ownerReferences?.[0];
  return ref ? `${ref.kind}/${ref.name}` : undefined;
}

function state(lines: Lines, indent: number, label: string, s: ContainerState | undefined): void {
  if (s?.running) {
    field(lines, indent, label, 'Running');
    field(lines, indent + 2, 'Started', timestamp(s.running.startedAt));
  } else if (s?.waiting) {
    field(lines, indent, label, 'Waiting');
    field(lines, indent + 2, 'Reason', s.waiting.reason);
    if (s.waiting.message) field(lines, indent + 2, 'Message', s.waiting.message);
  } else if (s?.terminated) {
    field(lines, indent, label, 'Terminated');
    field(lines, indent + 2, 'Reason', s.terminated.reason);
    if (s.terminated.message) field(lines, indent + 2, 'Message', s.terminated.message);
    field(lines, indent + 2, 'Exit Code', s.terminated.exitCode);
    if (s.terminated.signal) field(lines, indent + 2, 'Signal', s.terminated.signal);
    field(lines, indent + 2, 'Started', timestamp(s.terminated.startedAt));
    field(lines, indent + 2, 'Finished', timestamp(s.terminated.finishedAt));
  } else {
    field(lines, indent, label, undefined);
  }
}

function probe(p: Probe): string {
  const action = p.httpGet
    ? `http-get :${p.httpGet.port}${p.httpGet.path ?? '/'}`
    : p.tcpSocket
      ? `tcp-socket :${p.tcpSocket.port}`
      : p.exec
        ? `exec [${(p.exec.command ?? []).join(' ')}]`
        : 'unknown';
  return `${action} delay=${p.initialDelaySeconds ?? 0}s period=${p.periodSeconds ?? 10}s #failure=${p.failureThreshold ?? 3}`;
}

function container(lines: Lines, c: Container, status: ContainerStatus | undefined): void {
  lines.push(`  ${c.name}:`);
  field(lines, 4, 'Image', c.image);
  if (c.ports?.length)
    field(
      lines,
      4,
      c.ports.length > 1 ? 'Ports' : 'Port',
      c.ports.map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', '),
    );
  if (c.command?.length) field(lines, 4, 'Command', c.command.join(' '));
  if (c.args?.length) field(lines, 4, 'Args', c.args.join(' '));
  state(lines, 4, 'State', status?.state);
  if (status?.lastState && Object.keys(status.lastState).length > 0) state(lines, 4, 'Last State', status.lastState);
  field(lines, 4, 'Ready', status ? (status.ready ? 'True' : 'False') : 'False');
  field(lines, 4, 'Restart Count', status?.restartCount ?? 0);
  for (const [name, values] of [
    ['Limits', c.resources?.limits],
    ['Requests', c.resources?.requests],
  ] as const) {
    if (!values || Object.keys(values).length === 0) continue;
    lines.push(`    ${name}:`);
    for (const [k, v] of Object.entries(values)) field(lines, 6, k, v);
  }
  if (c.livenessProbe) field(lines, 4, 'Liveness', probe(c.livenessProbe));
  if (c.readinessProbe) field(lines, 4, 'Readiness', probe(c.readinessProbe));
  if (c.env?.length || c.envFrom?.length) {
    lines.push('    Environment:');
    for (const from of c.envFrom ?? []) {
      if (from.configMapRef)
        lines.push(`      ConfigMap  ${from.configMapRef.name}  Optional: ${from.configMapRef.optional ?? false}`);
      if (from.secretRef)
        lines.push(`      Secret     ${from.secretRef.name}  Optional: ${from.secretRef.optional ?? false}`);
    }
    for (const e of c.env ?? []) {
      const secret = e.valueFrom?.secretKeyRef;
      const config = e.valueFrom?.configMapKeyRef;
      const value = secret
        ? `<set to the key '${secret.key}' in secret '${secret.name}'>`
        : config
          ? `<set to the key '${config.key}' of config map '${config.name}'>`
          : (e.value ?? '');
      field(lines, 6, e.name, value);
    }
  } else {
    field(lines, 4, 'Environment', undefined);
  }
  if (c.volumeMounts?.length) {
    lines.push('    Mounts:');
    for (const m of c.volumeMounts) lines.push(`      ${m.mountPath} from ${m.name}`);
  }
}

function describePod(lines: Lines, pod: Pod): void {
  const s = pod.status ?? {};
  field(lines, 0, 'Service Account', pod.spec.serviceAccountName ?? 'default');
  field(lines, 0, 'Node', pod.spec.nodeName ? `${pod.spec.nodeName}${s.hostIP ? `/${s.hostIP}` : ''}` : undefined);
  field(lines, 0, 'Start Time', timestamp(s.startTime));
  field(lines, 0, 'Status', pod.metadata.deletionTimestamp ? 'Terminating' : s.phase);
  if (s.reason) field(lines, 0, 'Reason', s.reason);
  if (s.message) field(lines, 0, 'Message', s.message);
  field(lines, 0, 'IP', s.podIP);
  field(lines, 0, 'Controlled By', controller(pod));
  const statuses = (list: ContainerStatus[] | undefined) => new Map((list ?? []).map((c) => [c.name, c]));
  if (pod.spec.initContainers?.length) {
    lines.push('Init Containers:');
    const init = statuses(s.initContainerStatuses);
    for (const c of pod.spec.initContainers) container(lines, c, init.get(c.name));
  }
  lines.push('Containers:');
  const main = statuses(s.containerStatuses);
  for (const c of pod.spec.containers) container(lines, c, main.get(c.name));
  if (s.conditions?.length) {
    lines.push('Conditions:');
    lines.push(`  ${'Type'.padEnd(28)}Status`);
    for (const c of s.conditions) lines.push(`  ${c.type.padEnd(28)}${c.status}`);
  }
  if (pod.spec.volumes?.length) {
    lines.push('Volumes:');
    for (const v of pod.spec.volumes) {
      lines.push(`  ${v.name}:`);
      if (v.secret) field(lines, 4, 'SecretName', v.secret.secretName);
      else if (v.configMap) field(lines, 4, 'ConfigMap', v.configMap.name);
      else if (v.persistentVolumeClaim) field(lines, 4, 'ClaimName', v.persistentVolumeClaim.claimName);
      else field(lines, 4, 'Type', 'other');
    }
  }
  pairs(lines, 0, 'Node-Selectors', pod.spec.nodeSelector);
  field(
    lines,
    0,
    'Tolerations',
    (pod.spec.tolerations ?? [])
      .map((t) => `${t.key ?? ''}${t.operator === 'Exists' ? '' : `=${t.value ?? ''}`}:${t.effect ?? ''}`)
      .join(', '),
  );
}

function describeWorkload(lines: Lines, w: Workload): void {
  pairs(lines, 0, 'Selector', w.spec.selector?.matchLabels);
  const st = w.status ?? {};
  field(
    lines,
    0,
    'Replicas',
    `${w.spec.replicas ?? 1} desired | ${st.updatedReplicas ?? 0} updated | ${st.readyReplicas ?? 0} ready | ${st.availableReplicas ?? 0} available`,
  );
  field(lines, 0, 'Controlled By', controller(w));
  lines.push('Pod Template:');
  lines.push('Containers:');
  for (const c of w.spec.template.spec.containers) container(lines, c, undefined);
  for (const c of st.conditions ?? [])
    field(lines, 0, `Condition ${c.type}`, `${c.status}${c.reason ? ` (${c.reason})` : ''}`);
}

function describeService(lines: Lines, svc: Service): void {
  pairs(lines, 0, 'Selector', svc.spec.selector);
  field(lines, 0, 'Type', svc.spec.type ?? 'ClusterIP');
  field(lines, 0, 'IP', svc.spec.clusterIP);
  for (const p of svc.spec.ports ?? [])
    field(lines, 0, 'Port', `${p.name ?? '<unset>'}  ${p.port}/${p.protocol ?? 'TCP'} → ${p.targetPort ?? p.port}`);
}

/**
 * What kubectl's generic describer shows for kinds it has no describer for (a CRD's
 * objects): every top-level field besides the metadata, as indented YAML.
 */
const yamlLines = (v: unknown): string[] => stringify(v, { lineWidth: 0, indentSeq: false }).trimEnd().split('\n');

function genericFields(obj: KubeObject): string[] {
  const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = obj as KubeObject & Record<string, unknown>;
  return Object.entries(rest).flatMap(([k, v]) =>
    v !== null && typeof v === 'object'
      ? [`${k[0]?.toUpperCase() ?? ''}${k.slice(1)}:`, ...yamlLines(v).map((l) => `  ${l}`)]
      : [`${k[0]?.toUpperCase() ?? ''}${k.slice(1)}:  ${String(v)}`],
  );
}

/** The Events table of `kubectl describe`: `2m (x4 over 10m)` when an event repeated. */
export function eventLines(events: readonly KubeEvent[], now: number): string[] {
  if (events.length === 0) return ['Events:  <none>'];
  const rows = events.map((e) => {
    const count = eventCount(e);
    const last = humanAge(eventTime(e), now);
    const age = count > 1 && e.firstTimestamp ? `${last} (x${count} over ${humanAge(e.firstTimestamp, now)})` : last;
    return [
      e.type ?? '',
      e.reason ?? '',
      age,
      e.source?.component || e.reportingComponent || '',
      (e.message ?? '').trim(),
    ];
  });
  const head = ['Type', 'Reason', 'Age', 'From', 'Message'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    '  ' + cells.map((c, i) => (i === cells.length - 1 ? c : fit(c, widths[i] ?? 0) + '  ')).join('');
  return ['Events:', line(head), line(head.map((h) => '-'.repeat(h.length))), ...rows.map(line)];
}

/**
 * Describe text for an object of the snapshot, or a one-line explanation when it is gone
 * (deleted since the view opened) or of a kind the snapshot does not hold.
 */
export function describeLines(
  snapshot: Snapshot,
  ref: ObjectRef,
  now: number,
  read: { object?: KubeObject | undefined; kindLines?: ((obj: KubeObject) => string[]) | undefined } = {},
): string[] {
  // The object read from the server when describe opened is whole; the snapshot's may be trimmed.
  const obj = read.object ?? snapshot.get(ref.kind, ref.namespace, ref.name);
  if (!obj) return [missingText(ref)];
  const lines: Lines = [];
  field(lines, 0, 'Name', obj.metadata.name);
  if (obj.metadata.namespace) field(lines, 0, 'Namespace', obj.metadata.namespace);
  if (ref.kind !== 'Pod') field(lines, 0, 'Kind', ref.kind);
  field(lines, 0, 'Created', timestamp(obj.metadata.creationTimestamp));
  pairs(lines, 0, 'Labels', obj.metadata.labels);
  // kubectl leaves this one out too: it repeats the whole object as JSON.
  const { ['kubectl.kubernetes.io/last-applied-configuration']: _lastApplied, ...annotations } =
    obj.metadata.annotations ?? {};
  pairs(lines, 0, 'Annotations', annotations);
  if (ref.kind === 'Pod') describePod(lines, obj as Pod);
  else if (['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet'].includes(ref.kind))
    describeWorkload(lines, obj as Workload);
  else if (ref.kind === 'Service') describeService(lines, obj as Service);
  else if (ref.kind === 'Namespace') field(lines, 0, 'Status', (obj as Namespace).status?.phase);
  // Never the generic field dump for a Secret: that would print its values.
  else if (ref.kind === 'Secret') lines.push(...secretDescribe(obj));
  else if (read.kindLines) lines.push(...read.kindLines(obj));
  else lines.push(...genericFields(obj));
  lines.push(...eventLines(snapshot.eventsFor(ref.kind, ref.namespace, ref.name), now));
  return lines;
}
