// Two full garbage collections at start-up: when every first list is in, and after the first
// diagnosis (docs/decisions/0020-cockpit-projection.md, addendum). V8's last full collection
// before then came while the pods were still arriving, with a third of the final heap alive,
// and it lets the heap grow to about three times that before the next one: the other lists'
// parse garbage, the first diagnosis (~70 MB) and the renders piled up in the old generation,
// and the process peaked there, 40 MB above what a collection at those two points leaves.
import v8 from 'node:v8';
import vm from 'node:vm';

let collect: (() => void) | null | undefined;

/**
 * A full collection now, where the runtime allows one (Node gives `gc` to contexts made after
 * `--expose-gc` is set). Returns whether it ran.
 */
export function collectGarbage(): boolean {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      const gc: unknown = vm.runInNewContext('gc');
      collect = typeof gc === 'function' ? (gc as () => void) : null;
    } catch {
      collect = null;
    }
  }
  if (!collect) return false;
  collect();
  return true;
}

interface Subscribable {
  subscribe(listener: () => void): () => void;
}

/**
 * Collect once when `ready()` first holds after a notification of `source`, on a later turn
 * of the event loop so whatever the notification's other listeners render goes first.
 */
export function collectOnceWhen(
  source: Subscribable,
  ready: () => boolean,
  gc: () => unknown = collectGarbage,
): () => void {
  let timer: NodeJS.Timeout | undefined;
  const unsubscribe = source.subscribe(() => {
    if (timer || !ready()) return;
    unsubscribe();
    timer = setTimeout(() => void gc(), 0);
    timer.unref?.();
  });
  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
  };
}
