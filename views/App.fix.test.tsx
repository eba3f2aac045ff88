// The fix dialog as a user reaches it: `x` in the cockpit, with a fake fix runner.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { startApp, screenLines } from './testing/app.js';
import { FakeFixBackend, pullFindingTwoPlans, pullSecretPreviews } from './testing/fakes.js';
import { collectorFinding, esFinding } from './testing/fixtures.js';
import { KEY, frame, press, waitForFrame } from './testing/ink.js';

afterEach(() => cleanup());

const found = [esFinding, pullFindingTwoPlans, collectorFinding];

async function openOnOperator(options: { readonly?: boolean; fixes?: FakeFixBackend } = {}) {
  const fixes = options.fixes ?? new FakeFixBackend();
  // Wide enough for the whole status line.
  const started = await startApp({
    namespace: 'observability',
    found,
    fixes,
    readonly: options.readonly ?? false,
    columns: 140,
  });
  // The operator pod is the last row of observability's pods.
  await press(started.app, 'G', 'x');
  await waitForFrame(started.app, (f) =>
    f.includes('Fix: Docker Hub pull rate limit reached (observability/deployment/jaeger-op-jaeger-operator)'),
  );
  return { ...started, fixes };
}

describe('the fix dialog', () => {
  it('x on the S1 operator pod lists its plans; enter shows the pull-secret plan’s preview', async () => {
    const { app, fixes } = await openOnOperator();
    let f = frame(app);
    expect(f).toContain('> 1. Create regcred and add it to the default ServiceAccount — changes the cluster');
    expect(f).toContain('  2. Copy the image into a registry you control — information only');
    expect(f).toContain('$ kubectl create secret docker-registry regcred');
    await press(app, KEY.enter);
    f = await waitForFrame(app, (x) => x.includes('+kind: Secret'));
    expect(fixes.previewed).toEqual(['attach-pull-secret-to-serviceaccount']);
    expect(f).toContain('1. create regcred (observability/secret/regcred)');
    expect(f).toContain("+  .dockerconfigjson: '*** (hidden)'");
    expect(f).toContain('<enter> apply');
    // Nothing ran yet: choosing and previewing change nothing.
    expect(fixes.runs).toEqual([]);
  });

  it('runs the plan: asks the username (text) and the token (hidden), confirms, shows the outcome', async () => {
    const { app, fixes } = await openOnOperator();
    await press(app, KEY.enter, KEY.enter);
    let f = await waitForFrame(app, (x) => x.includes('Docker Hub username: ▏ (enter: jaeger-ops)'));
    expect(f).toContain('server dry run: secret/regcred created (dry run)');
    expect(fixes.runs.map((r) => r.dryRun)).toEqual([false]);
    // `q` types into the question instead of quitting.
    await press(app, ...'qa-bot', KEY.enter);
    f = await waitForFrame(app, (x) => x.includes('Docker Hub access token:'));
    expect(f).toContain('What you type is hidden.');
    await press(app, ...'dckr_pat_TOPSECRET');
    f = await waitForFrame(app, (x) => x.includes('Docker Hub access token: ••••▏'));
    await press(app, KEY.enter);
    f = await waitForFrame(app, (x) =>
      x.includes('Create secret regcred and add it to serviceaccount default in observability? [y/n]'),
    );
    await press(app, 'y');
    f = await waitForFrame(app, (x) => x.includes('applied 2 of 2 steps'));
    expect(f).toContain('applied  create regcred: done');
    expect(f).toContain('secret/regcred created');
    expect(screenLines(f).at(-1)).toBe(
      'Applied: Create regcred and add it to the default ServiceAccount — the finding clears when the cluster catches up.',
    );
    expect(fixes.answers).toEqual({ username: 'qa-bot', token: 'dckr_pat_TOPSECRET', confirmed: true });
    // Not one frame ever showed the token, or any part of it.
    expect(app.frames.some((x) => x.includes('dckr') || x.includes('SECRET'))).toBe(false);
    await press(app, KEY.enter);
    await waitForFrame(app, (x) => x.includes('pods(observability)'));
  });

  it('in read-only mode shows plans and previews but refuses to apply, without calling the runner', async () => {
    const fixes = new FakeFixBackend();
    const run = vi.spyOn(fixes, 'run');
    const { app } = await openOnOperator({ readonly: true, fixes });
    expect(frame(app)).toContain('[readonly] Fix: Docker Hub pull rate limit reached');
    await press(app, KEY.enter);
    await waitForFrame(app, (x) => x.includes('+kind: Secret'));
    expect(frame(app)).not.toContain('<enter> apply');
    await press(app, KEY.enter);
    const f = await waitForFrame(app, (x) => x.includes('! Read-only mode (--readonly)'));
    expect(f).toContain('kcockpit shows this fix but does not apply it.');
    expect(run).not.toHaveBeenCalled();
  });

  it('shows an information-only plan’s commands to run by hand', async () => {
    const { app, fixes } = await openOnOperator();
    await press(app, 'j', KEY.enter);
    let f = await waitForFrame(app, (x) => x.includes('Run these yourself:'));
    expect(f).toContain(
      '$ docker tag jaegertracing/jaeger-operator:1.39.0 registry.example.com/jaegertracing/jaeger-operator:1.39.0',
    );
    await press(app, KEY.enter);
    f = await waitForFrame(app, (x) => x.includes('! This plan only informs'));
    expect(fixes.previewed).toEqual([]);
    expect(fixes.runs).toEqual([]);
  });

  it('esc closes the dialog and cancels the pending question', async () => {
    const { app, fixes } = await openOnOperator();
    await press(app, KEY.enter, KEY.enter);
    await waitForFrame(app, (x) => x.includes('Docker Hub username:'));
    await press(app, KEY.escape);
    const f = await waitForFrame(app, (x) => x.includes('pods(observability)'));
    expect(screenLines(f).at(-1)).toMatch(/^Create regcred .*: Cancelled: the fix dialog was closed \(esc\)/);
    expect(fixes.answers).toEqual({});
  });

  it('renders only the visible window of a 10,000-line preview', async () => {
    const fixes = new FakeFixBackend();
    const diff = [
      '--- /dev/null',
      '+++ configmap/huge',
      ...Array.from({ length: 10_000 }, (_, i) => `+key-${String(i).padStart(5, '0')}: value`),
    ].join('\n');
    fixes.previews = [{ ...pullSecretPreviews[0]!, diff }];
    const { app } = await openOnOperator({ fixes });
    await press(app, KEY.enter);
    let f = await waitForFrame(app, (x) => x.includes('+key-00000'));
    expect(screenLines(f)).toHaveLength(29);
    expect(f).toMatch(/\[1-\d+\/100\d\d\]/);
    expect(f).not.toContain('+key-05000');
    await press(app, 'G');
    f = await waitForFrame(app, (x) => x.includes('$ kubectl patch serviceaccount default'));
    expect(f).not.toContain('+key-00000');
    await press(app, 'g', KEY.pageDown);
    f = frame(app);
    expect(f).not.toContain('+key-00000');
    expect(f).toContain('+key-00030');
  });

  it('says so when the row’s problem has no plan, or when no fix runner is there', async () => {
    const { app } = await startApp({ namespace: 'observability', found, fixes: new FakeFixBackend(), columns: 160 });
    // The collector pod: its finding follows from Elasticsearch's and has no plan of its own.
    await press(app, 'j', 'j', 'j', 'x');
    expect(screenLines(frame(app)).at(-1)).toBe(
      'kcockpit has no fix plan for "Collector crashes because Elasticsearch is not ready". It follows from its cause (under "Why"): fix that one first.',
    );
    cleanup();
    const bare = await startApp({ namespace: 'observability', found, rows: 60 });
    expect(frame(bare.app)).toContain('(x) fix — not available in this build; the commands above do it by hand');
    await press(bare.app, 'x');
    expect(screenLines(frame(bare.app)).at(-1)).toBe('! Fixing is not available in this build of kcockpit.');
  });

  it('opens from the whole finding (enter on a pod, then on its finding)', async () => {
    const { app } = await startApp({ namespace: 'observability', found, fixes: new FakeFixBackend() });
    await press(app, 'G', KEY.enter, KEY.enter);
    await waitForFrame(app, (x) => x.includes('finding › observability/deployment/jaeger-op-jaeger-operator'));
    await press(app, 'x');
    await waitForFrame(app, (x) => x.includes('> 1. Create regcred'));
  });
});

