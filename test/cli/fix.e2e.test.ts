// The real `kcockpit fix` and `kcockpit audit` binaries against the simulated API server (S1):
// what a user at a terminal, or a script, sees — and never a credential.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixReport } from '../../src/cli/fix.js';
import type { SimServer } from '../../src/sim/server.js';
import { expectOneLineError, runCli } from '../helpers/cli.js';
import { startSim } from '../helpers/sim.js';

const PULL_FINDING = 'pods/image-pull:observability/Deployment/jaeger-op-jaeger-operator#jaeger-operator/rate-limit';
const PASSWORD = 'dckr_pat_e2e-0123456789';
const b64 = (s: string): string => Buffer.from(s).toString('base64');

function secretOf(sim: SimServer, name: string): string | undefined {
  const def = sim.state.registry.forKind('Secret')!;
  const s = sim.state.get(def, 'observability', name)?.obj as { data?: Record<string, string> } | undefined;
  return s?.data?.['.dockerconfigjson'] !== undefined
    ? Buffer.from(s.data['.dockerconfigjson'], 'base64').toString()
    : undefined;
}

function home(): { dir: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'kcockpit-fix-cli-'));
  return { dir, env: { HOME: dir, XDG_STATE_HOME: join(dir, 'state') } };
}

function expectNoSecret(...texts: string[]): void {
  for (const t of texts) {
    expect(t).not.toContain(PASSWORD);
    expect(t).not.toContain(b64(`alice:${PASSWORD}`));
  }
}

describe('kcockpit fix, applying (S1 pull secret)', () => {
  let sim: SimServer;
  beforeAll(async () => {
    sim = await startSim('s1-jaeger');
  });
  afterAll(() => sim.close());

  it('--yes with credentials from --docker-config: preview, apply, exit 0; kcockpit audit lists it', async () => {
    const h = home();
    mkdirSync(join(h.dir, 'cfg'));
    const cfg = join(h.dir, 'cfg', 'config.json');
    writeFileSync(
      cfg,
      JSON.stringify({ auths: { 'https://index.docker.io/v1/': { auth: b64(`alice:${PASSWORD}`) } } }),
    );
    const env = { ...h.env, KUBECONFIG: sim.kubeconfigPath };
    const r = await runCli(['fix', PULL_FINDING, '-n', 'observability', '--yes', '--docker-config', cfg], { env });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(
      'Plan: Use regcred through ServiceAccount jaeger-op-jaeger-operator, then recreate the pods [pull-secret-via-serviceaccount]',
    );
    expect(r.stdout).toContain('other plans (pick one with --plan): pull-secret-via-pod-template');
    expect(r.stdout).toMatch(/^ +\+imagePullSecrets:$/m);
    expect(r.stdout).toContain(
      '$ kubectl create secret docker-registry regcred --docker-server=https://index.docker.io/v1/ --docker-username=<user> --docker-password=<token> -n observability',
    );
    expect(r.stdout).toContain('applied 3 of 3 changes: created Secret observability/regcred');
    expect(r.stderr).toContain(`using the Docker Hub credentials of alice from ${cfg}`);
    expect(secretOf(sim, 'regcred')).toContain('"username":"alice"');

    const audit = await runCli(['audit'], { env });
    expect(audit.exitCode).toBe(0);
    const rows = audit.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^TIME +CONTEXT +USER +ACTION +OBJECT +RESULT$/);
    expect(rows.slice(1).map((l) => l.split(/ {2,}/).slice(1))).toEqual([
      ['sim', 'sim-admin', 'create-pull-secret', 'Secret observability/regcred', 'applied'],
      ['sim', 'sim-admin', 'json-patch', 'ServiceAccount observability/jaeger-op-jaeger-operator', 'applied'],
      ['sim', 'sim-admin', 'delete', 'Pod observability/jaeger-op-jaeger-operator-7d7b58d48b-89p9p', 'applied'],
    ]);
    const json = JSON.parse((await runCli(['audit', '-o', 'json'], { env })).stdout) as { entries: unknown[] };
    expect(json.entries).toHaveLength(3);
    expectNoSecret(
      r.stdout,
      r.stderr,
      audit.stdout,
      readFileSync(join(h.dir, 'state', 'kcockpit', 'audit.log'), 'utf8'),
    );

    const again = await runCli(['fix', PULL_FINDING, '-n', 'observability', '--yes'], { env });
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toMatch(
      /^kcockpit: nothing to fix: no finding pods\/image-pull:.* in namespace observability \(fixed already\?/,
    );
  });
});

