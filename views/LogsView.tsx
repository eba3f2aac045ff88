// `l` / `p`: a container's log, streamed through the LogSource. Opens on the container that
// is failing, since that is the log the user is after.
import type { Pod } from '../src/model/k8s.js';
import type { LogRequest, LogState } from './hooks/useLogLines.js';
import type { ViewEntry } from './state.js';
import type { TextViewDef } from './view-def.js';

/**
 * The container to show: for the previous log, one that has restarted; otherwise one that
 * is waiting or terminated; else the first. `kubectl logs` would ask; a cockpit can guess well.
 */
export function pickContainer(pod: Pod, previous: boolean): string | undefined {
  const statuses = pod.status?.containerStatuses ?? [];
  const failing = statuses.find((s) =>
    previous ? s.restartCount > 0 || s.lastState?.terminated : s.state?.waiting || s.state?.terminated,
  );
  return failing?.name ?? pod.spec.containers[0]?.name;
}

export function logRequest(e: ViewEntry): LogRequest | undefined {
  if (e.view !== 'logs' || !e.subject || !e.container) return undefined;
  return {
    namespace: e.subject.namespace ?? '',
    pod: e.subject.name,
    container: e.container,
    previous: e.previous ?? false,
  };
}

function logsTitle(e: ViewEntry): string {
  return `logs ${e.subject?.name ?? ''}/${e.container ?? ''}${e.previous ? ' (previous)' : ''}`;
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
