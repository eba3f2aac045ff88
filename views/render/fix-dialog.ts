// The fix dialog as lines: the plans to choose from, a plan's preview (what each step
// changes, as a diff, and the commands that do the same by hand), the run's progress and
// its outcome. Pure, so tests read the dialog without Ink.
import type { FixPlan } from '../../src/diagnose/types.js';
import type { StepResult, StepStatus } from '../../src/fixes/types.js';
import type { FixDialogState, FixStage, Question } from '../dialogs/fix-session.js';
import { dialogHints, type DialogCommandId } from '../keys/bindings.js';
import { diffLine, wrapped, type DialogLine, type DialogView } from './dialog.js';
import { subjectName } from './findings.js';
import type { RowStyle } from './row.js';
import { inert } from '../../src/format/inert.js';

/** What a typed secret looks like: the same whatever its length, so not even that shows. */
export const SECRET_MASK = '••••';

const STATUS_STYLE: Record<StepStatus, RowStyle | undefined> = {
  applied: 'ok',
  'dry-run-ok': 'ok',
  refused: 'warning',
  failed: 'critical',
  'rolled-back': 'critical',
  skipped: 'dim',
  manual: undefined,
};

function planLines(plan: FixPlan, index: number, selected: boolean, width: number): DialogLine[] {
  const kind = plan.mutates ? 'changes the cluster' : 'information only';
  return [
    { text: `${selected ? '>' : ' '} ${index + 1}. ${plan.title} — ${kind}`, bold: selected, selected },
    ...wrapped(plan.explanation, width, '     ', { style: 'dim' }),
    ...plan.commands.flatMap((c) => wrapped(`$ ${c}`, width, '     ', { style: 'marked' })),
  ];
}

function commandLines(plan: FixPlan, width: number): DialogLine[] {
  return plan.commands.flatMap((c) => wrapped(`$ ${c}`, width, '  ', { style: 'marked' }));
}

function previewLines(stage: Extract<FixStage, { name: 'preview' }>, width: number): DialogLine[] {
  const { plan, previews, error } = stage;
  const lines: DialogLine[] = [
    { text: plan.title, bold: true },
    ...wrapped(plan.explanation, width, '', { style: 'dim' }),
    { text: '' },
  ];
  if (!plan.mutates) {
    lines.push({ text: 'Run these yourself:', bold: true }, ...commandLines(plan, width));
    for (const step of plan.steps) lines.push(...wrapped(`• ${step.description}`, width, '  '));
    return lines;
  }
  if (!previews) lines.push({ text: 'Working out what will change…', style: 'dim' });
  if (error)
    lines.push(
      ...wrapped(`! Could not work out what will change: ${error}. Nothing was changed.`, width, '', {
        style: 'critical',
      }),
    );
  previews?.forEach((p, i) => {
    lines.push(
      ...wrapped(`${i + 1}. ${p.step.description}${p.ref ? ` (${subjectName(p.ref, true)})` : ''}`, width, '', {
        bold: true,
      }),
    );
    if (p.command) lines.push(...wrapped(`$ ${p.command}`, width, '   ', { style: 'marked' }));
    for (const l of p.diff.split('\n')) lines.push(diffLine(l, '   '));
  });
  if (plan.commands.length > 0)
    lines.push({ text: '' }, { text: 'The same by hand:', bold: true }, ...commandLines(plan, width));
  return lines;
}

function resultLine(r: StepResult, width: number): DialogLine[] {
  const style = STATUS_STYLE[r.status];
  // A manual step's message is often its description again: say it once.
  const text = r.message === r.step.description ? r.message : `${r.step.description}: ${r.message}`;
  return wrapped(`${r.status}  ${text}`, width, '  ', style ? { style } : {});
}

function runLines(
  stage: Extract<FixStage, { name: 'running' | 'done' }>,
  progress: readonly string[],
  width: number,
): DialogLine[] {
  const lines: DialogLine[] = [{ text: stage.plan.title, bold: true }];
  // Progress lines are cut, not wrapped: helm's output is already laid out in lines.
  for (const p of progress) lines.push({ text: `  ${inert(p)}` });
  if (stage.name === 'done' && stage.outcome) {
    lines.push({ text: '' }, { text: 'Steps', bold: true });
    for (const r of stage.outcome.results) lines.push(...resultLine(r, width));
  }
  return lines;
}

