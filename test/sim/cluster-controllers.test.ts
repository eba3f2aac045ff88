// The controllers beyond workloads — persistent volumes, jobs and cronjobs, endpoints, node
// lifecycle, disruption budgets — checked against what a real controller-manager wrote for the
// same objects (api-samples, second capture).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  CronJob,
  Endpoints,
  EndpointSlice,
  Job,
  KubeEvent,
  KubeObject,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  PodDisruptionBudget,
} from '../../src/model/k8s.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import type { HistoryStep } from '../../src/sim/history.js';
import { builtinRules } from '../../plugins/index.js';
import { runRules } from '../../src/diagnose/engine.js';
import { connect } from '../../src/kube/client.js';
import { loadClusterSnapshot } from '../../src/store/load.js';
import { captureScenario, comparable } from './capture-cluster.js';
import { call, sample } from './helpers.js';

let srv: SimServer | undefined;
afterEach(async () => {
  await srv?.close();
  srv = undefined;
});

async function start(opts: Parameters<typeof captureScenario>[0] = {}): Promise<SimServer> {
  srv = await startSimServer({ scenario: captureScenario(opts) });
  return srv;
}

async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await call(srv!, path, { method: 'POST', body });
  expect(res.status, res.text).toBe(201);
  await srv!.settle();
  return res.json();
}

/** Events about an object, by reason (their names are random, and several share a second). */
const eventsOn = (kind: string, name: string): KubeEvent[] =>
  srv!.state
    .objectsOf<KubeEvent>('Event')
    .filter((e) => e.involvedObject.kind === kind && e.involvedObject.name === name)
    .sort((a, b) => ((a.reason ?? '') < (b.reason ?? '') ? -1 : 1));

const pvc = (name: string, storageClassName?: string) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name },
  spec: {
    accessModes: ['ReadWriteOnce'],
    resources: { requests: { storage: '1Gi' } },
    ...(storageClassName !== undefined ? { storageClassName } : {}),
  },
});

const storageClass = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name },
  provisioner: 'k8s.io/minikube-hostpath',
  ...extra,
});

const podUsing = (name: string, claim: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: {
    containers: [{ name: 'c', image: 'nginx:1.25' }],
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }],
  },
});

