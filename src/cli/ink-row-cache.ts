// Ink 6.8 turns every frame into text by building a grid of one object per terminal cell
// (12,400 on a 200×62 screen), tokenizing every line's ANSI codes and serialising the grid
// back, all from scratch on each render: 20–30 ms a frame, most of a keypress's cost
// (docs/decisions/0006-ink-row-cache.md). From one frame to the next nearly every row is
// the same text at the same place, so the result of each screen row is cached by what was
// written to it, and only changed rows go through Ink's own code. Ink's Output class is not
// exported; ink-output.ts reaches it. To remove the cache: drop installInkRowCache's callers.
import { loadInkOutput } from './ink-output.js';

type Transformer = (line: string, index: number) => string;

interface Clip {
  x1?: number;
  x2?: number;
  y1?: number;
  y2?: number;
}

export type OutputOperation =
  | { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] }
  | { type: 'clip'; clip: Clip }
  | { type: 'unclip' };

/** The part of Ink's Output (build/output.js) this module relies on. */
export interface InkOutput {
  width: number;
  height: number;
  operations: OutputOperation[];
  caches: unknown;
  get(): { output: string; height: number };
}

export type OutputGet = (this: InkOutput) => { output: string; height: number };

/** One line of one write, as it lands on one screen row. */
interface RowWrite {
  x: number;
  line: string;
  /** The horizontal clip in force (x1, x2), if any. */
  clip: [number, number] | undefined;
  transformers: Transformer[];
  /** The line's index among the lines written: what a transformer is told. */
  index: number;
}

/** What Ink's OutputCaches offers (string widths, cached by text). */
interface WidthCaches {
  getStringWidth(text: string): number;
  getWidestLine(text: string): number;
}

/** What the cache did: `--debug` reports it, and the tests check it is not inert. */
export interface RowCacheStats {
  frames: number;
  /** Rows answered from memory. */
  rowsRemembered: number;
  /** Rows rendered by Ink's own `get`, one at a time. */
  rowsRendered: number;
  /** Frames left to Ink whole (rows that cannot be rendered apart). */
  wholeFrames: number;
}

function newRowCacheStats(): RowCacheStats {
  return { frames: 0, rowsRemembered: 0, rowsRendered: 0, wholeFrames: 0 };
}

const ROW_CACHE_LIMIT = 4000;
/**
 * Ink's own width/token caches are reused across frames, and renewed this often (rows rendered,
 * about four screens): its token cache keeps an object per character of every line, and held
 * 4.6 MB by the time the cockpit had loaded 10,000 pods when it was renewed every 20,000.
 */
const INK_CACHE_USES = 250;

/**
 * A replacement for Output#get that gives the same text: the operations are sorted into the
 * rows they touch (with Ink's vertical clipping), each row is looked up by what was written
 * to it, and a row not seen before is rendered alone by Ink's original `get`.
 *
 * Every <Text> writes through a transformer (its colour and style); a new closure on each
 * render, so a row's key holds what the transformers make of the whole line instead. That
 * relies on transformers being pure functions of (line, index), which Ink's own are and
 * <Transform>'s documentation asks for.
 */
export function rowCachedGet(
  original: OutputGet,
  makeCaches: () => unknown,
  stats: RowCacheStats = newRowCacheStats(),
): OutputGet {
  const rows = new Map<string, string>();
  let inkCaches = makeCaches();
  let inkCacheUses = 0;
  const caches = (): unknown => {
    if (++inkCacheUses > INK_CACHE_USES) {
      inkCaches = makeCaches();
      inkCacheUses = 0;
    }
    return inkCaches;
  };
  const widths = (): WidthCaches | undefined => {
    const c = caches() as Partial<WidthCaches> | undefined;
    return typeof c?.getStringWidth === 'function' && typeof c.getWidestLine === 'function'
      ? (c as WidthCaches)
      : undefined;
  };

  const renderRow = (width: number, writes: RowWrite[]): string => {
    const operations: OutputOperation[] = [];
    for (const w of writes) {
      if (w.clip) operations.push({ type: 'clip', clip: { x1: w.clip[0], x2: w.clip[1] } });
      const transformers = w.transformers.map(
        (t): Transformer =>
          (line) =>
            t(line, w.index),
      );
      operations.push({ type: 'write', x: w.x, y: 0, text: w.line, transformers });
      if (w.clip) operations.push({ type: 'unclip' });
    }
    return original.call({ width, height: 1, operations, caches: caches(), get: original }).output;
  };

  return function get(this: InkOutput) {
    const { width, height } = this;
    stats.frames++;
    const byRow: RowWrite[][] = Array.from({ length: height }, () => []);
    const clips: Clip[] = [];
    for (const op of this.operations) {
      if (op.type === 'clip') clips.push(op.clip);
      else if (op.type === 'unclip') clips.pop();
      else if (!placeWrite(op, clips.at(-1), byRow, widths)) {
        stats.wholeFrames++;
        return original.call(this);
      }
    }
    const out: string[] = [];
    for (const writes of byRow) {
      if (writes.length === 0) {
        out.push('');
        continue;
      }
      let key = String(width);
      for (const w of writes) {
        key += `\u0000${w.x}\u0001${w.clip ? `${w.clip[0]},${w.clip[1]}` : ''}\u0001${w.line}`;
        if (w.transformers.length > 0) key += `\u0001${w.transformers.reduce((text, t) => t(text, w.index), w.line)}`;
      }
      let text = rows.get(key);
      if (text !== undefined) stats.rowsRemembered++;
      else {
        stats.rowsRendered++;
        text = renderRow(width, writes);
        if (rows.size >= ROW_CACHE_LIMIT) rows.delete(rows.keys().next().value as string);
        rows.set(key, text);
      }
      out.push(text);
    }
    return { output: out.join('\n'), height };
  };
}

