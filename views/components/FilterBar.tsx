// The `/` prompt. The filter applies while it is typed; enter keeps it, esc clears it.
import React from 'react';
import { Text } from 'ink';
import { useTheme } from '../theme.js';

export interface FilterBarProps {
  text: string;
  /** Rows left after filtering, so the user sees the effect of each key. */
  matches: number;
}

export function FilterBar({ text, matches }: FilterBarProps) {
  const theme = useTheme();
  return (
    <Text wrap="truncate-end">
      <Text bold color={theme.accent}>
        /
      </Text>
      {text}
      <Text inverse> </Text>
      <Text
        dimColor
      >{`  ${matches} match${matches === 1 ? '' : 'es'} · text · !text (inverse) · -l key=value (labels)`}</Text>
    </Text>
  );
}
