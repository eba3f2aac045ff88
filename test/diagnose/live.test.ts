import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveDiagnosis } from '../../src/diagnose/live.js';
import type { Rule } from '../../src/diagnose/types.js';
import { Snapshot } from '../../src/store/snapshot.js';
import type { ConnectionState, SnapshotSource } from '../../src/store/source.js';

class FakeSource implements SnapshotSource {
  snapshot = new Snapshot({ version: 1 });
  state: ConnectionState = { state: 'connecting' };
  private listeners = new Set<() => void>();
  current() {
    return this.snapshot;
  }
  connection() {
    return this.state;
  }
  subscribe(l: () => void) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  publish(version: number, state: ConnectionState = { state: 'live' }) {
    this.snapshot = new Snapshot({ version });
    this.state = state;
    for (const l of this.listeners) l();
  }
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
// The throttling is about time; a busy CI machine must not decide it, so those tests run on a fake clock.
const fakeClock = () =>
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'Date'] });
const tick = (ms: number) => vi.advanceTimersByTimeAsync(ms);

describe('background diagnosis', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits for the first full list, then follows new snapshots without running more often than allowed', async () => {
    fakeClock();
    const versions: number[] = [];
    const rule: Rule = { id: 't/count', title: 't', diagnose: (ctx) => (versions.push(ctx.snapshot.version), []) };
    const source = new FakeSource();
    const live = new LiveDiagnosis(source, [rule], { minIntervalMs: 50 });
    const published: number[] = [];
    live.subscribe(() => published.push(live.current().version));
    live.start();
    await tick(20);
    expect(versions).toEqual([]);
    expect(live.current().version).toBe(-1);

    source.publish(2);
    await tick(10);
    expect(versions).toEqual([2]);
    // A burst of snapshots inside the interval is diagnosed once, at its newest version.
    source.publish(3);
    source.publish(4);
    source.publish(5);
    await tick(20);
    expect(versions).toEqual([2]);
    await tick(60);
    expect(versions).toEqual([2, 5]);
    expect(published).toEqual([2, 5]);
    live.stop();
  });

  it('reports a rule that throws and keeps the others', async () => {
    fakeClock();
    const source = new FakeSource();
    const broken: Rule = {
      id: 't/broken',
      title: 'b',
      diagnose: () => {
        throw new Error('boom');
      },
    };
    const live = new LiveDiagnosis(source, [broken], { minIntervalMs: 0 });
    live.start();
    source.publish(2);
    await tick(10);
    expect(live.current().errors).toEqual(['rule t/broken failed: boom']);
    live.stop();
  });

  it('holds the rules back while keys are being pressed, and not longer than allowed', async () => {
    fakeClock();
    const versions: number[] = [];
    const rule: Rule = { id: 't/count', title: 't', diagnose: (ctx) => (versions.push(ctx.snapshot.version), []) };
    const source = new FakeSource();
    const live = new LiveDiagnosis(source, [rule], { minIntervalMs: 0, inputQuietMs: 60, maxInputDeferMs: 400 });
    live.start();
    live.noteInput();
    source.publish(2);
    await tick(30);
    expect(versions).toEqual([]);
    await tick(80);
    expect(versions).toEqual([2]);

    // Keys pressed without a pause: the rules still run once the longest deferral is up.
    live.noteInput();
    const typing = setInterval(() => live.noteInput(), 10);
    source.publish(3);
    await tick(200);
    expect(versions).toEqual([2]);
    await tick(350);
    expect(versions).toEqual([2, 3]);
    clearInterval(typing);
    live.stop();
  });

  it('lets other work in between rules', async () => {
    const order: string[] = [];
    const rule = (id: string): Rule => ({ id, title: id, diagnose: () => (order.push(id), []) });
    const source = new FakeSource();
    const live = new LiveDiagnosis(source, [rule('a'), rule('b')], { minIntervalMs: 0 });
    live.subscribe(() => order.push('published'));
    live.start();
    source.publish(2);
    // A key handler queued right after rule a has run gets in before rule b.
    await new Promise<void>((resolve) => {
      const poll = () => (order.includes('a') ? (order.push('key'), resolve()) : setImmediate(poll));
      poll();
    });
    await wait(20);
    expect(order).toEqual(['a', 'key', 'b', 'published']);
    live.stop();
  });
});
