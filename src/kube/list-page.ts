// A list page's JSON parsed a few items at a time. Parsed whole, a page is first decoded into one
// string of its size (a 500-pod page: 2 MB; 50,000 events: 100 strings of 350 KB). Strings
// that big are born in V8's large-object space, which only a full collection frees: a
// 10,000-pod cluster's lists left ~100 MB of dead page text in the heap between full
// collections (docs/decisions/0021-list-pages.md).
// A few items' text is a young string that the next scavenge frees.
//
// The API server writes a list as `{"kind":…,"apiVersion":…,"metadata":{…},"items":[…]}`
// (a Table: `…,"columnDefinitions":[…],"rows":[…]}`), compact; items are parsed in groups of
// about 64 KB of text. Anything else is parsed whole, so this only ever changes how much
// memory a page takes, never what it reads as.
import {
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COMMA,
  cutNoise,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  skipString,
} from './strip-json.js';

const ARRAYS = ['items', 'rows'].map((name) => ({ name, key: Buffer.from(`"${name}":[`) }));
const COLON = 0x3a;
const WHITESPACE = new Set([0x20, 0x0a, 0x0d, 0x09]);
/** Under V8's large-object size (128 KB), with room for the item that crosses it: a group's text is a young string. */
const GROUP_BYTES = 64 * 1024;
/** Cuts tried past one that fell inside an item before giving up on cutting this page. */
const MAX_TRIES = 8;

/**
 * What becomes of each element of the page's array: given the page without its array (its
 * `kind`, `apiVersion`, `metadata`), a function of one element. Undefined results are left out.
 */
export type ElementMapper = (head: Record<string, unknown>) => (element: unknown) => unknown;

/**
 * The page in `bytes` (UTF-8 JSON), parsed, without managedFields and last-applied members
 * (cut in place: `bytes` holds garbage afterwards). Throws SyntaxError as JSON.parse does.
 *
 * `map`: applied to each element as soon as its group is parsed, while what it drops of the
 * parsed element is still young garbage. Mapped after a whole parse, a 500-pod page's parsed
 * objects (~10 MB) outlived two scavenges while the rest of the page was parsed: every byte
 * of them was copied twice, then promoted to the old generation to die there.
 */
export function parseListPage(bytes: Buffer, map?: ElementMapper): unknown {
  const page = bytes.subarray(0, cutNoise(bytes));
  for (const { name, key } of ARRAYS) {
    const at = page.indexOf(key);
    if (at < 0 || !atTopLevel(page, at)) continue;
    const open = at + key.length - 1;
    const close = page[open + 1] === CLOSE_BRACKET ? open + 1 : arrayClose(page);
    if (close < 0) break;
    let head: Record<string, unknown>;
    try {
      head = JSON.parse(page.toString('utf8', 0, open + 1) + page.toString('utf8', close)) as Record<string, unknown>;
    } catch {
      break;
    }
    delete head[name];
    const values = parseElements(page, open, close, map?.(head));
    if (!values) break;
    head[name] = values;
    return head;
  }
  const whole = JSON.parse(page.toString('utf8')) as unknown;
  if (map && typeof whole === 'object' && whole !== null && !Array.isArray(whole)) {
    const list = whole as Record<string, unknown>;
    for (const { name } of ARRAYS) {
      const values = list[name];
      if (!Array.isArray(values)) continue;
      delete list[name];
      list[name] = mapAll(values, map(list));
    }
  }
  return whole;
}

function mapAll(values: readonly unknown[], each: (element: unknown) => unknown): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    const mapped = each(v);
    if (mapped !== undefined) out.push(mapped);
  }
  return out;
}

/** Whether the key at `at` is a member of the outermost object. */
function atTopLevel(page: Buffer, at: number): boolean {
  if (page[0] !== OPEN_BRACE) return false;
  let depth = 0;
  for (let j = 0; j < at; j++) {
    const c = page[j];
    if (c === QUOTE) {
      const end = skipString(page, j);
      if (end < 0 || end > at) return false;
      j = end - 1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return depth === 1;
}

/**
 * The elements of the array from `open` to `close` (its brackets), parsed a group of about
 * GROUP_BYTES at a time, each through `each` when given; undefined if the page is not shaped
 * as expected (it is then left as it was, for a whole parse).
 *
 * A group ends where the next item begins: items of one list begin alike (`{"metadata":`,
 * `{"cells":`), so `},` followed by that beginning marks a cut. The same text can also occur
 * deeper (two `volumeClaimTemplates` of a StatefulSet), so a cut is only known good once its
 * group parses: `[` + text + `]` parses only if the text is whole values, and a group that
 * begins between two items and holds whole values ends between two items too.
 */
function parseElements(
  page: Buffer,
  open: number,
  close: number,
  each: ((element: unknown) => unknown) | undefined,
): unknown[] | undefined {
  const values: unknown[] = [];
  if (close === open + 1) return values;
  const keyEnd = page.indexOf(COLON, open + 1);
  if (page[open + 1] !== OPEN_BRACE || keyEnd < 0 || keyEnd > close) return undefined;
  const cut = Buffer.concat([Buffer.from('},'), page.subarray(open + 1, keyEnd + 1)]);
  // Commas between groups are written over with brackets: `,` before a group becomes `[`, `,` after it `]`.
  const overwritten: number[] = [];
  let from = open;
  while (from < close) {
    let to = close;
    let found = page.indexOf(cut, from + GROUP_BYTES);
    let group: unknown[];
    for (let tries = 0; ; tries++) {
      to = found < 0 || found > close ? close : found + 1;
      page[from] = OPEN_BRACKET;
      page[to] = CLOSE_BRACKET;
      try {
        group = JSON.parse(page.toString('utf8', from, to + 1)) as unknown[];
        break;
      } catch {
        if (to !== close) page[to] = COMMA;
        if (to === close || tries === MAX_TRIES) {
          for (const at of overwritten) page[at] = COMMA;
          if (from !== open) page[from] = COMMA;
          // The last group failing with no cut left is bad JSON: the whole parse says so.
          return undefined;
        }
        found = page.indexOf(cut, found + 1);
      }
    }
    if (each) {
      for (const v of group) {
        const mapped = each(v);
        if (mapped !== undefined) values.push(mapped);
      }
    } else for (const v of group) values.push(v);
    if (to !== close) overwritten.push(to);
    from = to;
  }
  return values;
}

/** The `]` that closes the page's array: the page's last one, with only `}` after it. */
function arrayClose(page: Buffer): number {
  let end = page.length - 1;
  while (end >= 0 && WHITESPACE.has(page[end]!)) end--;
  if (page[end] !== CLOSE_BRACE) return -1;
  end--;
  while (end >= 0 && WHITESPACE.has(page[end]!)) end--;
  return page[end] === CLOSE_BRACKET ? end : -1;
}
