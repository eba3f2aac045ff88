// string-width, remembered. Ink measures the widest line of every text node on every frame
// (render-node-to-output) with no cache of its own, and a line with one non-ASCII character
// (●, …, │) takes string-width's grapheme-segmenter path: 5 ms a keypress on the cockpit's
// 200×62 screen (docs/decisions/0008-string-width-cache.md). The bundle
// (scripts/bundle.mjs) wraps every string-width it contains with `rememberWidths` at build
// time, so Ink, widest-line, cli-truncate and wrap-ansi each call their own version through
// a cache. Run from source (the tests), nothing is wrapped. The width of a text never
// changes, so this can make a measurement faster, never different.
// To remove it: drop the string-width plugin from scripts/bundle.mjs and this file.
export type StringWidth = (
  text: string,
  options?: { ambiguousIsNarrow?: boolean; countAnsiEscapeCodes?: boolean },
) => number;

/** A frame has a few hundred lines; a long session sees many more, and keeps the newest. */
const LIMIT = 20_000;

export interface WidthCacheStats {
  /** How many string-width modules were wrapped (one per version in the bundle). */
  versions: number;
  calls: number;
  /** Calls that went to string-width itself; the rest were answered from memory. */
  measured: number;
}

const stats: WidthCacheStats = { versions: 0, calls: 0, measured: 0 };

export function widthCacheStats(): WidthCacheStats {
  return { ...stats };
}

export function rememberWidths(measure: StringWidth): StringWidth {
  stats.versions++;
  const widths = new Map<string, number>();
  return function stringWidth(text, options) {
    if (typeof text !== 'string' || text.length === 0) return 0;
    stats.calls++;
    const key = options
      ? `${options.ambiguousIsNarrow === false ? 'w' : 'n'}${options.countAnsiEscapeCodes ? 'a' : 's'}\u0000${text}`
      : text;
    let width = widths.get(key);
    if (width === undefined) {
      stats.measured++;
      width = measure(text, options);
      if (widths.size >= LIMIT) widths.delete(widths.keys().next().value as string);
      widths.set(key, width);
    }
    return width;
  };
}
