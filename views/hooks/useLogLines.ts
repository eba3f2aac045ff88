// Streams a container's log into a bounded buffer — or every container's of a pod at once,
// each line prefixed with its container's name, as `kubectl logs --all-containers
// --prefix`. Lines arrive one by one but the screen is updated at most every FLUSH_MS: a
// chatty container must not cause a repaint per line.
import { useEffect, useState } from 'react';
import type { LogSource } from '../sources.js';
import { inert } from '../../src/format/inert.js';

const MAX_LOG_LINES = 5000;
const FLUSH_MS = 100;

export interface LogRequest {
  namespace: string;
  pod: string;
  /** One container, or several read together (lines prefixed `[name] `). */
  containers: readonly string[];
  previous: boolean;
}

export interface LogState {
  lines: readonly string[];
  status: 'streaming' | 'ended' | 'failed';
  error?: string;
}

const EMPTY: LogState = { lines: [], status: 'streaming' };

export function useLogLines(source: LogSource | undefined, request: LogRequest | undefined): LogState {
  const [state, setState] = useState<LogState>(EMPTY);
  const key = request ? `${request.namespace}/${request.pod}/${request.containers.join(',')}/${request.previous}` : '';
  useEffect(() => {
    if (!source || !request) return;
    setState(EMPTY);
    let buffer: string[] = [];
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const recent = () => buffer.slice(-MAX_LOG_LINES);
    const flush = () => {
      timer = undefined;
      const lines = recent();
      setState((prev) => ({ ...prev, lines }));
    };
    const schedule = () => {
      timer ??= setTimeout(flush, FLUSH_MS);
    };
    // A previous container has exited: its log is complete, there is nothing to follow.
    const several = request.containers.length > 1;
    const streams = request.containers.map((container) => ({
      container,
      stream: source.stream(request.namespace, request.pod, container, {
        previous: request.previous,
        follow: !request.previous,
      }),
    }));
    const reason = (err: unknown) => inert(err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err));
    const read = async ({ container, stream }: (typeof streams)[number]) => {
      const prefix = several ? `[${inert(container)}] ` : '';
      try {
        for await (const line of stream) {
          if (stopped) break;
          buffer.push(prefix + inert(line));
          // Trim now and then rather than per line: amortised O(1) per line.
          if (buffer.length > 2 * MAX_LOG_LINES) buffer = recent();
          schedule();
        }
      } catch (err) {
        // One container's failure is one line among the others' logs; alone, it is the outcome.
        if (!several) throw err;
        buffer.push(`${prefix}! Could not read the log: ${reason(err)}`);
        schedule();
      }
    };
    void (async () => {
      try {
        await Promise.all(streams.map(read));
        if (timer) clearTimeout(timer);
        if (!stopped) setState({ lines: recent(), status: 'ended' });
      } catch (err) {
        if (!stopped) setState({ lines: recent(), status: 'failed', error: reason(err) });
      }
    })();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const s of streams) s.stream.stop();
    };
    // The request object is rebuilt on every render; its key says when it really changed.
  }, [source, key]);
  return state;
}
