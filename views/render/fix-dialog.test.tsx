import { describe, expect, it } from 'vitest';
import { findingTitle, type FixDialogState } from '../dialogs/fix-session.js';
import { mirrorPlan, pullFindingTwoPlans, pullSecretPreviews } from '../testing/fakes.js';
import { fixDialogView } from './fix-dialog.js';

const pullPlan = pullFindingTwoPlans.fixes[0]!;
const base: FixDialogState = {
  title: findingTitle(pullFindingTwoPlans),
  plans: pullFindingTwoPlans.fixes,
  readonly: false,
  stage: { name: 'plans' },
  cursor: 1,
  top: 0,
  progress: [],
};
const texts = (s: FixDialogState, width = 100) => fixDialogView(s, width).body.map((l) => l.text);

describe('fixDialogView', () => {
  it('lists each plan with what kind it is and its commands, the cursor on the chosen one', () => {
    const view = fixDialogView(base, 100);
    expect(view.title).toBe(
      'Fix: Docker Hub pull rate limit reached (observability/deployment/jaeger-op-jaeger-operator)',
    );
    const lines = view.body.map((l) => l.text);
    expect(lines[0]).toBe('  1. Create regcred and add it to the default ServiceAccount — changes the cluster');
    expect(lines).toContain('> 2. Copy the image into a registry you control — information only');
    expect(lines).toContain('     $ docker pull jaegertracing/jaeger-operator:1.39.0');
    expect(view.focus).toBe(lines.indexOf('> 2. Copy the image into a registry you control — information only'));
    expect(view.hints).toBe('<j> down <k> up <enter> choose <escape> close');
  });

  it('shows each step’s diff coloured as git does, and the commands that do it by hand', () => {
    const view = fixDialogView(
      { ...base, stage: { name: 'preview', plan: pullPlan, previews: pullSecretPreviews } },
      100,
    );
    const line = (text: string) => view.body.find((l) => l.text === text);
    expect(line('1. create regcred (observability/secret/regcred)')?.bold).toBe(true);
    expect(line('   +kind: Secret')?.style).toBe('ok');
    expect(line('   -secrets: []')?.style).toBe('critical');
    expect(line('   @@ -1,4 +1,6 @@')?.style).toBe('info');
    expect(line("   +  .dockerconfigjson: '*** (hidden)'")).toBeDefined();
    expect(line('The same by hand:')).toBeDefined();
    expect(view.hints).toBe('<enter> apply <j> down <pagedown> page <escape> close');
  });

  it('offers apply only once the preview has been worked out', () => {
    const loading = fixDialogView({ ...base, stage: { name: 'preview', plan: pullPlan } }, 100);
    expect(loading.body.map((l) => l.text)).toContain('Working out what will change…');
    expect(loading.hints).toBe('<j> down <pagedown> page <escape> close');
  });

  it('offers no apply in read-only mode, and says "run these yourself" for an information-only plan', () => {
    expect(
      fixDialogView({ ...base, readonly: true, stage: { name: 'preview', plan: pullPlan, previews: [] } }, 100).hints,
    ).not.toContain('apply');
    const info = texts({ ...base, stage: { name: 'preview', plan: mirrorPlan, previews: [] } });
    expect(info).toContain('Run these yourself:');
    expect(info).toContain('  $ docker push registry.example.com/jaegertracing/jaeger-operator:1.39.0');
    expect(info).toContain('  • Set image.repository in the jaeger-operator chart values to the copy');
  });

  it('asks a secret with a fixed mask, and a text question with its default', () => {
    const secret = fixDialogView(
      {
        ...base,
        stage: { name: 'running', plan: pullPlan },
        question: { kind: 'secret', question: 'Docker Hub access token:', filled: true },
      },
      100,
    );
    expect(secret.footer.map((l) => l.text)).toEqual(['Docker Hub access token: ••••▏', 'What you type is hidden.']);
    const empty = fixDialogView(
      {
        ...base,
        stage: { name: 'running', plan: pullPlan },
        question: { kind: 'secret', question: 'Docker Hub access token:', filled: false },
      },
      100,
    );
    expect(empty.footer[0]?.text).toBe('Docker Hub access token: ▏');
    const text = fixDialogView(
      {
        ...base,
        stage: { name: 'running', plan: pullPlan },
        question: { kind: 'text', question: 'Docker Hub username:', value: '', defaultValue: 'jaeger-ops' },
      },
      100,
    );
    expect(text.footer[0]?.text).toBe('Docker Hub username: ▏ (enter: jaeger-ops)');
    expect(text.hints).toBe('<enter> accept <escape> cancel');
  });

  it('shows progress, then the one-line outcome and each step’s result', () => {
    const outcome = {
      plan: pullPlan,
      applied: false,
      results: [{ step: pullPlan.steps[0]!, status: 'failed' as const, message: 'secrets "regcred" already exists' }],
      summary: 'nothing changed: secret regcred already exists (use another name or delete it first)',
    };
    const view = fixDialogView(
      { ...base, stage: { name: 'done', plan: pullPlan, outcome }, progress: ['server dry run failed'], top: 'end' },
      100,
    );
    expect(view.body.map((l) => l.text)).toEqual([
      pullPlan.title,
      '  server dry run failed',
      '',
      'Steps',
      '  failed  create regcred: secrets "regcred" already exists',
    ]);
    expect(view.body.at(-1)?.style).toBe('critical');
    expect(view.footer).toEqual([{ text: outcome.summary, style: 'warning', bold: true }]);
    expect(view.top).toBe('end');
  });
});
