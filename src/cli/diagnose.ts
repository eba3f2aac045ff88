// `kcockpit diagnose`: one consistent read of the cluster, every rule, one report.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { droppedNote, forbiddenNotes, runRules } from '../diagnose/engine.js';
import { unreadEventReasons } from '../diagnose/registry.js';
import { Snapshot } from '../store/snapshot.js';
import { CliError, oneLine } from './errors.js';
import type { GlobalFlags } from './flags.js';
import { openCluster, readSnapshot, type ClusterInfo } from './cluster.js';
import { buildReport, exitCodeFor, type DiagnosisReport } from './output/report.js';
import { renderText } from './output/text.js';
import { renderMarkdown } from './output/markdown.js';
import { renderJunit } from './output/junit.js';
import { chooseStyle } from '../format/style.js';
import { terminalJson, terminalJsonPieces } from '../format/inert.js';
import { rulesFor } from './rules.js';
import { debugLines } from './debug.js';

/** `--from-error -` reads stdin; anything else is the error text itself. */
export function readErrorText(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value !== '-') return value;
  if (process.stdin.isTTY)
    throw new CliError(
      '--from-error - reads the error from stdin; pipe it in (e.g. `helm install ... 2>&1 | kcockpit diagnose --from-error -`)',
    );
  try {
    return readFileSync(0, 'utf8');
  } catch (err) {
    throw new CliError(`could not read stdin: ${oneLine(err)}`);
  }
}

export interface DiagnoseInput {
  flags: GlobalFlags;
  errorText?: string;
  /** When the cluster cannot be read but there is error text, explain the text anyway. */
  clusterOptional?: boolean;
}

/** Milliseconds from process start at which each phase of the last diagnosis ended, for `--debug`. */
const phases: [string, number][] = [];
const mark = (phase: string) => phases.push([phase, performance.now()]);

export async function diagnoseReport(input: DiagnoseInput, warn: (line: string) => void): Promise<DiagnosisReport> {
  const { flags, errorText } = input;
  mark('start-up');
  const rules = await rulesFor(flags, warn);
  const notes: string[] = [];
  let snapshot: Snapshot;
  let info: ClusterInfo | undefined;
  try {
    info = openCluster(flags);
    const unread = unreadEventReasons(rules);
    if (unread.length > 0) debugLines([`events not read: reasons ${unread.join(', ')} (no rule reads them)`]);
    const read = await readSnapshot(info, unread);
    snapshot = read.snapshot;
    notes.push(...read.notes, ...forbiddenNotes(rules, snapshot.forbidden));
  } catch (err) {
    if (!input.clusterOptional) throw err;
    notes.push(`the cluster was not read: ${oneLine(err)}`);
    snapshot = new Snapshot({ takenAt: Date.now() });
  }
  mark('read');
  const now = snapshot.takenAt || Date.now();
  const result = runRules(rules, snapshot, errorText !== undefined ? { now, errorText } : { now });
  mark('rules');
  notes.push(...result.dropped.map(droppedNote));
  const meta: Parameters<typeof buildReport>[1] = { now, notes, ruleFailures: result.failures };
  if (info) {
    meta.context = info.contextName;
    meta.cluster = info.clusterName;
    if (info.namespace !== undefined) meta.namespace = info.namespace;
  }
  return buildReport(result.findings, meta);
}

export function formatReport(report: DiagnosisReport, flags: GlobalFlags, out: NodeJS.WriteStream): string {
  const now = Date.parse(report.generatedAt);
  switch (flags.output) {
    case 'json':
      return `${terminalJson(report)}\n`;
    case 'markdown':
      return renderMarkdown(report, now);
    case 'junit':
      return renderJunit(report, { now, failOn: flags.failOn });
    case 'text':
      return renderText(report, {
        style: chooseStyle(flags.color, out.isTTY === true, process.env),
        width: Math.min(out.columns || 100, 120),
        now,
      });
  }
}

export async function runDiagnose(flags: GlobalFlags): Promise<number> {
  const errorText = readErrorText(flags.fromError);
  const warn = (line: string) => process.stderr.write(`kcockpit: warning: ${line}\n`);
  const input: DiagnoseInput = { flags, clusterOptional: errorText !== undefined };
  if (errorText !== undefined) input.errorText = errorText;
  const report = await diagnoseReport(input, warn);
  await writeReport(report, flags, process.stdout);
  mark('report');
  // Each phase's end from process start, and its own length: where a slow run spent its time.
  debugLines([
    `phases: ${phases.map(([name, at], i) => `${name} ${((at - (phases[i - 1]?.[1] ?? 0)) / 1000).toFixed(2)} s`).join(', ')}; done at ${(performance.now() / 1000).toFixed(2)} s`,
  ]);
  return exitCodeFor(report, flags.failOn);
}

/** What writeReport hands the stream at a time: few writes, and no string of the whole report. */
const WRITE_BATCH = 64 * 1024;

/**
 * formatReport written to `out`. JSON goes in batches of its pieces, waiting for the stream
 * to drain between them: the report of 10,000 pods is then never one 9 MB string nor one
 * 4.5 MB buffer, at the moment the process holds the most (decision 0018).
 */
export async function writeReport(report: DiagnosisReport, flags: GlobalFlags, out: NodeJS.WriteStream): Promise<void> {
  if (flags.output !== 'json') {
    out.write(formatReport(report, flags, out));
    return;
  }
  let batch = '';
  const send = async (): Promise<void> => {
    if (!out.write(batch)) await once(out, 'drain');
    batch = '';
  };
  for (const piece of terminalJsonPieces(report)) {
    batch += piece;
    if (batch.length >= WRITE_BATCH) await send();
  }
  batch += '\n';
  await send();
}
