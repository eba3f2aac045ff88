/**
 * A gate for tasks that arrive over time: each runs once fewer than `limit` others are
 * running, in the order they came.
 */
export function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  const waiting: (() => void)[] = [];
  let running = 0;
  return <T>(task: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      const start = () => {
        running++;
        task()
          .then(resolve, reject)
          .finally(() => {
            running--;
            waiting.shift()?.();
          });
      };
      if (running < Math.max(1, limit)) start();
      else waiting.push(start);
    });
}

/**
 * Run `fn` over items with at most `limit` in flight. Every item is attempted; if any
 * failed, rejects with the first error once all have settled (nothing is left running).
 */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  const gate = limiter(limit);
  const settled = await Promise.allSettled(items.map((item) => gate(() => fn(item))));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
}
