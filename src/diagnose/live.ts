// Diagnosis for the live cockpit, off the render path. The rules run after the snapshot
// changes, but never more often than their own cost allows: a diagnosis that takes 300 ms
// over 10,000 pods runs at most every 600 ms, so rendering and key handling keep the CPU.
// Views show the newest findings beside the newest snapshot; the pod table does not wait.
import type { SnapshotSource } from '../store/source.js';
import { runRules } from './engine.js';
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
}

export interface LiveDiagnosisOptions {
  /** Never run more often than this (default 250 ms). */
  minIntervalMs?: number;
  now?: () => number;
}

export class LiveDiagnosis implements FindingsSource {
  private state: FindingsState = { version: -1, findings: [], errors: [], durationMs: 0 };
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private lastRunAt = 0;
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

  private schedule(): void {
    if (this.timer || this.source.current().version === this.state.version) return;
    // A half-loaded cluster gives half-true findings (a crash whose log has not arrived looks
    // like a root cause): wait for the first full list. The source notifies when it is live.
    if (this.source.connection().state === 'connecting') return;
    const gap = Math.max(this.opts.minIntervalMs ?? 250, 2 * this.state.durationMs);
    const delay = Math.max(0, this.lastRunAt + gap - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.run();
    }, delay);
  }

  private run(): void {
    const snapshot = this.source.current();
    if (snapshot.version === this.state.version) return;
    const started = Date.now();
    const { findings, failures } = runRules(this.rules, snapshot, { now: this.opts.now?.() ?? started });
    this.lastRunAt = Date.now();
    this.state = { version: snapshot.version, findings, errors: failures.map((f) => `rule ${f.ruleId} failed: ${f.message}`), durationMs: this.lastRunAt - started };
    for (const l of this.listeners) l();
    // The snapshot may have moved on while the rules ran.
    this.schedule();
  }
}