describe('the persistentvolume controller', () => {
  it('leaves claims it cannot serve Pending, with the real events and shapes', async () => {
    await start();
    await post('/api/v1/namespaces/samples/persistentvolumeclaims', pvc('pvc-missing-class', 'samples-nope'));
    await post('/api/v1/namespaces/samples/persistentvolumeclaims', pvc('pvc-no-class', ''));
    for (const name of ['pvc-missing-class', 'pvc-no-class']) {
      const ours = srv!.state.find('PersistentVolumeClaim', 'samples', name) as PersistentVolumeClaim;
      const real = sample(`pvc-pending-${name.slice(4)}.json`) as PersistentVolumeClaim;
      expect(ours.spec).toEqual(real.spec);
      expect(ours.status).toEqual(real.status);
      expect((ours.metadata as { finalizers?: string[] }).finalizers).toEqual(['kubernetes.io/pvc-protection']);
    }
    const real = (sample('events-pvc-missing-class-and-no-class.json') as { items: KubeEvent[] }).items;
    for (const r of real) {
      const [ours] = eventsOn('PersistentVolumeClaim', r.involvedObject.name as string);
      expect(ours && { type: ours.type, reason: ours.reason, message: ours.message, source: ours.source }).toEqual({
        type: r.type,
        reason: r.reason,
        message: r.message,
        source: r.source,
      });
    }
  });

  it('keeps a pod on an unbound claim Pending, and schedules it once a default class provisions the claim', async () => {
    await start();
    await post('/api/v1/namespaces/samples/persistentvolumeclaims', pvc('uploads'));
    await post('/api/v1/namespaces/samples/pods', podUsing('uploader', 'uploads'));
    const pending = srv!.state.find('Pod', 'samples', 'uploader') as Pod;
    expect(pending.status?.conditions?.[0]?.message).toContain('pod has unbound immediate PersistentVolumeClaims');

    await post(
      '/apis/storage.k8s.io/v1/storageclasses',
      storageClass('standard', {
        metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      }),
    );
    const claim = srv!.state.find('PersistentVolumeClaim', 'samples', 'uploads') as PersistentVolumeClaim;
    expect(claim.spec.storageClassName).toBe('standard');
    expect(claim.status?.phase).toBe('Bound');
    const pv = srv!.state.find('PersistentVolume', undefined, claim.spec.volumeName as string) as PersistentVolume;
    expect(pv.spec.claimRef).toMatchObject({ namespace: 'samples', name: 'uploads', uid: claim.metadata.uid });
    expect(pv.status?.phase).toBe('Bound');
    const events = eventsOn('PersistentVolumeClaim', 'uploads');
    expect(events.map((e) => e.reason)).toEqual([
      'ExternalProvisioning',
      'FailedBinding',
      'Provisioning',
      'ProvisioningSucceeded',
    ]);
    expect(events[0]?.message).toBe(
      "Waiting for a volume to be created either by the external provisioner 'k8s.io/minikube-hostpath' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
    );
    expect((srv!.state.find('Pod', 'samples', 'uploader') as Pod).spec.nodeName).toBe('samples-node-1');
  });

  it('waits for the first consumer of a WaitForFirstConsumer claim, then provisions on its node', async () => {
    await start();
    await post(
      '/apis/storage.k8s.io/v1/storageclasses',
      storageClass('local', { volumeBindingMode: 'WaitForFirstConsumer' }),
    );
    await post('/api/v1/namespaces/samples/persistentvolumeclaims', pvc('scratch', 'local'));
    expect(eventsOn('PersistentVolumeClaim', 'scratch').map((e) => [e.type, e.reason, e.message])).toEqual([
      ['Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding'],
    ]);
    await post('/api/v1/namespaces/samples/pods', podUsing('consumer', 'scratch'));
    const claim = srv!.state.find('PersistentVolumeClaim', 'samples', 'scratch') as PersistentVolumeClaim;
    expect(claim.metadata.annotations?.['volume.kubernetes.io/selected-node']).toBe('samples-node-1');
    expect(claim.status?.phase).toBe('Bound');
  });
});

