// The cap on the young generation, in this test file's own process (Vitest runs each file in
// a process of its own, so the V8 flag it sets reaches no other test).
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { capYoungGeneration, youngGenerationSize } from '../../src/cli/young-generation.js';

/**
 * Load shaped like a list being kept: each turn of the event loop makes ~1 MB of objects that
 * outlive a few scavenges, as a page of kept pods does. `until` ends it early.
 */
async function keepLoading(turns: number, until: () => boolean = () => false): Promise<void> {
  const ring: object[][] = [];
  for (let turn = 0; turn < turns && !until(); turn++) {
    const kept: object[] = [];
    for (let i = 0; i < 10_000; i++) kept.push({ name: `pod-${turn}-${i}`, restarts: i, ready: i % 2 === 0 });
    ring.push(kept);
    if (ring.length > 8) ring.shift();
    await nextTurn();
  }
}

describe('capYoungGeneration', () => {
  it('stops the young generation growing once it has reached the cap', async () => {
    const before = youngGenerationSize()!;
    expect(before).toBeGreaterThan(0);
    // This load grows the young generation (to V8's maximum, 32 MB, if let): stop at its first growth.
    await keepLoading(400, () => youngGenerationSize()! > before);
    const reached = youngGenerationSize()!;
    expect(reached).toBeGreaterThan(before);

    capYoungGeneration(reached);
    await keepLoading(400);
    expect(youngGenerationSize()).toBe(reached);
  });
});