describe('kcockpit fix, a manifest the user points to (S1 cert-manager)', () => {
  let sim: SimServer;
  beforeAll(async () => {
    sim = await startSim('s1-jaeger');
  });
  afterAll(() => sim.close());

  it('--manifest swaps the release URL for a local file, creates it, waits for the deployments', async () => {
    const manifest = fileURLToPath(new URL('../fixes/fixtures/cert-manager-core.yaml', import.meta.url));
    const r = await runCli(['fix', 'crds/missing-api-group', '-n', 'observability', '--yes', '--manifest', manifest], {
      env: { ...home().env, KUBECONFIG: sim.kubeconfigPath },
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`creates 7 objects from ${manifest}:`);
    expect(r.stdout).toContain(`$ kubectl apply -f ${manifest}`);
    expect(r.stdout).toMatch(
      /applied 1 of 1 change: created 7 objects from .*cert-manager-core\.yaml; 1 step left for you/,
    );
    expect(r.stderr).toContain('Deployment cert-manager/cert-manager-webhook: available');
  });
});

describe('kcockpit fix --output json', () => {
  let sim: SimServer;
  beforeAll(async () => {
    sim = await startSim('s1-jaeger');
  });
  afterAll(() => sim.close());

  it('reads the token from --password-stdin and writes the outcome as JSON', async () => {
    const h = home();
    const r = await runCli(
      [
        'fix',
        'pods/image-pull',
        '-n',
        'observability',
        '--yes',
        '--output',
        'json',
        '--username',
        'alice',
        '--password-stdin',
      ],
      {
        env: { ...h.env, KUBECONFIG: sim.kubeconfigPath },
        input: `${PASSWORD}\n`,
      },
    );
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.stdout) as FixReport;
    expect(report).toMatchObject({
      kind: 'FixReport',
      schemaVersion: 1,
      context: 'sim',
      namespace: 'observability',
      dryRun: false,
    });
    expect(report.fixes).toHaveLength(1);
    expect(report.fixes[0]).toMatchObject({
      finding: { id: PULL_FINDING, ruleId: 'pods/image-pull' },
      plan: 'pull-secret-via-serviceaccount',
      outcome: { result: 'applied', applied: true },
    });
    expect(report.fixes[0]!.preview.map((p) => p.step.action)).toEqual([
      'create-pull-secret',
      'json-patch',
      'delete',
      'manual',
    ]);
    expect(r.stderr).toContain(`kcockpit: ${PULL_FINDING}: applied 3 of 3 changes`);
    expect(secretOf(sim, 'regcred')).toBe(
      `{"auths":{"https://index.docker.io/v1/":{"username":"alice","password":"${PASSWORD}","auth":"${b64(`alice:${PASSWORD}`)}"}}}`,
    );
    expectNoSecret(r.stdout, r.stderr);
  });
});

describe('kcockpit fix that changes nothing', () => {
  let sim: SimServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    sim = await startSim('s1-jaeger');
    env = { ...home().env, KUBECONFIG: sim.kubeconfigPath };
  });
  afterAll(() => sim.close());

  const args = ['fix', PULL_FINDING, '-n', 'observability', '--username', 'alice', '--password-stdin'];

  it('--dry-run: exit 0, nothing changed', async () => {
    const r = await runCli([...args, '--dry-run'], { env, input: PASSWORD });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('dry run OK: 3 changes would apply; nothing changed');
    expect(secretOf(sim, 'regcred')).toBeUndefined();
  });

  it('without a terminal and without --yes: exit 1, asks for --yes in one line', async () => {
    const r = await runCli(args, { env, input: PASSWORD });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('  not applied: needs confirmation: pass --yes; nothing changed');
    expect(secretOf(sim, 'regcred')).toBeUndefined();
  });

  it('--readonly: shows the plan, refuses in one line, exit 1', async () => {
    const r = await runCli([...args, '--yes', '--readonly'], { env, input: PASSWORD });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('What changes');
    expect(r.stdout.match(/refused: kcockpit runs with --readonly/g)).toHaveLength(1);
    expect(secretOf(sim, 'regcred')).toBeUndefined();
  });

  it('an id that is neither a finding nor a rule: one line, exit 2', async () => {
    expect(expectOneLineError(await runCli(['fix', 'no-such-thing', '-n', 'observability'], { env }))).toMatch(
      /^kcockpit: "no-such-thing" is neither a finding id nor a rule id/,
    );
  });
});
