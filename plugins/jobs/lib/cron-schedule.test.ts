import { describe, expect, it } from 'vitest';
import { scheduleProblem } from './cron-schedule.js';

describe('scheduleProblem', () => {
  it('accepts the schedules the CronJob controller runs', () => {
    for (const s of [
      '*/5 * * * *',
      '0 3 * * 1-5',
      '30 2 1,15 * *',
      '0 0 * JAN,jul SUN',
      '0 12 ? * mon-fri',
      '5-55/10 * * * *',
      '@hourly',
      '@midnight',
      '@every 1h30m',
      'CRON_TZ=Europe/Paris 0 6 * * *',
    ])
      expect(scheduleProblem(s), s).toBeUndefined();
  });

  it("rejects the rest with the parser's words", () => {
    expect(scheduleProblem('61 * * * *')).toEqual({
      message: 'end of range (61) above maximum (59): 61',
      field: 'minute',
    });
    expect(scheduleProblem('every minute')).toEqual({ message: 'expected exactly 5 fields, found 2: [every minute]' });
    expect(scheduleProblem('0 0 0 * *')).toEqual({
      message: 'beginning of range (0) below minimum (1): 0',
      field: 'day of month',
    });
    expect(scheduleProblem('0 9-5 * * *')?.message).toBe('beginning of range (9) beyond end of range (5): 9-5');
    expect(scheduleProblem('*/0 * * * *')?.message).toBe('step of range should be a positive number: */0');
    expect(scheduleProblem('0 0 * * MON-FRY')?.message).toBe('failed to parse int from FRY');
    expect(scheduleProblem('@fortnightly')?.message).toBe('unrecognized descriptor: @fortnightly');
    expect(scheduleProblem('0 0 * * * *')?.message).toBe('expected exactly 5 fields, found 6: [0 0 * * * *]');
    expect(scheduleProblem('')?.message).toBe('empty spec string');
  });
});
