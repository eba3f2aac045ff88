// The previous container's last log lines for crashing containers, fetched ahead of
// diagnosis so rules stay pure: the storage error at the end of a crashed collector's log
// is the evidence that links it to the database it waits for.
import type { ContainerStatus, LogTail, Pod } from '../model/k8s.js';
import type { Connection } from './client.js';
import { limiter } from './concurrency.js';
import { KubeError } from './errors.js';

export interface LogTarget {
  namespace: string;
  pod: string;
  container: string;
  /** The pod's uid and the container's restarts: a new crash is a new restart count. */
  uid: string;
  restartCount: number;
  /** Higher first: crash-looping now, then by restarts. */
  priority: number;
}

export const DEFAULT_LOG_LINES = 30;
/** A container crash-looping now outranks any that is not, whatever their restarts. */
const LOOPING = 1_000_000;
/** A hostile container can print one 10 MB line; the server cuts the answer here. */
const LIMIT_BYTES = 64 * 1024;
const MAX_LINE = 2000;

/**
 * Containers in CrashLoopBackOff or that have terminated before, most urgent first. The live
 * store asks after every rebuild, over every pod: nothing is allocated for a healthy pod.
 */
export function crashLogTargets(pods: Iterable<Pod>): LogTarget[] {
  const targets: LogTarget[] = [];
  for (const pod of pods) {
    if (!pod.metadata.namespace || !pod.status) continue;
    addCrashed(targets, pod, pod.status.initContainerStatuses);
    addCrashed(targets, pod, pod.status.containerStatuses);
  }
  return targets.sort((a, b) => b.priority - a.priority);
}

function addCrashed(targets: LogTarget[], pod: Pod, statuses: readonly ContainerStatus[] | undefined): void {
  if (!statuses) return;
  for (const cs of statuses) {
    const looping = cs.state?.waiting?.reason === 'CrashLoopBackOff';
    if (!looping && !cs.lastState?.terminated) continue;
    const restartCount = cs.restartCount ?? 0;
    targets.push({
      namespace: pod.metadata.namespace ?? '',
      pod: pod.metadata.name,
      container: cs.name,
      uid: pod.metadata.uid ?? '',
      restartCount,
      priority: (looping ? LOOPING : 0) + restartCount,
    });
  }
}

/**
 * Bytes to lines: invalid UTF-8 becomes U+FFFD instead of failing, and terminal control
 * sequences are removed (a log line must not be able to drive the user's terminal).
 */
export function decodeLogLines(bytes: Buffer, maxLines = DEFAULT_LOG_LINES): string[] {
  const text = bytes.toString('utf8');
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.slice(-maxLines).map(cleanLogLine);
}

/** One log line made safe to show: no terminal control sequences, bounded length. */
export function cleanLogLine(line: string): string {
  const clean = line
    .replace(/\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]/g, '')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
  return clean.length > MAX_LINE ? `${clean.slice(0, MAX_LINE - 1)}…` : clean;
}

/** The previous instance's last lines of one container; undefined when there is none (never crashed, logs rotated). */
export async function fetchPreviousLog(
  conn: Connection,
  t: LogTarget,
  opts: { lines?: number; signal?: AbortSignal; onForbidden?: () => void } = {},
): Promise<LogTail | undefined> {
  const lines = opts.lines ?? DEFAULT_LOG_LINES;
  const path = `/api/v1/namespaces/${encodeURIComponent(t.namespace)}/pods/${encodeURIComponent(t.pod)}/log`;
  const query = { container: t.container, previous: true, tailLines: lines, limitBytes: LIMIT_BYTES };
  try {
    const req = opts.signal
      ? { signal: opts.signal, accept: '*/*', action: `read logs of ${t.pod}` }
      : { accept: '*/*', action: `read logs of ${t.pod}` };
    const bytes = await conn.getBytes(path, query, req);
    return {
      namespace: t.namespace,
      pod: t.pod,
      container: t.container,
      previous: true,
      lines: decodeLogLines(bytes, lines),
    };
  } catch (e) {
    if (opts.signal?.aborted) throw e;
    // 400 "previous terminated container not found", 403 on pods/log, a node that is gone:
    // the log is simply not evidence we have. Only the 403 is worth saying: it holds for every pod.
    if (e instanceof KubeError && e.kind === 'forbidden') opts.onForbidden?.();
    return undefined;
  }
}

export interface CrashLogOptions {
  /** At most this many logs (default 40). */
  max?: number;
  /** At most this many reads at once (default 4). */
  concurrency?: number;
  lines?: number;
  signal?: AbortSignal;
  onForbidden?: () => void;
}

/** Fetch logs for the first `max` targets, `concurrency` at a time. */
export function fetchCrashLogs(
  conn: Connection,
  targets: readonly LogTarget[],
  opts: CrashLogOptions = {},
): Promise<LogTail[]> {
  return new CrashLogReader(conn, opts).finish(targets);
}

/**
 * The previous logs of the `max` most urgent crashed containers of pods that are still being
 * listed. A container crash-looping now outranks every one that is not, so while no more
 * than `max` of them have been seen, each is sure to be chosen: its log is read at once,
 * while the rest of the list is still on its way (`offer`), instead of in rounds after the
 * last page. `finish`, given every target, reads the ones still missing. Only when more than
 * `max` containers loop can a log read early turn out not to be chosen (later pages held
 * containers that restarted more): that read was for nothing.
 */
export class CrashLogReader {
  private readonly reads = new Map<string, Promise<LogTail | undefined>>();
  private looping = 0;
  private readonly max: number;
  private readonly limited: <T>(task: () => Promise<T>) => Promise<T>;

  constructor(
    private readonly conn: Connection,
    private readonly opts: CrashLogOptions = {},
  ) {
    this.max = opts.max ?? 40;
    this.limited = limiter(opts.concurrency ?? 4);
  }

  /** The targets of pods just listed (`crashLogTargets` of a page). */
  offer(targets: readonly LogTarget[]): void {
    for (const t of targets) {
      if (t.priority < LOOPING || ++this.looping > this.max) continue;
      void this.read(t).catch(() => undefined);
    }
  }

  /** The logs of the first `max` of all targets (`crashLogTargets` of every pod), in that order. */
  async finish(targets: readonly LogTarget[]): Promise<LogTail[]> {
    const tails = await Promise.all(targets.slice(0, this.max).map((t) => this.read(t)));
    return tails.filter((t): t is LogTail => t !== undefined);
  }

  private read(t: LogTarget): Promise<LogTail | undefined> {
    const key = `${t.uid}/${t.namespace}/${t.pod}/${t.container}/${t.restartCount}`;
    let read = this.reads.get(key);
    if (!read) {
      read = this.limited(() => fetchPreviousLog(this.conn, t, this.opts));
      this.reads.set(key, read);
    }
    return read;
  }
}
