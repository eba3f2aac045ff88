// Minimal ANSI styling for scripted output. chalk is not used: it ignores NO_COLOR and its
// argv sniffing reacts to our own --color flag (STACK-NOTES), and we need four colours.
export interface Style {
  enabled: boolean;
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

export const plain: Style = {
  enabled: false,
  red: (s) => s,
  yellow: (s) => s,
  cyan: (s) => s,
  dim: (s) => s,
  bold: (s) => s,
};

export const ansi: Style = {
  enabled: true,
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  cyan: wrap(36, 39),
  dim: wrap(2, 22),
  bold: wrap(1, 22),
};

/**
 * Colour only when asked (`--color`), or on a TTY when neither `--no-color`, NO_COLOR
 * (any non-empty value, per no-color.org) nor TERM=dumb says otherwise.
 */
export function chooseStyle(flag: boolean | undefined, isTTY: boolean, env: NodeJS.ProcessEnv): Style {
  if (flag === true) return ansi;
  if (flag === false) return plain;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return plain;
  if (env['TERM'] === 'dumb') return plain;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return ansi;
  return isTTY ? ansi : plain;
}
