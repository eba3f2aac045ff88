// Pod → row, with READY, STATUS and RESTARTS computed the way `kubectl get pods` does, so
// what the cockpit says matches what users see in kubectl and in docs.
import type { ContainerStatus, Pod } from '../../src/model/k8s.js';
import type { Severity } from '../../src/diagnose/types.js';
import { humanAge } from '../../src/format/age.js';
import type { Column } from '../components/table-layout.js';
import { AGE_COLUMN, MARK_COLUMN, withNamespaceCell, withNamespaceColumn } from './columns.js';
import { markCell, type RowStyle, type RowView } from './row.js';

export interface PodSummary {
  ready: number;
  total: number;
  /** kubectl's STATUS: a waiting/terminated reason, Init:x/y, Terminating, or the phase. */
  status: string;
  restarts: number;
  /** When a container last restarted (its previous run finished), RFC 3339. */
  lastRestartAt?: string;
}

function terminatedReason(prefix: string, t: { reason?: string; signal?: number; exitCode: number }): string {
  if (t.reason) return prefix + t.reason;
  return t.signal ? `${prefix}Signal:${t.signal}` : `${prefix}ExitCode:${t.exitCode}`;
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** The init container that holds the pod back, as kubectl words it, or undefined when init is done. */
function initStatus(pod: Pod): string | undefined {
  const statuses = pod.status?.initContainerStatuses ?? [];
  const count = pod.spec.initContainers?.length ?? statuses.length;
  for (const [i, c] of statuses.entries()) {
    const state = c.state ?? {};
    if (state.terminated && state.terminated.exitCode === 0) continue;
    if (state.terminated) return terminatedReason('Init:', state.terminated);
    if (state.waiting?.reason && state.waiting.reason !== 'PodInitializing') return `Init:${state.waiting.reason}`;
    return `Init:${i}/${count}`;
  }
  return undefined;
}

function isInitialized(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Initialized' && c.status === 'True') ?? false;
}

export function podSummary(pod: Pod): PodSummary {
  const containerStatuses: readonly ContainerStatus[] = pod.status?.containerStatuses ?? [];
  let status = pod.status?.reason || pod.status?.phase || 'Unknown';
  if (pod.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated'))
    status = 'SchedulingGated';

  const init = initStatus(pod);
  if (init !== undefined) status = init;
  const containersCount = init === undefined || isInitialized(pod);
  // While init containers run, RESTARTS counts theirs; afterwards, the app containers'.
  const counted = containersCount ? containerStatuses : (pod.status?.initContainerStatuses ?? []);
  let restarts = 0;
  let lastRestartAt: string | undefined;
  for (const c of counted) {
    restarts += c.restartCount;
    lastRestartAt = later(lastRestartAt, c.lastState?.terminated?.finishedAt);
  }

  let ready = 0;
  if (containersCount) {
    let running = false;
    // kubectl walks the containers last to first, so the first container's state wins.
    for (const c of [...containerStatuses].reverse()) {
      const state = c.state ?? {};
      if (state.waiting?.reason) status = state.waiting.reason;
      else if (state.terminated) status = terminatedReason('', state.terminated);
      else if (c.ready && state.running) {
        running = true;
        ready++;
      }
    }
    if (status === 'Completed' && running) {
      status = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }

  const phase = pod.status?.phase;
  if (pod.metadata.deletionTimestamp) {
    if (pod.status?.reason === 'NodeLost') status = 'Unknown';
    else if (phase !== 'Succeeded' && phase !== 'Failed') status = 'Terminating';
  }

  const summary: PodSummary = { ready, total: pod.spec.containers.length, status, restarts };
  if (lastRestartAt) summary.lastRestartAt = lastRestartAt;
  return summary;
}

const FAILING = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'ErrImageNeverPull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'ContainerCannotRun',
  'OOMKilled',
  'Error',
  'Failed',
  'Evicted',
  'DeadlineExceeded',
  'Unknown',
]);

export function podStyle(s: PodSummary): RowStyle | undefined {
  const reason = s.status.replace(/^Init:/, '');
  if (FAILING.has(reason) || /^(ExitCode|Signal):/.test(reason)) return 'critical';
  if (s.status === 'Completed' || s.status === 'Succeeded') return 'dim';
  if (s.status !== 'Running' || s.ready < s.total) return 'warning';
  return undefined;
}

/**
 * CPU and memory, where metrics-server answers: as `kubectl top`, then as a share of the
 * requests. They give way before the name is cut (the shares first), as IP does.
 */
const METRICS_COLUMNS: readonly Column[] = [
  { key: 'cpu', title: 'CPU', width: 6, align: 'right', priority: 2 },
  { key: 'mem', title: 'MEM', width: 7, align: 'right', priority: 2 },
  { key: 'cpuR', title: '%CPU/R', width: 6, align: 'right', priority: 3 },
  { key: 'memR', title: '%MEM/R', width: 6, align: 'right', priority: 3 },
];

export function podColumns(allNamespaces: boolean, metrics = false): readonly Column[] {
  return [
    MARK_COLUMN,
    ...withNamespaceColumn(
      [
        { key: 'name', title: 'NAME', minWidth: 28, flex: 3, truncate: 'middle' },
        { key: 'ready', title: 'READY', width: 5 },
        { key: 'status', title: 'STATUS', minWidth: 16 },
        // `412 (5m ago)`
        { key: 'restarts', title: 'RESTARTS', width: 12 },
        ...(metrics ? METRICS_COLUMNS : []),
        AGE_COLUMN,
        { key: 'ip', title: 'IP', width: 15, priority: 2 },
        { key: 'node', title: 'NODE', minWidth: 12, flex: 1, priority: 1 },
      ],
      allNamespaces,
    ),
  ];
}

export interface PodRowContext {
  now: number;
  allNamespaces: boolean;
  /** The worst severity among the findings about this pod, if any. */
  severity?: Severity;
  /** With metrics columns: the pod's cells for them (data/metrics.ts's usageCells). */
  usage?: readonly string[];
}

export function podRow(pod: Pod, ctx: PodRowContext): RowView {
  const s = podSummary(pod);
  const restarts =
    s.restarts > 0 && s.lastRestartAt
      ? `${s.restarts} (${humanAge(s.lastRestartAt, ctx.now)} ago)`
      : String(s.restarts);
  const mark = markCell(ctx.severity);
  const cells = withNamespaceCell(
    [
      pod.metadata.name,
      `${s.ready}/${s.total}`,
      s.status,
      restarts,
      ...(ctx.usage ?? []),
      humanAge(pod.metadata.creationTimestamp, ctx.now),
      pod.status?.podIP ?? '<none>',
      pod.spec.nodeName ?? '<none>',
    ],
    pod.metadata.namespace,
    ctx.allNamespaces,
  );
  const style = podStyle(s);
  return style ? { cells: [mark, ...cells], style } : { cells: [mark, ...cells] };
}
