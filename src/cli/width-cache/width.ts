// string-width, remembered: the string-width named in this module's URL (see hooks.ts)
// answers the first time, and the answer is kept per text and options. The width of a text
// never changes, so this can make a measurement faster, never different.
type StringWidth = (text: string, options?: { ambiguousIsNarrow?: boolean; countAnsiEscapeCodes?: boolean }) => number;

const of = new URL(import.meta.url).searchParams.get('of');
if (!of) throw new Error('width.js is loaded through the string-width resolve hook, which names the real module');
const { default: measure } = (await import(of)) as { default: StringWidth };

/** A frame has a few hundred lines; a long session sees many more, and keeps the newest. */
const LIMIT = 20_000;
const widths = new Map<string, number>();

export default function stringWidth(text: string, options?: Parameters<StringWidth>[1]): number {
  if (typeof text !== 'string' || text.length === 0) return 0;
  const key = options
    ? `${options.ambiguousIsNarrow === false ? 'w' : 'n'}${options.countAnsiEscapeCodes ? 'a' : 's'}\u0000${text}`
    : text;
  let width = widths.get(key);
  if (width === undefined) {
    width = measure(text, options);
    if (widths.size >= LIMIT) widths.delete(widths.keys().next().value as string);
    widths.set(key, width);
  }
  return width;
}
