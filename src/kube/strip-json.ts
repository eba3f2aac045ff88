// Cut managedFields and the last-applied annotation out of a list's JSON text BEFORE it is
// parsed. On a 10,000-pod list managedFields is ~45% of the bytes; JSON.parse is the
// dominant cost of reading a cluster (docs/decisions/0002-raw-json-reads.md), and skipping
// the bytes with indexOf and a small bracket scanner is ~10× cheaper than parsing them into
// objects only to delete them. Anything unexpected leaves the text as it is: trimObject
// removes the same fields after parsing, so this is purely an optimisation.

const MANAGED_FIELDS = '"managedFields":';
const LAST_APPLIED = '"kubectl.kubernetes.io/last-applied-configuration":';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;

/** Index just past the string starting at `i` (which must be a quote), or -1. */
function skipString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === BACKSLASH) j++;
    else if (c === QUOTE) return j + 1;
  }
  return -1;
}

/** Index just past the array starting at `i` (which must be `[`), or -1. */
function skipArray(text: string, i: number): number {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === QUOTE) {
      const end = skipString(text, j);
      if (end < 0) return -1;
      j = end - 1;
    } else if (c === OPEN_BRACKET || c === OPEN_BRACE) depth++;
    else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      depth--;
      if (depth === 0) return c === CLOSE_BRACKET ? j + 1 : -1;
    }
  }
  return -1;
}

/**
 * The text without every `"managedFields":[...]` member and every last-applied annotation
 * member, as the API server writes them (compact JSON). Members are only cut where the key
 * sits right after `{` or `,`, so a key inside a string is never touched.
 */
export function stripNoiseFromJson(text: string): string {
  const parts: string[] = [];
  let from = 0;
  let pos = 0;
  // Next occurrence of each key, searched again only once passed: re-searching both from
  // every position would scan the rest of the text once per member (quadratic).
  let a = text.indexOf(MANAGED_FIELDS);
  let b = text.indexOf(LAST_APPLIED);
  for (;;) {
    if (a >= 0 && a < pos) a = text.indexOf(MANAGED_FIELDS, pos);
    if (b >= 0 && b < pos) b = text.indexOf(LAST_APPLIED, pos);
    if (a < 0 && b < 0) break;
    const isManaged = a >= 0 && (b < 0 || a < b);
    const at = isManaged ? a : b;
    const valueStart = at + (isManaged ? MANAGED_FIELDS.length : LAST_APPLIED.length);
    const before = text.charCodeAt(at - 1);
    const expected = isManaged ? OPEN_BRACKET : QUOTE;
    if ((before !== COMMA && before !== OPEN_BRACE) || text.charCodeAt(valueStart) !== expected) {
      pos = valueStart;
      continue;
    }
    const end = isManaged ? skipArray(text, valueStart) : skipString(text, valueStart);
    if (end < 0) break;
    // Drop the member with one comma: the one after it, else the one before it.
    if (text.charCodeAt(end) === COMMA) {
      parts.push(text.slice(from, at));
      from = end + 1;
    } else if (before === COMMA) {
      parts.push(text.slice(from, at - 1));
      from = end;
    } else {
      parts.push(text.slice(from, at));
      from = end;
    }
    pos = from;
  }
  if (from === 0) return text;
  parts.push(text.slice(from));
  return parts.join('');
}
