// `l` / `p`: a container's log, streamed through the LogSource, or every container's at once
// (each line prefixed with the container's name). `l` on a pod of several containers asks
// which, starting on the one that is failing, since that is the log the user is after.
import type { Pod } from '../src/model/k8s.js';
import type { LogRequest, LogState } from './hooks/useLogLines.js';
import type { ViewEntry } from './state.js';
import type { TextViewDef } from './view-def.js';

/** The annotation `kubectl logs` and `kubectl exec` read for the container to use when none is named. */
export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

/**
 * The container to show: for the previous log, one that has restarted; otherwise one that
 * is waiting or terminated; else the pod's default container (its annotation, as kubectl
 * reads it), else the first.
 */
export function pickContainer(pod: Pod, previous: boolean): string | undefined {
  const statuses = pod.status?.containerStatuses ?? [];
  const failing = statuses.find((s) =>
    previous ? s.restartCount > 0 || s.lastState?.terminated : s.state?.waiting || s.state?.terminated,
  );
  const named = pod.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  const fallback = pod.spec.containers.some((c) => c.name === named) ? named : pod.spec.containers[0]?.name;
  return failing?.name ?? fallback;
}

/** The chooser's last option: every container's log together. */
export const ALL_CONTAINERS = '(all containers)';

export function logRequest(e: ViewEntry): LogRequest | undefined {
  const containers = e.containers ?? (e.container ? [e.container] : []);
  if (e.view !== 'logs' || !e.subject || containers.length === 0) return undefined;
  return {
    namespace: e.subject.namespace ?? '',
    pod: e.subject.name,
    containers,
    previous: e.previous ?? false,
  };
}

function logsTitle(e: ViewEntry): string {
  const which = e.containers ? ` (all containers: ${e.containers.join(', ')})` : `/${e.container ?? ''}`;
  return `logs ${e.subject?.name ?? ''}${which}${e.previous ? ' (previous)' : ''}`;
}

/** The log lines plus one closing line saying why no more will come. */
function logLines(state: LogState, previous: boolean): readonly string[] {
  if (state.status === 'failed') return [...state.lines, `! Could not read the log: ${state.error ?? 'unknown error'}`];
  if (state.status === 'ended') {
    const empty = previous
      ? 'No previous log: the container has not restarted, or its log is gone.'
      : 'The log is empty.';
    return state.lines.length === 0 ? [empty] : [...state.lines, '— end of log —'];
  }
  return state.lines;
}

export const logsView: TextViewDef = {
  type: 'text',
  name: 'logs',
  title: (_ctx, e) => logsTitle(e),
  lines: (ctx, e) => logLines(ctx.log, e.previous ?? false),
};