function questionLines(q: Question, width: number): DialogLine[] {
  switch (q.kind) {
    case 'confirm':
      return wrapped(`${q.question} [y/n]`, width, '', { bold: true, style: 'warning' });
    case 'text': {
      const hint = q.value === '' && q.defaultValue ? ` (enter: ${q.defaultValue})` : '';
      return wrapped(`${q.question} ${q.value}▏${hint}`, width, '', { bold: true });
    }
    case 'secret':
      return [
        ...wrapped(`${q.question} ${q.filled ? SECRET_MASK : ''}▏`, width, '', { bold: true }),
        { text: 'What you type is hidden.', style: 'dim' },
      ];
    case 'choose':
      return [
        ...wrapped(q.question, width, '', { bold: true }),
        ...q.options.map((o, i) => ({
          text: `${i === q.cursor ? '>' : ' '} ${inert(o)}`,
          selected: i === q.cursor,
          bold: i === q.cursor,
        })),
      ];
  }
}

function footerLines(state: FixDialogState, width: number): DialogLine[] {
  if (state.question) return questionLines(state.question, width);
  if (state.notice) return wrapped(`! ${state.notice}`, width, '', { style: 'warning' });
  const stage = state.stage;
  if (stage.name === 'running')
    return [{ text: 'Running… the runner reports here and asks before it changes anything.', style: 'dim' }];
  if (stage.name === 'done') {
    if (stage.error) return wrapped(`! The fix stopped: ${stage.error}`, width, '', { style: 'critical' });
    if (stage.outcome)
      return wrapped(stage.outcome.summary, width, '', { style: stage.outcome.applied ? 'ok' : 'warning', bold: true });
  }
  return [];
}

type Hint = DialogCommandId | readonly [DialogCommandId, string];

function hintList(state: FixDialogState): readonly Hint[] {
  const q = state.question;
  const stage = state.stage;
  if (q?.kind === 'confirm') return ['dialog.yes', 'dialog.no', 'dialog.close'];
  if (q?.kind === 'choose' || stage.name === 'plans')
    return ['dialog.down', 'dialog.up', 'dialog.enter', 'dialog.close'];
  if (stage.name === 'preview') {
    // Enter applies only once the preview is there: until then it is not offered.
    const apply: readonly Hint[] =
      stage.plan.mutates && !state.readonly && stage.previews ? [['dialog.enter', 'apply']] : [];
    return [...apply, 'dialog.down', 'dialog.pageDown', 'dialog.close'];
  }
  if (stage.name === 'done') return [['dialog.enter', 'close'], 'dialog.down', 'dialog.up'];
  return ['dialog.down', 'dialog.up', 'dialog.close'];
}

function hints(state: FixDialogState): string {
  const q = state.question;
  // Typing into a question: the keys are the `:` prompt's line editing.
  if (q?.kind === 'text' || q?.kind === 'secret') return '<enter> accept <escape> cancel';
  return dialogHints(hintList(state));
}

export function fixDialogView(state: FixDialogState, width: number): DialogView {
  const { stage } = state;
  const title = `${state.readonly ? '[readonly] ' : ''}${state.title}`;
  let body: DialogLine[];
  let focus: number | undefined;
  if (stage.name === 'plans') {
    body = [];
    state.plans.forEach((plan, i) => {
      if (i === state.cursor) focus = body.length;
      body.push(...planLines(plan, i, i === state.cursor, width));
    });
  } else if (stage.name === 'preview') body = previewLines(stage, width);
  else body = runLines(stage, state.progress, width);
  return {
    title,
    body,
    top: stage.name === 'plans' ? 0 : state.top,
    ...(focus !== undefined ? { focus } : {}),
    footer: footerLines(state, width),
    hints: hints(state),
  };
}