describe('the job controller', () => {
  const failJob = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'fail-job' },
    spec: {
      backoffLimit: 1,
      template: {
        spec: {
          containers: [{ name: 'main', image: 'busybox:1.36', command: ['sh', '-c', 'exit 1'] }],
          nodeSelector: { 'samples-node': 'true' },
          restartPolicy: 'Never',
        },
      },
    },
  };
  const crashing = [{ image: 'busybox:1.36', crash: { exitCode: 1 } }];

  it('fails pods up to backoffLimit, then reports BackoffLimitExceeded like the real controller', async () => {
    await start({ images: crashing });
    await post('/apis/batch/v1/namespaces/samples/jobs', failJob);
    const job = srv!.state.find('Job', 'samples', 'fail-job') as Job;
    const real = sample('job-failed-backofflimit.json') as Job;
    expect(comparable(job.status)).toEqual(comparable(real.status));
    expect(job.spec.selector?.matchLabels?.['batch.kubernetes.io/controller-uid']).toBe(job.metadata.uid);

    const events = eventsOn('Job', 'fail-job');
    const realEvents = (sample('events-job-backofflimit.json') as { items: KubeEvent[] }).items;
    const names: [RegExp, string][] = [[/fail-job-[a-z0-9]{5}/g, 'fail-job-<rand>']];
    const pick = (e: KubeEvent) => comparable([e.type, e.reason, e.message, e.source, e.count], names);
    expect(events.map(pick).sort()).toEqual(realEvents.map(pick).sort());

    const pods = srv!.state.objectsOf<Pod>('Pod', 'samples');
    const realPod = sample('pod-job-failed-exitcode1.json') as Pod;
    expect(pods).toHaveLength(2);
    for (const p of pods) {
      expect(p.status?.phase).toBe('Failed');
      expect(p.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
      const ready = p.status?.conditions?.find((c) => c.type === 'Ready');
      expect(ready).toEqual({
        ...realPod.status?.conditions?.find((c) => c.type === 'Ready'),
        lastTransitionTime: ready?.lastTransitionTime,
      });
      expect(comparable(p.metadata.labels)).toMatchObject(comparable(realPod.metadata.labels) as object);
    }
  });

  it('completes a Job whose pod exits 0', async () => {
    await start();
    await post('/apis/batch/v1/namespaces/samples/jobs', {
      ...failJob,
      metadata: { name: 'ok-job' },
    });
    const job = srv!.state.find('Job', 'samples', 'ok-job') as Job;
    expect(job.status).toMatchObject({ succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] });
    expect(eventsOn('Job', 'ok-job').map((e) => e.reason)).toEqual(['Completed', 'SuccessfulCreate']);
  });

  it('deleting a Job: batch/v1 orphans its pods unless asked otherwise, and warns as a real server does', async () => {
    await start();
    for (const name of ['kept-pods', 'by-query', 'by-body'])
      await post('/apis/batch/v1/namespaces/samples/jobs', { ...failJob, metadata: { name } });
    const podsOf = (job: string) =>
      srv!.state.objectsOf<Pod>('Pod', 'samples').filter((p) => p.metadata.labels?.['job-name'] === job);
    expect(podsOf('kept-pods')).toHaveLength(1);
    const job = srv!.state.find('Job', 'samples', 'kept-pods') as Job;

    const orphaning = await call(srv!, '/apis/batch/v1/namespaces/samples/jobs/kept-pods', { method: 'DELETE' });
    expect(orphaning.status).toBe(200);
    expect(orphaning.headers['warning']).toBe(
      '299 - "child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning"',
    );
    expect(orphaning.json()).toMatchObject({
      kind: 'Job',
      metadata: { name: 'kept-pods', uid: job.metadata.uid, finalizers: ['orphan'] },
    });
    await srv!.settle();
    expect(srv!.state.find('Job', 'samples', 'kept-pods')).toBeUndefined();
    const [orphan] = podsOf('kept-pods');
    expect(orphan?.metadata.ownerReferences).toBeUndefined();

    const byQuery = await call(srv!, '/apis/batch/v1/namespaces/samples/jobs/by-query?propagationPolicy=Background', {
      method: 'DELETE',
    });
    const byBody = await call(srv!, '/apis/batch/v1/namespaces/samples/jobs/by-body', {
      method: 'DELETE',
      body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
    });
    for (const answer of [byQuery, byBody]) {
      expect(answer.json()).toMatchObject({ kind: 'Status', status: 'Success' });
      expect(answer.headers['warning']).toBeUndefined();
    }
    await srv!.settle();
    expect([...podsOf('by-query'), ...podsOf('by-body')]).toEqual([]);
  });

  it('fails a Job past its activeDeadlineSeconds with DeadlineExceeded', async () => {
    const history: HistoryStep[] = [
      {
        at: new Date(Date.now() - 10 * 60_000).toISOString(),
        apply: [
          {
            ...failJob,
            metadata: { name: 'slow-job', namespace: 'samples' },
            spec: {
              ...failJob.spec,
              activeDeadlineSeconds: 60,
              template: { spec: { ...failJob.spec.template.spec, nodeSelector: { 'samples-node': 'nowhere' } } },
            },
          } as KubeObject,
        ],
      },
    ];
    await start({ history });
    const job = srv!.state.find('Job', 'samples', 'slow-job') as Job;
    expect(job.status?.conditions).toMatchObject([
      {
        type: 'Failed',
        status: 'True',
        reason: 'DeadlineExceeded',
        message: 'Job was active longer than specified deadline',
      },
    ]);
    expect(srv!.state.objectsOf<Pod>('Pod', 'samples')).toHaveLength(0);
  });

  it('a CronJob starts a Job when its schedule fires and records how it ended', async () => {
    const at = new Date(Date.now() - 5 * 60_000).toISOString();
    const cronJob = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'report', namespace: 'samples' },
      spec: { schedule: '*/10 * * * *', jobTemplate: { spec: failJob.spec } },
    } as unknown as KubeObject;
    await start({
      images: crashing,
      history: [
        { at, apply: [cronJob] },
        { at, cronjobs: ['samples/report'] },
      ],
    });
    const cj = srv!.state.find('CronJob', 'samples', 'report') as CronJob;
    const [job] = srv!.state.objectsOf<Job>('Job', 'samples');
    const scheduled = Date.parse(cj.status?.lastScheduleTime ?? '');
    expect(new Date(scheduled).getUTCMinutes() % 10).toBe(0);
    expect(job?.metadata.name).toBe(`report-${scheduled / 60_000}`);
    expect(cj.status?.active).toBeUndefined();
    expect(eventsOn('CronJob', 'report').map((e) => e.message)).toEqual([
      `Saw completed job: ${job?.metadata.name}, status: Failed`,
      `Created job ${job?.metadata.name}`,
    ]);
  });

  /**
   * A CronJob every 5 minutes whose runs cannot pull their image, and `runs` runs of the
   * controller 5 minutes apart, the first 5 s after a fire time half an hour ago (returned).
   */
  async function startStuckCronJob(concurrencyPolicy: 'Forbid' | 'Replace', runs: number): Promise<number> {
    const image = 'ghcr.io/acme/nightly-report:1.8.0';
    const first = Math.floor((Date.now() - 30 * 60_000) / 300_000) * 300_000 + 5_000;
    const times = Array.from({ length: runs }, (_, k) => new Date(first + k * 300_000).toISOString());
    const cronJob = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'report', namespace: 'samples' },
      spec: {
        schedule: '*/5 * * * *',
        concurrencyPolicy,
        jobTemplate: {
          spec: {
            template: {
              spec: {
                containers: [{ name: 'report', image }],
                nodeSelector: { 'samples-node': 'true' },
                restartPolicy: 'OnFailure',
              },
            },
          },
        },
      },
    } as unknown as KubeObject;
    await start({
      images: [{ image, pullError: 'manifest unknown' }],
      history: [{ at: times[0]!, apply: [cronJob] }, ...times.map((at) => ({ at, cronjobs: ['samples/report'] }))],
    });
    return first;
  }

  it('Forbid waits for a Job whose image cannot be pulled; the diagnosis puts that under the pull error, and deleting the Job frees the schedule', async () => {
    await startStuckCronJob('Forbid', 4);
    const [job, ...more] = srv!.state.objectsOf<Job>('Job', 'samples');
    expect(more).toEqual([]);
    const skips = eventsOn('CronJob', 'report').filter((e) => e.reason === 'JobAlreadyActive');
    expect(skips.map((e) => [e.type, e.message, e.count])).toEqual([
      ['Normal', 'Not starting job because prior execution is running and concurrency policy is Forbid', 3],
    ]);

    const conn = connect({ kubeconfig: srv!.kubeconfigPath });
    try {
      const snapshot = await loadClusterSnapshot(conn, { namespace: 'samples' });
      const { findings } = runRules(builtinRules, snapshot, { now: snapshot.takenAt });
      const blocked = findings.find((f) => f.ruleId === 'jobs/cronjob-blocked');
      const pull = findings.find((f) => f.ruleId === 'pods/image-pull');
      expect(blocked).toMatchObject({
        id: 'jobs/cronjob-blocked:samples/CronJob/report',
        severity: 'critical',
        fixes: [{ id: 'delete-blocking-job' }, { id: 'bound-each-run' }],
      });
      expect(blocked!.title).toContain(`has skipped 3 starts: its run job/${job!.metadata.name} is stuck`);
      expect(blocked!.causedBy).toContain(pull!.id);
    } finally {
      conn.close();
    }

    await call(srv!, `/apis/batch/v1/namespaces/samples/jobs/${job!.metadata.name}?propagationPolicy=Background`, {
      method: 'DELETE',
    });
    await srv!.settle();
    expect((srv!.state.find('CronJob', 'samples', 'report') as CronJob).status?.active).toBeUndefined();
    expect(eventsOn('CronJob', 'report').map((e) => e.message)).toContain(
      `Active job went missing: ${job!.metadata.name}`,
    );
    expect(srv!.state.objectsOf<Pod>('Pod', 'samples')).toEqual([]);
  });

  it('Replace deletes the active Job and its pods before it starts the next', async () => {
    const first = await startStuckCronJob('Replace', 2);
    const [older, newer] = [first, first + 300_000].map((t) => `report-${Math.floor(t / 60_000)}`);
    expect(srv!.state.objectsOf<Job>('Job', 'samples').map((j) => j.metadata.name)).toEqual([newer]);
    expect(srv!.state.objectsOf<Pod>('Pod', 'samples').map((p) => p.metadata.labels?.['job-name'])).toEqual([newer]);
    expect(eventsOn('CronJob', 'report').map((e) => e.message)).toContain(`Deleted job ${older}`);
    expect((srv!.state.find('CronJob', 'samples', 'report') as CronJob).status?.active?.map((a) => a.name)).toEqual([
      newer,
    ]);
  });

  it('lets a start go by when it is later than startingDeadlineSeconds allows, and the diagnosis says so', async () => {
    // Created two minutes before; the controller runs 40 s after a minute's start, the CronJob allows 5 s.
    const at = new Date(Math.floor((Date.now() - 5 * 60_000) / 60_000) * 60_000 + 40_000).toISOString();
    const created = new Date(Date.parse(at) - 120_000).toISOString();
    const cronJob = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'report', namespace: 'samples' },
      spec: { schedule: '* * * * *', startingDeadlineSeconds: 5, jobTemplate: { spec: failJob.spec } },
    } as unknown as KubeObject;
    await start({
      images: crashing,
      history: [
        { at: created, apply: [cronJob] },
        { at, cronjobs: ['samples/report'] },
      ],
    });
    expect(srv!.state.objectsOf<Job>('Job', 'samples')).toEqual([]);
    const scheduled = new Date(Date.parse(at) - 40_000).toUTCString().replace('GMT', '+0000');
    expect(eventsOn('CronJob', 'report').map((e) => [e.type, e.reason, e.message])).toEqual([
      ['Warning', 'MissSchedule', `Missed scheduled time to start a job: ${scheduled}`],
    ]);
    expect((srv!.state.find('CronJob', 'samples', 'report') as CronJob).status?.lastScheduleTime).toBeUndefined();

    const conn = connect({ kubeconfig: srv!.kubeconfigPath });
    try {
      const snapshot = await loadClusterSnapshot(conn, { namespace: 'samples' });
      const { findings } = runRules(builtinRules, snapshot, { now: snapshot.takenAt });
      expect(findings.find((f) => f.ruleId === 'jobs/cronjob-schedule')).toMatchObject({
        id: 'jobs/cronjob-schedule:samples/CronJob/report#missed-starts',
        fixes: [{ id: 'set-starting-deadline' }],
      });
    } finally {
      conn.close();
    }
  });
});

