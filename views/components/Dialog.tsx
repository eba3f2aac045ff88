// The one dialog frame: a bordered box over the view with a title, a scrolled window of body
// lines (only the lines on screen are rendered, as in the table), footer lines that stay in
// place (the question being asked, an error) and the dialog's key hints.
import React, { useEffect, useRef } from 'react';
import { Box, Text } from 'ink';
import { inert } from '../../src/format/inert.js';
import type { DialogLine, DialogView } from '../render/dialog.js';
import { truncate } from '../render/text.js';
import { useTheme } from '../theme.js';
import { lastTop } from './ScrollText.js';
import { windowOffset } from './table-layout.js';

export interface DialogProps {
  view: DialogView;
  width: number;
  height: number;
  /** Told how many body lines fit and how many there are, so the keys can scroll. */
  onViewport?(rows: number, lines: number): void;
}

/** Border (2) and padding (2) around the text. */
export const DIALOG_FRAME_COLUMNS = 4;
/** Border (2), title and hint line. */
const FRAME_ROWS = 4;

/** Rows a dialog needs to show all of `view` (the confirm dialog is only this tall). */
export function dialogHeight(view: DialogView): number {
  return FRAME_ROWS + view.body.length + view.footer.length;
}

function Line({ line }: { line: DialogLine }) {
  const theme = useTheme();
  return (
    <Text
      wrap="truncate-end"
      color={theme.color(line.style)}
      dimColor={line.style === 'dim'}
      bold={line.bold ?? false}
      inverse={line.selected ?? false}
    >
      {line.text === '' ? ' ' : inert(line.text)}
    </Text>
  );
}

export function Dialog({ view, width, height, onViewport }: DialogProps) {
  const theme = useTheme();
  const offsetRef = useRef(0);
  const rows = Math.max(0, height - FRAME_ROWS - view.footer.length);
  const total = view.body.length;
  const last = lastTop(total, rows);
  const top =
    view.focus !== undefined
      ? windowOffset({ cursor: view.focus, offset: offsetRef.current, height: rows, total })
      : view.top === 'end'
        ? last
        : Math.min(view.top, last);
  offsetRef.current = top;
  useEffect(() => onViewport?.(rows, total), [onViewport, rows, total]);

  const shown = view.body.slice(top, top + rows);
  const position = total > rows ? ` [${top + 1}-${Math.min(total, top + rows)}/${total}]` : '';
  // The title gives way to the position: where one is in 10,000 lines matters more.
  const title = truncate(inert(view.title), Math.max(1, width - DIALOG_FRAME_COLUMNS - position.length)) + position;
  return (
    <Box
      flexDirection="column"
      width={width}
      height={height}
      borderStyle="round"
      borderColor={theme.accent}
      paddingX={1}
      overflow="hidden"
    >
      <Text wrap="truncate-end" bold color={theme.accent}>
        {title}
      </Text>
      <Box flexDirection="column" height={rows} overflow="hidden">
        {shown.map((l, i) => (
          <Line key={i} line={l} />
        ))}
      </Box>
      {view.footer.map((l, i) => (
        <Line key={i} line={l} />
      ))}
      <Text wrap="truncate-end" dimColor>
        {view.hints}
      </Text>
    </Box>
  );
}
