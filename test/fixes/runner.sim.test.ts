// The runner's other step kinds against the simulated API server (S1): helm upgrade with a
// fake helm on PATH and without one, a manifest from a local file then waiting for its
// Deployments, a manifest URL without network, and the cockpit's delete-pod and
// rollout-restart actions — including a real 409 on a merge patch.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deletePodPlan, rolloutRestartPlan } from '../../src/fixes/actions.js';
import { createFixBackend } from '../../src/fixes/backend.js';
import { withManifestSource } from '../../src/fixes/manifest.js';
import { previewPlan, runPlan } from '../../src/fixes/runner.js';
import type { FixPlan } from '../../src/diagnose/types.js';
import type { KubeObject, Pod, Workload } from '../../src/model/k8s.js';
import {
  changeOnServer,
  createOnServer,
  diagnose,
  planOf,
  scripted,
  stored,
  storedList,
  type S1,
  useS1Runs,
} from './helpers.js';

const NS = 'observability';

/** A loopback port nothing listens on (the no-network case without depending on the network). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
const MANIFEST = fileURLToPath(new URL('./fixtures/cert-manager-core.yaml', import.meta.url));

const t = useS1Runs({ pollIntervalMs: 50 });

/** A `helm` that records each call's arguments (one per line, calls separated by `--END--`). */
function fakeHelm(): { env: NodeJS.ProcessEnv; calls(): string[][] } {
  const bin = join(t.home.dir, 'bin');
  mkdirSync(bin);
  const log = join(t.home.dir, 'helm-calls.log');
  writeFileSync(
    join(bin, 'helm'),
    [
      '#!/bin/sh',
      'for a in "$@"; do printf "%s\\n" "$a" >> "$HELM_LOG"; done',
      'echo "--END--" >> "$HELM_LOG"',
      'echo "Release \\"$2\\" has been upgraded. Happy Helming!"',
      'echo "REVISION: 2"',
      '',
    ].join('\n'),
  );
  chmodSync(join(bin, 'helm'), 0o755);
  return {
    env: { ...t.home.env, PATH: bin, HELM_LOG: log },
    calls: () =>
      readFileSync(log, 'utf8')
        .split('--END--\n')
        .filter(Boolean)
        .map((c) => c.split('\n').filter(Boolean)),
  };
}

const UPGRADE = [
  'upgrade',
  'jaeger',
  'jaegertracing/jaeger',
  '-n',
  'observability',
  '--version',
  '0.65.4',
  '--reuse-values',
  '--set',
  'elasticsearch.replicas=1',
  '--set',
  'elasticsearch.minimumMasterNodes=1',
  '--set',
  'elasticsearch.clusterHealthCheckParams=wait_for_status=yellow&timeout=1s',
];

describe('helm-upgrade (S1.2, Elasticsearch replicas)', () => {
  async function esPlan(): Promise<FixPlan> {
    return planOf(await diagnose(t.s1.admin), 'workloads/anti-affinity-replicas', 'helm-set-elasticsearch-replicas')
      .plan;
  }

  it('runs helm upgrade --reuse-values pinned to the chart version, after helm --dry-run, output streamed', async () => {
    const helm = fakeHelm();
    const plan = await esPlan();
    const preview = await previewPlan(t.s1.admin, plan, { env: helm.env });
    expect(preview[0]!.diff).toContain(
      'elasticsearch:\n  replicas: 1\n  minimumMasterNodes: 1\n  clusterHealthCheckParams: wait_for_status=yellow&timeout=1s\n',
    );
    const outcome = await runPlan(t.s1.admin, plan, t.options({ env: helm.env }));
    expect(outcome).toMatchObject({
      result: 'applied',
      applied: true,
      summary: 'applied 1 of 1 change: upgraded release jaeger',
    });
    expect(helm.calls()).toEqual([[...UPGRADE, '--dry-run'], UPGRADE]);
    expect(t.progress).toContain('helm: Release "jaeger" has been upgraded. Happy Helming!');
    expect(t.home.audit()).toMatch(
      /"object":"helm release observability\/jaeger","action":"helm-upgrade","result":"applied","dryRun":false/,
    );
  });

  it('with --dry-run passes helm its own --dry-run and nothing else', async () => {
    const helm = fakeHelm();
    const outcome = await runPlan(t.s1.admin, await esPlan(), t.options({ env: helm.env, dryRun: true }));
    expect(outcome.result).toBe('dry-run-ok');
    expect(helm.calls()).toEqual([[...UPGRADE, '--dry-run']]);
    expect(t.progress).toContain('helm: REVISION: 2');
  });

  it('without helm on PATH reports the exact command instead of failing', async () => {
    mkdirSync(join(t.home.dir, 'empty-bin'));
    const env = { ...t.home.env, PATH: join(t.home.dir, 'empty-bin') };
    const plan = await esPlan();
    expect((await previewPlan(t.s1.admin, plan, { env }))[0]!.diff).toContain('helm is not installed here');
    const outcome = await runPlan(t.s1.admin, plan, t.options({ env, yes: false, prompter: scripted() }));
    const command =
      "helm upgrade jaeger jaegertracing/jaeger -n observability --version 0.65.4 --reuse-values --set elasticsearch.replicas=1 --set elasticsearch.minimumMasterNodes=1 --set 'elasticsearch.clusterHealthCheckParams=wait_for_status=yellow&timeout=1s'";
    expect(outcome).toMatchObject({
      result: 'nothing-to-apply',
      applied: false,
      summary: `nothing changed: helm is not installed here: run ${command}`,
    });
    expect(outcome.results[0]).toMatchObject({ status: 'manual' });
    expect(t.home.audit()).toBe('');
  });
});

