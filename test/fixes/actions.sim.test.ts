// The cockpit's daily actions as plans through the one runner, against the simulated API
// server (S1): scale, cordon/uncordon, drain (PodDisruptionBudgets through the eviction API),
// a CronJob run now, an edit written back whole (409 when the object changed, 422 with the
// fields), and several deletes as one plan. Each: a dry run that changes nothing, the
// --readonly refusal, and the audit line.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  cordonPlan,
  deleteManyPlan,
  deleteObjectPlan,
  drainPlan,
  editPlan,
  scalePlan,
  triggerCronJobPlan,
} from '../../src/fixes/actions.js';
import { previewPlan, runPlan } from '../../src/fixes/runner.js';
import type { KubeObject, Node, Pod, Workload } from '../../src/model/k8s.js';
import { changeOnServer, createOnServer, scripted, stored, storedList, type S1, useS1Runs } from './helpers.js';

const NS = 'observability';
const t = useS1Runs();

const podsOn = (node: string): Pod[] => storedList<Pod>(t.s1.sim, 'Pod').filter((p) => p.spec.nodeName === node);

describe('scale', () => {
  const ref = { kind: 'Deployment', namespace: NS, name: 'jaeger-query' };

  it('previews the count, dry-runs without changing it, then scales through the scale subresource', async () => {
    const before = stored<Workload>(t.s1.sim, 'Deployment', NS, 'jaeger-query')!.spec.replicas;
    const plan = scalePlan(ref, 3);
    expect(plan.commands).toEqual(['kubectl scale deployment/jaeger-query --replicas=3 -n observability']);
    const [preview] = await previewPlan(t.s1.admin, plan);
    expect(preview!.diff).toMatch(/^\+ {2}replicas: 3$/m);

    const dry = await runPlan(t.s1.admin, plan, t.options({ dryRun: true }));
    expect(dry.result).toBe('dry-run-ok');
    expect(stored<Workload>(t.s1.sim, 'Deployment', NS, 'jaeger-query')!.spec.replicas).toBe(before);

    const outcome = await runPlan(t.s1.admin, plan, t.options());
    expect(outcome.result).toBe('applied');
    expect(stored<Workload>(t.s1.sim, 'Deployment', NS, 'jaeger-query')!.spec.replicas).toBe(3);
    expect(t.home.audit()).toMatch(
      /"object":"Deployment observability\/jaeger-query","action":"scale","result":"applied"/,
    );
  });

  it('is refused under --readonly without a request and without an audit line', async () => {
    const outcome = await runPlan(t.s1.admin, scalePlan(ref, 0), t.options({ readonly: true }));
    expect(outcome.result).toBe('readonly');
    expect(stored<Workload>(t.s1.sim, 'Deployment', NS, 'jaeger-query')!.spec.replicas).not.toBe(0);
    expect(t.home.audit()).toBe('');
  });
});

describe('cordon and uncordon', () => {
  it('marks the node unschedulable and back', async () => {
    const node = { kind: 'Node', name: 'minikube' };
    expect((await runPlan(t.s1.admin, cordonPlan(node, true), t.options())).result).toBe('applied');
    expect(stored<Node>(t.s1.sim, 'Node', undefined, 'minikube')!.spec?.unschedulable).toBe(true);
    expect(t.home.audit()).toMatch(/"object":"Node minikube","action":"merge-patch","result":"applied"/);
    expect((await runPlan(t.s1.admin, cordonPlan(node, false), t.options())).result).toBe('applied');
    expect(stored<Node>(t.s1.sim, 'Node', undefined, 'minikube')!.spec?.unschedulable).toBeUndefined();
  });
});

