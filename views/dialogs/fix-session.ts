// The fix dialog's state machine: the finding's plans → a plan's preview → the run, where
// the runner asks its questions through this session's Prompter → the outcome. The runner
// does dry run → confirm → apply; the dialog only shows what it asks and what it says.
// The cockpit's actions (scale, drain, edit…) are plans too and use the same dialog: one
// plan, shown at its preview straight away, after a question when the plan needs an answer.
import type { Finding, FixPlan } from '../../src/diagnose/types.js';
import type { FixOutcome, Prompter, StepPreview } from '../../src/fixes/types.js';
import { dialogCommand, type DialogCommandId } from '../keys/bindings.js';
import type { KeyPress } from '../keys/dispatcher.js';
import { editPrompt } from '../keys/prompt.js';
import type { FixBackend } from '../sources.js';
import { lastTop } from '../components/ScrollText.js';
import { moveCursor, type CursorCommand, type Flash } from '../state.js';
import { passesThrough, type DialogSession } from './dialog.js';
import { Store, errorLine } from './store.js';
import { subjectName } from '../render/findings.js';

/** What the dialog shows of a question. A secret's value is never part of the state. */
export type Question =
  | { kind: 'confirm'; question: string }
  | { kind: 'text'; question: string; value: string; defaultValue?: string }
  | { kind: 'secret'; question: string; filled: boolean }
  | { kind: 'choose'; question: string; options: readonly string[]; cursor: number };

export type FixStage =
  | { name: 'plans' }
  /** `previews` is undefined while it loads; information-only plans have none to load. */
  | { name: 'preview'; plan: FixPlan; previews?: readonly StepPreview[]; error?: string }
  | { name: 'running'; plan: FixPlan }
  | { name: 'done'; plan: FixPlan; outcome?: FixOutcome; error?: string };

export interface FixDialogState {
  /** `Fix: <finding> (<object>)`, or the action's title. */
  title: string;
  /** The plans to choose from (an action has one, and starts at its preview). */
  plans: readonly FixPlan[];
  readonly: boolean;
  stage: FixStage;
  /** The plan under the cursor in the list. */
  cursor: number;
  /** First line of the scrolled text; `end` follows progress lines as they arrive. */
  top: number | 'end';
  /** Lines the runner reported (helm's output...), newest last. */
  progress: readonly string[];
  question?: Question;
  /** One line saying why enter did nothing (read-only mode, an information-only plan). */
  notice?: string;
}

/** An action whose plan needs an answer first (scale: how many replicas). */
export interface AskFirst {
  title: string;
  question: string;
  defaultValue: string;
  /** The plan for the answer, or one line saying why the answer will not do. */
  plan(answer: string): FixPlan | { error: string };
}

/** What the dialog works on: a finding's plans, one action's plan, or an action that asks first. */
export type FixSubject = { finding: Finding } | { action: FixPlan } | { ask: AskFirst };

export type FixSessionOptions = FixSubject & {
  backend: FixBackend;
  readonly: boolean;
  onClose(): void;
  onFlash(flash: Flash): void;
  /** Told how a run ended (the edit action offers to edit again after a 409 or a 422). */
  onOutcome?(outcome: FixOutcome): void;
};

/** The dialog's title for a finding: the problem first, since on a narrow terminal the object's name is what gets cut. */
export function findingTitle(finding: Finding): string {
  return `Fix: ${finding.title} (${subjectName(finding.subject, true)})`;
}

/** Progress kept for the dialog; helm can print thousands of lines. */
const MAX_PROGRESS = 2000;

const SCROLL: Partial<Record<DialogCommandId, CursorCommand>> = {
  'dialog.down': 'cursor.down',
  'dialog.up': 'cursor.up',
  'dialog.pageDown': 'cursor.pageDown',
  'dialog.pageUp': 'cursor.pageUp',
  'dialog.top': 'cursor.top',
  'dialog.bottom': 'cursor.bottom',
};

export const READONLY_NOTICE =
  'Read-only mode (--readonly): kcockpit shows this fix but does not apply it. Run the commands below yourself, or restart kcockpit without --readonly.';
export const INFORMATION_NOTICE = 'This plan only informs: kcockpit has nothing to apply. Run these commands yourself.';

type Answer = boolean | string | number;

interface Pending {
  question: Question;
  resolve(answer: Answer): void;
  reject(err: Error): void;
}

const CANCELLED = 'Cancelled: the fix dialog was closed (esc) before the question was answered.';

function cancelled(): Error {
  return new Error(CANCELLED);
}

