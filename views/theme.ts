// Colours for the cockpit. chalk's own detection ignores NO_COLOR and sniffs argv, so the
// level is decided here and the theme simply passes no colour at all when it is 'none'.
import { createContext, useContext } from 'react';
import { chooseStyle } from '../src/format/style.js';
import type { RowStyle } from './render/row.js';

export type ColorLevel = 'none' | '16' | '256' | 'truecolor';

export interface ColorEnvironment {
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  /** `--color` (true) / `--no-color` (false) from the command line, if given. */
  flag?: boolean;
}

/**
 * Whether to colour follows the same rules as the scripted output (NO_COLOR, --no-color,
 * TERM=dumb, not a TTY); how many colours follows COLORTERM and TERM. Over SSH COLORTERM is
 * usually not forwarded, which is why the 256-colour palette must look right on its own.
 */
export function detectColorLevel({ env, isTTY, flag }: ColorEnvironment): ColorLevel {
  if (!chooseStyle(flag, isTTY, env).enabled) return 'none';
  const colorterm = env['COLORTERM'] ?? '';
  if (colorterm === 'truecolor' || colorterm === '24bit') return 'truecolor';
  if (/256/.test(env['TERM'] ?? '')) return '256';
  return '16';
}

export interface Theme {
  level: ColorLevel;
  /** Ink colour for a row or cell style; undefined means the terminal's default. */
  color(style: RowStyle | undefined): string | undefined;
  /** Colour for titles and the key names in hints. */
  accent: string | undefined;
}

type Palette = Record<RowStyle | 'accent', string | undefined>;

// Reds, oranges and blues of medium lightness stay readable on dark and light backgrounds
// alike; pure yellow (unreadable on white) is used only in the 16-colour palette, where the
// terminal's own theme decides what "yellow" looks like.
const PALETTES: Record<ColorLevel, Palette> = {
  none: {
    critical: undefined,
    warning: undefined,
    info: undefined,
    ok: undefined,
    marked: undefined,
    dim: undefined,
    accent: undefined,
  },
  '16': {
    critical: 'red',
    warning: 'yellow',
    info: 'blue',
    ok: 'green',
    marked: 'cyan',
    dim: undefined,
    accent: 'cyan',
  },
  '256': {
    critical: 'ansi256(160)',
    warning: 'ansi256(172)',
    info: 'ansi256(33)',
    ok: 'ansi256(34)',
    marked: 'ansi256(37)',
    dim: undefined,
    accent: 'ansi256(37)',
  },
  truecolor: {
    critical: '#d70000',
    warning: '#d78700',
    info: '#0087ff',
    ok: '#00af00',
    marked: '#00afaf',
    dim: undefined,
    accent: '#00afaf',
  },
};

export function themeFor(level: ColorLevel): Theme {
  const palette = PALETTES[level];
  return { level, color: (style) => (style ? palette[style] : undefined), accent: palette.accent };
}

/** The theme the environment allows (NO_COLOR, TTY, COLORTERM, TERM). */
export function environmentTheme(): Theme {
  return themeFor(detectColorLevel({ env: process.env, isTTY: process.stdout.isTTY === true }));
}

export const ThemeContext = createContext<Theme>(themeFor('16'));

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
