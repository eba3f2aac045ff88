import { describe, expect, it } from 'vitest';
import { editDistance, nearestName } from './nearest.js';

describe('nearestName', () => {
  it.each([
    ['standrad', ['fast', 'standard', 'premium-rwo'], 'standard'],
    ['app-confg', ['app-config', 'app-secrets'], 'app-config'],
    ['DB_PASSWORD', ['db-password', 'db-user'], 'db-password'],
    ['postgres', ['postgresql', 'redis'], 'postgresql'],
    ['nginx', ['ngnix', 'traefik'], 'ngnix'],
    ['http', ['https', 'metrics'], 'https'],
  ])('%s → %s', (wanted, candidates, expected) => {
    expect(nearestName(wanted, candidates)).toBe(expected);
  });

  it('says nothing when no name is a plausible slip', () => {
    expect(nearestName('gp2', ['standard', 'premium-rwo'])).toBeUndefined();
    expect(nearestName('web', ['api', 'db'])).toBeUndefined();
    expect(nearestName('a', ['b'])).toBeUndefined();
  });

  it('prefers the closer name, and the earlier one on a tie', () => {
    expect(nearestName('frontend', ['frontends', 'frontend2', 'fronted'])).toBe('frontends');
    expect(nearestName('web', ['wbe', 'weeb'])).toBe('wbe');
  });

  it('never proposes the wanted name itself', () => {
    expect(nearestName('x-y', ['x-y'])).toBeUndefined();
  });
});

describe('editDistance', () => {
  it('counts a swapped pair of letters as one edit', () => {
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('Standard', 'standard')).toBe(0);
  });
});
