import React from 'react';
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { Table } from './Table.js';
import type { Column } from './table-layout.js';
import type { RowView } from '../render/row.js';
import { ThemeContext, themeFor } from '../theme.js';
import { frame, tick } from '../testing/ink.js';

const COLUMNS: Column[] = [
  { key: 'name', title: 'NAME', minWidth: 20, flex: 1, truncate: 'middle' },
  { key: 'status', title: 'STATUS', width: 10 },
  { key: 'node', title: 'NODE', minWidth: 12, priority: 1 },
];
const ROWS = Array.from({ length: 10_000 }, (_, i) => `row-${String(i + 1).padStart(5, '0')}`);

function renderTable(cursor: number, calls: string[], width = 100, height = 22) {
  const renderRow = (r: string): RowView => {
    calls.push(r);
    return { cells: [r, 'Running', 'minikube'] };
  };
  return (
    <ThemeContext.Provider value={themeFor('none')}>
      <Table
        title="pods(all)"
        columns={COLUMNS}
        rows={ROWS}
        renderRow={renderRow}
        cursor={cursor}
        width={width}
        height={height}
      />
    </ThemeContext.Provider>
  );
}

describe('Table', () => {
  it('renders only the rows that fit: 10,000 rows cost one screen', async () => {
    const calls: string[] = [];
    const app = render(renderTable(0, calls));
    await tick();
    const lines = frame(app).split('\n');
    expect(lines).toHaveLength(22);
    expect(lines[0]).toBe('pods(all) [1/10000]');
    expect(lines[1]).toMatch(/^ NAME +STATUS +NODE$/);
    expect(lines[2]).toMatch(/^>row-00001 +Running +minikube$/);
    expect(lines[21]).toMatch(/^ row-00020 /);
    expect(new Set(calls)).toEqual(new Set(ROWS.slice(0, 20)));
    expect(frame(app)).not.toContain('row-05000');
    app.unmount();
  });

  it('shows row 5,000 once the cursor jumps there, and only the window around it', async () => {
    const calls: string[] = [];
    const app = render(renderTable(0, calls));
    await tick();
    calls.length = 0;
    app.rerender(renderTable(4_999, calls));
    await tick();
    const f = frame(app);
    expect(f).toContain('>row-05000');
    expect(f.split('\n')[0]).toBe('pods(all) [5000/10000]');
    expect(calls.every((r) => r >= 'row-04981' && r <= 'row-05000')).toBe(true);
    expect(f).not.toContain('row-04980');
    app.unmount();
  });

  it('keeps the window still while the cursor moves inside it', async () => {
    const app = render(renderTable(30, []));
    await tick();
    expect(frame(app).split('\n')[2]).toMatch(/^ row-00012 /);
    app.rerender(renderTable(25, []));
    await tick();
    expect(frame(app).split('\n')[2]).toMatch(/^ row-00012 /);
    app.unmount();
  });

  it('hides priority columns and truncates with … on a narrow terminal', async () => {
    const long = ['jaeger-op-jaeger-operator-7d7b58d48b-89p9p'];
    const app = render(
      <ThemeContext.Provider value={themeFor('none')}>
        <Table
          title="pods"
          columns={COLUMNS}
          rows={long}
          renderRow={(r) => ({ cells: [r, 'ImagePullBackOff', 'minikube'] })}
          cursor={0}
          width={32}
          height={5}
        />
      </ThemeContext.Provider>,
    );
    await tick();
    const lines = frame(app).split('\n');
    expect(lines[1]).not.toContain('NODE');
    expect(lines[2]).toBe('>jaeger-op-…48b-89p9p ImagePull…');
    app.unmount();
  });

  it('says why it is empty', async () => {
    const app = render(
      <Table
        title="events(default)"
        columns={COLUMNS}
        rows={[]}
        renderRow={() => ({ cells: [] })}
        cursor={0}
        width={60}
        height={5}
        emptyText="No events in namespace default."
      />,
    );
    await tick();
    expect(frame(app).split('\n').slice(0, 3)).toEqual([
      'events(default) [0/0]',
      expect.stringMatching(/^ NAME/),
      ' No events in namespace default.',
    ]);
    app.unmount();
  });
});