describe('apply-manifest and wait-available (S1.4, cert-manager)', () => {
  async function certManagerPlan(source: string): Promise<FixPlan> {
    const { plan } = planOf(await diagnose(t.s1.admin), 'crds/missing-api-group', 'install-cert-manager');
    return withManifestSource(plan, source)!;
  }

  it('creates every object of a local manifest after a dry run, then waits until the three deployments are available', async () => {
    const plan = await certManagerPlan(MANIFEST);
    const preview = await previewPlan(t.s1.admin, plan);
    expect(preview[0]!.diff.split('\n').slice(0, 3)).toEqual([
      `creates 7 objects from ${MANIFEST}:`,
      '+ Namespace cert-manager',
      '+ ServiceAccount cert-manager/cert-manager-cainjector',
    ]);
    expect(preview[1]!.command).toBe(
      'kubectl wait --for=condition=Available deployment/cert-manager deployment/cert-manager-cainjector deployment/cert-manager-webhook -n cert-manager --timeout=300s',
    );

    const outcome = await runPlan(t.s1.admin, plan, t.options({ dryRun: true }));
    expect(outcome.results[0]!.message).toBe(
      'dry run of 1 object passed; 6 more can only be checked once this manifest has created namespace cert-manager',
    );
    expect(storedList(t.s1.sim, 'Namespace').map((n) => n.metadata.name)).not.toContain('cert-manager');

    const applied = await runPlan(t.s1.admin, plan, t.options());
    expect(applied.results.map((r) => r.status)).toEqual(['applied', 'applied', 'manual']);
    expect(applied.summary).toMatch(
      /^applied 1 of 1 change: created 7 objects from .*cert-manager-core\.yaml; 1 step left for you/,
    );
    for (const name of ['cert-manager', 'cert-manager-cainjector', 'cert-manager-webhook']) {
      expect(t.progress).toContain(`Deployment cert-manager/${name}: available`);
      expect(stored<Workload>(t.s1.sim, 'Deployment', 'cert-manager', name)!.status?.availableReplicas).toBe(1);
    }
    expect(t.home.audit().trim().split('\n')).toHaveLength(1 + 7);
  });

  it('an URL that cannot be downloaded fails in one line before anything changes', async () => {
    const port = await closedPort();
    const before = t.s1.sim.state.resourceVersion;
    const outcome = await runPlan(
      t.s1.admin,
      await certManagerPlan(`https://127.0.0.1:${port}/cert-manager.yaml`),
      t.options(),
    );
    expect(outcome.result).toBe('failed');
    expect(outcome.summary).toBe(
      `cannot download the manifest https://127.0.0.1:${port}/cert-manager.yaml (network error ECONNREFUSED): check the network, or download it and point kcockpit to the file (step 1: manifest https://127.0.0.1:${port}/cert-manager.yaml); nothing changed`,
    );
    expect(outcome.summary.split('\n')).toHaveLength(1);
    expect(t.s1.sim.state.resourceVersion).toBe(before);
  });
});

