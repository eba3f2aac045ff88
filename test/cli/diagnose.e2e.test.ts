// The real `kcockpit` binary against the simulated API server: what a user and a CI job see.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../../src/sim/server.js';
import type { DiagnosisReport } from '../../src/cli/output/report.js';
import { expectOneLineError, runCli } from '../helpers/cli.js';
import { startSim } from '../helpers/sim.js';

const CERT_MANAGER_ERROR =
  'Error: INSTALLATION FAILED: unable to build kubernetes objects from release manifest: [unable to recognize "": no matches for kind "Certificate" in version "cert-manager.io/v1", unable to recognize "": no matches for kind "Issuer" in version "cert-manager.io/v1"]';

function tmpFile(name: string, body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kcockpit-cli-'));
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

describe('kcockpit diagnose on S1 (Jaeger on one-node minikube)', () => {
  let sim: SimServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    sim = await startSim('s1-jaeger');
    env = { KUBECONFIG: sim.kubeconfigPath };
  });
  afterAll(() => sim.close());

  it('prints root causes with evidence and fixes, and exits 1', async () => {
    const r = await runCli(['diagnose', '-n', 'observability'], { env });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^kcockpit diagnose · context sim · namespace observability/);
    expect(r.stdout).toContain('Docker Hub pull rate limit');
    expect(r.stdout).toContain('toomanyrequests: You have reached your pull rate limit');
    expect(r.stdout).toContain('kubectl create secret docker-registry regcred');
    expect(r.stdout).toContain('--set elasticsearch.replicas=1 --set elasticsearch.minimumMasterNodes=1');
    expect(r.stdout).toContain('cert-manager is not installed');
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it('writes a versioned JSON report: roots first, symptoms linked to their cause, stable ids', async () => {
    const r = await runCli(['diagnose', '-n', 'observability', '--output', 'json'], { env });
    expect(r.exitCode).toBe(1);
    const report = JSON.parse(r.stdout) as DiagnosisReport;
    expect(report).toMatchObject({
      kind: 'DiagnosisReport',
      schemaVersion: 1,
      context: 'sim',
      namespace: 'observability',
    });
    const byRule = (id: string) => report.findings.filter((f) => f.ruleId === id);
    const es = byRule('workloads/anti-affinity-replicas')[0]!;
    expect(es).toMatchObject({
      root: true,
      severity: 'critical',
      subject: { kind: 'StatefulSet', name: 'elasticsearch-master', namespace: 'observability' },
    });
    const crashes = byRule('pods/crashloop');
    expect(crashes.map((c) => c.subject.name).sort()).toEqual(['jaeger-collector', 'jaeger-query']);
    for (const c of crashes) {
      expect(c.root).toBe(false);
      expect(c.causedBy).toContain(es.id);
    }
    const pull = byRule('pods/image-pull')[0]!;
    expect(pull).toMatchObject({
      root: true,
      id: expect.stringMatching(/^pods\/image-pull:observability\/Deployment\/jaeger-op-jaeger-operator#/),
    });
    const saPlan = pull.fixes.find((f) => f.steps.some((s) => s.action === 'create-pull-secret'))!;
    expect(saPlan.steps.map((s) => s.action)).toContain('json-patch');
    expect(saPlan.steps.map((s) => s.action)).not.toContain('merge-patch');
    expect(byRule('crds/missing-api-group')[0]).toMatchObject({
      root: true,
      subject: { kind: 'APIGroup', name: 'cert-manager.io' },
    });
    // Reading top-down follows the cause chain: every symptom comes after a cause of it.
    report.findings.forEach((f, i) => {
      if (!f.root) expect(report.findings.slice(0, i).some((c) => f.causedBy.includes(c.id))).toBe(true);
    });
    const again = JSON.parse(
      (await runCli(['diagnose', '-n', 'observability', '-o', 'json'], { env })).stdout,
    ) as DiagnosisReport;
    expect(again.findings.map((f) => f.id)).toEqual(report.findings.map((f) => f.id));
  });

  it('writes Markdown', async () => {
    const r = await runCli(['diagnose', '-n', 'observability', '-o', 'markdown'], { env });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^# kcockpit diagnosis: namespace `observability` \(context `sim`\)/);
    expect(r.stdout).toContain('```sh');
  });

  it('follows --fail-on', async () => {
    expect((await runCli(['diagnose', '-n', 'observability', '--fail-on', 'never'], { env })).exitCode).toBe(0);
    expect((await runCli(['diagnose', '-n', 'observability', '--fail-on', 'critical'], { env })).exitCode).toBe(1);
  });

  it('colours only when asked', async () => {
    const r = await runCli(['diagnose', '-n', 'observability', '--color'], { env });
    expect(r.stdout).toMatch(/\u001b\[31m/);
  });

  it('explains an error handed over on stdin beside the cluster findings', async () => {
    const r = await runCli(['diagnose', '-n', 'observability', '--from-error', '-', '-o', 'json'], {
      env,
      input: CERT_MANAGER_ERROR,
    });
    expect(r.exitCode).toBe(1);
    const report = JSON.parse(r.stdout) as DiagnosisReport;
    const crd = report.findings.find((f) => f.ruleId === 'crds/missing-api-group')!;
    expect(crd.evidence.some((e) => e.source === 'error' && e.text.includes('no matches for kind "Certificate"'))).toBe(
      true,
    );
    expect(report.findings.some((f) => f.ruleId === 'pods/image-pull')).toBe(true);
  });

  it('runs a command, passes its output through, and explains its failure', async () => {
    // A stand-in for helm: prints, fails, and takes -n like helm does.
    const fakeHelm = tmpFile(
      'helm.mjs',
      `process.stdout.write('helm says hi\\n'); process.stderr.write(${JSON.stringify(CERT_MANAGER_ERROR + '\n')}); process.exit(1);`,
    );
    const r = await runCli(['run', '--', process.execPath, fakeHelm, 'install', 'jaeger-op', '-n', 'observability'], {
      env,
    });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('helm says hi\n');
    expect(r.stderr).toContain(CERT_MANAGER_ERROR);
    expect(r.stderr).toContain('exited with 1. What kcockpit makes of it:');
    expect(r.stderr).toContain('cert-manager is not installed');
  });

  it('keeps the exit status of a command that succeeds, and says nothing more', async () => {
    const r = await runCli(['run', '--', process.execPath, '-e', "process.stdout.write('ok\\n')"], { env });
    expect(r).toEqual({ exitCode: 0, stdout: 'ok\n', stderr: '' });
  });

  it('says when the command does not exist', async () => {
    const r = await runCli(['run', '--', 'kcockpit-no-such-tool', 'install'], { env });
    expect(r.exitCode).toBe(127);
    expect(r.stderr.trim()).toBe('kcockpit: kcockpit-no-such-tool: command not found on PATH');
  });

  it('works for a user allowed into one namespace, noting what it could not check', async () => {
    const r = await runCli(['diagnose', '--context', 'sim-viewer', '-n', 'observability', '-o', 'json'], { env });
    expect(r.exitCode).toBe(1);
    const report = JSON.parse(r.stdout) as DiagnosisReport;
    expect(report.notes.join('\n')).toMatch(/not allowed to list nodes/);
    expect(report.findings.some((f) => f.ruleId === 'pods/image-pull')).toBe(true);
  });

  it('fails in one line when that user asks for all namespaces (403)', async () => {
    const line = expectOneLineError(await runCli(['diagnose', '--context', 'sim-viewer', '-A'], { env }));
    expect(line).toMatch(/forbidden/i);
    expect(line).toContain('cannot list resource "pods"');
  });

  it('fails in one line on rejected credentials (401)', async () => {
    const line = expectOneLineError(
      await runCli(['diagnose', '--context', 'sim-expired', '-n', 'observability'], { env }),
    );
    expect(line).toMatch(/401|credentials/i);
  });

  it('fails in one line on an unknown context', async () => {
    const line = expectOneLineError(await runCli(['diagnose', '--context', 'nope'], { env }));
    expect(line).toContain('nope');
  });
});

describe('kcockpit diagnose and the events it reads', () => {
  let sim: SimServer;
  beforeAll(async () => {
    sim = await startSim('shop');
  });
  afterAll(() => sim.close());

  it('reads every event for a user plugin, and leaves the routine ones on the server for the built-in rules', async () => {
    // A rule that reports how many routine events it was given: the shop's ReplicaSets
    // write SuccessfulCreate, and a plugin may read any event.
    const plugins = mkdtempSync(join(tmpdir(), 'kcockpit-plugins-'));
    writeFileSync(
      join(plugins, 'routine.mjs'),
      `export const rule = { id: 'team/routine', title: 'Routine events', diagnose: ({ snapshot }) => [{
        id: 'team/routine:shop/Namespace/shop', ruleId: 'team/routine', title: 'routine: ' + snapshot.events.filter((e) => e.reason === 'SuccessfulCreate').length,
          severity: 'info', subject: { kind: 'Namespace', name: 'shop' }, objects: [], explanation: 'x', evidence: [], causedBy: [], fixes: [] }] };`,
    );
    const env = { KUBECONFIG: sim.kubeconfigPath, KCOCKPIT_DEBUG: '1' };
    const withPlugin = await runCli(['diagnose', '-n', 'shop', '-o', 'json', '--plugins', plugins], { env });
    const report = JSON.parse(withPlugin.stdout) as DiagnosisReport;
    const routine = report.findings.find((f) => f.ruleId === 'team/routine');
    expect(routine?.title).toMatch(/^routine: [1-9]/);
    expect(withPlugin.stderr).not.toContain('events not read');
    const builtIn = await runCli(['diagnose', '-n', 'shop', '-o', 'json'], { env });
    expect(builtIn.stderr).toContain(
      'kcockpit: debug: events not read: reasons Scheduled, SuccessfulCreate, SuccessfulDelete, ScalingReplicaSet',
    );
    expect(JSON.parse(builtIn.stdout).findings.length).toBe(report.findings.length - 1);
    // Where the time went, for a bug report.
    expect(builtIn.stderr).toMatch(
      /kcockpit: debug: phases: start-up \d+\.\d\d s, read \d+\.\d\d s, rules \d+\.\d\d s, report \d+\.\d\d s; done at \d+\.\d\d s\n/,
    );
  });
});

describe('kcockpit diagnose on other clusters', () => {
  it('exits 0 on a healthy cluster', async () => {
    const sim = await startSim('healthy');
    try {
      const r = await runCli(['diagnose', '-A'], { env: { KUBECONFIG: sim.kubeconfigPath } });
      expect(r.stdout).toContain('No problems found.');
      expect(r.exitCode).toBe(0);
    } finally {
      await sim.close();
    }
  });

  it('finds the ordinary Pending reasons, config errors and stuck Helm releases (S2)', async () => {
    const sim = await startSim('s2-pending');
    try {
      const r = await runCli(['diagnose', '-A', '-o', 'json'], { env: { KUBECONFIG: sim.kubeconfigPath } });
      expect(r.exitCode).toBe(1);
      const rules = new Set((JSON.parse(r.stdout) as DiagnosisReport).findings.map((f) => f.ruleId));
      for (const id of ['scheduling/pending', 'pods/create-container-config', 'pods/crashloop', 'helm/release-status'])
        expect(rules).toContain(id);
    } finally {
      await sim.close();
    }
  });
});

describe('kcockpit diagnose without a usable cluster', () => {
  it('says there is no kubeconfig', async () => {
    const line = expectOneLineError(await runCli(['diagnose']));
    expect(line).toMatch(/kubeconfig/);
  });

  it('says the kubeconfig is empty', async () => {
    const line = expectOneLineError(await runCli(['diagnose'], { env: { KUBECONFIG: tmpFile('empty', '') } }));
    expect(line).toMatch(/empty/);
  });

  it('says where the kubeconfig is malformed', async () => {
    const line = expectOneLineError(
      await runCli(['diagnose'], {
        env: { KUBECONFIG: tmpFile('bad', 'apiVersion: v1\nclusters: [\n  - name: x\n  bad: : :\n') },
      }),
    );
    expect(line).toMatch(/bad/);
  });

  it('says the server cannot be reached', async () => {
    const kc = tmpFile(
      'dead',
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: dead, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]',
        'users: [{name: u, user: {token: t}}]',
        'contexts: [{name: dead, context: {cluster: dead, user: u}}]',
        'current-context: dead',
      ].join('\n'),
    );
    const line = expectOneLineError(await runCli(['diagnose'], { env: { KUBECONFIG: kc } }));
    expect(line).toMatch(/cannot reach the API server at https:\/\/127\.0\.0\.1:1/);
  });

  it('still explains handed-over error text, noting the cluster was not read', async () => {
    const r = await runCli(['diagnose', '--from-error', CERT_MANAGER_ERROR]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('cert-manager');
    expect(r.stdout).toMatch(/note: the cluster was not read/);
  });

  it('rejects bad flags in one line', async () => {
    expect(expectOneLineError(await runCli(['diagnose', '--output', 'yaml']))).toContain(
      '--output must be one of text, json, markdown',
    );
    expect(expectOneLineError(await runCli(['diagnose', '--fail-on', 'sometimes']))).toContain('--fail-on');
    expect(expectOneLineError(await runCli(['diagnose', '-n', 'a', '-A']))).toContain('not both');
    expect(expectOneLineError(await runCli(['frobnicate']))).toContain('unknown command');
    expect(expectOneLineError(await runCli(['diagnose', '--bogus']))).toMatch(/bogus/);
    expect(expectOneLineError(await runCli(['--refresh', 'often']))).toBe(
      'kcockpit: --refresh must be a number of seconds, at least 0.5 (got "often")',
    );
    expect(expectOneLineError(await runCli(['--refresh', '0.1']))).toContain('at least 0.5');
  });

  it('prints help and version', async () => {
    expect((await runCli(['--help'])).stdout).toContain('kcockpit diagnose');
    expect((await runCli(['--version'])).stdout).toMatch(/^kcockpit \d+\.\d+\.\d+/);
  });
});

describe('kcockpit demo diagnose', () => {
  it('diagnoses the built-in S1 cluster with no cluster of its own', async () => {
    const r = await runCli(['demo', 'diagnose']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^kcockpit diagnose · context sim · namespace observability/);
    expect(r.stdout).toMatch(/3 root causes behind \d+ findings/);
  });

  it('names the built-in scenarios when given an unknown one', async () => {
    expect(expectOneLineError(await runCli(['demo', 'diagnose', 'nope']))).toMatch(
      /unknown scenario "nope"; built-in scenarios: .*s1-jaeger.*shop/,
    );
  });

  it('diagnoses the broken shop in its own namespace', async () => {
    const r = await runCli(['demo', 'diagnose', 'shop', '-o', 'json']);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as { namespace: string | null; findings: { ruleId: string }[] };
    expect(report.namespace).toBe('shop');
    expect(report.findings.length).toBeGreaterThan(0);
    const rules = new Set(report.findings.map((f) => f.ruleId));
    for (const id of ['storage/volume-mount', 'storage/pv-released', 'pods/create-container-config'])
      expect(rules).toContain(id);
  });
});
