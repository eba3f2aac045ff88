// Log streams for the cockpit's log view (`kubectl logs -f`). A followed stream can end
// early (kubelet rotation, an idle proxy); it is reopened from the last timestamp seen, so
// the view neither stops nor repeats lines.
import { StringDecoder } from 'node:string_decoder';
import type { Connection } from './client.js';
import { cleanLogLine } from './logs.js';

export interface LogStreamOptions {
  previous: boolean;
  follow: boolean;
  /** Lines of history to start with (default 500). */
  tailLines?: number;
}

export type LogStream = AsyncIterable<string> & { stop(): void };

const RECONNECT_MS = 1000;

/** Split `2026-11-21T10:00:00.123456789Z message` into its timestamp and text. */
function splitTimestamp(line: string): { ts: string; text: string } {
  const space = line.indexOf(' ');
  return space > 0 && /^\d{4}-\d\d-\d\dT/.test(line)
    ? { ts: line.slice(0, space), text: line.slice(space + 1) }
    : { ts: '', text: line };
}

export function streamLogs(
  conn: Connection,
  namespace: string,
  pod: string,
  container: string,
  opts: LogStreamOptions,
): LogStream {
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`;
  const queue: string[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  let failure: Error | undefined;
  let lastTs = '';
  const controller = new AbortController();

  const push = (line: string) => {
    queue.push(line);
    wake?.();
  };

  const pump = async (): Promise<void> => {
    let first = true;
    while (!controller.signal.aborted) {
      const query: Record<string, string | number | boolean> = {
        container,
        timestamps: true,
        follow: opts.follow && !opts.previous,
        previous: opts.previous,
      };
      if (first || !lastTs) query['tailLines'] = opts.tailLines ?? 500;
      else query['sinceTime'] = lastTs;
      try {
        const body = await conn.stream(path, query, {
          signal: controller.signal,
          accept: '*/*',
          action: `read logs of ${pod}`,
        });
        const decoder = new StringDecoder('utf8');
        let partial = '';
        for await (const chunk of body as AsyncIterable<Buffer>) {
          const lines = (partial + decoder.write(chunk)).split(/\r?\n/);
          partial = lines.pop() ?? '';
          for (const raw of lines) {
            const { ts, text } = splitTimestamp(raw);
            // After a reconnect, sinceTime repeats lines of the same instant: skip what we showed.
            if (ts && lastTs && ts <= lastTs && !first) continue;
            if (ts) lastTs = ts;
            push(cleanLogLine(text));
          }
        }
        if (partial) push(cleanLogLine(splitTimestamp(partial).text));
      } catch (err) {
        if (controller.signal.aborted) break;
        failure = err instanceof Error ? err : new Error(String(err));
        break;
      }
      first = false;
      if (!opts.follow || opts.previous) break;
      await new Promise((r) => setTimeout(r, RECONNECT_MS));
    }
    done = true;
    wake?.();
  };
  void pump();

  return {
    stop() {
      controller.abort();
      done = true;
      wake?.();
    },
    async *[Symbol.asyncIterator]() {
      while (true) {
        if (queue.length > 0) {
          yield queue.shift()!;
          continue;
        }
        if (failure) throw failure;
        if (done) return;
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
    },
  };
}
