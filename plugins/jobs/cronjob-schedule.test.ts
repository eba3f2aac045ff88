import { describe, expect, it } from 'vitest';
import type { CronJob } from '../../src/model/k8s.js';
import type { RawFinding } from '../../src/diagnose/types.js';
import { Snapshot } from '../../src/store/snapshot.js';
import { NOW, cronJob } from '../../test/fixtures/jobs/load.js';
import { rule } from './cronjob-schedule.js';

function diagnose(cronJobs: CronJob[]): RawFinding[] {
  return rule.diagnose({ snapshot: new Snapshot({ cronJobs }), now: NOW });
}

describe('jobs/cronjob-schedule', () => {
  it("reports a schedule that does not parse, in the parser's words", () => {
    const [f, ...rest] = diagnose([cronJob('61 * * * *')]);
    expect(rest).toEqual([]);
    expect(f!.id).toBe('jobs/cronjob-schedule:samples/CronJob/nightly-report');
    expect(f!.severity).toBe('critical');
    expect(f!.title).toBe(
      'cronjob/nightly-report never runs: its schedule "61 * * * *" does not parse (end of range (61) above maximum (59): 61)',
    );
    expect(f!.evidence).toEqual([
      {
        source: 'spec',
        ref: { kind: 'CronJob', name: 'nightly-report', namespace: 'samples' },
        path: 'spec.schedule',
        text: '61 * * * *',
      },
      {
        source: 'spec',
        ref: { kind: 'CronJob', name: 'nightly-report', namespace: 'samples' },
        path: 'spec.schedule',
        text: 'end of range (61) above maximum (59): 61',
      },
    ]);
    expect(f!.explanation).toContain('the minute field is the one that is wrong');
    expect(f!.fixes[0]!.commands).toEqual([
      `kubectl patch cronjob nightly-report -n samples --type=merge -p '{"spec":{"schedule":"<minute> <hour> <day-of-month> <month> <day-of-week>"}}'`,
    ]);
  });

  it('reports words where fields belong', () => {
    const [f] = diagnose([cronJob('every minute')]);
    expect(f!.evidence[1]!.text).toBe('expected exactly 5 fields, found 2: [every minute]');
  });

  it('is quiet for a valid schedule and for a suspended CronJob, whatever its schedule', () => {
    const suspended = cronJob('61 * * * *');
    suspended.spec.suspend = true;
    expect(diagnose([cronJob('*/5 * * * *'), cronJob('@daily'), suspended])).toEqual([]);
  });
});