describe('the endpoints and endpointslice controllers', () => {
  const service = (name: string, selector: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { selector, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  });
  const webPod = (name: string, image: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'web', [name]: 'yes' } },
    spec: { nodeName: 'samples-node-1', containers: [{ name: 'c', image, ports: [{ containerPort: 8080 }] }] },
  });

  it('writes what a real cluster writes for a selector that matches nothing, only not-ready pods, or both', async () => {
    await start({
      images: [{ image: 'acme/slow:1', notReady: 'Readiness probe failed: HTTP probe failed with statuscode: 503' }],
    });
    await post('/api/v1/namespaces/samples/pods', webPod('web-notready', 'acme/slow:1'));
    await post('/api/v1/namespaces/samples/pods', webPod('web-ready', 'nginx:1.25'));
    await post('/api/v1/namespaces/samples/services', service('svc-nomatch', { app: 'nothing' }));
    await post('/api/v1/namespaces/samples/services', service('svc-notready', { 'web-notready': 'yes' }));
    await post('/api/v1/namespaces/samples/services', service('svc-web', { app: 'web' }));
    const names: [RegExp, string][] = [[/^(svc-[a-z]+)-[a-z0-9]{5}$/, '$1-<rand>']];
    for (const [svc, file] of [
      ['svc-nomatch', 'selector-matches-nothing'],
      ['svc-notready', 'notready-only'],
      ['svc-web', 'ready-and-notready'],
    ] as const) {
      const ep = srv!.state.find('Endpoints', 'samples', svc) as Endpoints;
      expect(comparable({ ...ep, metadata: { ...ep.metadata, labels: undefined } }), svc).toEqual(
        comparable(sample(`endpoints-${file}.json`)),
      );
      const [slice] = srv!.state
        .objectsOf<EndpointSlice>('EndpointSlice', 'samples')
        .filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc);
      const [real] = (sample(`endpointslices-${file}.json`) as { items: EndpointSlice[] }).items;
      const { kind: _k, apiVersion: _a, ...item } = slice as EndpointSlice;
      // generation counts the slice's updates, which depend on the order events came in.
      const stripGen = (s: object) => ({ ...s, metadata: { ...(s as KubeObject).metadata, generation: 0 } });
      expect(comparable(stripGen(item), names), svc).toEqual(comparable(stripGen(real as object), names));
    }
  });

  it('follows readiness: a pod that becomes ready moves to addresses', async () => {
    await start({ images: [{ image: 'acme/slow:1', notReady: 'Readiness probe failed' }] });
    await post('/api/v1/namespaces/samples/pods', webPod('web-notready', 'acme/slow:1'));
    await post('/api/v1/namespaces/samples/services', service('svc-web', { app: 'web' }));
    const pod = srv!.state.find('Pod', 'samples', 'web-notready') as Pod;
    const conditions = pod.status?.conditions?.map((c) => (c.type === 'Ready' ? { ...c, status: 'True' } : c));
    srv!.state.patch('Pod', 'samples', 'web-notready', { status: { conditions } });
    await srv!.settle();
    const ep = srv!.state.find('Endpoints', 'samples', 'svc-web') as Endpoints;
    expect(ep.subsets?.[0]?.addresses?.map((a) => a.targetRef?.name)).toEqual(['web-notready']);
    expect(ep.subsets?.[0]?.notReadyAddresses).toBeUndefined();
  });
});

