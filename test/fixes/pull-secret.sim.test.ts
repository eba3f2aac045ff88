// S1.1 end to end against the simulated API server: the pull-secret plan that `pods/image-pull`
// proposes for the Docker Hub rate limit, through the one runner — apply, dry run, readonly,
// a ServiceAccount that changes between read and patch (409 / failed resourceVersion test),
// the read-only viewer (403), and a rollback when the second step fails.
import { describe, expect, it } from 'vitest';
import { runPlan, previewPlan } from '../../src/fixes/runner.js';
import type { Pod, ServiceAccount } from '../../src/model/k8s.js';
import {
  b64,
  changeOnServer,
  connectAs,
  createOnServer,
  deleteOnServer,
  diagnose,
  planOf,
  scripted,
  stored,
  storedList,
  type S1,
  useS1Runs,
} from './helpers.js';

const NS = 'observability';
const SA = 'jaeger-op-jaeger-operator';
const OLD_POD = 'jaeger-op-jaeger-operator-7d7b58d48b-89p9p';
const PASSWORD = 's3cr3t-hub-token';
const AUTH = b64(`alice:${PASSWORD}`);
const HUB = 'https://index.docker.io/v1/';

const t = useS1Runs({ credentials: { username: 'alice', password: PASSWORD } });

async function pullSecretPlan(conn = t.s1.admin) {
  return planOf(await diagnose(conn), 'pods/image-pull', 'pull-secret-via-serviceaccount').plan;
}

/** Everything the user or the log could ever see must be free of the credential. */
function expectNoSecret(...texts: string[]): void {
  for (const t of texts) {
    expect(t).not.toContain(PASSWORD);
    expect(t).not.toContain(AUTH);
  }
}