function appliedFlash(plan: FixPlan, outcome: FixOutcome, forFinding: boolean): Flash {
  // A drain that a budget held back in part is not simply done: say what stayed.
  const kept = outcome.results.flatMap((r) => (r.except ? [r.except] : []));
  const what = kept.length > 0 ? `${plan.title} except ${kept.join('; ')}` : plan.title;
  return {
    kind: 'info',
    text: forFinding ? `Applied: ${what} — the finding clears when the cluster catches up.` : `Applied: ${what}.`,
  };
}

function outcomeFlash(plan: FixPlan, outcome: FixOutcome, forFinding: boolean): Flash {
  if (outcome.applied) return appliedFlash(plan, outcome, forFinding);
  const failed = outcome.results.some((r) => r.status === 'failed' || r.status === 'rolled-back');
  return { kind: failed ? 'error' : 'info', text: `${plan.title}: ${outcome.summary}` };
}

export class FixSession extends Store<FixDialogState> implements DialogSession {
  readonly kind = 'fix' as const;
  private readonly queue: Pending[] = [];
  /** The secret being typed. Kept here, never in the state, and emptied once answered. */
  private secretValue = '';
  private closed = false;
  private viewport = { rows: 1, lines: 0 };

  constructor(private readonly options: FixSessionOptions) {
    super({
      title:
        'finding' in options
          ? findingTitle(options.finding)
          : 'action' in options
            ? options.action.title
            : options.ask.title,
      plans: 'finding' in options ? options.finding.fixes : 'action' in options ? [options.action] : [],
      readonly: options.readonly,
      stage: { name: 'plans' },
      cursor: 0,
      top: 0,
      progress: [],
    });
    if ('action' in options) this.choose(options.action);
    else if ('ask' in options) this.askFirst(options.ask);
  }

  private askFirst(ask: AskFirst): void {
    this.prompter.text(ask.question, ask.defaultValue).then(
      (answer) => {
        const plan = ask.plan(answer.trim());
        if ('error' in plan) {
          this.options.onFlash({ kind: 'error', text: plan.error });
          this.close();
          return;
        }
        this.update({ title: plan.title, plans: [plan] });
        this.choose(plan);
      },
      () => undefined,
    );
  }

  /** How the runner asks the user things: each question shows in the dialog until answered. */
  readonly prompter: Prompter = {
    confirm: (question) => this.ask<boolean>({ kind: 'confirm', question }),
    secret: (question) => this.ask<string>({ kind: 'secret', question, filled: false }),
    text: (question, defaultValue) =>
      this.ask<string>(
        defaultValue === undefined
          ? { kind: 'text', question, value: '' }
          : { kind: 'text', question, value: '', defaultValue },
      ),
    choose: (question, options) => this.ask<number>({ kind: 'choose', question, options, cursor: 0 }),
  };

  /** The component tells how many lines fit and how many there are, for scrolling. */
  setViewport(rows: number, lines: number): void {
    this.viewport = { rows: Math.max(1, rows), lines };
  }

  handle(press: KeyPress): boolean {
    const question = this.state.question;
    if (question && (question.kind === 'text' || question.kind === 'secret')) return this.type(question, press);
    if (passesThrough(press)) return false;
    const command = dialogCommand(press.name, 'fix');
    if (command === 'dialog.close') {
      this.close();
      return true;
    }
    if (question) return this.answerKey(question, command);
    const stage = this.state.stage;
    if (stage.name === 'plans') {
      const plans = this.state.plans;
      if (command === 'dialog.down' || command === 'dialog.up')
        this.update({
          cursor: Math.max(0, Math.min(plans.length - 1, this.state.cursor + (command === 'dialog.down' ? 1 : -1))),
        });
      const plan = plans[this.state.cursor];
      if (command === 'dialog.enter' && plan) this.choose(plan);
      return true;
    }
    const scroll = command && SCROLL[command];
    if (scroll) this.scroll(scroll);
    else if (command === 'dialog.enter' && stage.name === 'preview') this.apply(stage);
    else if (command === 'dialog.enter' && stage.name === 'done') this.close();
    return true;
  }

