// The bottom line: an error or a flash message when there is one, otherwise key hints.
import React from 'react';
import { Text } from 'ink';
import { inert } from '../../src/format/inert.js';
import type { Flash } from '../state.js';
import { useTheme } from '../theme.js';

export interface StatusBarProps {
  flash: Flash | undefined;
  hints: string;
}

export function StatusBar({ flash, hints }: StatusBarProps) {
  const theme = useTheme();
  if (flash) {
    // The `!` prefix carries the meaning when there is no colour.
    // Flash messages quote API errors and object names.
    const text = inert(flash.kind === 'error' ? `! ${flash.text}` : flash.text);
    return (
      <Text wrap="truncate-end" color={theme.color(flash.kind === 'error' ? 'critical' : 'info')}>
        {text}
      </Text>
    );
  }
  return (
    <Text wrap="truncate-end" dimColor>
      {hints}
    </Text>
  );
}