describe('pull-secret-via-serviceaccount on S1', () => {
  it('creates the kubectl-shaped Secret, appends to the ServiceAccount, recreates the pod, and the finding clears', async () => {
    const { sim } = t.s1;
    // The ServiceAccount already lists a pull secret for another registry: it must stay.
    createOnServer(sim, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'ghcr-cred', namespace: NS },
      type: 'kubernetes.io/dockerconfigjson',
      data: {
        '.dockerconfigjson': b64(
          JSON.stringify({ auths: { 'ghcr.io': { username: 'ci', password: 'x', auth: b64('ci:x') } } }),
        ),
      },
    } as never);
    changeOnServer(sim, 'ServiceAccount', NS, SA, { imagePullSecrets: [{ name: 'ghcr-cred' }] });
    await sim.settle();
    t.home.dockerConfig({ auths: { [HUB]: { auth: AUTH } } });

    const plan = await pullSecretPlan();
    expect(plan.steps.map((s) => s.action)).toEqual(['create-pull-secret', 'json-patch', 'delete', 'manual']);
    const preview = await previewPlan(t.s1.admin, plan, { env: t.home.env });
    expect(preview[0]!.diff).toContain('type: kubernetes.io/dockerconfigjson');
    expect(preview[0]!.command).toBe(
      `kubectl create secret docker-registry regcred --docker-server=${HUB} --docker-username=<user> --docker-password=<token> -n ${NS}`,
    );
    expect(preview[1]!.diff).toMatch(/^\+  - name: regcred$/m);
    expect(preview[1]!.diff).toMatch(/^   - name: ghcr-cred$/m);

    const outcome = await runPlan(t.s1.admin, plan, t.options({ credentials: {} }));
    expect(outcome.summary).toMatch(
      /^applied 3 of 3 changes: created Secret observability\/regcred, patched ServiceAccount observability\/jaeger-op-jaeger-operator, deleted Pod observability\/jaeger-op-jaeger-operator-7d7b58d48b-89p9p; 1 step left for you/,
    );
    expect(outcome).toMatchObject({ applied: true, result: 'applied' });
    expect(outcome.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'manual']);
    expect(t.progress.join('\n')).toContain(
      `using the Docker Hub credentials of alice from ${t.home.dir}/.docker/config.json`,
    );

    const secret = stored<{ type: string; data: Record<string, string> } & Pod>(sim, 'Secret', NS, 'regcred')!;
    expect(secret.type).toBe('kubernetes.io/dockerconfigjson');
    expect(Object.keys(secret.data)).toEqual(['.dockerconfigjson']);
    expect(Buffer.from(secret.data['.dockerconfigjson']!, 'base64').toString()).toBe(
      `{"auths":{"${HUB}":{"username":"alice","password":"${PASSWORD}","auth":"${AUTH}"}}}`,
    );
    expect(stored<ServiceAccount>(sim, 'ServiceAccount', NS, SA)!.imagePullSecrets).toEqual([
      { name: 'ghcr-cred' },
      { name: 'regcred' },
    ]);
    expect(stored(sim, 'Pod', NS, OLD_POD)).toBeUndefined();

    await sim.settle();
    const operatorPods = storedList<Pod>(sim, 'Pod', NS).filter((p) =>
      p.metadata.name.startsWith('jaeger-op-jaeger-operator-'),
    );
    expect(operatorPods).toHaveLength(1);
    expect(operatorPods[0]!.spec.imagePullSecrets).toEqual([{ name: 'ghcr-cred' }, { name: 'regcred' }]);
    expect(operatorPods[0]!.status?.phase).toBe('Running');
    expect((await diagnose(t.s1.admin)).filter((f) => f.ruleId === 'pods/image-pull')).toEqual([]);

    const audit = t.home.audit();
    const lines = audit
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l['action'], l['object'], l['result'], l['dryRun']])).toEqual([
      ['create-pull-secret', 'Secret observability/regcred', 'applied', false],
      ['json-patch', 'ServiceAccount observability/jaeger-op-jaeger-operator', 'applied', false],
      ['delete', 'Pod observability/jaeger-op-jaeger-operator-7d7b58d48b-89p9p', 'applied', false],
    ]);
    expect(lines[0]).toMatchObject({ context: 'sim', user: 'sim-admin' });
    expectNoSecret(audit, JSON.stringify(outcome), JSON.stringify(preview), t.progress.join('\n'));
  });

  it('asks for a username and a hidden token when the Docker config keeps them in a credential store', async () => {
    t.home.dockerConfig({ auths: { [HUB]: {} }, credsStore: 'desktop' });
    const prompter = scripted({ text: 'alice', secret: PASSWORD, confirm: true });
    const outcome = await runPlan(
      t.s1.admin,
      await pullSecretPlan(),
      t.options({ yes: false, prompter, credentials: {} }),
    );
    expect(outcome.result).toBe('applied');
    expect(prompter.asked).toEqual([
      'Docker Hub username',
      'Docker Hub access token (or password) for alice',
      'Dry run passed. Apply 3 changes to context sim?',
    ]);
    expect(t.progress.join('\n')).toContain(
      'in the credential helper "desktop" (credsStore), not in the file, so kcockpit cannot read them',
    );
    expectNoSecret(t.home.audit(), JSON.stringify(outcome), t.progress.join('\n'));
  });

  it('--dry-run checks every change on the server and changes nothing', async () => {
    const before = t.s1.sim.state.resourceVersion;
    const outcome = await runPlan(t.s1.admin, await pullSecretPlan(), t.options({ dryRun: true }));
    expect(outcome).toMatchObject({ result: 'dry-run-ok', applied: false });
    expect(outcome.summary).toBe('dry run OK: 3 changes would apply; nothing changed');
    expect(outcome.results.map((r) => r.status)).toEqual(['dry-run-ok', 'dry-run-ok', 'dry-run-ok', 'manual']);
    await t.s1.sim.settle();
    expect(t.s1.sim.state.resourceVersion).toBe(before);
    expect(stored(t.s1.sim, 'Secret', NS, 'regcred')).toBeUndefined();
    const audit = t.home
      .audit()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { dryRun: boolean; result: string });
    expect(audit).toHaveLength(3);
    expect(audit.every((l) => l.dryRun && l.result === 'dry run ok')).toBe(true);
  });

  it('--readonly refuses in one line and touches nothing', async () => {
    const plan = await pullSecretPlan();
    const before = t.s1.sim.state.resourceVersion;
    const outcome = await runPlan(t.s1.admin, plan, t.options({ readonly: true }));
    expect(outcome).toMatchObject({ result: 'readonly', applied: false });
    expect(outcome.summary.split('\n')).toHaveLength(1);
    expect(outcome.summary).toMatch(/^refused: kcockpit runs with --readonly/);
    expect(outcome.results.map((r) => r.status)).toEqual(['refused', 'refused', 'refused', 'manual']);
    expect(t.s1.sim.state.resourceVersion).toBe(before);
    expect(t.home.audit()).toBe('');
  });

  it('when the user says no after the dry run: declined, nothing changed', async () => {
    const before = t.s1.sim.state.resourceVersion;
    const outcome = await runPlan(
      t.s1.admin,
      await pullSecretPlan(),
      t.options({ yes: false, prompter: scripted({ confirm: false }) }),
    );
    expect(outcome).toMatchObject({
      result: 'declined',
      applied: false,
      summary: 'not applied: you declined; nothing changed',
    });
    expect(outcome.results.map((r) => r.status)).toEqual(['refused', 'refused', 'refused', 'manual']);
    expect(t.s1.sim.state.resourceVersion).toBe(before);
  });

  it('re-reads and retries once when the ServiceAccount changed elsewhere, in fields the patch does not touch', async () => {
    const prompter = scripted({
      confirm: true,
      onConfirm: () =>
        changeOnServer(t.s1.sim, 'ServiceAccount', NS, SA, { metadata: { labels: { team: 'tracing' } } }),
    });
    const outcome = await runPlan(t.s1.admin, await pullSecretPlan(), t.options({ yes: false, prompter }));
    expect(outcome.result).toBe('applied');
    expect(t.progress.join('\n')).toContain(
      'ServiceAccount observability/jaeger-op-jaeger-operator changed since kcockpit read it (not in the fields this step changes): read it again and retrying once',
    );
    const sa = stored<ServiceAccount>(t.s1.sim, 'ServiceAccount', NS, SA)!;
    expect(sa.metadata.labels?.['team']).toBe('tracing');
    expect(sa.imagePullSecrets).toEqual([{ name: 'regcred' }]);
  });

  it('fails cleanly and rolls back when the ServiceAccount gained pull secrets the patch would replace', async () => {
    const prompter = scripted({
      confirm: true,
      onConfirm: () =>
        changeOnServer(t.s1.sim, 'ServiceAccount', NS, SA, { imagePullSecrets: [{ name: 'someone-elses' }] }),
    });
    const outcome = await runPlan(t.s1.admin, await pullSecretPlan(), t.options({ yes: false, prompter }));
    expect(outcome).toMatchObject({ result: 'failed', applied: false });
    expect(outcome.summary).toMatch(
      /^failed at step 2 of 4 \(ServiceAccount observability\/jaeger-op-jaeger-operator\): .*changed by someone else.*; rolled back: deleted Secret observability\/regcred; the cluster is as it was$/,
    );
    expect(outcome.results.map((r) => r.status)).toEqual(['rolled-back', 'failed', 'skipped', 'manual']);
    expect(stored(t.s1.sim, 'Secret', NS, 'regcred')).toBeUndefined();
    expect(stored<ServiceAccount>(t.s1.sim, 'ServiceAccount', NS, SA)!.imagePullSecrets).toEqual([
      { name: 'someone-elses' },
    ]);
    expect(stored(t.s1.sim, 'Pod', NS, OLD_POD)).toBeDefined();
    expect(t.home.audit()).toMatch(/"action":"rollback delete","result":"rolled back"/);
  });

  it('rolls the Secret back when the second step fails (the ServiceAccount was deleted meanwhile)', async () => {
    const prompter = scripted({ confirm: true, onConfirm: () => deleteOnServer(t.s1.sim, 'ServiceAccount', NS, SA) });
    const outcome = await runPlan(t.s1.admin, await pullSecretPlan(), t.options({ yes: false, prompter }));
    expect(outcome.result).toBe('failed');
    expect(outcome.summary).toMatch(
      /^failed at step 2 of 4 \(ServiceAccount observability\/jaeger-op-jaeger-operator\): not found: .*; rolled back: deleted Secret observability\/regcred; the cluster is as it was$/,
    );
    expect(outcome.results[0]).toMatchObject({
      status: 'rolled-back',
      message: 'created Secret observability/regcred, then rolled back',
    });
    expect(stored(t.s1.sim, 'Secret', NS, 'regcred')).toBeUndefined();
    expect(stored(t.s1.sim, 'Pod', NS, OLD_POD)).toBeDefined();
  });

  it('as the read-only viewer: forbidden in one line, nothing changed', async () => {
    const viewer = connectAs(t.s1.sim, 'sim-viewer');
    try {
      const plan = await pullSecretPlan(viewer);
      const before = t.s1.sim.state.resourceVersion;
      const outcome = await runPlan(viewer, plan, t.options());
      expect(outcome.result).toBe('failed');
      expect(outcome.summary.split('\n')).toHaveLength(1);
      expect(outcome.summary).toMatch(
        /^forbidden: secrets is forbidden: User "viewer" cannot create resource "secrets" .*; nothing changed$/,
      );
      expect(t.s1.sim.state.resourceVersion).toBe(before);
    } finally {
      viewer.close();
    }
  });

  it('never overwrites an existing Secret of that name: offers to use it, and with --yes reuses one that fits', async () => {
    createOnServer(t.s1.sim, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'regcred', namespace: NS },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': b64(JSON.stringify({ auths: { 'docker.io': { auth: b64('bob:older') } } })) },
    } as never);
    await t.s1.sim.settle();
    // A plan computed before the Secret appeared still creates it: the runner finds it there.
    const plan = planOf(await diagnose(t.s1.admin), 'pods/image-pull', 'pull-secret-via-serviceaccount').plan;
    const prompter = scripted({ choose: 2 });
    const cancelled = await runPlan(
      t.s1.admin,
      {
        ...plan,
        steps: [
          { action: 'create-pull-secret', namespace: NS, name: 'regcred', server: HUB, description: 'x' },
          ...plan.steps.slice(1),
        ],
      },
      t.options({ yes: false, prompter }),
    );
    expect(cancelled).toMatchObject({ result: 'declined', summary: 'not applied: you cancelled; nothing changed' });
    expect(prompter.asked[0]).toBe(
      'Secret regcred already exists in observability and holds credentials for Docker Hub.',
    );

    const reused = await runPlan(
      t.s1.admin,
      {
        ...plan,
        steps: [
          { action: 'create-pull-secret', namespace: NS, name: 'regcred', server: HUB, description: 'x' },
          ...plan.steps.slice(1),
        ],
      },
      t.options(),
    );
    expect(reused.result).toBe('applied');
    expect(reused.results[0]).toMatchObject({
      status: 'skipped',
      message: 'uses the existing Secret observability/regcred (not changed)',
    });
    const secret = stored<{ data: Record<string, string> } & Pod>(t.s1.sim, 'Secret', NS, 'regcred')!;
    expect(Buffer.from(secret.data['.dockerconfigjson']!, 'base64').toString()).toContain(b64('bob:older'));
  });
});
