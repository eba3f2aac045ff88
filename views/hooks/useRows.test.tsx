import { describe, expect, it } from 'vitest';
import { indexFindings } from '../data/finding-index.js';
import { RowTextCache } from '../render/filter.js';
import { VIEWS } from '../registry.js';
import { entry } from '../state.js';
import type { TableViewDef, ViewContext } from '../view-def.js';
import { NOW, findings, pods, scenarioSnapshot } from '../testing/fixtures.js';
import { layout } from './useLayout.js';
import { filterTable, filterText, position, sameSubject, textWindow } from './useRows.js';

const ctx: ViewContext = {
  snapshot: scenarioSnapshot(),
  findings: indexFindings(findings),
  namespace: undefined,
  contexts: [],
  currentContext: 'minikube',
  portForwards: [],
  views: VIEWS,
  now: NOW,
  log: { lines: [], status: 'streaming' },
};
const podsView = VIEWS.get('pods') as TableViewDef<unknown>;

describe('sameSubject', () => {
  it('ignores the cursor, the filter and following, and nothing else', () => {
    const subject = { kind: 'Pod', name: 'p' };
    const a = entry('logs', { subject, container: 'c' });
    expect(sameSubject(a, { ...a, cursor: 9, filter: 'x', follow: true })).toBe(true);
    expect(sameSubject(a, { ...a, container: 'd' })).toBe(false);
    expect(sameSubject(a, { ...a, subject: { kind: 'Pod', name: 'q' } })).toBe(false);
    expect(sameSubject(entry('pods'), entry('events'))).toBe(false);
    // A field only one of them has counts too (a drilled-into pods view has a scope).
    expect(sameSubject(entry('pods'), entry('pods', { scope: { kind: 'release', namespace: 'n', name: 'r' } }))).toBe(
      false,
    );
  });
});

describe('filterTable', () => {
  it('matches the cells as shown, and labels with -l', () => {
    const rows = podsView.rows(ctx, entry('pods'));
    const texts = new RowTextCache();
    expect(filterTable(podsView, rows, '', texts, ctx)).toBe(rows);
    const crashing = filterTable(podsView, rows, 'crashloop', texts, ctx);
    expect(crashing.map((p) => (p as (typeof pods)[number]).metadata.name)).toEqual([
      'jaeger-collector-6b7f9c8d5-x2x7k',
    ]);
    const byLabel = filterTable(podsView, rows, '-l name=jaeger-operator', texts, ctx);
    expect(byLabel).toHaveLength(1);
  });
});

describe('text views', () => {
  it('filters lines, then wraps them to the width', () => {
    expect(filterText(['alpha one', 'beta', 'alpha two two'], 'alpha', 6)).toEqual([
      'alpha',
      'one',
      'alpha',
      'two',
      'two',
    ]);
  });

  it('shows the end while following, else where the user scrolled, never past the last full window', () => {
    expect(textWindow(100, entry('logs', { follow: true, cursor: 3 }), 20)).toEqual({ top: 80, maxTop: 80 });
    expect(textWindow(100, entry('logs', { cursor: 3 }), 20)).toEqual({ top: 3, maxTop: 80 });
    expect(textWindow(100, entry('logs', { cursor: 95 }), 20)).toEqual({ top: 80, maxTop: 80 });
    expect(textWindow(5, entry('yaml'), 20)).toEqual({ top: 0, maxTop: 0 });
  });
});

describe('position', () => {
  it('pages a table by its visible rows and a text view by its lines', () => {
    const l = layout({ columns: 80, rows: 24, prompt: false, questionLines: 0, pane: true });
    const rows = podsView.rows(ctx, entry('pods'));
    expect(position({ type: 'table', def: podsView, all: rows, rows, cursor: 2, selected: rows[2] }, l)).toEqual({
      at: 2,
      last: rows.length - 1,
      page: l.table.height - 2,
    });
    const yaml = VIEWS.get('yaml');
    if (yaml?.type !== 'text') throw new Error('yaml is a text view');
    expect(position({ type: 'text', def: yaml, lines: [], top: 4, maxTop: 7 }, l)).toEqual({
      at: 4,
      last: 7,
      page: l.textLines,
    });
  });
});
