// A small young generation for the processes that read a cluster (docs/decisions/0023-young-generation.md).
//
// V8 doubles its young generation, up to two semi-spaces of 16 MB on 64-bit, each time much of
// what it holds has survived a scavenge, and reading a big list is exactly that: every object
// the store keeps is young once. At 10,000 pods it reaches 32 MB while the pods load and stays
// resident for good. The size buys kcockpit nothing: an object kept is copied to the old
// generation however big the young one is, and one not kept dies in either. Kept at 8 MB,
// `diagnose -A` took as long, and the cockpit peaked 25–30 MB lower.
//
// `--max-semi-space-size` is read only when the process starts, and kcockpit cannot pass
// itself start-up flags portably (decisions/0022). `--semi-space-growth-factor` is read each
// time V8 grows the young generation, so setting it to 1 once the cap is reached stops the
// growth there. The size is looked at after collections, by a `gc` observer that runs between
// turns of the event loop: one long synchronous stretch could grow the generation once more,
// but a list loads in many short turns, and at 10,000 pods it stops at the cap.
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
import { debugLines } from './debug.js';

/** Both semi-spaces together: 4 MB each (measured against 1, 2, 8 and 16 MB each; decisions/0023). */
export const YOUNG_GENERATION_CAP = 8 * 1024 * 1024;

let capped = false;

/** Stop the young generation's growth once it holds `cap` bytes. Once per process; later calls do nothing. */
export function capYoungGeneration(cap = YOUNG_GENERATION_CAP): void {
  if (capped) return;
  capped = true;
  debugOnExit(cap);
  const stopAtCap = (): boolean => {
    const size = youngGenerationSize();
    // A V8 without the space (a young generation of another kind) is left as it is.
    if (size === undefined) return true;
    if (size < cap) return false;
    v8.setFlagsFromString('--semi-space-growth-factor=1');
    return true;
  };
  if (stopAtCap()) return;
  const observer = new PerformanceObserver(() => {
    if (stopAtCap()) observer.disconnect();
  });
  observer.observe({ entryTypes: ['gc'] });
}

/** The young generation's size (both semi-spaces), as V8 reports it. */
export function youngGenerationSize(): number | undefined {
  return v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size;
}

function debugOnExit(cap: number): void {
  if (!process.env['KCOCKPIT_DEBUG']) return;
  const mb = (bytes: number | undefined) => (bytes === undefined ? 'unknown' : `${Math.round(bytes / 1048576)} MB`);
  process.once('exit', () => debugLines([`young generation: ${mb(youngGenerationSize())} (cap ${mb(cap)})`]));
}
