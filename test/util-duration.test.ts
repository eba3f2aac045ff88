import { describe, expect, it } from 'vitest';
import { durationWords, shortDuration } from '../src/util/duration.js';

describe('coarse durations', () => {
  it('steps from seconds to minutes to hours to days like kubectl', () => {
    expect([45e3, 119e3, 120e3, 7199e3, 7200e3, 47 * 3600e3, 48 * 3600e3].map(shortDuration)).toEqual([
      '45s',
      '119s',
      '2m',
      '119m',
      '2h',
      '47h',
      '2d',
    ]);
    expect(durationWords(1000)).toBe('1 second');
    expect(durationWords(600e3)).toBe('10 minutes');
    expect(shortDuration(-5000)).toBe('0s');
  });
});