/**
 * Sort one write's lines into rows, clipped vertically the way Ink clips them. Ink skips a
 * line whose row is off the grid without moving on a row, so a text that starts above the
 * grid writes nothing at all; that is kept. Horizontal clipping is left to Ink's code for
 * each row. Returns false when the rows cannot be rendered apart: a transformed line that
 * the clip cuts to nothing while another line of its text shows (Ink still writes what the
 * transformer makes of the empty slice; alone, the row would be skipped).
 */
function placeWrite(
  op: Extract<OutputOperation, { type: 'write' }>,
  clip: Clip | undefined,
  byRow: RowWrite[][],
  widths: () => WidthCaches | undefined,
): boolean {
  let lines = op.text.split('\n');
  let { y } = op;
  const clipX =
    typeof clip?.x1 === 'number' && typeof clip.x2 === 'number' ? ([clip.x1, clip.x2] as [number, number]) : undefined;
  if (clipX && op.x > clipX[1]) return true;
  if (typeof clip?.y1 === 'number' && typeof clip.y2 === 'number') {
    if (y + lines.length < clip.y1 || y > clip.y2) return true;
    const from = y < clip.y1 ? clip.y1 - y : 0;
    const to = y + lines.length > clip.y2 ? clip.y2 - y : lines.length;
    lines = lines.slice(from, to);
    if (y < clip.y1) y = clip.y1;
  }
  if (clipX && op.transformers.length > 0 && op.x < clipX[0]) {
    const w = widths();
    if (!w) return false;
    if (op.x + w.getWidestLine(op.text) < clipX[0]) return true;
    if (lines.some((line) => op.x + w.getStringWidth(line) < clipX[0])) return false;
  }
  for (let index = 0; index < lines.length; index++) {
    const row = byRow[y + index];
    if (!row) return true;
    row.push({ x: op.x, line: lines[index]!, clip: clipX, transformers: op.transformers, index });
  }
  return true;
}

interface OutputClass {
  prototype: InkOutput;
  new (options: { width: number; height: number }): InkOutput;
}

export interface RowCacheState {
  installed: boolean;
  /** Ink's version, or why the cache is not in place. */
  detail: string;
  stats: RowCacheStats;
}

const state: RowCacheState = { installed: false, detail: 'not installed', stats: newRowCacheStats() };

export function inkRowCacheState(): RowCacheState {
  return { ...state, stats: { ...state.stats } };
}

/**
 * Put the row cache into Ink's Output, once. Only for the Ink version it was written and
 * tested against (6.8.x); any other version keeps Ink's own code, so an upgrade can make
 * the cockpit slower but never wrong. Returns whether the cache is in place.
 */
export async function installInkRowCache(): Promise<boolean> {
  if (state.installed) return true;
  const { Output, version } = (await loadInkOutput()) as { Output: OutputClass | undefined; version: string };
  if (!/^6\.8\./.test(version)) {
    state.detail = `Ink ${version} is not the 6.8 it was written for`;
    return false;
  }
  if (typeof Output?.prototype?.get !== 'function') {
    state.detail = `Ink ${version} has no Output#get`;
    return false;
  }
  const original = Output.prototype.get as OutputGet;
  Output.prototype.get = rowCachedGet(original, () => new Output({ width: 1, height: 1 }).caches, state.stats);
  state.installed = true;
  state.detail = `Ink ${version}`;
  return true;
}
