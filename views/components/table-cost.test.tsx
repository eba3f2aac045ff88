// The measurement behind docs/decisions/0001-windowed-table.md: what one frame of a pods
// table costs when only the visible window is rendered, against rendering every row (what
// ink-table does). Ink repaints the whole tree on every commit, so this is paid on every key
// press and every snapshot update. Rendering every row of 10,000 takes seconds per frame,
// too slow for the suite: by default the full table has 1,000 rows; set
// KCOCKPIT_MEASURE_ALL_ROWS=10000 to reproduce the numbers in the decision.
import React from 'react';
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { Table } from './Table.js';
import { podColumns, podRow } from '../render/pods.js';
import { NOW, manyPods } from '../testing/fixtures.js';
import { tick } from '../testing/ink.js';

const COLUMNS = podColumns(true);
const renderRow = (pod: ReturnType<typeof manyPods>[number]) => podRow(pod, { now: NOW, allNamespaces: true });

/** ms per frame (cursor moving one row per frame) and bytes of the last frame. */
async function costPerFrame(rows: number, height: number, frames: number): Promise<{ ms: number; bytes: number }> {
  const pods = manyPods(rows, 200);
  // ink-testing-library's terminal is 100 columns wide.
  const table = (cursor: number) => (
    <Table
      title="pods(all)"
      columns={COLUMNS}
      rows={pods}
      renderRow={renderRow}
      cursor={cursor}
      width={100}
      height={height}
    />
  );
  const app = render(table(0));
  await tick();
  const started = performance.now();
  for (let i = 1; i <= frames; i++) {
    app.rerender(table(i));
    await tick();
  }
  const ms = (performance.now() - started) / frames;
  const bytes = (app.lastFrame() ?? '').length;
  app.unmount();
  return { ms, bytes };
}

describe('windowed table cost', () => {
  it('renders a 60-line window of 10,000 pods faster and smaller than a table that renders every row', async () => {
    const allRows = Number(process.env['KCOCKPIT_MEASURE_ALL_ROWS'] ?? 1_000);
    const windowed = await costPerFrame(10_000, 60, 20);
    const everything = await costPerFrame(allRows, allRows + 2, 2);
    console.log(
      `10,000 rows windowed: ${windowed.ms.toFixed(1)} ms/frame, ${windowed.bytes} bytes; ` +
        `${allRows} rows all rendered: ${everything.ms.toFixed(0)} ms/frame, ${everything.bytes} bytes`,
    );
    expect(windowed.bytes).toBeLessThan(7_000);
    expect(everything.bytes).toBeGreaterThan(allRows * 90);
    expect(windowed.ms).toBeLessThan(everything.ms);
  }, 600_000);
});
