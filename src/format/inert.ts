// The one boundary between cluster text and a screen (decision 0013). Whatever a cluster
// holds — event and status messages, log lines, annotations, Helm descriptions, names, the
// text of an API error — is data: a control character in it is shown, never obeyed.
// kubectl shipped without this for years (CVE-2021-25743: an Event could retitle the
// terminal, clear it or recolour it). Every text, Markdown, JUnit and cockpit output passes
// such strings through `inert`; JSON keeps them exact, since JSON escapes controls itself.

/** Characters of one line kept for display; a longer line is cut, and says so. */
export const MAX_LINE = 2000;

// What may act on a terminal or change how a line reads: C0 controls, DEL, C1 controls
// (0x9b is a CSI by itself for terminals that honour 8-bit controls), and the bidirectional
// embeddings, overrides and isolates (they can make a line read in another order than its
// characters). A lone surrogate is invalid UTF-16 and becomes U+FFFD.
const SHOWN = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const CONTROL = new RegExp(SHOWN.source);
// String.prototype.isWellFormed (Node 20; not in TypeScript's ES2023 lib): the native check
// for lone surrogates, a tenth of the cost of the regular expression on text with emoji.
const wellFormed = (s: string): boolean => (s as string & { isWellFormed(): boolean }).isWellFormed();
// A cut must not leave half of an escape this module wrote (`\x1`), nor half a surrogate pair.
const PARTIAL_TAIL = /(?:\\(?:x[0-9a-f]?|u[0-9a-f]{0,3})?|[\ud800-\udbff])$/;

/** `\x1b`, `\x9b`, `\u202e`: the code point written out, the way source code writes it. */
function visible(ch: string): string {
  const cp = ch.charCodeAt(0);
  return cp <= 0xff ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
}

/**
 * Cluster text made safe to show on one line: line breaks and tabs become spaces, every
 * other control character is written out (`ESC]0;title BEL` shows as `\x1b]0;title\x07`),
 * invalid UTF-16 becomes U+FFFD, and the result is at most MAX_LINE characters, ending in
 * a note of the full length when it was cut. Idempotent; plain text costs one regular
 * expression test and a native check, about what a table cell's old space-for-control
 * replacement cost.
 */
export function inert(text: string): string {
  if (text.length <= MAX_LINE && !CONTROL.test(text) && wellFormed(text)) return text;
  // Escaping only lengthens text, so nothing past MAX_LINE of the input can be shown.
  const head = text.length > MAX_LINE ? text.slice(0, MAX_LINE + 1) : text;
  const shown = head
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(/\r?\n|\t/g, ' ')
    .replace(SHOWN, visible);
  if (shown.length <= MAX_LINE && head === text) return shown;
  const note = ` … (cut: ${text.length} characters in all)`;
  return shown.slice(0, MAX_LINE - note.length).replace(PARTIAL_TAIL, '') + note;
}

/** A copy of a JSON-like value with every string value made inert (object keys are kept). */
export function inertAll<T>(value: T): T {
  if (typeof value === 'string') return inert(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => inertAll(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = inertAll(v);
    return out as T;
  }
  return value;
}

// JSON.stringify escapes C0 controls but writes DEL, C1 controls, line and paragraph
// separators and bidi controls as they are. They can only occur inside strings, so writing
// them as \u escapes keeps the document exactly as it parses, and inert on a terminal.
const JSON_RAW = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escapeRaw = (text: string): string =>
  text.replace(JSON_RAW, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** `JSON.stringify(value, null, 2)`, with the characters above escaped: exact, and safe to print. */
export function terminalJson(value: unknown): string {
  return escapeRaw(JSON.stringify(value, null, 2));
}

/**
 * terminalJson in pieces: their concatenation is `terminalJson(value)`, byte for byte. Arrays
 * and plain objects in the top `levels` levels are written member by member, everything
 * below them by JSON.stringify. A report of 10,000 pods is 4.5 MB of JSON, a 9 MB string
 * (explanations hold `—`) built in parts and then copied once more by the escaping pass;
 * written in pieces it never exists whole (decision 0018).
 */
export function* terminalJsonPieces(value: unknown, levels = 2): Generator<string> {
  for (const piece of jsonPieces(value, 0, levels)) yield escapeRaw(piece);
}

/** Members that JSON.stringify leaves out of an object (and writes as null in an array). */
const omitted = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';
const hasToJson = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON === 'function';

/**
 * The members of an array or plain object, when writing them one by one gives what
 * JSON.stringify gives. Not when a member has toJSON: JSON.stringify passes it the member's
 * key, which a member stringified on its own would not get.
 */
function membersOf(value: unknown): [string, unknown][] | undefined {
  if (typeof value !== 'object' || value === null || hasToJson(value)) return undefined;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return undefined;
  // An array is written by index, holes as null; an object by its own enumerable keys.
  const keys = Array.isArray(value) ? Array.from(value, (_, i) => String(i)) : Object.keys(value);
  const members = keys.map((k): [string, unknown] => [k, (value as Record<string, unknown>)[k]]);
  return members.some(([, v]) => hasToJson(v)) ? undefined : members;
}

function* jsonPieces(value: unknown, depth: number, levels: number): Generator<string> {
  const members = levels > 0 ? membersOf(value) : undefined;
  if (!members) {
    yield stringifyAt(value, depth);
    return;
  }
  const array = Array.isArray(value);
  const indent = '  '.repeat(depth);
  let first = true;
  for (const [k, v] of members) {
    if (omitted(v) && !array) continue;
    yield `${first ? (array ? '[' : '{') : ','}\n${indent}  ${array ? '' : `${JSON.stringify(k)}: `}`;
    first = false;
    if (omitted(v)) yield 'null';
    else yield* jsonPieces(v, depth + 1, levels - 1);
  }
  yield first ? (array ? '[]' : '{}') : `\n${indent}${array ? ']' : '}'}`;
}

/** How much of `JSON.stringify([[x]], null, 2)` comes before and after x, by depth of arrays. */
const wrapping: { before: number; after: number }[] = [];

/**
 * JSON.stringify(value, null, 2) as it reads `depth` levels down: every line but the first
 * indented by `depth` more. Stringified inside `depth` arrays, JSON.stringify indents it
 * itself, and cutting the arrays off is a slice that copies nothing (a replace of every
 * line break would copy the text again).
 */
function stringifyAt(value: unknown, depth: number): string {
  if (depth === 0) return JSON.stringify(value, null, 2);
  let wrapped: unknown = value;
  for (let i = 0; i < depth; i++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2);
  let cut = wrapping[depth];
  if (!cut) {
    let marker: unknown = 0;
    for (let i = 0; i < depth; i++) marker = [marker];
    const shape = JSON.stringify(marker, null, 2);
    const before = shape.indexOf('0');
    wrapping[depth] = cut = { before, after: shape.length - before - 1 };
  }
  return text.slice(cut.before, text.length - cut.after);
}
