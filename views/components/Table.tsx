// The one windowed table every list view uses. Ink repaints the whole tree on every commit,
// so only the rows on screen are rendered: `renderRow` is called for the visible slice
// only, and each row is a single <Text> line, so 10,000 rows cost what 50 do.
import React, { useRef } from 'react';
import { Box, Text } from 'ink';
import {
  allocateWidths,
  clampCursor,
  scrollIndicator,
  windowOffset,
  type Column,
  type ColumnSlot,
} from './table-layout.js';
import { cellText, type Cell, type RowStyle, type RowView } from '../render/row.js';
import { inert } from '../../src/format/inert.js';
import { fit } from '../render/text.js';
import { useTheme, type Theme } from '../theme.js';

export interface TableProps<R> {
  /** Shown on the first line, k9s style: `pods(observability)`. */
  title: string;
  columns: readonly Column[];
  /** Every row (already filtered and sorted); only the visible slice is rendered. */
  rows: readonly R[];
  renderRow: (row: R) => RowView;
  cursor: number;
  width: number;
  /** Lines available, including the title and header lines. */
  height: number;
  /** What to say when there are no rows. */
  emptyText?: string;
  /** The active `/` filter, shown in the title so it is clear rows are hidden. */
  filter?: string;
  /** Marked rows (space) show `+` in the gutter (`»` under the cursor) and the marked style. */
  isMarked?: (row: R) => boolean;
  /** How many rows are marked, for the title. */
  marks?: number;
}

const GAP = 1;
/**
 * One column at the left edge marks the cursor row with '>' and marked rows with '+' (both:
 * '»'), so either shows without colour too.
 */
const GUTTER = 1;

function gutterOf(selected: boolean, marked: boolean): string {
  return marked ? (selected ? '»' : '+') : selected ? '>' : ' ';
}

interface Segment {
  text: string;
  style: RowStyle | undefined;
}

function segmentsOf(
  cells: readonly Cell[],
  slots: readonly ColumnSlot[],
  columns: readonly Column[],
  gutter: string,
): Segment[] {
  const segments: Segment[] = [{ text: gutter, style: undefined }];
  slots.forEach((slot, i) => {
    const column = columns[slot.index];
    const cell = cells[slot.index] ?? '';
    const text =
      (i > 0 ? ' '.repeat(GAP) : '') + fit(inert(cellText(cell)), slot.width, column?.align, column?.truncate);
    const style = typeof cell === 'string' ? undefined : cell.style;
    const last = segments[segments.length - 1];
    // Neighbouring cells with the same style share one <Text>: fewer nodes per frame.
    if (last && last.style === style) last.text += text;
    else segments.push({ text, style });
  });
  return segments;
}

function TableRow({
  view,
  slots,
  columns,
  selected,
  marked,
  theme,
}: {
  view: RowView;
  slots: readonly ColumnSlot[];
  columns: readonly Column[];
  selected: boolean;
  marked: boolean;
  theme: Theme;
}) {
  const segments = segmentsOf(view.cells, slots, columns, gutterOf(selected, marked));
  return (
    <Text
      wrap="truncate-end"
      color={theme.color(marked ? 'marked' : view.style)}
      dimColor={view.style === 'dim'}
      inverse={selected}
      bold={selected}
    >
      {segments.map((s, i) =>
        s.style ? (
          <Text key={i} color={theme.color(s.style)}>
            {s.text}
          </Text>
        ) : (
          s.text
        ),
      )}
    </Text>
  );
}

export function Table<R>({
  title,
  columns,
  rows,
  renderRow,
  cursor,
  width,
  height,
  emptyText = 'Nothing to show.',
  filter,
  isMarked,
  marks = 0,
}: TableProps<R>) {
  const theme = useTheme();
  const offsetRef = useRef(0);
  const bodyHeight = Math.max(0, height - 2);
  const total = rows.length;
  const selected = clampCursor(cursor, total);
  const offset = windowOffset({ cursor: selected, offset: offsetRef.current, height: bodyHeight, total });
  // The previous offset is what keeps the window still while the cursor moves inside it.
  offsetRef.current = offset;

  const slots = allocateWidths(columns, Math.max(1, width - GUTTER), GAP);
  const header =
    ' '.repeat(GUTTER) +
    slots.map((s) => fit(columns[s.index]?.title ?? '', s.width, columns[s.index]?.align)).join(' '.repeat(GAP));
  const visible = rows.slice(offset, offset + bodyHeight);
  const marked = marks > 0 ? ` ${marks} marked` : '';
  const titleText = inert(`${title}${filter ? ` </${filter}>` : ''} ${scrollIndicator(selected, total)}${marked}`);

  return (
    // Every line is a truncating <Text> cut to the width, and only the rows that fit are
    // rendered: clipping sideways as well would only make Ink slice every line's ANSI codes
    // on every frame. The height is still clipped, should a line ever wrap.
    <Box flexDirection="column" width={width} height={height} overflowY="hidden">
      <Text wrap="truncate-end" bold color={theme.accent}>
        {titleText}
      </Text>
      <Text wrap="truncate-end" bold>
        {header}
      </Text>
      {total === 0 ? (
        <Text wrap="truncate-end" dimColor>
          {' '.repeat(GUTTER) + inert(emptyText)}
        </Text>
      ) : (
        visible.map((row, i) => (
          <TableRow
            key={i}
            view={renderRow(row)}
            slots={slots}
            columns={columns}
            selected={offset + i === selected}
            marked={isMarked?.(row) ?? false}
            theme={theme}
          />
        ))
      )}
    </Box>
  );
}
