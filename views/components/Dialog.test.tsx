import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import type { DialogView } from '../render/dialog.js';
import { tick } from '../testing/ink.js';
import { Dialog, dialogHeight } from './Dialog.js';

afterEach(() => cleanup());

const many: DialogView = {
  title: 'Fix statefulset/elasticsearch-master',
  body: Array.from({ length: 10_000 }, (_, i) => ({ text: `+line ${i + 1}` })),
  top: 0,
  footer: [{ text: 'Apply? [y/n]' }],
  hints: '<y> yes <n> no',
};

describe('Dialog', () => {
  it('draws a frame with the title, the body, the footer and the hints in exactly its height', async () => {
    const view: DialogView = {
      title: 'Delete',
      body: [{ text: 'Delete pod/elasticsearch-master-0 in observability? [y/n]' }],
      top: 0,
      footer: [],
      hints: '<y> yes <n> no <escape> close',
    };
    const app = render(<Dialog view={view} width={70} height={dialogHeight(view)} />);
    await tick();
    const lines = (app.lastFrame() ?? '').split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^╭─+╮$/);
    expect(lines[1]).toMatch(/^│ Delete +│$/);
    expect(lines[2]).toMatch(/^│ Delete pod\/elasticsearch-master-0 in observability\? \[y\/n\] +│$/);
    expect(lines[3]).toMatch(/^│ <y> yes <n> no <escape> close +│$/);
  });

  it('renders only the window of a 10,000-line body and tells where it is', async () => {
    const onViewport = vi.fn();
    const app = render(<Dialog view={many} width={60} height={20} onViewport={onViewport} />);
    await tick();
    const f = app.lastFrame() ?? '';
    expect(f.split('\n')).toHaveLength(20);
    expect(f).toContain('Fix statefulset/elasticsearch-master [1-15/10000]');
    expect(f).toContain('+line 15');
    expect(f).not.toContain('+line 16');
    expect(f).toContain('Apply? [y/n]');
    expect(onViewport).toHaveBeenLastCalledWith(15, 10_000);
    app.rerender(<Dialog view={{ ...many, top: 'end' }} width={60} height={20} />);
    await tick();
    expect(app.lastFrame()).toContain('[9986-10000/10000]');
    expect(app.lastFrame()).toContain('+line 10000');
  });

  it('keeps the focused line of a list on screen', async () => {
    const app = render(<Dialog view={{ ...many, focus: 500 }} width={60} height={20} />);
    await tick();
    expect(app.lastFrame()).toContain('+line 501');
    expect(app.lastFrame()).toContain('[487-501/10000]');
  });
});