describe('the node lifecycle controller and the scheduler', () => {
  it('a cordoned node gets the unschedulable taint and the scheduler says so', async () => {
    await start();
    const res = await call(srv!, '/api/v1/nodes/samples-node-1', {
      method: 'PATCH',
      contentType: 'application/strategic-merge-patch+json',
      body: { spec: { unschedulable: true } },
    });
    expect(res.status).toBe(200);
    await srv!.settle();
    const node = srv!.state.find('Node', undefined, 'samples-node-1') as Node;
    expect(node.spec?.taints).toEqual([
      { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: expect.any(String) },
    ]);
    await post('/api/v1/namespaces/samples/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'pinned-to-cordoned' },
      spec: { nodeSelector: { 'samples-node': 'true' }, containers: [{ name: 'c', image: 'nginx:1.25' }] },
    });
    const pod = srv!.state.find('Pod', 'samples', 'pinned-to-cordoned') as Pod;
    // The capture's message for one cordoned node among 104, in the v1.32 scheduler's form.
    const real = (sample('pod-unschedulable-node-cordoned.json') as Pod).status?.conditions?.[0]?.message ?? '';
    expect(real).toContain('1 node(s) were unschedulable');
    expect(pod.status?.conditions?.[0]).toMatchObject({
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
      message:
        '0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    });
    // Uncordoning lets the pod through.
    await call(srv!, '/api/v1/nodes/samples-node-1', {
      method: 'PATCH',
      contentType: 'application/strategic-merge-patch+json',
      body: { spec: { unschedulable: null } },
    });
    await srv!.settle();
    expect((srv!.state.find('Node', undefined, 'samples-node-1') as Node).spec?.taints).toBeUndefined();
    expect((srv!.state.find('Pod', 'samples', 'pinned-to-cordoned') as Pod).spec.nodeName).toBe('samples-node-1');
  });

  it('a node that stops being Ready is tainted, and it and its pods get NodeNotReady', async () => {
    await start();
    await post('/api/v1/namespaces/samples/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web' },
      spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] },
    });
    const res = await call(srv!, '/api/v1/nodes/samples-node-1/status', {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: {
        status: {
          conditions: [
            {
              type: 'Ready',
              status: 'Unknown',
              reason: 'NodeStatusUnknown',
              message: 'Kubelet stopped posting node status.',
            },
          ],
        },
      },
    });
    expect(res.status).toBe(200);
    await srv!.settle();
    const node = srv!.state.find('Node', undefined, 'samples-node-1') as Node;
    expect(node.spec?.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual([
      'node.kubernetes.io/unreachable:NoSchedule',
      'node.kubernetes.io/unreachable:NoExecute',
    ]);
    expect(eventsOn('Node', 'samples-node-1').map((e) => [e.type, e.reason, e.message, e.source?.component])).toEqual([
      ['Normal', 'NodeNotReady', 'Node samples-node-1 status is now: NodeNotReady', 'node-controller'],
    ]);
    expect(eventsOn('Pod', 'web').find((e) => e.reason === 'NodeNotReady')?.message).toBe('Node is not ready');
    const ready = (srv!.state.find('Pod', 'samples', 'web') as Pod).status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready?.status).toBe('False');

    // The admin reads the node; the namespace-only viewer finds the same node from its pod.
    for (const context of ['sim', 'sim-viewer']) {
      const conn = connect({ kubeconfig: srv!.kubeconfigPath, context });
      try {
        const snapshot = await loadClusterSnapshot(conn, { namespace: 'samples' });
        const { findings } = runRules(builtinRules, snapshot, { now: snapshot.takenAt });
        expect(
          findings.find((f) => f.ruleId === 'nodes/not-ready'),
          context,
        ).toMatchObject({
          id: 'nodes/not-ready:/Node/samples-node-1',
          explains: expect.arrayContaining([{ kind: 'Pod', name: 'web', namespace: 'samples' }]),
        });
      } finally {
        conn.close();
      }
    }
  });
});