describe('delete pod and rollout restart (the cockpit actions)', () => {
  it('deletes a pod with its uid as precondition; the ReplicaSet makes a new one', async () => {
    const ref = { kind: 'Pod', namespace: NS, name: 'jaeger-query-5c9b7d8f4d-7mhtn' };
    const plan = deletePodPlan(ref, { kind: 'ReplicaSet', name: 'jaeger-query-5c9b7d8f4d' });
    expect((await previewPlan(t.s1.admin, plan))[0]).toMatchObject({
      diff: '- Pod observability/jaeger-query-5c9b7d8f4d-7mhtn (deleted; its ReplicaSet jaeger-query-5c9b7d8f4d creates a new one)',
      command: 'kubectl delete pod jaeger-query-5c9b7d8f4d-7mhtn -n observability',
    });
    const outcome = await runPlan(t.s1.admin, plan, t.options());
    expect(outcome).toMatchObject({
      result: 'applied',
      summary: 'applied 1 of 1 change: deleted Pod observability/jaeger-query-5c9b7d8f4d-7mhtn',
    });
    await t.s1.sim.settle();
    const pods = storedList<Pod>(t.s1.sim, 'Pod', NS).filter((p) =>
      p.metadata.name.startsWith('jaeger-query-5c9b7d8f4d-'),
    );
    expect(pods.map((p) => p.metadata.name)).not.toContain(ref.name);
    expect(pods).toHaveLength(1);
  });

  it('rollout restart stamps the template like kubectl, retrying once after a real 409', async () => {
    const ref = { kind: 'Deployment', namespace: NS, name: 'jaeger-query' };
    const plan = rolloutRestartPlan(ref);
    const preview = await previewPlan(t.s1.admin, plan);
    expect(preview[0]!.diff).toMatch(
      /^\+ {8}kubectl\.kubernetes\.io\/restartedAt: "?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"?$/m,
    );
    const prompter = scripted({
      confirm: true,
      onConfirm: () =>
        changeOnServer(t.s1.sim, 'Deployment', NS, 'jaeger-query', { metadata: { labels: { touched: 'yes' } } }),
    });
    const outcome = await runPlan(t.s1.admin, plan, t.options({ yes: false, prompter }));
    expect(outcome).toMatchObject({
      result: 'applied',
      summary: 'applied 1 of 1 change: restarted Deployment observability/jaeger-query',
    });
    expect(t.progress.join('\n')).toContain('Deployment observability/jaeger-query changed since kcockpit read it');
    const d = stored<Workload>(t.s1.sim, 'Deployment', NS, 'jaeger-query')!;
    expect(d.spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    );
    expect(d.metadata.labels?.['touched']).toBe('yes');
    await t.s1.sim.settle();
    expect(
      storedList<Workload>(t.s1.sim, 'ReplicaSet', NS).filter((rs) => rs.metadata.name.startsWith('jaeger-query-')),
    ).toHaveLength(2);
  });

  it('says so when a delete before a failing step cannot be undone', async () => {
    const pod = 'jaeger-query-5c9b7d8f4d-7mhtn';
    const plan: FixPlan = {
      id: 'test-delete-then-fail',
      title: 'delete a pod, then patch a ServiceAccount whose label is checked first',
      explanation: '',
      commands: [],
      mutates: true,
      steps: [
        { action: 'delete', ref: { kind: 'Pod', namespace: NS, name: pod }, description: 'delete it' },
        {
          action: 'json-patch',
          ref: { kind: 'ServiceAccount', namespace: NS, name: 'jaeger-query' },
          patch: [
            { op: 'test', path: '/metadata/labels/app.kubernetes.io~1component', value: 'query' },
            { op: 'add', path: '/metadata/labels/fixed', value: 'yes' },
          ],
          description: 'label it',
        },
      ],
    };
    const prompter = scripted({
      confirm: true,
      onConfirm: () =>
        changeOnServer(t.s1.sim, 'ServiceAccount', NS, 'jaeger-query', {
          metadata: { labels: { 'app.kubernetes.io/component': 'other' } },
        }),
    });
    const outcome = await runPlan(t.s1.admin, plan, t.options({ yes: false, prompter }));
    expect(outcome.result).toBe('failed');
    expect(outcome.summary).toMatch(
      new RegExp(
        `; cannot be undone: Pod observability/${pod} was deleted: a delete cannot be undone, and its ReplicaSet jaeger-query-5c9b7d8f4d has made a new pod$`,
      ),
    );
    expect(outcome.results.map((r) => r.status)).toEqual(['applied', 'failed']);
  });

  it('the cockpit backend previews, and refuses under --readonly without touching anything', async () => {
    const backend = createFixBackend(t.s1.admin, { readonly: true, env: t.home.env });
    const plan = rolloutRestartPlan({ kind: 'Deployment', namespace: NS, name: 'jaeger-query' });
    expect((await backend.preview(plan))[0]!.command).toBe(
      'kubectl rollout restart deployment/jaeger-query -n observability',
    );
    const before = t.s1.sim.state.resourceVersion;
    const outcome = await backend.run(plan, { dryRun: false, prompter: scripted() });
    expect(outcome).toMatchObject({ result: 'readonly', applied: false });
    expect(t.s1.sim.state.resourceVersion).toBe(before);
  });

  it('a create step makes the object in the context namespace, and never overwrites it', async () => {
    const plan: FixPlan = {
      id: 'test-create',
      title: 'create a ConfigMap',
      explanation: '',
      commands: [],
      mutates: true,
      steps: [
        {
          action: 'create',
          object: {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'jaeger-sampling' },
            data: { 'sampling.json': '{}' },
          } as never,
          description: 'create it',
        },
      ],
    };
    expect((await previewPlan(t.s1.admin, plan))[0]!.diff).toContain(
      'name: jaeger-sampling\n  namespace: observability\n',
    );
    expect(await runPlan(t.s1.admin, plan, t.options())).toMatchObject({
      result: 'applied',
      summary: 'applied 1 of 1 change: created ConfigMap observability/jaeger-sampling',
    });
    expect(stored(t.s1.sim, 'ConfigMap', NS, 'jaeger-sampling')).toBeDefined();
    expect(await runPlan(t.s1.admin, plan, t.options())).toMatchObject({
      result: 'failed',
      summary:
        'ConfigMap observability/jaeger-sampling already exists: kcockpit creates objects, it never overwrites one (step 1: ConfigMap observability/jaeger-sampling); nothing changed',
    });
  });

  it('refuses a rollout restart of a kind that has none, before anything runs', async () => {
    const outcome = await runPlan(
      t.s1.admin,
      rolloutRestartPlan({ kind: 'Pod', namespace: NS, name: 'x' }),
      t.options(),
    );
    expect(outcome).toMatchObject({
      result: 'failed',
      summary:
        'a rollout restart works on Deployments, StatefulSets and DaemonSets, not on Pod (step 1: Pod observability/x); nothing changed',
    });
  });

  it('scale goes through the scale subresource and is put back when a later step fails', async () => {
    const sts = { kind: 'StatefulSet', namespace: NS, name: 'elasticsearch-master' };
    const sa = { kind: 'ServiceAccount', namespace: NS, name: 'jaeger-query' };
    const plan: FixPlan = {
      id: 'test-scale-then-patch',
      title: 'scale, then patch a ServiceAccount whose label is checked first',
      explanation: '',
      commands: [],
      mutates: true,
      steps: [
        { action: 'scale', ref: sts, replicas: 1, description: 'scale to 1' },
        {
          action: 'json-patch',
          ref: sa,
          patch: [
            { op: 'test', path: '/metadata/labels/app.kubernetes.io~1component', value: 'query' },
            { op: 'add', path: '/metadata/labels/fixed', value: 'yes' },
          ],
          description: 'label it',
        },
      ],
    };
    expect((await previewPlan(t.s1.admin, plan))[0]!.diff).toMatch(/^- {2}replicas: 3\n\+ {2}replicas: 1$/m);
    // Between the dry run and the apply, someone relabels the ServiceAccount: the plan's own test fails.
    const prompter = scripted({
      confirm: true,
      onConfirm: () =>
        changeOnServer(t.s1.sim, 'ServiceAccount', NS, 'jaeger-query', {
          metadata: { labels: { 'app.kubernetes.io/component': 'other' } },
        }),
    });
    const outcome = await runPlan(t.s1.admin, plan, t.options({ yes: false, prompter }));
    expect(outcome.result).toBe('failed');
    expect(outcome.summary).toMatch(
      /^failed at step 2 of 2 \(ServiceAccount observability\/jaeger-query\): invalid: .*app\.kubernetes\.io~1component.*; rolled back: restored StatefulSet observability\/elasticsearch-master; the cluster is as it was$/,
    );
    expect(outcome.results.map((r) => r.status)).toEqual(['rolled-back', 'failed']);
    expect(stored<Workload>(t.s1.sim, 'StatefulSet', NS, 'elasticsearch-master')!.spec.replicas).toBe(3);
    expect(stored(t.s1.sim, 'ServiceAccount', NS, 'jaeger-query')!.metadata.labels?.['fixed']).toBeUndefined();
    expect(t.home.audit()).toMatch(/"action":"rollback restore","result":"rolled back"/);
  });
});

describe('cluster-scoped objects named by kind alone', () => {
  it('merge-patches a StorageClass (the pvc-pending default-class plan) without an apiVersion in the ref', async () => {
    createOnServer(t.s1.sim, {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'standard' },
      provisioner: 'k8s.io/minikube-hostpath',
    } as KubeObject);
    const annotation = 'storageclass.kubernetes.io/is-default-class';
    const plan: FixPlan = {
      id: 'mark-default-class',
      title: 'Make StorageClass standard the default',
      explanation: '',
      commands: [],
      steps: [
        {
          action: 'merge-patch',
          ref: { kind: 'StorageClass', name: 'standard' },
          patch: { metadata: { annotations: { [annotation]: 'true' } } },
          description: 'Annotate StorageClass standard as the default class',
        },
      ],
      mutates: true,
    };
    const outcome = await runPlan(t.s1.admin, plan, t.options());
    expect(outcome.result).toBe('applied');
    expect(stored(t.s1.sim, 'StorageClass', undefined, 'standard')?.metadata.annotations?.[annotation]).toBe('true');
  });
});