  /** Esc: the dialog goes; a question still open is answered no, and a run in progress goes on. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.secretValue = '';
    for (const p of this.queue.splice(0)) {
      if (p.question.kind === 'confirm') p.resolve(false);
      else p.reject(cancelled());
    }
    this.update({ question: undefined });
    this.options.onClose();
  }

  private ask<T extends Answer>(question: Question): Promise<T> {
    if (this.closed) return Promise.reject(cancelled());
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ question, resolve: (a) => resolve(a as T), reject });
      if (this.queue.length === 1) this.update({ question });
    });
  }

  private answer(value: Answer): void {
    const done = this.queue.shift();
    this.secretValue = '';
    this.update({ question: this.queue[0]?.question });
    done?.resolve(value);
  }

  private answerKey(question: Question, command: DialogCommandId | undefined): boolean {
    if (question.kind === 'confirm') {
      if (command === 'dialog.yes') this.answer(true);
      else if (command === 'dialog.no') this.answer(false);
    } else if (question.kind === 'choose') {
      if (command === 'dialog.down' || command === 'dialog.up') {
        const cursor = Math.max(
          0,
          Math.min(question.options.length - 1, question.cursor + (command === 'dialog.down' ? 1 : -1)),
        );
        this.replaceQuestion({ ...question, cursor });
      } else if (command === 'dialog.enter') this.answer(question.cursor);
    }
    return true;
  }

  /** Text and secret questions take every key, as the `:` prompt does. */
  private type(question: Extract<Question, { kind: 'text' | 'secret' }>, press: KeyPress): boolean {
    if (press.name === 'ctrl-c') return false;
    const current = question.kind === 'secret' ? this.secretValue : question.value;
    const outcome = editPrompt(current, press);
    switch (outcome.type) {
      case 'cancel':
        this.close();
        break;
      case 'submit':
        this.answer(question.kind === 'text' && outcome.text === '' ? (question.defaultValue ?? '') : outcome.text);
        break;
      case 'edit':
        if (question.kind === 'secret') {
          this.secretValue = outcome.text;
          if (question.filled !== (outcome.text !== ''))
            this.replaceQuestion({ ...question, filled: outcome.text !== '' });
        } else this.replaceQuestion({ ...question, value: outcome.text });
        break;
      case 'complete':
      case 'ignore':
        break;
    }
    return true;
  }

  private replaceQuestion(question: Question): void {
    const first = this.queue[0];
    if (first) first.question = question;
    this.update({ question });
  }

  private scroll(command: CursorCommand): void {
    const { rows, lines } = this.viewport;
    const last = lastTop(lines, rows);
    const from = this.state.top === 'end' ? last : Math.min(this.state.top, last);
    const top = moveCursor(command, from, last, rows);
    // At the bottom of a run's output, keep following new lines.
    this.update({ top: this.state.stage.name === 'running' && top >= last ? 'end' : top });
  }

  private choose(plan: FixPlan): void {
    if (!plan.mutates) {
      this.update({ stage: { name: 'preview', plan, previews: [] }, top: 0, notice: undefined });
      return;
    }
    this.update({ stage: { name: 'preview', plan }, top: 0, notice: undefined });
    const still = () => !this.closed && this.state.stage.name === 'preview' && this.state.stage.plan === plan;
    this.options.backend.preview(plan).then(
      (previews) => still() && this.update({ stage: { name: 'preview', plan, previews } }),
      (err: unknown) =>
        still() && this.update({ stage: { name: 'preview', plan, previews: [], error: errorLine(err) } }),
    );
  }

  private apply(stage: Extract<FixStage, { name: 'preview' }>): void {
    const { plan } = stage;
    if (!plan.mutates) return this.update({ notice: INFORMATION_NOTICE });
    // Refused here, before the runner: in read-only mode nothing may even ask to apply.
    if (this.options.readonly) return this.update({ notice: READONLY_NOTICE });
    if (!stage.previews)
      return this.update({ notice: 'Wait for the preview: kcockpit is still working out what will change.' });
    this.update({ stage: { name: 'running', plan }, progress: [], top: 'end', notice: undefined });
    this.options.backend
      .run(plan, { dryRun: false, prompter: this.prompter, onProgress: (line) => this.progressLine(line) })
      .then(
        (outcome) => this.finish(plan, { outcome }),
        (err: unknown) => this.finish(plan, { error: errorLine(err) }),
      );
  }

  private progressLine(line: string): void {
    if (this.closed) return;
    const added = line.replace(/\r?\n$/, '').split(/\r?\n/);
    this.update({ progress: [...this.state.progress, ...added].slice(-MAX_PROGRESS) });
  }

  private finish(plan: FixPlan, result: { outcome: FixOutcome } | { error: string }): void {
    if ('outcome' in result) {
      this.options.onOutcome?.(result.outcome);
      // Closed dialogs report in the status bar; an open one shows the outcome and flashes success.
      if (this.closed || result.outcome.applied)
        this.options.onFlash(outcomeFlash(plan, result.outcome, 'finding' in this.options));
    } else if (this.closed) {
      // The runner stops when a question is cancelled; that is the user's choice, not a failure.
      this.options.onFlash({
        kind: result.error === CANCELLED ? 'info' : 'error',
        text: `${plan.title}: ${result.error}`,
      });
    }
    if (!this.closed) this.update({ stage: { name: 'done', plan, ...result }, top: 'end' });
  }
}
