import { describe, expect, it, vi } from 'vitest';
import type { FixPlan } from '../../src/diagnose/types.js';
import type { FixOutcome, Prompter } from '../../src/fixes/types.js';
import type { KeyPress } from '../keys/dispatcher.js';
import type { FixBackend } from '../sources.js';
import { FakeFixBackend, mirrorPlan, pullFindingTwoPlans } from '../testing/fakes.js';
import { esFinding } from '../testing/fixtures.js';
import { FixSession, INFORMATION_NOTICE, READONLY_NOTICE } from './fix-session.js';

/** Named keys carry the input a terminal sends for them, as keyName() sees it. */
const INPUT: Record<string, string> = { enter: '\r', escape: '\u001b', backspace: '\u007f', 'ctrl-c': 'c' };
const key = (name: string, input = INPUT[name] ?? name): KeyPress => ({ name, input });
const settle = () => new Promise((resolve) => setImmediate(resolve));

function open(backend: FixBackend = new FakeFixBackend(), readonly = false, finding = pullFindingTwoPlans) {
  const onClose = vi.fn();
  const onFlash = vi.fn();
  const session = new FixSession({ finding, backend, readonly, onClose, onFlash });
  return { session, onClose, onFlash, backend };
}

async function keys(session: FixSession, ...names: string[]) {
  for (const n of names) {
    session.handle(key(n));
    await settle();
  }
}

/** Type text into the open question the way the dispatcher hands over a paste: one run. */
async function typeText(session: FixSession, text: string) {
  session.handle(key(text, text));
  await settle();
}

describe('FixSession', () => {
  it('lists the plans, moves with j/k and loads the chosen plan’s preview', async () => {
    const backend = new FakeFixBackend();
    const { session } = open(backend);
    expect(session.state.stage.name).toBe('plans');
    await keys(session, 'j', 'j', 'k');
    expect(session.state.cursor).toBe(0);
    await keys(session, 'enter');
    expect(backend.previewed).toEqual(['attach-pull-secret-to-serviceaccount']);
    expect(session.state.stage).toMatchObject({ name: 'preview', previews: backend.previews });
  });

  it('runs the plan through the runner, answering its questions; the secret never enters the state', async () => {
    const backend = new FakeFixBackend();
    const { session, onFlash } = open(backend);
    const states: string[] = [];
    session.subscribe(() => states.push(JSON.stringify(session.state)));
    await keys(session, 'enter', 'enter');
    expect(backend.runs).toEqual([{ plan: pullFindingTwoPlans.fixes[0], dryRun: false }]);
    expect(session.state.progress[0]).toMatch(/^server dry run/);
    expect(session.state.question).toMatchObject({
      kind: 'text',
      question: 'Docker Hub username:',
      defaultValue: 'jaeger-ops',
    });
    // Enter on an empty answer takes the default.
    await keys(session, 'enter');
    expect(session.state.question).toEqual({ kind: 'secret', question: 'Docker Hub access token:', filled: false });
    await typeText(session, 'dckr_pat_s3cr3t');
    expect(session.state.question).toEqual({ kind: 'secret', question: 'Docker Hub access token:', filled: true });
    await keys(session, 'backspace', 'enter');
    expect(session.state.question).toMatchObject({ kind: 'confirm' });
    await keys(session, 'y');
    expect(backend.answers).toEqual({ username: 'jaeger-ops', token: 'dckr_pat_s3cr3', confirmed: true });
    expect(session.state.stage).toMatchObject({ name: 'done', outcome: { applied: true } });
    expect(onFlash).toHaveBeenCalledWith({
      kind: 'info',
      text: 'Applied: Create regcred and add it to the default ServiceAccount — the finding clears when the cluster catches up.',
    });
    expect(states.some((s) => s.includes('s3cr'))).toBe(false);
  });

  it('in read-only mode shows the preview but never calls the runner', async () => {
    const backend = new FakeFixBackend();
    const run = vi.spyOn(backend, 'run');
    const { session } = open(backend, true);
    await keys(session, 'enter', 'enter');
    expect(backend.previewed).toHaveLength(1);
    expect(run).not.toHaveBeenCalled();
    expect(session.state.notice).toBe(READONLY_NOTICE);
  });

  it('shows an information-only plan without asking the runner anything', async () => {
    const backend = new FakeFixBackend();
    const run = vi.spyOn(backend, 'run');
    const { session } = open(backend);
    await keys(session, 'j', 'enter');
    expect(session.state.stage).toEqual({ name: 'preview', plan: mirrorPlan, previews: [] });
    await keys(session, 'enter');
    expect(session.state.notice).toBe(INFORMATION_NOTICE);
    expect(backend.previewed).toEqual([]);
    expect(run).not.toHaveBeenCalled();
  });

  it('esc answers an open y/n question no, closes, and reports the outcome in the status bar', async () => {
    const backend = new FakeFixBackend();
    const { session, onClose, onFlash } = open(backend);
    await keys(session, 'enter', 'enter', 'enter');
    await typeText(session, 'token');
    await keys(session, 'enter', 'escape');
    expect(onClose).toHaveBeenCalledTimes(1);
    expect(backend.answers.confirmed).toBe(false);
    expect(onFlash).toHaveBeenCalledWith({
      kind: 'info',
      text: 'Create regcred and add it to the default ServiceAccount: nothing changed: you answered no',
    });
  });

  it('esc on a text question cancels it: the runner stops and the status bar says it was cancelled', async () => {
    const { session, onClose, onFlash } = open();
    await keys(session, 'enter', 'enter');
    await typeText(session, 'jaeger');
    await keys(session, 'escape');
    expect(onClose).toHaveBeenCalledTimes(1);
    expect(onFlash).toHaveBeenCalledWith({
      kind: 'info',
      text: expect.stringMatching(/^Create regcred .*: Cancelled: the fix dialog was closed \(esc\)/),
    });
  });

  it('shows a runner failure as the outcome, and keeps helm’s progress lines bounded', async () => {
    const backend: FixBackend = {
      preview: () => Promise.resolve([]),
      run: (_plan: FixPlan, o: { onProgress?: (l: string) => void; prompter: Prompter }): Promise<FixOutcome> => {
        for (let i = 0; i < 2500; i++) o.onProgress?.(`helm: line ${i}`);
        return Promise.reject(
          new Error('UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress\nstack'),
        );
      },
    };
    const { session } = open(backend, false, esFinding);
    await keys(session, 'enter', 'enter');
    expect(session.state.stage).toMatchObject({
      name: 'done',
      error: 'UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress',
    });
    expect(session.state.progress).toHaveLength(2000);
    expect(session.state.progress.at(-1)).toBe('helm: line 2499');
  });

  it('chooses among options with j/k and enter', async () => {
    let chosen: number | undefined;
    const backend: FixBackend = {
      preview: () => Promise.resolve([]),
      run: async (plan: FixPlan, o: { prompter: Prompter }) => {
        chosen = await o.prompter.choose('Attach regcred to:', [
          'the default ServiceAccount',
          'the Deployment jaeger-op-jaeger-operator',
        ]);
        return { plan, applied: false, results: [], summary: 'nothing changed' };
      },
    };
    const { session } = open(backend);
    await keys(session, 'enter', 'enter', 'j', 'j', 'enter');
    expect(chosen).toBe(1);
  });

  it('lets ctrl-c and unparsed key runs through, so quitting and fast typing still work', () => {
    const { session } = open();
    expect(session.handle(key('ctrl-c'))).toBe(false);
    expect(session.handle(key('jjj'))).toBe(false);
    expect(session.handle(key('q'))).toBe(true);
  });
});
