import { describe, expect, it } from 'vitest';
import { matchesSelector } from '../../src/model/selectors.js';

describe('matchesSelector', () => {
  const labels = { app: 'api', tier: 'web' };

  it('needs every matchLabels pair, and only own ones', () => {
    expect(matchesSelector(labels, { matchLabels: { app: 'api' } })).toBe(true);
    expect(matchesSelector(labels, { matchLabels: { app: 'api', tier: 'db' } })).toBe(false);
    expect(matchesSelector(labels, { matchLabels: { app: 'api', zone: 'a' } })).toBe(false);
    const inherited = Object.create({ zone: 'a' }) as Record<string, string>;
    inherited['app'] = 'api';
    expect(matchesSelector(labels, { matchLabels: inherited })).toBe(true);
  });

  it('takes missing labels, matchLabels and matchExpressions as empty', () => {
    expect(matchesSelector(undefined, { matchLabels: { app: 'api' } })).toBe(false);
    expect(matchesSelector(undefined, {})).toBe(true);
    expect(matchesSelector(labels, {})).toBe(true);
    expect(matchesSelector(undefined, { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] })).toBe(true);
    expect(matchesSelector(labels, undefined)).toBe(false);
  });

  it('applies matchExpressions after matchLabels', () => {
    const selector = {
      matchLabels: { app: 'api' },
      matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'edge'] }],
    };
    expect(matchesSelector(labels, selector)).toBe(true);
    expect(matchesSelector({ app: 'api', tier: 'db' }, selector)).toBe(false);
    expect(matchesSelector({ app: 'api' }, { matchExpressions: [{ key: 'tier', operator: 'Exists' }] })).toBe(false);
  });
});
