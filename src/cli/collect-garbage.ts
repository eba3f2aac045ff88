// One full garbage collection between reading a big cluster and running the rules, for the
// one-shot commands. The parse leaves ~25 MB of a 10,000-pod read's garbage in the old
// generation, and V8 lets the heap grow to about twice what is live before its next full
// collection, so the rules and the report would pile up on top of it: collecting here lowers
// `diagnose -A`'s peak RSS by 20–25 MB for ~55 ms (docs/decisions/0021-list-pages.md).
//
// Node offers `gc` only to a process started with --expose-gc (a second start would cost
// what issue #10 took away); the flag set at run time takes effect in the contexts created
// after it, such as the one made here to fetch `gc` from.
import v8 from 'node:v8';
import vm from 'node:vm';

/** Below this much heap in use the collection costs more than it gives back. */
const WORTH_IT_BYTES = 64 * 1024 * 1024;

export function collectGarbageAfterRead(): void {
  if (process.memoryUsage().heapUsed < WORTH_IT_BYTES) return;
  v8.setFlagsFromString('--expose-gc');
  const gc: unknown = vm.runInNewContext('typeof gc === "function" ? gc : undefined');
  if (typeof gc === 'function') (gc as () => void)();
}
