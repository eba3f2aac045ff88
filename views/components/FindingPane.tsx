// The side (wide terminals) or bottom (narrow ones) pane that explains the selected row's
// finding. Its lines are cut to the space it has; the whole finding is an `enter` away.
import React from 'react';
import { Box, Text } from 'ink';
import type { Finding } from '../../src/diagnose/types.js';
import { findingPaneLines } from '../render/finding-pane.js';
import { useTheme } from '../theme.js';

export interface FindingPaneProps {
  /** The finding to explain; undefined shows `emptyText`. */
  finding: Finding | undefined;
  /** Its causes, nearest first, up to the root (src/diagnose/engine.ts causeChain). */
  chain: readonly Finding[];
  width: number;
  height: number;
  now: number;
  fixHint: string;
  /** Where the rest is when the pane is too short, e.g. `enter: the whole finding`. */
  moreHint: string;
  emptyText: string;
}

export function FindingPane({ finding, chain, width, height, now, fixHint, moreHint, emptyText }: FindingPaneProps) {
  const theme = useTheme();
  // One column for the border-like rule on the left (or top), one for breathing space.
  const inner = Math.max(1, width - 2);
  const all = finding
    ? findingPaneLines(finding, chain, { width: inner, now, fixHint })
    : [{ text: emptyText, style: 'dim' as const }];
  const cut = all.length > height;
  const shown = cut ? all.slice(0, Math.max(0, height - 1)) : all;
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden" paddingLeft={2}>
      {shown.map((l, i) => (
        <Text
          key={i}
          wrap="truncate-end"
          color={theme.color(l.style)}
          dimColor={l.style === 'dim'}
          bold={l.bold ?? false}
        >
          {l.text}
        </Text>
      ))}
      {cut && (
        <Text wrap="truncate-end" dimColor>
          {`… ${all.length - shown.length} more lines (${moreHint})`}
        </Text>
      )}
    </Box>
  );
}
