// The `:` prompt. Tab accepts the completion, which is shown ahead of the caret as dim
// ghost text (`:po` + `ds`); enter runs the command, esc closes the prompt.
import React from 'react';
import { Text } from 'ink';
import { useTheme } from '../theme.js';

export interface CommandBarProps {
  text: string;
  /** The full completed command line, if Tab would complete anything. */
  completion: string | undefined;
}

export function CommandBar({ text, completion }: CommandBarProps) {
  const theme = useTheme();
  const ghost = completion?.startsWith(text) ? completion.slice(text.length) : '';
  return (
    <Text wrap="truncate-end">
      <Text bold color={theme.accent}>
        :
      </Text>
      {text}
      {/* The caret sits on the first ghost character, so the line reads as it will be after Tab. */}
      <Text inverse>{ghost[0] ?? ' '}</Text>
      <Text dimColor>{ghost.slice(1)}</Text>
    </Text>
  );
}
