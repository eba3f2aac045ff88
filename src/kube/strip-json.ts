// Cut managedFields and the last-applied annotation out of a list's JSON BEFORE it is
// parsed. On a 10,000-pod list managedFields is ~45% of the bytes; JSON.parse is the
// dominant cost of reading a cluster (docs/decisions/0002-raw-json-reads.md), and skipping
// the bytes with indexOf and a small bracket scanner is ~10× cheaper than parsing them into
// objects only to delete them. Anything unexpected leaves the text as it is: trimObject
// removes the same fields after parsing, so this is purely an optimisation.
//
// It works on the response's bytes, in place, so the cut members are never decoded into a
// string at all (docs/decisions/0018-diagnose-at-list-cost.md, 0021-list-pages.md). Every
// cut is at an ASCII delimiter, so no UTF-8 sequence is ever split.

const MANAGED_FIELDS = Buffer.from('"managedFields":');
const LAST_APPLIED = Buffer.from('"kubectl.kubernetes.io/last-applied-configuration":');

export const QUOTE = 0x22;
const BACKSLASH = 0x5c;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const COMMA = 0x2c;

/** Index just past the string starting at `i` (which must be a quote), or -1. */
export function skipString(bytes: Buffer, i: number): number {
  for (let j = i + 1; j < bytes.length; j++) {
    const c = bytes[j];
    if (c === BACKSLASH) j++;
    else if (c === QUOTE) return j + 1;
  }
  return -1;
}

/** Index just past the array or object starting at `i` (which must be `[` or `{`), or -1. */
function skipComposite(bytes: Buffer, i: number): number {
  let depth = 0;
  for (let j = i; j < bytes.length; j++) {
    const c = bytes[j];
    if (c === QUOTE) {
      const end = skipString(bytes, j);
      if (end < 0) return -1;
      j = end - 1;
    } else if (c === OPEN_BRACKET || c === OPEN_BRACE) depth++;
    else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return -1;
}

/**
 * The [start, end) byte ranges to keep: everything but each `"managedFields":[...]` member
 * and each last-applied annotation member, as the API server writes them (compact JSON).
 * Members are only cut where the key sits right after `{` or `,`, so a key inside a string
 * is never touched. Undefined when there is nothing to cut.
 */
function keptRanges(bytes: Buffer): number[] | undefined {
  const kept: number[] = [];
  let from = 0;
  let pos = 0;
  // Next occurrence of each key, searched again only once passed: re-searching both from
  // every position would scan the rest of the text once per member (quadratic).
  let a = bytes.indexOf(MANAGED_FIELDS);
  let b = bytes.indexOf(LAST_APPLIED);
  for (;;) {
    if (a >= 0 && a < pos) a = bytes.indexOf(MANAGED_FIELDS, pos);
    if (b >= 0 && b < pos) b = bytes.indexOf(LAST_APPLIED, pos);
    if (a < 0 && b < 0) break;
    const isManaged = a >= 0 && (b < 0 || a < b);
    const at = isManaged ? a : b;
    const valueStart = at + (isManaged ? MANAGED_FIELDS.length : LAST_APPLIED.length);
    const before = bytes[at - 1];
    const expected = isManaged ? OPEN_BRACKET : QUOTE;
    if ((before !== COMMA && before !== OPEN_BRACE) || bytes[valueStart] !== expected) {
      pos = valueStart;
      continue;
    }
    const end = isManaged ? skipComposite(bytes, valueStart) : skipString(bytes, valueStart);
    if (end < 0) break;
    // Drop the member with one comma: the one after it, else the one before it.
    if (bytes[end] === COMMA) {
      kept.push(from, at);
      from = end + 1;
    } else if (before === COMMA) {
      kept.push(from, at - 1);
      from = end;
    } else {
      kept.push(from, at);
      from = end;
    }
    pos = from;
  }
  if (from === 0) return undefined;
  kept.push(from, bytes.length);
  return kept;
}

/**
 * Cuts managedFields and last-applied members out of `bytes` in place, moving the kept
 * ranges together, and returns the length of what is left: the rest of `bytes` is garbage.
 */
export function cutNoise(bytes: Buffer): number {
  const kept = keptRanges(bytes);
  if (!kept) return bytes.length;
  let end = 0;
  for (let i = 0; i < kept.length; i += 2) {
    const from = kept[i]!;
    const to = kept[i + 1]!;
    if (from !== end) bytes.copyWithin(end, from, to);
    end += to - from;
  }
  return end;
}

/** The same cut for text already decoded: what the tests read the cut through. */
export function stripNoiseFromJson(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  const length = cutNoise(bytes);
  return length === bytes.length ? text : bytes.toString('utf8', 0, length);
}
