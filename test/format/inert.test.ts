import { describe, expect, it } from 'vitest';
import { MAX_LINE, inert, inertAll, terminalJson, terminalJsonPieces } from '../../src/format/inert.js';

describe('inert: cluster text made safe to show', () => {
  it('writes every control character out instead of sending it', () => {
    expect(inert('a\u001b]0;pwned\u0007b')).toBe(String.raw`a\x1b]0;pwned\x07b`);
    expect(inert('\u001b[2J\u001b[31mred\u001b[0m')).toBe(String.raw`\x1b[2J\x1b[31mred\x1b[0m`);
    expect(inert('C1: \u009b2J \u0085 \u0090')).toBe(String.raw`C1: \x9b2J \x85 \x90`);
    expect(inert('nul\u0000 bs\u0008 del\u007f')).toBe(String.raw`nul\x00 bs\x08 del\x7f`);
  });

  it('shows a carriage return (it would let the rest of a line overwrite its start)', () => {
    expect(inert('all good\rFAILED')).toBe(String.raw`all good\x0dFAILED`);
  });

  it('keeps a line one line: newlines (CRLF too) and tabs become spaces', () => {
    expect(inert('Back-off\npulling\t"x"\r\nagain')).toBe('Back-off pulling "x" again');
  });

  it('shows the bidi controls that make a line read in another order', () => {
    expect(inert('file\u202egpj.exe \u2066x\u2069')).toBe(String.raw`file\u202egpj.exe \u2066x\u2069`);
  });

  it('turns invalid UTF-16 (a lone surrogate) into U+FFFD and keeps valid pairs', () => {
    expect(inert('a\ud800b\udc00c')).toBe('a\ufffdb\ufffdc');
    expect(inert('ok 🚀 日本')).toBe('ok 🚀 日本');
  });

  it('returns plain text as it is', () => {
    const s = "0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules.";
    expect(inert(s)).toBe(s);
  });

  it('cuts a 900 KB message to one line that says how long it was', () => {
    const huge = 'x'.repeat(900 * 1024);
    const shown = inert(huge);
    expect(shown.length).toBeLessThanOrEqual(MAX_LINE);
    expect(shown).toMatch(/^x+ … \(cut: 921600 characters in all\)$/);
  });

  it('cuts text that escaping makes too long, without leaving half an escape or half a pair', () => {
    const escapes = inert('\u001b'.repeat(MAX_LINE));
    expect(escapes.length).toBeLessThanOrEqual(MAX_LINE);
    expect(escapes).toMatch(/^(\\x1b)+ … \(cut: 2000 characters in all\)$/);
    const pairs = inert('🚀'.repeat(MAX_LINE));
    expect(pairs).toMatch(/^(🚀)+ … \(cut: 4000 characters in all\)$/);
  });

  it('is idempotent, so a view may apply it to text that already went through it', () => {
    for (const s of ['x'.repeat(5000), '\u001b'.repeat(3000), 'a\u009bb\ud800', 'plain'])
      expect(inert(inert(s))).toBe(inert(s));
  });
});

describe('inertAll', () => {
  it('makes every string of a report-like value inert and leaves the rest', () => {
    const value = { title: 'x\u001b[2J', count: 3, ok: true, none: null, list: ['a\u0007', { deep: '\u009b' }] };
    expect(inertAll(value)).toEqual({
      title: String.raw`x\x1b[2J`,
      count: 3,
      ok: true,
      none: null,
      list: [String.raw`a\x07`, { deep: String.raw`\x9b` }],
    });
    expect(value.title).toBe('x\u001b[2J');
  });
});

describe('terminalJson', () => {
  it('parses back to exactly the same value, with no control character left raw', () => {
    const value = { msg: 'a\u001b]0;t\u0007 \u009b2J \u0085 \u202e \u2028 \u007f end', n: 1 };
    const text = terminalJson(value);
    expect(JSON.parse(text)).toEqual(value);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
    expect(text).toContain(String.raw`\u009b2J \u0085 \u202e \u2028 \u007f`);
  });
});

describe('terminalJsonPieces', () => {
  it('joins to exactly terminalJson at every depth, whatever JSON.stringify leaves out or rewrites', () => {
    const sparse: unknown[] = [1];
    sparse[3] = 'x';
    const values: unknown[] = [
      {
        a: 1,
        b: [1, 2, { c: 'd\u2028\u009b — \u202e' }],
        e: {},
        f: [],
        g: undefined,
        h: () => 1,
        i: null,
        j: [undefined, () => 2, Symbol('s')],
        k: new Date(0),
        l: { toJSON: (key: string) => `key:${key}` },
      },
      [],
      {},
      'x\u007f',
      1,
      null,
      [[[[1]]]],
      sparse,
      { nested: { deeper: { deepest: [1, { x: 'two\nlines' }] } } },
      Object.create(null) as object,
      new Map([[1, 2]]),
      { list: [{ d: new Date(5) }], when: new Date(7), [Symbol('s')]: 1 },
    ];
    for (const value of values)
      for (const levels of [0, 1, 2, 3, 5])
        expect([...terminalJsonPieces(value, levels)].join('')).toBe(terminalJson(value));
  });

  it('writes a long array one member at a time', () => {
    const findings = Array.from({ length: 3 }, (_, i) => ({ id: `f${i}`, evidence: [{ text: 'x' }] }));
    const pieces = [...terminalJsonPieces({ kind: 'DiagnosisReport', findings })];
    expect(pieces).toContain(
      `{\n      "id": "f1",\n      "evidence": [\n        {\n          "text": "x"\n        }\n      ]\n    }`,
    );
  });
});
