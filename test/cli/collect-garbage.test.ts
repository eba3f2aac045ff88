import { describe, expect, it, vi } from 'vitest';
import { collectGarbage, collectOnceWhen, collectWhileLoading } from '../../src/cli/collect-garbage.js';

function source() {
  const listeners = new Set<() => void>();
  return {
    subscribe(l: () => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    notify: () => [...listeners].forEach((l) => l()),
    get listeners() {
      return listeners.size;
    },
  };
}

describe('collectOnceWhen', () => {
  it('collects once, on a later turn, the first time it is ready; then stops listening', async () => {
    vi.useFakeTimers();
    try {
      const s = source();
      let ready = false;
      const gc = vi.fn();
      collectOnceWhen(s, () => ready, gc);
      s.notify();
      await vi.runAllTimersAsync();
      expect(gc).not.toHaveBeenCalled();
      ready = true;
      s.notify();
      expect(gc).not.toHaveBeenCalled();
      await vi.runAllTimersAsync();
      expect(gc).toHaveBeenCalledTimes(1);
      expect(s.listeners).toBe(0);
      s.notify();
      await vi.runAllTimersAsync();
      expect(gc).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not collect once stopped, even when the collection was due', async () => {
    vi.useFakeTimers();
    try {
      const s = source();
      const gc = vi.fn();
      const stop = collectOnceWhen(s, () => true, gc);
      s.notify();
      stop();
      await vi.runAllTimersAsync();
      expect(gc).not.toHaveBeenCalled();
      expect(s.listeners).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('collectWhileLoading', () => {
  it('collects each time the heap has grown by the budget while loading, not before, and ends once loaded', async () => {
    vi.useFakeTimers();
    try {
      const s = source();
      let phase: 'before' | 'loading' | 'loaded' = 'before';
      let heap = 100;
      const gc = vi.fn(() => (heap -= 15));
      collectWhileLoading(
        s,
        () => phase,
        gc,
        () => heap,
        20,
      );
      // The pods still arriving: however much the heap grows, nothing.
      heap = 200;
      s.notify();
      await vi.runAllTimersAsync();
      expect(gc).not.toHaveBeenCalled();
      phase = 'loading';
      s.notify(); // counted from here: 200
      heap = 215;
      s.notify();
      await vi.runAllTimersAsync();
      expect(gc).not.toHaveBeenCalled();
      heap = 221;
      s.notify();
      s.notify(); // one collection at a time
      expect(gc).not.toHaveBeenCalled();
      await vi.runAllTimersAsync();
      expect(gc).toHaveBeenCalledTimes(1);
      // Counted again from what the collection left (206).
      heap = 225;
      s.notify();
      await vi.runAllTimersAsync();
      expect(gc).toHaveBeenCalledTimes(1);
      heap = 230;
      s.notify();
      await vi.runAllTimersAsync();
      expect(gc).toHaveBeenCalledTimes(2);
      phase = 'loaded';
      heap = 900;
      s.notify();
      await vi.runAllTimersAsync();
      expect(gc).toHaveBeenCalledTimes(2);
      expect(s.listeners).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('collectGarbage', () => {
  it('runs a full collection in this runtime: an object dropped before is gone', async () => {
    const weak = (() => new WeakRef({ data: new Array(1000).fill('x') }))();
    // A WeakRef holds its target until the end of the turn that made it.
    await new Promise((resolve) => setImmediate(resolve));
    expect(collectGarbage()).toBe(true);
    expect(weak.deref()).toBeUndefined();
  });
});
