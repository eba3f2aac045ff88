// The body of the screen for the view on screen: a table with the finding pane beside or under
// it, or scrolled text (describe, YAML, logs, a whole finding).
import React, { useMemo } from 'react';
import { Box } from 'ink';
import { causeChain } from '../../src/diagnose/engine.js';
import type { Finding } from '../../src/diagnose/types.js';
import type { Layout } from '../hooks/useLayout.js';
import type { ViewRows } from '../hooks/useRows.js';
import { BINDINGS } from '../keys/bindings.js';
import type { ViewEntry } from '../state.js';
import type { ViewContext } from '../view-def.js';
import { FindingPane } from './FindingPane.js';
import { ScrollText } from './ScrollText.js';
import { Table } from './Table.js';

export interface ViewBodyProps {
  view: ViewRows;
  ctx: ViewContext;
  entry: ViewEntry;
  layout: Layout;
  /** The selected row's finding, for the pane. */
  finding: Finding | undefined;
  /** Whether `x` can run a fix (a fix runner was given), for the pane's hint. */
  canFix: boolean;
  readonly: boolean;
}

/** The pane's last line: what `x` will do here. */
export function fixHint(canFix: boolean, readonly: boolean): string {
  const key = BINDINGS.fix.keys[0] ?? 'x';
  if (!canFix) return `(${key}) fix — not available in this build; the commands above do it by hand`;
  return readonly
    ? `(${key}) fix — read-only (--readonly): shows the plan and what it would change, applies nothing`
    : `(${key}) fix — shows the plan and asks before it changes anything`;
}

export function ViewBody({ view, ctx, entry, layout, finding, canFix, readonly }: ViewBodyProps) {
  const chain = useMemo(() => (finding ? causeChain(finding, ctx.findings.all) : []), [finding, ctx.findings]);
  if (view.type === 'text')
    return (
      <ScrollText
        title={view.def.title(ctx, entry)}
        lines={view.lines}
        top={view.top}
        width={layout.body.width}
        height={layout.body.height}
        filter={entry.filter}
      />
    );
  const { def } = view;
  const table = (
    <Table
      title={def.title(ctx, entry)}
      columns={view.columns}
      rows={view.rows}
      renderRow={(r) => def.render(r, ctx)}
      isMarked={view.isMarked}
      marks={view.marked.length}
      cursor={view.cursor}
      width={layout.table.width}
      height={layout.table.height}
      emptyText={
        view.all.length > 0 ? `No rows match the filter "${entry.filter}" (esc clears it).` : def.emptyText(ctx, entry)
      }
      filter={entry.filter}
    />
  );
  if (!def.pane) return table;
  return (
    <Box flexDirection={layout.wide ? 'row' : 'column'} height={layout.body.height}>
      {table}
      <FindingPane
        finding={finding}
        chain={chain}
        width={layout.pane.width}
        height={layout.pane.height}
        now={ctx.now}
        fixHint={fixHint(canFix, readonly)}
        moreHint={def.pane.more}
        emptyText={view.selected === undefined ? '' : 'No problem found for the selected row.'}
      />
    </Box>
  );
}