describe('drain', () => {
  const node = { kind: 'Node', name: 'minikube' };
  const budget = (minAvailable: number): KubeObject =>
    ({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'query-pdb', namespace: NS },
      spec: { minAvailable, selector: { matchLabels: { 'app.kubernetes.io/component': 'query' } } },
    }) as KubeObject;

  it('previews what it evicts and leaves; the dry run evicts nothing', async () => {
    const [preview] = await previewPlan(t.s1.admin, drainPlan(node));
    expect(preview!.command).toBe('kubectl drain minikube --ignore-daemonsets --delete-emptydir-data');
    expect(preview!.diff).toMatch(/^~ Node minikube: cordon/m);
    expect(preview!.diff).toMatch(/^ {2}leave Pod kube-system\/kube-proxy-8j5t2 \(DaemonSet\)$/m);
    expect(preview!.diff).toMatch(/^ {2}leave Pod kube-system\/etcd-minikube \(mirror pod\)$/m);
    expect(preview!.diff).toMatch(/^- evict Pod observability\/elasticsearch-master-0$/m);
    const count = podsOn('minikube').length;
    const dry = await runPlan(t.s1.admin, drainPlan(node), t.options({ dryRun: true }));
    expect(dry.result).toBe('dry-run-ok');
    expect(podsOn('minikube')).toHaveLength(count);
    expect(stored<Node>(t.s1.sim, 'Node', undefined, 'minikube')!.spec?.unschedulable).toBeFalsy();
  });

  it('cordons, evicts, and names the pod a PodDisruptionBudget keeps (429)', async () => {
    createOnServer(t.s1.sim, budget(1));
    // S1's query pod is crashing; a budget protects only healthy pods, so make it Ready.
    const query = podsOn('minikube').find((p) => p.metadata.labels?.['app.kubernetes.io/component'] === 'query')!;
    t.s1.sim.api.patch(
      t.s1.sim.state.registry.forKind('Pod')!,
      NS,
      query.metadata.name,
      'application/merge-patch+json',
      { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
      { fieldManager: 'kubelet' },
      'status',
    );
    const outcome = await runPlan(t.s1.admin, drainPlan(node), t.options());
    expect(outcome.result).toBe('applied');
    expect(outcome.summary).toMatch(
      /could not evict observability\/jaeger-query-[\w-]+: Cannot evict pod as it would violate the pod's disruption budget\. The disruption budget query-pdb needs 1 healthy pods and has 1 currently/,
    );
    expect(outcome.results.find((r) => r.step.action === 'drain')?.except).toBe(
      `1 pod kept by a PodDisruptionBudget: ${NS}/${query.metadata.name}`,
    );
    expect(stored<Node>(t.s1.sim, 'Node', undefined, 'minikube')!.spec?.unschedulable).toBe(true);
    const left = podsOn('minikube').filter((p) => !p.metadata.deletionTimestamp);
    expect(left.some((p) => p.metadata.name.startsWith('kube-proxy-'))).toBe(true);
    expect(left.some((p) => p.metadata.name === query.metadata.name)).toBe(true);
    expect(left.some((p) => p.metadata.name.startsWith('elasticsearch-master-'))).toBe(false);
    expect(t.home.audit()).toMatch(/"object":"Node minikube","action":"cordon","result":"applied"/);
    expect(t.home.audit()).toMatch(
      /"object":"Pod observability\/elasticsearch-master-0","action":"evict","result":"applied"/,
    );
    expect(t.home.audit()).toMatch(/"action":"evict","result":"failed: Cannot evict pod/);
  });

  it('is refused under --readonly', async () => {
    const outcome = await runPlan(t.s1.admin, drainPlan(node), t.options({ readonly: true }));
    expect(outcome.result).toBe('readonly');
    expect(stored<Node>(t.s1.sim, 'Node', undefined, 'minikube')!.spec?.unschedulable).toBeFalsy();
  });
});

describe('run a CronJob now', () => {
  beforeEach(() =>
    createOnServer(t.s1.sim, {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'es-rollover', namespace: NS },
      spec: {
        schedule: '0 0 * * *',
        jobTemplate: {
          metadata: { labels: { app: 'es-rollover' } },
          spec: {
            template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'r', image: 'busybox' }] } },
          },
        },
      },
    } as KubeObject),
  );

  it('creates a Job from the template, owned by the CronJob, as kubectl create job --from does', async () => {
    const plan = triggerCronJobPlan({ kind: 'CronJob', namespace: NS, name: 'es-rollover' }, Date.UTC(2026, 0, 1));
    const jobName = (plan.steps[0] as { jobName: string }).jobName;
    expect(jobName).toMatch(/^es-rollover-manual-[0-9a-z]{1,6}$/);
    const [preview] = await previewPlan(t.s1.admin, plan);
    expect(preview!.command).toBe(`kubectl create job ${jobName} --from=cronjob/es-rollover -n observability`);
    expect(preview!.diff).toContain('cronjob.kubernetes.io/instantiate: manual');
    expect((await runPlan(t.s1.admin, plan, t.options({ dryRun: true }))).result).toBe('dry-run-ok');
    expect(stored(t.s1.sim, 'Job', NS, jobName)).toBeUndefined();
    expect((await runPlan(t.s1.admin, plan, t.options())).result).toBe('applied');
    const job = stored(t.s1.sim, 'Job', NS, jobName)!;
    expect(job.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'CronJob', name: 'es-rollover', controller: true });
    expect(job.metadata.labels).toMatchObject({ app: 'es-rollover' });
    expect(t.home.audit()).toMatch(
      new RegExp(`"object":"Job observability/${jobName}","action":"create-job-from-cronjob"`),
    );
  });
});