describe('the disruption controller and the eviction API', () => {
  const pdb = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'samples-pdb' },
    spec: { minAvailable: 1, selector: { matchLabels: { pdb: 'one' } } },
  };
  const eviction = (name: string) => ({
    apiVersion: 'policy/v1',
    kind: 'Eviction',
    metadata: { name, namespace: 'samples' },
  });

  beforeEach(async () => {
    await start();
    await post('/api/v1/namespaces/samples/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-ready', labels: { pdb: 'one' } },
      spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] },
    });
    await post('/apis/policy/v1/namespaces/samples/poddisruptionbudgets', pdb);
  });

  it('a budget over one healthy pod allows no disruption, like the real one', async () => {
    const ours = srv!.state.find('PodDisruptionBudget', 'samples', 'samples-pdb') as PodDisruptionBudget;
    expect(comparable(ours.status)).toEqual(
      comparable((sample('pdb-minavailable-1-no-disruptions.json') as PodDisruptionBudget).status),
    );
  });

  it('refuses the eviction with the real 429, and evicts once the budget allows it', async () => {
    const res = await call(srv!, '/api/v1/namespaces/samples/pods/web-ready/eviction', {
      method: 'POST',
      body: eviction('web-ready'),
    });
    expect(res.status).toBe(429);
    expect(res.json()).toEqual(sample('status-429-eviction-pdb.json'));
    expect(res.headers['retry-after']).toBeUndefined();

    await call(srv!, '/apis/policy/v1/namespaces/samples/poddisruptionbudgets/samples-pdb', {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { spec: { minAvailable: 0 } },
    });
    await srv!.settle();
    const ok = await call(srv!, '/api/v1/namespaces/samples/pods/web-ready/eviction', {
      method: 'POST',
      body: eviction('web-ready'),
    });
    expect(ok.status).toBe(201);
    expect(ok.json()).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    await srv!.settle();
    expect(srv!.state.find('Pod', 'samples', 'web-ready')).toBeUndefined();
  });
});

describe('the horizontal pod autoscaler', () => {
  it('a missing scale target: AbleToScale False FailedGetScale with the not-found error', async () => {
    await start();
    await post('/apis/autoscaling/v2/namespaces/samples/horizontalpodautoscalers', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nope' }, maxReplicas: 3 },
    });
    const hpa = srv!.state.find('HorizontalPodAutoscaler', 'samples', 'web') as KubeObject & {
      status?: { conditions?: unknown[] };
    };
    expect(hpa.status?.conditions).toMatchObject([
      {
        type: 'AbleToScale',
        status: 'False',
        reason: 'FailedGetScale',
        message: 'the HPA controller was unable to get the target\'s current scale: deployments.apps "nope" not found',
      },
    ]);
    expect(eventsOn('HorizontalPodAutoscaler', 'web').map((e) => [e.type, e.reason, e.message])).toEqual([
      ['Warning', 'FailedGetScale', 'deployments.apps "nope" not found'],
    ]);
  });
});
