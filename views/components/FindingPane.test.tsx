import React from 'react';
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { FindingPane } from './FindingPane.js';
import { NOW, collectorFinding, esFinding } from '../testing/fixtures.js';
import { tick } from '../testing/ink.js';

describe('FindingPane', () => {
  it('cuts the finding to its height and says where the rest is', async () => {
    const app = render(
      <FindingPane
        finding={collectorFinding}
        chain={[esFinding]}
        width={60}
        height={6}
        now={NOW}
        fixHint="(x) fix"
        moreHint="enter: the whole finding"
        emptyText=""
      />,
    );
    await tick();
    const lines = (app.lastFrame() ?? '').split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe('  ▲ warning  Collector crashes because Elasticsearch is not');
    expect(lines[5]).toMatch(/^ {2}… \d+ more lines \(enter: the whole finding\)$/);
  });

  it('says so when the selected row has no finding', async () => {
    const app = render(
      <FindingPane
        finding={undefined}
        chain={[]}
        width={60}
        height={3}
        now={NOW}
        fixHint=""
        moreHint=""
        emptyText="No problem found for the selected row."
      />,
    );
    await tick();
    expect(app.lastFrame()?.split('\n')[0]).toBe('  No problem found for the selected row.');
  });
});
