import React from 'react';
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { ScrollText, lastTop, wrapLines } from './ScrollText.js';
import { tick } from '../testing/ink.js';

describe('ScrollText', () => {
  const lines = Array.from({ length: 500 }, (_, i) => `line ${i + 1}`);

  it('renders only the window from `top`, with its position in the title', async () => {
    const app = render(<ScrollText title="logs p/c" lines={lines} top={250} width={40} height={5} />);
    await tick();
    expect(app.lastFrame()?.split('\n')).toEqual([
      'logs p/c [251-254/500]',
      'line 251',
      'line 252',
      'line 253',
      'line 254',
    ]);
  });

  it('keeps a blank line a line: a YAML block scalar or a log reads as it was written', async () => {
    const app = render(
      <ScrollText
        title="yaml cm/x"
        lines={['script: |', '  set -e', '', '  exec app']}
        top={0}
        width={40}
        height={5}
      />,
    );
    await tick();
    expect(app.lastFrame()?.split('\n')).toEqual(['yaml cm/x [1-4/4]', 'script: |', '  set -e', '', '  exec app']);
  });

  it('wraps long lines before windowing, and knows the last useful top line', () => {
    expect(wrapLines(['Failed to pull image "jaegertracing/jaeger-operator:1.39.0"'], 30)).toEqual([
      'Failed to pull image',
      '"jaegertracing/jaeger-operator',
      ':1.39.0"',
    ]);
    expect(lastTop(500, 19)).toBe(481);
    expect(lastTop(5, 19)).toBe(0);
  });
});