describe('delete a Job', () => {
  it("takes the Job's pods with it, as kubectl delete does (batch/v1 alone would leave them running)", async () => {
    createOnServer(t.s1.sim, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'reindex', namespace: NS },
      spec: {
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'r', image: 'busybox:1.36' }] } },
      },
    } as KubeObject);
    await t.s1.sim.settle();
    const podsOfJob = () =>
      storedList<Pod>(t.s1.sim, 'Pod', NS).filter((p) => p.metadata.labels?.['job-name'] === 'reindex');
    expect(podsOfJob()).toHaveLength(1);
    const plan = deleteObjectPlan({ kind: 'Job', namespace: NS, name: 'reindex' });
    expect(plan.commands).toEqual(['kubectl delete job reindex -n observability']);
    expect((await runPlan(t.s1.admin, plan, t.options())).result).toBe('applied');
    await t.s1.sim.settle();
    expect(stored(t.s1.sim, 'Job', NS, 'reindex')).toBeUndefined();
    expect(podsOfJob()).toEqual([]);
  });
});

describe('edit', () => {
  const ref = { kind: 'Deployment', namespace: NS, name: 'jaeger-query' };
  const edited = (change: (d: Workload) => void): KubeObject => {
    const d = structuredClone(stored<Workload>(t.s1.sim, 'Deployment', NS, 'jaeger-query')!);
    change(d);
    return d;
  };

  it('shows the diff, dry-runs and writes the whole object', async () => {
    const object = edited((d) => (d.metadata.labels = { ...d.metadata.labels, edited: 'yes' }));
    const [preview] = await previewPlan(t.s1.admin, editPlan(ref, object));
    expect(preview!.diff).toMatch(/^\+ {4}edited: "?yes"?$/m);
    expect(preview!.command).toBe('kubectl edit deployment/jaeger-query -n observability');
    expect((await runPlan(t.s1.admin, editPlan(ref, object), t.options())).result).toBe('applied');
    expect(stored(t.s1.sim, 'Deployment', NS, 'jaeger-query')!.metadata.labels?.['edited']).toBe('yes');
    expect(t.home.audit()).toMatch(/"action":"replace","result":"applied"/);
  });

  it('refuses, changing nothing, when the object changed meanwhile (409)', async () => {
    const object = edited((d) => (d.metadata.labels = { ...d.metadata.labels, edited: 'yes' }));
    changeOnServer(t.s1.sim, 'Deployment', NS, 'jaeger-query', { metadata: { labels: { other: 'change' } } });
    const outcome = await runPlan(t.s1.admin, editPlan(ref, object), t.options());
    expect(outcome.result).toBe('failed');
    expect(outcome.summary).toMatch(/^conflict: /);
    expect(stored(t.s1.sim, 'Deployment', NS, 'jaeger-query')!.metadata.labels?.['edited']).toBeUndefined();
  });

  it('names the invalid field (422) in the dry run', async () => {
    const object = edited((d) => (d.spec.template.metadata = { labels: { app: 'other' } }));
    const outcome = await runPlan(t.s1.admin, editPlan(ref, object), t.options());
    expect(outcome.result).toBe('failed');
    expect(outcome.summary).toMatch(/^invalid: .*spec\.template\.metadata\.labels: Invalid value/);
    expect(t.home.audit()).toBe('');
  });
});

describe('several deletes, one plan', () => {
  it('deletes each marked pod after one confirmation', async () => {
    const refs = ['elasticsearch-master-0', 'elasticsearch-master-1'].map((name) => ({
      kind: 'Pod',
      namespace: NS,
      name,
    }));
    const prompter = scripted({ confirm: true });
    const outcome = await runPlan(t.s1.admin, deleteManyPlan(refs), t.options({ yes: false, prompter }));
    expect(prompter.asked).toEqual(['Dry run passed. Apply 2 changes to context sim?']);
    expect(outcome.result).toBe('applied');
    expect(t.home.audit().trim().split('\n')).toHaveLength(2);
  });
});
