// Diagnosis for the live cockpit, off the render path. The rules run after the snapshot
// changes, but never more often than their own cost allows: a diagnosis that takes 300 ms
// over 10,000 pods runs at most every 600 ms. It shares the thread with the UI, so it runs
// one rule at a time, lets waiting keys and repaints in between, and waits while the user
// is pressing keys (a held-down j must not stall behind 300 ms of rules): findings are a
// moment late, the screen never is. Views show the newest findings beside the newest
// snapshot; the pod table does not wait.
import type { SnapshotSource } from '../store/source.js';
import { droppedNote, runRulesCooperatively } from './engine.js';
import type { Finding, Rule } from './types.js';

export interface FindingsState {
  /** Version of the snapshot these findings describe (-1 before the first run). */
  version: number;
  findings: Finding[];
  /** Rules that failed, one line each. */
  errors: string[];
  durationMs: number;
}

export interface FindingsSource {
  current(): FindingsState;
  /** Called when new findings are published. Returns unsubscribe. */
  subscribe(listener: () => void): () => void;
  /** The cockpit calls this on every keypress, so background work can make way. */
  noteInput?(): void;
}

export interface LiveDiagnosisOptions {
  /** Never run more often than this (default 250 ms). */
  minIntervalMs?: number;
  /** After a keypress, rules wait until the keyboard has been quiet this long (default 300 ms)... */
  inputQuietMs?: number;
  /** ...but never longer than this in all, so findings cannot go stale for good (default 3 s). */
  maxInputDeferMs?: number;
  now?: () => number;
}

export class LiveDiagnosis implements FindingsSource {
  private state: FindingsState = { version: -1, findings: [], errors: [], durationMs: 0 };
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private lastRunAt = 0;
  private lastInputAt = Number.NEGATIVE_INFINITY;
  private running = false;
  private stopped = false;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly source: SnapshotSource,
    private readonly rules: readonly Rule[],
    private readonly opts: LiveDiagnosisOptions = {},
  ) {}

  start(): void {
    this.unsubscribe = this.source.subscribe(() => this.schedule());
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  current(): FindingsState {
    return this.state;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A key was pressed: rules in progress or due hold back until the keyboard is quiet. */
  noteInput(): void {
    this.lastInputAt = Date.now();
  }

  private schedule(): void {
    if (this.stopped || this.timer || this.running || this.source.current().version === this.state.version) return;
    // A half-loaded cluster gives half-true findings (a crash whose log has not arrived looks
    // like a root cause): wait for the first full list. The source notifies when it is live.
    if (this.source.connection().state === 'connecting') return;
    const gap = Math.max(this.opts.minIntervalMs ?? 250, 2 * this.state.durationMs);
    const delay = Math.max(0, this.lastRunAt + gap - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delay);
  }

  private async run(): Promise<void> {
    const snapshot = this.source.current();
    if (snapshot.version === this.state.version) return;
    this.running = true;
    const started = Date.now();
    // What the rules cost, without the time spent waiting for the keyboard or the UI.
    let busyMs = 0;
    let sliceStart = Date.now();
    const pause = async () => {
      busyMs += Date.now() - sliceStart;
      await new Promise((resolve) => setImmediate(resolve));
      for (;;) {
        const quietAt = this.lastInputAt + (this.opts.inputQuietMs ?? 300);
        const wait = Math.min(quietAt, started + (this.opts.maxInputDeferMs ?? 3000)) - Date.now();
        if (wait <= 0 || this.stopped) break;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
      sliceStart = Date.now();
    };
    try {
      const { findings, failures, dropped } = await runRulesCooperatively(this.rules, snapshot, pause, {
        now: this.opts.now?.() ?? started,
      });
      busyMs += Date.now() - sliceStart;
      if (this.stopped) return;
      this.lastRunAt = Date.now();
      this.state = {
        version: snapshot.version,
        findings,
        errors: [...failures.map((f) => `rule ${f.ruleId} failed: ${f.message}`), ...dropped.map(droppedNote)],
        durationMs: busyMs,
      };
      for (const l of this.listeners) l();
    } finally {
      this.running = false;
    }
    // The snapshot may have moved on while the rules ran.
    this.schedule();
  }
}
