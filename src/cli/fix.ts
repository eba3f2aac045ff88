// `kcockpit fix <finding-id|rule-id>`: diagnose, pick the finding(s) and a plan, show what
// will change (the objects as a diff or YAML, and the kubectl/helm commands that do the
// same), then run it through the one fix runner: dry run, confirm (or --yes), apply, roll
// back on failure. Exit 0 applied (or dry run OK), 1 nothing applied (declined, --readonly,
// nothing kcockpit can apply), 2 an error.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FixPlan } from '../diagnose/types.js';
import { withManifestSource } from '../fixes/manifest.js';
import { runPlan, previewPlan, type RunOutcome } from '../fixes/runner.js';
import type { CredentialInput, StepPreview, StepResult } from '../fixes/types.js';
import { openCluster } from './cluster.js';
import { diagnoseReport } from './diagnose.js';
import { rulesFor } from './rules.js';
import { CliError, oneLine } from './errors.js';
import type { GlobalFlags } from './flags.js';
import type { ReportFinding } from './output/report.js';
import { wrap } from './output/text.js';
import { refText } from '../format/evidence.js';
import { inert, inertAll, terminalJson } from '../format/inert.js';
import { cliPrompter } from './prompter.js';
import { chooseStyle, type Style } from '../format/style.js';

export interface FixFlags {
  plan: string | undefined;
  yes: boolean;
  dryRun: boolean;
  username: string | undefined;
  passwordStdin: boolean;
  dockerConfig: string | undefined;
  /** `--manifest`: a local file (or another URL) for the plan's apply-manifest steps. */
  manifest: string | undefined;
}

export const FIX_SCHEMA_VERSION = 1;

/** `kcockpit fix --output json`: one entry per finding handled. */
export interface FixReport {
  kind: 'FixReport';
  schemaVersion: typeof FIX_SCHEMA_VERSION;
  context: string;
  namespace: string | null;
  dryRun: boolean;
  fixes: {
    finding: { id: string; ruleId: string; title: string };
    plan: string;
    preview: StepPreview[];
    outcome: RunOutcome;
  }[];
}

/** `--password-stdin`: the token from a pipe, like `docker login --password-stdin`. */
function readPassword(): string {
  if (process.stdin.isTTY)
    throw new CliError(
      '--password-stdin reads the token from a pipe: printf %s "$TOKEN" | kcockpit fix ... --password-stdin',
    );
  let text: string;
  try {
    text = readFileSync(0, 'utf8');
  } catch (err) {
    throw new CliError(`could not read stdin: ${oneLine(err)}`);
  }
  const password = text.replace(/\r?\n$/, '');
  if (!password) throw new CliError('--password-stdin: stdin was empty');
  return password;
}

function selectFindings(findings: readonly ReportFinding[], target: string): ReportFinding[] {
  const exact = findings.filter((f) => f.id === target);
  return exact.length > 0 ? exact : findings.filter((f) => f.ruleId === target);
}

function plansLine(plans: readonly FixPlan[]): string {
  return plans.map((p) => `${p.id}${p.mutates ? '' : ' (information only)'}`).join(', ');
}

/** The plan to run: `--plan`, else the first that changes something. */
function choosePlan(f: ReportFinding, wanted: string | undefined): FixPlan | string {
  if (f.fixes.length === 0) return `finding ${f.id} has no fix plan`;
  if (wanted !== undefined) {
    return (
      f.fixes.find((p) => p.id === wanted) ??
      `finding ${f.id} has no plan "${wanted}"; its plans: ${plansLine(f.fixes)}`
    );
  }
  return f.fixes.find((p) => p.mutates) ?? f.fixes[0]!;
}

const STATUS_MARK: Record<StepResult['status'], string> = {
  applied: '✓',
  'dry-run-ok': '✓',
  skipped: '-',
  manual: '→',
  refused: '✗',
  failed: '✗',
  'rolled-back': '↺',
};

/** The preview for people: the finding, the plan and each step's diff, all of it made inert. */
function previewText(
  finding: ReportFinding,
  chosen: FixPlan,
  previews: readonly StepPreview[],
  style: Style,
  width: number,
): string[] {
  // The diffs show objects read from the cluster (and YAML writes C1 and bidi controls as
  // they are): everything is made inert before it is styled, a diff line by line.
  const f = inertAll(finding);
  const plan = inertAll(chosen);
  const lines: string[] = [];
  lines.push(style.bold(`Fix: ${f.title}`));
  lines.push(style.dim(`  ${refText(f.subject)} · ${f.id}`));
  lines.push(`  ${style.bold('Plan:')} ${plan.title} ${style.dim(`[${plan.id}]`)}`);
  const others = f.fixes.filter((p) => p.id !== plan.id);
  if (others.length > 0) lines.push(style.dim(`  other plans (pick one with --plan): ${plansLine(others)}`));
  lines.push(...wrap(plan.explanation, width, '  '));
  lines.push(`  ${style.bold('What changes')}`);
  previews.forEach((p, i) => {
    const number = `${i + 1}. `;
    lines.push(
      ...wrap(inert(p.step.description), width, '     ').map((l, j) => (j === 0 ? `  ${number}${l.trimStart()}` : l)),
    );
    // A manual step's preview is its description: said once.
    if (p.diff === p.step.description) return;
    for (const l of p.diff.replace(/\n$/, '').split('\n').map(inert)) {
      const colour =
        l.startsWith('+') && !l.startsWith('+++')
          ? style.cyan
          : l.startsWith('-') && !l.startsWith('---')
            ? style.red
            : (s: string) => s;
      lines.push(`     ${colour(l)}`);
    }
  });
  if (plan.commands.length > 0) {
    lines.push(`  ${style.bold('By hand, the same is')}`);
    for (const c of plan.commands) lines.push(`    ${style.cyan(`$ ${c}`)}`);
  }
  return lines;
}

