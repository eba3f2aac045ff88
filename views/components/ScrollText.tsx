// Scrollable text (describe, YAML, logs): lines are wrapped to the width, then only the
// window on screen is rendered, the same way the table renders only its visible rows.
import React from 'react';
import { Box, Text } from 'ink';
import { inert } from '../../src/format/inert.js';
import { wrapText } from '../render/text.js';
import { useTheme } from '../theme.js';

export interface ScrollTextProps {
  title: string;
  /** Lines already wrapped to the width (wrapLines), so the caller knows how far it can scroll. */
  lines: readonly string[];
  /** First visible line, clamped by the caller with `lastTop`. */
  top: number;
  width: number;
  /** Lines available, including the title line. */
  height: number;
  filter?: string;
}

/** Wrapped lines: what the window scrolls over. */
export function wrapLines(lines: readonly string[], width: number): string[] {
  return lines.flatMap((l) => wrapText(l, Math.max(1, width)));
}

/** The highest first line that still fills the window. */
export function lastTop(total: number, bodyHeight: number): number {
  return Math.max(0, total - bodyHeight);
}

export function ScrollText({ title, lines, top, width, height, filter }: ScrollTextProps) {
  const theme = useTheme();
  const body = Math.max(0, height - 1);
  const shown = lines.slice(top, top + body);
  const end = Math.min(lines.length, top + body);
  const position = lines.length === 0 ? '[0/0]' : `[${top + 1}-${end}/${lines.length}]`;
  const heading = inert(`${title}${filter ? ` </${filter}>` : ''} ${position}`);
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text wrap="truncate-end" bold color={theme.accent}>
        {heading}
      </Text>
      {shown.map((l, i) => (
        // Ink gives an empty Text no height: a blank line (in YAML, in a log) would vanish.
        <Text key={i} wrap="truncate-end">
          {l || ' '}
        </Text>
      ))}
    </Box>
  );
}
