import { describe, expect, it } from 'vitest';
import { forEachLimited, limiter } from '../../src/kube/concurrency.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('limiter', () => {
  it('runs at most `limit` tasks at once, the others in the order they came', async () => {
    const gate = limiter(2);
    const started: number[] = [];
    const finish = new Map<number, () => void>();
    const done = [1, 2, 3, 4].map((n) =>
      gate(async () => {
        started.push(n);
        await new Promise<void>((resolve) => finish.set(n, resolve));
        return n * 10;
      }),
    );
    await tick();
    expect(started).toEqual([1, 2]);
    finish.get(2)!();
    await tick();
    expect(started).toEqual([1, 2, 3]);
    finish.get(1)!();
    await tick();
    finish.get(3)!();
    await tick();
    finish.get(4)!();
    expect(await Promise.all(done)).toEqual([10, 20, 30, 40]);
  });
});

describe('forEachLimited', () => {
  it('attempts every item, then rejects with the first error once all have settled', async () => {
    const seen: number[] = [];
    const run = forEachLimited([1, 2, 3, 4], 2, async (n) => {
      await tick();
      seen.push(n);
      if (n % 2 === 0) throw new Error(`item ${n}`);
    });
    await expect(run).rejects.toThrow('item 2');
    expect(seen.sort()).toEqual([1, 2, 3, 4]);
  });
});