function outcomeText(outcome: RunOutcome, style: Style): string[] {
  const lines = [`  ${style.bold('Result')}`];
  outcome.results.forEach((r, i) =>
    lines.push(`  ${STATUS_MARK[r.status]} ${i + 1}. ${r.status}: ${inert(r.message)}`),
  );
  const colour =
    outcome.result === 'failed'
      ? style.red
      : outcome.result === 'applied' || outcome.result === 'dry-run-ok'
        ? (s: string) => s
        : style.yellow;
  lines.push(colour(`  ${inert(outcome.summary)}`));
  return lines;
}

function exitCodeOf(outcomes: readonly RunOutcome[]): number {
  if (outcomes.some((o) => o.result === 'failed')) return 2;
  return outcomes.every((o) => o.result === 'applied' || o.result === 'dry-run-ok') ? 0 : 1;
}

export async function runFix(args: string[], flags: GlobalFlags, fix: FixFlags): Promise<number> {
  if (args.length !== 1)
    throw new CliError(
      'fix needs one finding id or rule id: kcockpit fix <finding-id|rule-id> (kcockpit diagnose --output json lists them)',
    );
  if (flags.output !== 'text' && flags.output !== 'json')
    throw new CliError('fix writes text or json (--output text|json)');
  const target = args[0]!;
  const json = flags.output === 'json';
  const credentials: CredentialInput = {};
  if (fix.username !== undefined) credentials.username = fix.username;
  if (fix.dockerConfig !== undefined) credentials.dockerConfigPath = fix.dockerConfig;
  if (fix.passwordStdin) credentials.password = readPassword();

  const warn = (line: string): void => void process.stderr.write(`kcockpit: warning: ${line}\n`);
  const report = await diagnoseReport({ flags }, warn);
  const findings = selectFindings(report.findings, target);
  if (findings.length === 0) {
    const ruleIds = new Set((await rulesFor(flags, () => undefined)).map((r) => r.id));
    const where = report.namespace ? `namespace ${report.namespace}` : 'any namespace';
    if (target.includes(':') || ruleIds.has(target)) {
      process.stderr.write(
        `kcockpit: nothing to fix: no finding ${ruleIds.has(target) ? `of rule ${target}` : target} in ${where} (fixed already? kcockpit diagnose lists what is wrong now)\n`,
      );
      return 1;
    }
    throw new CliError(
      `"${target}" is neither a finding id nor a rule id (finding ids look like pods/image-pull:observability/Deployment/web#app/rate-limit; kcockpit diagnose --output json lists them)`,
    );
  }

  const info = openCluster(flags);
  const style = chooseStyle(flags.color, process.stdout.isTTY === true, process.env);
  const width = Math.min(process.stdout.columns || 100, 120);
  const prompter = cliPrompter(credentials.password !== undefined ? { password: credentials.password } : {});
  const outcomes: RunOutcome[] = [];
  const entries: FixReport['fixes'] = [];
  try {
    for (const f of findings) {
      const chosen = choosePlan(f, fix.plan);
      if (typeof chosen === 'string') {
        if (fix.plan !== undefined) throw new CliError(chosen);
        process.stderr.write(`kcockpit: ${inert(chosen)}\n`);
        continue;
      }
      let plan = chosen;
      if (fix.manifest !== undefined) {
        const source = /^https?:\/\//i.test(fix.manifest) ? fix.manifest : resolve(fix.manifest);
        const edited = withManifestSource(plan, source);
        if (!edited) throw new CliError(`--manifest: plan ${plan.id} applies no manifest`);
        plan = edited;
      }
      const preview = await previewPlan(info.conn, plan);
      if (!json) process.stdout.write(`${previewText(f, plan, preview, style, width).join('\n')}\n`);
      const outcome = await runPlan(info.conn, plan, {
        readonly: flags.readonly,
        dryRun: fix.dryRun,
        yes: fix.yes,
        prompter,
        credentials,
        onProgress: (line) => void process.stderr.write(`  · ${inert(line)}\n`),
      });
      outcomes.push(outcome);
      entries.push({ finding: { id: f.id, ruleId: f.ruleId, title: f.title }, plan: plan.id, preview, outcome });
      if (json) process.stderr.write(`kcockpit: ${inert(`${f.id}: ${outcome.summary}`)}\n`);
      else process.stdout.write(`${outcomeText(outcome, style).join('\n')}\n\n`);
    }
  } finally {
    info.conn.close();
  }
  if (json) {
    const out: FixReport = {
      kind: 'FixReport',
      schemaVersion: FIX_SCHEMA_VERSION,
      context: info.contextName,
      namespace: info.namespace ?? null,
      dryRun: fix.dryRun,
      fixes: entries,
    };
    process.stdout.write(`${terminalJson(out)}\n`);
  }
  return outcomes.length === 0 ? 1 : exitCodeOf(outcomes);
}
