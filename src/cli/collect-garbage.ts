// Full garbage collections at chosen moments in the cockpit. V8 lets the heap grow to two or
// three times what is alive before its next full collection, so garbage made while a big
// cluster loads piles up in the old generation and sets the process's peak RSS. The cockpit
// collects when every first list is in, and after the first diagnosis (its last full
// collection had come while the pods were still arriving; 40 MB lower peak for two pauses of
// 90–120 ms; docs/decisions/0020-cockpit-projection.md, addendum); and while the other lists
// load after the pods, each time the heap has grown by a budget (the peak came just before
// the collection at the end of loading: 10–15 MB lower; decisions/0022). With the young
// generation capped (decisions/0023) these still take 45 MB off its peak. `diagnose` no
// longer collects after its read: 60 ms for 20 MB it can spare.
//
// Node offers `gc` only to a process started with --expose-gc (a second start would cost
// what issue #10 took away); the flag set at run time takes effect in the contexts created
// after it, such as the one made here to fetch `gc` from.
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

/** How much the heap may grow while lists load before a full collection. */
const LOADING_BUDGET_BYTES = 20 * 1024 * 1024;

/**
 * While `phase()` says the lists are loading, collect (on a later turn) whenever the heap in
 * use has grown by `budget` since the last time: the garbage of loading then never piles up
 * for long. Ends once `phase()` says they are loaded.
 */
export function collectWhileLoading(
  source: Subscribable,
  phase: () => 'before' | 'loading' | 'loaded',
  gc: () => unknown = collectGarbage,
  heapUsed: () => number = () => process.memoryUsage().heapUsed,
  budget = LOADING_BUDGET_BYTES,
): () => void {
  let base: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  const unsubscribe = source.subscribe(() => {
    const now = phase();
    if (now === 'loaded') unsubscribe();
    if (now !== 'loading') return;
    const used = heapUsed();
    base ??= used;
    if (timer || used - base < budget) return;
    timer = setTimeout(() => {
      timer = undefined;
      gc();
      base = heapUsed();
    }, 0);
    timer.unref?.();
  });
  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
  };
}
