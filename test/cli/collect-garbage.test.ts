import { expect, it } from 'vitest';
import { collectGarbageAfterRead } from '../../src/cli/collect-garbage.js';

it('after a big read, the garbage it left is collected at once, without --expose-gc', () => {
  expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined');
  // ~100 MB of objects, as a parsed list would be.
  let read: { i: number }[][] | undefined = Array.from({ length: 30 }, () =>
    Array.from({ length: 100_000 }, (_, i) => ({ i })),
  );
  const before = process.memoryUsage().heapUsed;
  expect(read.length).toBe(30);
  read = undefined;
  collectGarbageAfterRead();
  expect(process.memoryUsage().heapUsed).toBeLessThan(before - 50 * 1024 * 1024);
});
