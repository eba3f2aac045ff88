import React from 'react';
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { CommandBar } from './CommandBar.js';
import { FilterBar } from './FilterBar.js';
import { StatusBar } from './StatusBar.js';
import { tick } from '../testing/ink.js';

async function text(node: React.ReactElement): Promise<string> {
  const app = render(node);
  await tick();
  const out = app.lastFrame() ?? '';
  app.unmount();
  return out;
}

describe('CommandBar', () => {
  it('shows the completion after what was typed, with the caret on its first letter', async () => {
    expect(await text(<CommandBar text="po" completion="pods" />)).toBe(':pods');
    expect(await text(<CommandBar text="pods obs" completion="pods observability" />)).toBe(':pods observability');
    expect(await text(<CommandBar text="pods" completion={undefined} />)).toBe(':pods');
  });
});

describe('FilterBar', () => {
  it('shows the filter, how many rows match, and the filter syntax', async () => {
    expect(await text(<FilterBar text="crash" matches={1} />)).toBe(
      '/crash   1 match · text · !text (inverse) · -l key=value (labels)',
    );
  });
});

describe('StatusBar', () => {
  it('shows an error with a ! so it reads without colour, otherwise the hints', async () => {
    expect(
      await text(<StatusBar flash={{ kind: 'error', text: 'Namespace "nope" not found.' }} hints="<?> help" />),
    ).toBe('! Namespace "nope" not found.');
    expect(await text(<StatusBar flash={{ kind: 'info', text: 'Copied.' }} hints="<?> help" />)).toBe('Copied.');
    expect(await text(<StatusBar flash={undefined} hints="<:> command <?> help" />)).toBe('<:> command <?> help');
  });
});
