// The real binary against a simulated cluster whose strings attack the terminal (S4,
// decision 0013): no control character from the cluster reaches stdout or stderr in text,
// Markdown or JUnit; JSON keeps every string exactly; a 900 KB message is cut and says so.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosisReport } from '../../src/cli/output/report.js';
import { loadScenario } from '../../src/sim/scenario.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { runCli, runCliBytes } from '../helpers/cli.js';
import {
  ESCAPES,
  HUGE_LENGTH,
  MARKUP,
  TITLE_ATTACK,
  hostileScenario,
  quotingPluginDir,
  terminalControls,
} from '../helpers/hostile.js';
import { descendants, parseXml } from '../helpers/xml.js';

const utf8 = (b: Uint8Array): string => new TextDecoder().decode(b);
/** How the escapes read once inert: every control written out. */
const SHOWN = String.raw`\x1b]0;kcockpit-pwned\x07\x1b[2J\x1b[31mRED\x1b[0m\x9b2J\x85\u202eevil\x0dover\x08\x00\x7f`;
const GARBAGE_NOTE =
  'Helm release Secret shop/sh.helm.release.v1.broken.v1 could not be decoded (data.release is not a Helm release: 39 bytes that are neither gzip nor JSON); it was skipped';

// Each test runs the binary once or more on a busy machine: more time than the default.
describe('a cluster whose strings attack the terminal', { timeout: 120_000 }, () => {
  let sim: SimServer;
  let env: Record<string, string>;
  let plugins: string;
  const diagnose = (...args: string[]) =>
    runCliBytes(['diagnose', '-n', 'shop', '--plugins', plugins, ...args], { env });

  beforeAll(async () => {
    sim = await startSimServer({ scenario: hostileScenario(), port: 0 });
    env = { KUBECONFIG: sim.kubeconfigPath };
    plugins = quotingPluginDir();
  });
  afterAll(() => sim.close());

  it.each([
    ['text', []],
    ['markdown', ['-o', 'markdown']],
    ['junit', ['-o', 'junit']],
  ])('%s: shows every control character written out, obeys none, and cuts the 900 KB message', async (_, args) => {
    const r = await diagnose(...args);
    expect(r.exitCode).toBe(1);
    expect(terminalControls(r.stdout)).toEqual([]);
    expect(terminalControls(r.stderr)).toEqual([]);
    const out = utf8(r.stdout);
    expect(out).not.toContain(TITLE_ATTACK + '\u0007');
    // Shown, in the form each output needs (Markdown backslash-escapes the backslashes).
    expect(out.replace(/\\(?=[\\[\]`])/g, '')).toContain(SHOWN);
    // The plugin quotes the 900 KB message four times; each is cut to a line and says so.
    expect(out).toContain(`(cut: ${HUGE_LENGTH + 'a 900 KB message '.length + ESCAPES.length + 1} characters in all)`);
    expect(r.stdout.length).toBeLessThan(100_000);
    // The garbage Helm Secret is one note that describes it without echoing its bytes.
    expect(out).toContain(GARBAGE_NOTE);
    // The log bytes that are not UTF-8 arrive as U+FFFD, never as raw bytes.
    expect(out).toMatch(/caf\ufffd \ufffd2J \ufffd/);
  });

  it('text with --color: only kcockpit’s own colour codes reach the terminal', async () => {
    const r = await diagnose('--color');
    const own = /\u001b\[(?:1|2|22|31|33|36|39)m/g;
    expect(terminalControls(Buffer.from(utf8(r.stdout).replace(own, '')))).toEqual([]);
    expect(utf8(r.stdout)).toContain(SHOWN);
  });

  it('json: every string exactly as the cluster holds it, and still nothing a terminal obeys', async () => {
    const r = await diagnose('-o', 'json');
    expect(terminalControls(r.stdout)).toEqual([]);
    const report = JSON.parse(utf8(r.stdout)) as DiagnosisReport;
    const flood = report.findings.find((f) => f.title.startsWith('a 900 KB message'))!;
    expect(flood.title).toBe(`a 900 KB message ${ESCAPES} ${'x'.repeat(HUGE_LENGTH)}`);
    const config = report.findings.find((f) => f.ruleId === 'pods/create-container-config')!;
    expect(config.evidence.map((e) => e.text).join('\n')).toContain(ESCAPES);
    expect(report.notes).toContain(GARBAGE_NOTE);
  });

  it('markdown: nothing a cluster wrote opens HTML, a link, an image or a code span', async () => {
    const out = utf8((await diagnose('-o', 'markdown')).stdout);
    expect(out).toContain(String.raw`\<img src=x onerror=alert(1)\> \[click\](https://evil.example/)`);
    expect(out).toContain(String.raw`!\[i\](https://evil.example/i.png) \`tick\` a\|b \&lt;`);
    // Outside the fenced command blocks, no markup character is left unescaped.
    const prose = out.replace(/^(`{3,})sh\n[\s\S]*?^\1$/gm, '');
    expect(prose).not.toMatch(/(^|[^\\])<img/m);
    expect(prose).not.toMatch(/(^|[^\\])\[click/m);
    // A command quoting the text stays inside its fence.
    expect(out).toContain('```sh\necho Error: configmap "app-config" not found');
  });

  it('junit: well-formed XML, one suite per namespace, a failure per finding at or above --fail-on', async () => {
    const json = JSON.parse(utf8((await diagnose('-o', 'json')).stdout)) as DiagnosisReport;
    for (const failOn of ['warning', 'critical', 'never'] as const) {
      const r = await diagnose('-o', 'junit', '--fail-on', failOn);
      expect(r.exitCode).toBe(failOn === 'never' ? 0 : 1);
      const root = parseXml(utf8(r.stdout));
      expect(root.name).toBe('testsuites');
      const suites = descendants(root, 'testsuite');
      expect(suites.map((s) => s.attrs['name'])).toEqual(['shop', '(not checked)']);
      const [shop, notes] = suites as [NonNullable<(typeof suites)[0]>, NonNullable<(typeof suites)[0]>];
      const cases = descendants(shop, 'testcase');
      expect(cases).toHaveLength(json.findings.length);
      const failing = json.findings.filter((f) =>
        failOn === 'never' ? false : failOn === 'critical' ? f.severity === 'critical' : f.severity !== 'info',
      );
      expect(descendants(shop, 'failure')).toHaveLength(failing.length);
      expect(shop.attrs['failures']).toBe(String(failing.length));
      expect(root.attrs['failures']).toBe(String(failing.length));
      expect(root.attrs['tests']).toBe(String(json.findings.length + json.notes.length));
      // Each finding is a test case named by its object and title, classed by its rule.
      const config = cases.find((c) => c.attrs['classname'] === 'pods/create-container-config')!;
      expect(config.attrs['name']).toMatch(/^Deployment shop\/checkout: /);
      const body = config.children[0]!;
      const fails = failing.some((f) => f.ruleId === 'pods/create-container-config');
      expect(body.name).toBe(fails ? 'failure' : 'system-out');
      expect(body.text).toContain(SHOWN);
      expect(body.text).toContain('pods/create-container-config:shop/Deployment/checkout');
      // What could not be read is a skipped case, not a failure.
      expect(descendants(notes, 'skipped').map((s) => s.attrs['message'])).toEqual([GARBAGE_NOTE]);
    }
  });

  it('kcockpit run: its explanation of a failed command is inert too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kcockpit-hostile-run-'));
    const tool = join(dir, 'tool.mjs');
    const error = `Error: INSTALLATION FAILED: unable to build kubernetes objects from release manifest: [unable to recognize "": no matches for kind "Certificate" in version "cert-manager.io/v1"] ${ESCAPES}`;
    writeFileSync(tool, `process.stderr.write(${JSON.stringify(error + '\n')}); process.exit(1);`);
    const r = await runCliBytes(['run', '--', process.execPath, tool, '-n', 'shop'], { env });
    expect(r.exitCode).toBe(1);
    // The tool's own output passes through unchanged (as documented); what kcockpit adds is inert.
    const marker = 'What kcockpit makes of it:';
    const stderr = utf8(r.stderr);
    const ours = stderr.slice(stderr.indexOf(marker));
    expect(ours).toContain('cert-manager');
    expect(terminalControls(Buffer.from(ours))).toEqual([]);
  });
});

describe('kcockpit fix: a preview of hostile objects', { timeout: 120_000 }, () => {
  let sim: SimServer;
  afterAll(() => sim?.close());

  it('shows the object it patches with its annotation written out, in text; exact in JSON', async () => {
    const scenario = loadScenario('s1-jaeger');
    const sa = scenario.objects.find(
      (o) => o.kind === 'ServiceAccount' && o.metadata.name === 'jaeger-op-jaeger-operator',
    )!;
    // Last, so the diff's context lines (the three before the added imagePullSecrets) show it.
    sa.metadata.annotations = { ...sa.metadata.annotations, 'example.com/note': ESCAPES };
    sim = await startSimServer({ scenario, port: 0 });
    const home = mkdtempSync(join(tmpdir(), 'kcockpit-hostile-fix-'));
    const env = { KUBECONFIG: sim.kubeconfigPath, HOME: home, XDG_STATE_HOME: join(home, 'state') };
    const args = [
      'fix',
      'pods/image-pull',
      '-n',
      'observability',
      '--dry-run',
      '--username',
      'alice',
      '--password-stdin',
    ];
    const text = await runCliBytes(args, { env, input: 'dckr_pat_0123' });
    expect(terminalControls(text.stdout)).toEqual([]);
    expect(terminalControls(text.stderr)).toEqual([]);
    expect(utf8(text.stdout)).toMatch(/^ +example\.com\/note: .*\\e\[2J.*\\x9b2J\\x85\\u202eevil/m);
    const json = await runCli([...args, '-o', 'json'], { env, input: 'dckr_pat_0123' });
    expect(terminalControls(Buffer.from(json.stdout))).toEqual([]);
    expect(json.stdout).toContain(String.raw`\u009b2J\u0085\u202eevil`);
  });
});
