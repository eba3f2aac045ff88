import { describe, expect, it } from 'vitest';
import { detectColorLevel, themeFor } from './theme.js';

describe('colour level', () => {
  const tty = { isTTY: true };

  it('has no colour with NO_COLOR, --no-color, TERM=dumb or without a terminal', () => {
    expect(detectColorLevel({ ...tty, env: { NO_COLOR: '1', COLORTERM: 'truecolor' } })).toBe('none');
    expect(detectColorLevel({ ...tty, env: { COLORTERM: 'truecolor' }, flag: false })).toBe('none');
    expect(detectColorLevel({ ...tty, env: { TERM: 'dumb' } })).toBe('none');
    expect(detectColorLevel({ isTTY: false, env: { TERM: 'xterm-256color' } })).toBe('none');
  });

  it('ignores an empty NO_COLOR, as no-color.org says', () => {
    expect(detectColorLevel({ ...tty, env: { NO_COLOR: '', TERM: 'xterm' } })).toBe('16');
  });

  it('reads the palette size from COLORTERM and TERM', () => {
    expect(detectColorLevel({ ...tty, env: { COLORTERM: 'truecolor', TERM: 'xterm-256color' } })).toBe('truecolor');
    expect(detectColorLevel({ ...tty, env: { COLORTERM: '24bit' } })).toBe('truecolor');
    expect(detectColorLevel({ ...tty, env: { TERM: 'screen-256color' } })).toBe('256');
    expect(detectColorLevel({ ...tty, env: { TERM: 'xterm' } })).toBe('16');
  });

  it('maps styles to colours per level, and to none at all without colour', () => {
    expect(themeFor('none').color('critical')).toBeUndefined();
    expect(themeFor('none').accent).toBeUndefined();
    expect(themeFor('16').color('critical')).toBe('red');
    expect(themeFor('256').color('warning')).toBe('ansi256(172)');
    expect(themeFor('truecolor').color('critical')).toBe('#d70000');
    expect(themeFor('truecolor').color(undefined)).toBeUndefined();
  });
});
