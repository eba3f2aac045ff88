import { describe, expect, it } from 'vitest';
import { matchesSelector } from '../../src/model/selectors.js';

describe('matchLabels', () => {
  it('every label of the selector, with its value; other labels of the object do not matter', () => {
    const labels = { app: 'api', tier: 'backend' };
    expect(matchesSelector(labels, { matchLabels: { app: 'api' } })).toBe(true);
    expect(matchesSelector(labels, { matchLabels: { app: 'api', tier: 'backend' } })).toBe(true);
    expect(matchesSelector(labels, { matchLabels: { app: 'web' } })).toBe(false);
    expect(matchesSelector(labels, { matchLabels: { app: 'api', zone: 'a' } })).toBe(false);
    expect(matchesSelector(undefined, { matchLabels: { app: 'api' } })).toBe(false);
    expect(matchesSelector(undefined, { matchLabels: {} })).toBe(true);
  });

  it('a label named like an Object property is a label like any other', () => {
    const selector = JSON.parse('{"matchLabels": {"__proto__": "x", "constructor": "y"}}');
    expect(matchesSelector(JSON.parse('{"__proto__": "x", "constructor": "y"}'), selector)).toBe(true);
    expect(matchesSelector({}, selector)).toBe(false);
    expect(matchesSelector({ constructor: 'y' }, { matchLabels: { toString: 'z' } })).toBe(false);
  });
});