describe('the fix dialog from describe', () => {
  it('d names what kcockpit found about the object first, and x there fixes it', async () => {
    const { app } = await startApp({ namespace: 'observability', found, fixes: new FakeFixBackend(), columns: 140 });
    await press(app, 'G', 'd');
    const f = await waitForFrame(app, (x) => x.includes('describe pod/jaeger-op-jaeger-operator-7d7b58d48b-89p9p'));
    expect(screenLines(f).slice(3, 8)).toEqual([
      expect.stringMatching(/^Problems found by kcockpit:/),
      expect.stringMatching(/^ {2}● critical +Docker Hub pull rate limit reached/),
      expect.stringMatching(/^ {2}x fixes the first; :findings shows each one's evidence and cause\./),
      '',
      expect.stringMatching(/^Name: +jaeger-op-jaeger-operator-7d7b58d48b-89p9p/),
    ]);
    await press(app, 'x');
    await waitForFrame(app, (x) =>
      x.includes('Fix: Docker Hub pull rate limit reached (observability/deployment/jaeger-op-jaeger-operator)'),
    );
  });

  it('an object nothing was found about is described as before', async () => {
    const { app } = await startApp({ namespace: 'observability', found: [], columns: 140 });
    await press(app, 'G', 'd');
    const f = await waitForFrame(app, (x) => x.includes('describe pod/jaeger-op-jaeger-operator-7d7b58d48b-89p9p'));
    expect(f).not.toContain('Problems found by kcockpit');
    expect(screenLines(f)[3]).toMatch(/^Name: +jaeger-op-jaeger-operator-7d7b58d48b-89p9p/);
  });
});
