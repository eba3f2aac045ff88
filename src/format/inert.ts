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

/** `JSON.stringify(value, null, 2)`, with the characters above escaped: exact, and safe to print. */
export function terminalJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    JSON_RAW,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
