// Container logs the kubelet would hold: the current container's lines and the previous
// (terminated) one's, per namespace/pod/container, with followers for `follow=true` streams.

export interface LogLine {
  /** RFC 3339 with nanoseconds, as `timestamps=true` prints it. */
  time: string;
  /** The line as the program wrote it: bytes when they are not UTF-8 (Latin-1, binary), as a kubelet serves them. */
  text: string | Buffer;
}

/** The end of a follow stream (the pod went away) is signalled with null. */
export type LogFollower = (line: LogLine | null) => void;

interface ContainerLogs {
  current: LogLine[];
  previous: LogLine[];
}

const keyOf = (ns: string, pod: string, container: string): string => `${ns}/${pod}/${container}`;

/** `2026-11-21T21:32:59.123000000Z` (nanosecond precision, as container runtimes stamp lines). */
export function nanoTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}000000Z`;
}

export class LogStore {
  private readonly logs = new Map<string, ContainerLogs>();
  private readonly followers = new Map<string, Set<LogFollower>>();

  private slot(ns: string, pod: string, container: string): ContainerLogs {
    const k = keyOf(ns, pod, container);
    let s = this.logs.get(k);
    if (!s) {
      s = { current: [], previous: [] };
      this.logs.set(k, s);
    }
    return s;
  }

  /** Replace a container's logs (scenario loading). */
  set(ns: string, pod: string, container: string, logs: { current?: LogLine[]; previous?: LogLine[] }): void {
    const s = this.slot(ns, pod, container);
    if (logs.current) s.current = [...logs.current];
    if (logs.previous) s.previous = [...logs.previous];
  }

  append(ns: string, pod: string, container: string, text: string, timeMs: number = Date.now()): void {
    const line: LogLine = { time: nanoTime(timeMs), text };
    this.slot(ns, pod, container).current.push(line);
    for (const f of this.followers.get(keyOf(ns, pod, container)) ?? []) f(line);
  }

  /** The container restarted: what it wrote becomes the previous container's log. */
  restart(ns: string, pod: string, container: string): void {
    const s = this.slot(ns, pod, container);
    s.previous = s.current;
    s.current = [];
  }

  lines(ns: string, pod: string, container: string, previous: boolean): readonly LogLine[] {
    const s = this.logs.get(keyOf(ns, pod, container));
    return (previous ? s?.previous : s?.current) ?? [];
  }

  follow(ns: string, pod: string, container: string, follower: LogFollower): () => void {
    const k = keyOf(ns, pod, container);
    let set = this.followers.get(k);
    if (!set) {
      set = new Set();
      this.followers.set(k, set);
    }
    set.add(follower);
    return () => set.delete(follower);
  }

  /** The pod was deleted: its logs go with it and follow streams end. */
  dropPod(ns: string, pod: string): void {
    const prefix = `${ns}/${pod}/`;
    for (const k of [...this.logs.keys()]) if (k.startsWith(prefix)) this.logs.delete(k);
    for (const [k, set] of [...this.followers]) {
      if (!k.startsWith(prefix)) continue;
      for (const f of set) f(null);
      this.followers.delete(k);
    }
  }
}
