// A small strict XML reader for tests: elements, attributes, text, comments, the five
// predefined entities and character references. Anything malformed throws, with the offset,
// so a test that parses kcockpit's JUnit output checks it is well-formed as it reads it.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /[A-Za-z_:][\w.:-]*/y;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Characters XML 1.0 allows: tab, newline, carriage return, and U+0020 up (no surrogates, U+FFFE/F). */
function checkChars(s: string, at: number): void {
  const bad = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u.exec(s);
  if (bad)
    throw new Error(`XML: character U+${bad[0].codePointAt(0)!.toString(16)} not allowed, near ${at + bad.index}`);
}

function decode(raw: string, at: number): string {
  checkChars(raw, at);
  if (raw.includes('<')) throw new Error(`XML: '<' in text or attribute near ${at}`);
  return raw.replace(/&([^;]*);|&/g, (whole, ref: string | undefined) => {
    if (ref === undefined) throw new Error(`XML: bare '&' near ${at}`);
    if (ref in ENTITIES) return ENTITIES[ref]!;
    const m = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(ref);
    if (!m) throw new Error(`XML: unknown entity &${ref}; near ${at}`);
    const cp = m[1]!.startsWith('x') ? parseInt(m[1]!.slice(1), 16) : parseInt(m[1]!, 10);
    const ch = String.fromCodePoint(cp);
    checkChars(ch, at);
    return ch;
  });
}

export function parseXml(doc: string): XmlElement {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`XML: ${what} at ${i}: ${JSON.stringify(doc.slice(i, i + 40))}`);
  };
  const skipSpace = () => {
    while (i < doc.length && /\s/.test(doc[i]!)) i++;
  };
  const name = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(doc);
    if (!m) fail('expected a name');
    i += m![0].length;
    return m![0];
  };
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (doc.startsWith('<!--', i)) {
        const end = doc.indexOf('-->', i);
        if (end < 0) fail('unclosed comment');
        i = end + 3;
      } else return;
    }
  };
  const element = (): XmlElement => {
    if (doc[i] !== '<') fail("expected '<'");
    i++;
    const el: XmlElement = { name: name(), attrs: {}, children: [], text: '' };
    for (;;) {
      const before = i;
      skipSpace();
      if (doc.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (doc[i] === '>') {
        i++;
        break;
      }
      if (i === before) fail('expected space before an attribute');
      const key = name();
      if (key in el.attrs) fail(`duplicate attribute ${key}`);
      skipSpace();
      if (doc[i] !== '=') fail("expected '='");
      i++;
      skipSpace();
      const quote = doc[i];
      if (quote !== '"' && quote !== "'") fail('expected a quoted value');
      const end = doc.indexOf(quote!, i + 1);
      if (end < 0) fail('unclosed attribute value');
      el.attrs[key] = decode(doc.slice(i + 1, end), i + 1);
      i = end + 1;
    }
    for (;;) {
      const lt = doc.indexOf('<', i);
      if (lt < 0) fail(`unclosed <${el.name}>`);
      el.text += decode(doc.slice(i, lt), i);
      i = lt;
      if (doc.startsWith('</', i)) {
        i += 2;
        if (name() !== el.name) fail(`mismatched close of <${el.name}>`);
        skipSpace();
        if (doc[i] !== '>') fail("expected '>'");
        i++;
        return el;
      }
      if (doc.startsWith('<!--', i)) {
        const end = doc.indexOf('-->', i);
        if (end < 0) fail('unclosed comment');
        i = end + 3;
      } else if (doc.startsWith('<![CDATA[', i) || doc.startsWith('<?', i) || doc.startsWith('<!', i)) {
        fail('unexpected markup');
      } else el.children.push(element());
    }
  };
  if (doc.startsWith('<?xml')) {
    const end = doc.indexOf('?>');
    if (end < 0) fail('unclosed XML declaration');
    i = end + 2;
  }
  skipMisc();
  const root = element();
  skipMisc();
  if (i !== doc.length) fail('content after the root element');
  return root;
}

/** Every descendant element named `name`, depth first. */
export function descendants(el: XmlElement, name: string): XmlElement[] {
  return el.children.flatMap((c) => [...(c.name === name ? [c] : []), ...descendants(c, name)]);
}
