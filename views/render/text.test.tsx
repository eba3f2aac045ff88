import { describe, expect, it } from 'vitest';
import { displayWidth, fit, truncate, wrapText } from './text.js';

describe('displayWidth', () => {
  it('counts wide CJK characters as two columns and combining marks as none', () => {
    expect(displayWidth('pod-1')).toBe(5);
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
  });
});

describe('truncate', () => {
  it('cuts the end with an ellipsis', () => {
    expect(truncate('CreateContainerConfigError', 10)).toBe('CreateCon…');
  });

  it('keeps both ends in middle mode, so a pod name keeps its unique suffix', () => {
    expect(truncate('jaeger-op-jaeger-operator-7d7b58d48b-89p9p', 20, 'middle')).toBe('jaeger-op-…48b-89p9p');
  });

  it('leaves text that fits alone and never exceeds the width with wide characters', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(displayWidth(truncate('日本語のメッセージ', 7))).toBeLessThanOrEqual(7);
  });
});

describe('fit', () => {
  it('pads to the exact width, on the left for right-aligned cells', () => {
    expect(fit('42', 5, 'right')).toBe('   42');
    expect(fit('Running', 9)).toBe('Running  ');
  });
});

describe('wrapText', () => {
  it('wraps at word boundaries and breaks words longer than a line', () => {
    expect(wrapText('0/1 nodes are available: 1 Insufficient cpu.', 16)).toEqual([
      '0/1 nodes are',
      'available: 1',
      'Insufficient',
      'cpu.',
    ]);
    expect(wrapText('sha256:0123456789abcdef', 10)).toEqual(['sha256:012', '3456789abc', 'def']);
  });

  it('splits at newlines and writes other control characters out, measured as written', () => {
    expect(wrapText('Back-off\tpulling "x"\u001b[2J\nnext', 40)).toEqual([
      String.raw`Back-off pulling "x"\x1b[2J`,
      'next',
    ]);
    expect(wrapText('ab\u009bcd', 4)).toEqual(['ab\\x', '9bcd']);
  });

  it('keeps lines that fit as they are, spacing included', () => {
    expect(wrapText('Name:         jaeger', 40)).toEqual(['Name:         jaeger']);
  });

  it('carries indentation over to continuation lines', () => {
    expect(wrapText('    Message: Back-off pulling image', 20)).toEqual([
      '    Message:',
      '    Back-off pulling',
      '    image',
    ]);
  });
});

describe('wrapText hanging indents', () => {
  it('hangs continuation lines under the text after a bullet or a shell prompt', () => {
    expect(wrapText('  • event Failed ×4 2m ago on Pod observability/x', 24)).toEqual([
      '  • event Failed ×4 2m',
      '    ago on Pod',
      '    observability/x',
    ]);
    expect(wrapText('$ kubectl patch serviceaccount default', 20)).toEqual([
      '$ kubectl patch',
      '  serviceaccount',
      '  default',
    ]);
  });
});
