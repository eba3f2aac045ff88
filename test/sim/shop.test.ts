// The broken shop (scenarios/shop.yaml): every failure class produced by the simulator's own
// controllers and admission from the scenario's history, in the shapes and words of a real
// cluster — and what the unchanged kubectl shows of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CronJob,
  Endpoints,
  EndpointSlice,
  HorizontalPodAutoscaler,
  Ingress,
  Job,
  KubeEvent,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  PodDisruptionBudget,
  ResourceQuota,
  Service,
  Workload,
} from '../../src/model/k8s.js';
import type { SimServer } from '../../src/sim/server.js';
import type { Connection } from '../../src/kube/client.js';
import { runPlan } from '../../src/fixes/runner.js';
import type { RunOptions } from '../../src/fixes/types.js';
import { connectAs, diagnose, planOf, scripted, testHome } from '../fixes/helpers.js';
import { call, sample, startScenario, TABLE_ACCEPT } from './helpers.js';
import { kubectlFor } from './kubectl-runner.js';

type DeploymentLike = Workload & {
  status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
};

let srv: SimServer;
const kubectl = kubectlFor(() => srv);
beforeAll(async () => {
  srv = await startScenario('shop');
});
afterAll(async () => {
  await srv.close();
  kubectl.dispose();
});

const get = <T>(kind: string, name: string, ns: string | undefined = 'shop') => srv.state.find(kind, ns, name) as T;
const pods = (prefix: string) =>
  srv.state.objectsOf<Pod>('Pod', 'shop').filter((p) => p.metadata.name.startsWith(`${prefix}-`));
const events = (kind: string, name: RegExp) =>
  srv.state
    .objectsOf<KubeEvent>('Event')
    .filter((e) => e.involvedObject.kind === kind && name.test(e.involvedObject.name ?? ''));
const condition = (d: DeploymentLike, type: string) => d.status?.conditions?.find((c) => c.type === type);
const minutesAgo = (t: string | undefined) => (Date.now() - Date.parse(t ?? '')) / 60_000;

describe('the shop scenario', () => {
  it('a Service whose selector matches nothing: Endpoints without subsets, a slice without endpoints', () => {
    const svc = get<Service>('Service', 'catalog');
    expect(svc.spec.selector).toEqual({ app: 'catalogue', tier: 'backend' });
    expect(pods('catalog').map((p) => p.metadata.labels?.['app'])).toEqual(['catalog']);
    const ep = get<Endpoints>('Endpoints', 'catalog');
    expect(ep.subsets).toBeUndefined();
    const [slice] = srv.state
      .objectsOf<EndpointSlice>('EndpointSlice', 'shop')
      .filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'catalog');
    expect(slice).toMatchObject({ endpoints: null, ports: null });
  });

  it('a claim without a class and no default class: FailedBinding, and its pod Pending on it', () => {
    const claim = get<PersistentVolumeClaim>('PersistentVolumeClaim', 'uploads');
    expect(claim.spec.storageClassName).toBeUndefined();
    expect(claim.status).toEqual({ phase: 'Pending' });
    const [binding] = events('PersistentVolumeClaim', /^uploads$/);
    expect(binding).toMatchObject({
      type: 'Normal',
      reason: 'FailedBinding',
      message: 'no persistent volumes available for this claim and no storage class is set',
      source: { component: 'persistentvolume-controller' },
    });
    expect(binding?.count).toBeGreaterThan(1);
    const [media] = pods('media');
    expect(media?.status?.conditions?.[0]).toMatchObject({
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
      message:
        '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    });
  });

  it('a full quota stops the checkout rollout: FailedCreate, ReplicaFailure, ProgressDeadlineExceeded', () => {
    const quota = get<ResourceQuota>('ResourceQuota', 'shop-quota');
    // 1850m when checkout came; the afternoon's storage changes (three 10m pods, two 5m) came later.
    expect(quota.status?.used?.['requests.cpu']).toBe('1890m');
    expect(pods('checkout')).toHaveLength(2);
    const [rs] = srv.state
      .objectsOf<DeploymentLike>('ReplicaSet', 'shop')
      .filter((r) => r.metadata.name.startsWith('checkout-'));
    const refusal =
      /^pods "checkout-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: shop-quota, requested: requests\.cpu=400m, used: requests\.cpu=18[59]0m, limited: requests\.cpu=2$/;
    expect(condition(rs!, 'ReplicaFailure')).toMatchObject({
      status: 'True',
      reason: 'FailedCreate',
      message: expect.stringMatching(refusal),
    });
    const failed = events('ReplicaSet', /^checkout-/).filter((e) => e.reason === 'FailedCreate');
    expect(failed.length).toBeGreaterThan(1);
    for (const e of failed)
      expect(e.message).toMatch(
        /^Error creating: pods "checkout-[a-z0-9-]+" is forbidden: exceeded quota: shop-quota, /,
      );
    const deploy = get<DeploymentLike>('Deployment', 'checkout');
    expect(minutesAgo(deploy.metadata.creationTimestamp)).toBeCloseTo(40, 0);
    expect(condition(deploy, 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: `ReplicaSet "${rs?.metadata.name}" has timed out progressing.`,
    });
    expect(condition(deploy, 'ReplicaFailure')).toMatchObject({ status: 'True', reason: 'FailedCreate' });
    expect(condition(deploy, 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable' });
  });

  it("a CronJob's last Job failed: BackoffLimitExceeded after backoffLimit+1 failed pods, SawCompletedJob", async () => {
    const cj = get<CronJob>('CronJob', 'sales-report');
    expect(cj.status?.active).toBeUndefined();
    expect(minutesAgo(cj.status?.lastScheduleTime)).toBeGreaterThanOrEqual(20);
    const [job] = srv.state
      .objectsOf<Job>('Job', 'shop')
      .filter((j) => j.metadata.ownerReferences?.[0]?.kind === 'CronJob');
    expect(job?.status).toMatchObject({
      failed: 3,
      conditions: [
        {
          type: 'Failed',
          status: 'True',
          reason: 'BackoffLimitExceeded',
          message: 'Job has reached the specified backoff limit',
        },
      ],
    });
    expect(
      events('CronJob', /^sales-report$/)
        .map((e) => e.message)
        .sort(),
    ).toEqual([`Created job ${job?.metadata.name}`, `Saw completed job: ${job?.metadata.name}, status: Failed`]);
    const failed = pods(job!.metadata.name);
    expect(failed.map((p) => p.status?.containerStatuses?.[0]?.state?.terminated?.exitCode)).toEqual([1, 1, 1]);
    const log = await call(srv, `/api/v1/namespaces/shop/pods/${failed[0]?.metadata.name}/log`);
    expect(log.text).toContain('cannot reach the warehouse');
  });

  it('a cordoned node: the unschedulable taint, and the pod that needs it Pending', () => {
    const node = get<Node>('Node', 'shop-node-3', undefined);
    expect(node.spec?.unschedulable).toBe(true);
    expect(node.spec?.taints).toEqual([
      { key: 'maintenance', value: 'disk-swap', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: expect.any(String) },
    ]);
    expect(minutesAgo(node.spec?.taints?.[1]?.timeAdded)).toBeCloseTo(180, 0);
    const [cache] = pods('image-cache');
    expect(cache?.status?.conditions?.[0]?.message).toBe(
      "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
  });

  it('an Ingress whose backend Service does not exist', () => {
    const ing = get<Ingress>('Ingress', 'shop');
    const backends = ing.spec.rules?.flatMap((r) => r.http?.paths ?? []).map((p) => p.backend.service?.name);
    expect(backends).toEqual(['storefront', 'cart']);
    expect(srv.state.find('Service', 'shop', 'cart')).toBeUndefined();
    expect(srv.state.find('IngressClass', undefined, 'nginx')).toBeDefined();
  });

  it('a Fail-policy webhook whose Service has no ready endpoint stops the payments pods', () => {
    const ep = get<Endpoints>('Endpoints', 'policy-webhook', 'shop-system');
    expect(ep.subsets?.[0]?.addresses).toBeUndefined();
    expect(ep.subsets?.[0]?.notReadyAddresses).toHaveLength(1);
    const svc = get<Service>('Service', 'policy-webhook', 'shop-system');
    expect(pods('payments')).toHaveLength(0);
    const [event] = events('ReplicaSet', /^payments-/);
    expect(event).toMatchObject({
      type: 'Warning',
      reason: 'FailedCreate',
      message: `Error creating: Internal error occurred: failed calling webhook "validate.policy.shop.example": failed to call webhook: Post "https://policy-webhook.shop-system.svc:443/validate?timeout=10s": dial tcp ${svc.spec.clusterIP}:443: connect: connection refused`,
    });
    expect(event?.count).toBeGreaterThan(1);
  });

  it('an HPA without a metrics server: AbleToScale but not ScalingActive, and the warnings', () => {
    const hpa = get<HorizontalPodAutoscaler>('HorizontalPodAutoscaler', 'storefront');
    const why =
      'failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)';
    expect(hpa.status?.conditions).toMatchObject([
      {
        type: 'AbleToScale',
        status: 'True',
        reason: 'SucceededGetScale',
        message: "the HPA controller was able to get the target's current scale",
      },
      {
        type: 'ScalingActive',
        status: 'False',
        reason: 'FailedGetResourceMetric',
        message: `the HPA was unable to compute the replica count: ${why}`,
      },
    ]);
    const warnings = events('HorizontalPodAutoscaler', /^storefront$/).map((e) => [e.type, e.reason, e.message]);
    expect(warnings.sort()).toEqual([
      [
        'Warning',
        'FailedComputeMetricsReplicas',
        `invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ${why}`,
      ],
      ['Warning', 'FailedGetResourceMetric', why],
    ]);
  });

  it('a ConfigMap volume that does not exist: the kubelet’s FailedMount, the pod held in ContainerCreating', () => {
    const [pod] = pods('recommender');
    expect(pod?.spec.nodeName).toBeDefined();
    expect(pod?.status?.phase).toBe('Pending');
    expect(pod?.status?.containerStatuses).toEqual([
      expect.objectContaining({
        name: 'recommender',
        imageID: '',
        ready: false,
        state: { waiting: { reason: 'ContainerCreating' } },
      }),
    ]);
    expect(pod?.status?.conditions?.find((c) => c.type === 'PodReadyToStartContainers')?.status).toBe('False');
    const kubelet = events('Pod', /^recommender-/).filter((e) => e.source?.component === 'kubelet');
    // Volumes come before images: nothing was pulled or started.
    expect(kubelet.map((e) => [e.type, e.reason, e.message, e.source?.host])).toEqual([
      [
        'Warning',
        'FailedMount',
        'MountVolume.SetUp failed for volume "config" : configmap "recommender-conf" not found',
        pod?.spec.nodeName,
      ],
    ]);
    expect(get('ConfigMap', 'recommender-config')).toBeDefined();
  });

  it('a volume item naming a key the ConfigMap lacks: FailedMount with the plugin’s words', () => {
    const [pod] = pods('search');
    expect(pod?.status?.containerStatuses?.[0]?.state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    expect(events('Pod', /^search-/).find((e) => e.reason === 'FailedMount')?.message).toBe(
      'MountVolume.SetUp failed for volume "config" : configmap references non-existent config key: synonym.txt',
    );
  });

  it('a Released volume whose claim was deleted: the restored claim is refused, its pod Pending', () => {
    const pv = get<PersistentVolume>('PersistentVolume', 'reports-archive', undefined);
    const claim = get<PersistentVolumeClaim>('PersistentVolumeClaim', 'reports-archive');
    expect(pv.status?.phase).toBe('Released');
    expect(pv.spec.claimRef).toMatchObject({ namespace: 'shop', name: 'reports-archive' });
    expect(pv.spec.claimRef?.uid).not.toBe(claim.metadata.uid);
    expect(minutesAgo((pv.status as { lastPhaseTransitionTime?: string }).lastPhaseTransitionTime)).toBeCloseTo(
      20 * 60,
      0,
    );
    expect(claim.status?.phase).toBe('Pending');
    const refused = events('PersistentVolumeClaim', /^reports-archive$/).filter(
      (e) => e.involvedObject.uid === claim.metadata.uid,
    );
    expect(refused.map((e) => [e.type, e.reason, e.message])).toEqual([
      ['Warning', 'FailedBinding', 'volume "reports-archive" already bound to a different claim.'],
    ]);
    expect(pods('reports')[0]?.status?.conditions?.[0]?.message).toMatch(
      /^0\/3 nodes are available: pod has unbound immediate PersistentVolumeClaims\./,
    );
  });

  it('two replicas spread over two nodes on one ReadWriteOnce CSI disk: one runs, the other gets Multi-Attach', () => {
    const replicas = pods('invoices');
    const running = replicas.filter((p) => p.status?.phase === 'Running');
    const held = replicas.filter((p) => p.status?.phase === 'Pending');
    expect([running.length, held.length]).toEqual([1, 1]);
    expect(held[0]?.spec.nodeName).not.toBe(running[0]?.spec.nodeName);
    expect(held[0]?.status?.containerStatuses?.[0]?.state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    const attach = events('Pod', new RegExp(`^${held[0]?.metadata.name}$`)).filter(
      (e) => e.reason === 'FailedAttachVolume',
    );
    expect(attach.map((e) => [e.type, e.message, e.source?.component, e.count])).toEqual([
      [
        'Warning',
        `Multi-Attach error for volume "invoices-data" Volume is already used by pod(s) ${running[0]?.metadata.name}`,
        'attachdetach-controller',
        1,
      ],
    ]);
  });

  it('DaemonSets: one pod per node they tolerate, pinned by node affinity, the tainted node skipped', () => {
    const daemons = (name: string) =>
      srv.state
        .objectsOf<Pod>('Pod', 'shop-system')
        .filter((p) => p.metadata.ownerReferences?.[0]?.kind === 'DaemonSet' && p.metadata.name.startsWith(`${name}-`));
    const shippers = daemons('log-shipper');
    // shop-node-3 is cordoned (tolerated by every daemon pod) and tainted maintenance=disk-swap (not tolerated).
    expect(shippers.map((p) => p.spec.nodeName).sort()).toEqual(['shop-node-1', 'shop-node-2']);
    for (const p of shippers) {
      expect(p.status?.phase).toBe('Running');
      expect(p.spec.affinity?.nodeAffinity).toEqual({
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [p.spec.nodeName] }] }],
        },
      });
      expect(p.spec.tolerations).toContainEqual({
        key: 'node.kubernetes.io/unschedulable',
        operator: 'Exists',
        effect: 'NoSchedule',
      });
      expect(p.metadata.labels).toMatchObject({
        app: 'log-shipper',
        'controller-revision-hash': expect.any(String),
        'pod-template-generation': '1',
      });
    }
    expect(get<Workload>('DaemonSet', 'log-shipper', 'shop-system').status).toEqual({
      currentNumberScheduled: 2,
      numberMisscheduled: 0,
      desiredNumberScheduled: 2,
      numberReady: 2,
      observedGeneration: 1,
      updatedNumberScheduled: 2,
      numberAvailable: 2,
    });
    expect(
      events('DaemonSet', /^log-shipper$/)
        .map((e) => [e.reason, e.message, e.source?.component])
        .sort(),
    ).toEqual(
      shippers.map((p) => ['SuccessfulCreate', `Created pod: ${p.metadata.name}`, 'daemonset-controller']).sort(),
    );

    const agents = daemons('node-agent');
    expect(agents.map((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason)).toEqual([
      'ImagePullBackOff',
      'ImagePullBackOff',
    ]);
    expect(get<Workload>('DaemonSet', 'node-agent', 'shop-system').status).toMatchObject({
      desiredNumberScheduled: 2,
      currentNumberScheduled: 2,
      numberReady: 0,
      numberUnavailable: 2,
    });
  });

  it('the healthy neighbours are healthy', () => {
    for (const p of [...pods('storefront'), ...pods('orders-db')])
      expect(p.status?.conditions?.find((c) => c.type === 'Ready')?.status, p.metadata.name).toBe('True');
    expect(get<Endpoints>('Endpoints', 'storefront').subsets?.[0]?.addresses).toHaveLength(2);
    expect(get<Job>('Job', 'db-migrate').status?.conditions?.[0]).toMatchObject({ type: 'Complete', status: 'True' });
    expect(get<PersistentVolumeClaim>('PersistentVolumeClaim', 'orders-db-data').status?.phase).toBe('Bound');
    expect(events('PersistentVolumeClaim', /^scratch$/).map((e) => e.reason)).toEqual(['WaitForFirstConsumer']);
    expect(get<PodDisruptionBudget>('PodDisruptionBudget', 'storefront').status?.disruptionsAllowed).toBe(1);
    expect(condition(get<DeploymentLike>('Deployment', 'storefront'), 'Progressing')?.reason).toBe(
      'NewReplicaSetAvailable',
    );
  });
});

describe('server-side tables of the new kinds', () => {
  it.each([
    ['cronjobs', '/apis/batch/v1/namespaces/shop/cronjobs'],
    ['ingresses', '/apis/networking.k8s.io/v1/namespaces/shop/ingresses'],
  ])('%s: the columns of the captured Table, and cells of the same types', async (resource, path) => {
    type Table = { columnDefinitions: unknown[]; rows: { cells: unknown[] }[] };
    const ours = (await call(srv, path, { accept: TABLE_ACCEPT })).json<Table>();
    const real = sample(`table-${resource}.json`) as Table;
    expect(ours.columnDefinitions).toEqual(real.columnDefinitions);
    expect(ours.rows[0]?.cells.map((c) => typeof c)).toEqual(real.rows[0]?.cells.map((c) => typeof c));
  });
});

describe('kubectl against the shop', () => {
  it.each([
    [
      'resourcequotas',
      /^NAME\s+REQUEST\s+LIMIT\s+AGE$/,
      /^shop-quota\s+pods: 13\/20, requests\.cpu: 1890m\/2, requests\.memory: \d+Mi\/4Gi\s+\S+$/m,
    ],
    ['limitranges', /^NAME\s+CREATED AT$/, /^shop-defaults\s+\d{4}-\d\d-\d\dT/m],
    [
      'pvc',
      /^NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+AGE$/,
      /^uploads\s+Pending\s+<unset>/m,
    ],
    [
      'pv',
      /^NAME\s+CAPACITY\s+ACCESS MODES\s+RECLAIM POLICY\s+STATUS\s+CLAIM\s+STORAGECLASS/,
      /^pvc-[0-9a-f-]+\s+5Gi\s+RWO\s+Delete\s+Bound\s+shop\/orders-db-data\s+fast/m,
    ],
    [
      'storageclasses',
      /^NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE$/,
      /^local-path\s+rancher\.io\/local-path\s+Delete\s+WaitForFirstConsumer\s+false/m,
    ],
    ['ingresses', /^NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE$/, /^shop\s+nginx\s+shop\.example\.com\s+80\s+/m],
    ['ingressclasses', /^NAME\s+CONTROLLER\s+PARAMETERS\s+AGE$/, /^nginx\s+k8s\.io\/ingress-nginx\s+<none>/m],
    ['endpoints', /^NAME\s+ENDPOINTS\s+AGE$/, /^catalog\s+<none>\s+/m],
    [
      'endpointslices',
      /^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE$/,
      /^catalog-[a-z0-9]{5}\s+IPv4\s+<unset>\s+<unset>/m,
    ],
    [
      'cronjobs',
      /^NAME\s+SCHEDULE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE$/,
      /^sales-report\s+0 \* \* \* \*\s+False\s+0\s+\d+m\s+/m,
    ],
    ['jobs', /^NAME\s+COMPLETIONS\s+DURATION\s+AGE$/, /^db-migrate\s+1\/1\s+0s\s+/m],
    ['pdb', /^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE$/, /^storefront\s+1\s+N\/A\s+1\s+/m],
    ['validatingwebhookconfigurations', /^NAME\s+WEBHOOKS\s+AGE$/, /^shop-policy\s+1\s+/m],
    ['nodes', /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/, /^shop-node-3\s+Ready,SchedulingDisabled\s+<none>/m],
  ])('kubectl get %s', async (resource, header, row) => {
    const { stdout, stderr, code } = await kubectl('get', resource, '-n', 'shop');
    expect(code, stderr).toBe(0);
    expect(stdout.split('\n')[0] ?? '', stdout).toMatch(header);
    expect(stdout + stderr).toMatch(row);
  });

  it('kubectl get hpa shows the target it cannot measure', async () => {
    const { stdout, code } = await kubectl('get', 'hpa', '-n', 'shop');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE$/m);
    expect(stdout).toMatch(/^storefront\s+Deployment\/storefront\s+cpu: <unknown>\/70%\s+2\s+6\s+2\s+/m);
  });

  it.each(['networkpolicies'])('kubectl get %s: served, and none in the shop', async (resource) => {
    const { stdout, stderr, code } = await kubectl('get', resource, '-n', 'shop');
    expect(code, stderr).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toBe('No resources found in shop namespace.\n');
  });

  it('kubectl get pods shows each pod the way kubectl computes it', async () => {
    const { stdout, code } = await kubectl('get', 'pods', '-n', 'shop');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^sales-report-\d+-[a-z0-9]{5}\s+0\/1\s+Error\s+0\s+/m);
    expect(stdout).toMatch(/^db-migrate-[a-z0-9]{5}\s+0\/1\s+Completed\s+0\s+/m);
    expect(stdout).toMatch(/^media-[a-z0-9]+-[a-z0-9]{5}\s+0\/1\s+Pending\s+0\s+/m);
  });

  it('kubectl describe pvc shows the controller events', async () => {
    const { stdout, code } = await kubectl('describe', 'pvc', 'uploads', '-n', 'shop');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /Normal\s+FailedBinding\s+.*persistentvolume-controller\s+no persistent volumes available for this claim and no storage class is set/,
    );
    expect(stdout).toMatch(/^Used By:\s+media-/m);
  });

  it('the namespace-only viewer reads the shop but not the cluster-scoped kinds', async () => {
    const ok = await kubectl('--context', 'sim-viewer', 'get', 'resourcequotas,cronjobs,ingresses,endpointslices,pdb');
    expect(ok.code, ok.stderr).toBe(0);
    const denied = await kubectl('--context', 'sim-viewer', 'get', 'storageclasses');
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain(
      'storageclasses.storage.k8s.io is forbidden: User "viewer" cannot list resource "storageclasses" in API group "storage.k8s.io" at the cluster scope',
    );
  });
});

describe('kcockpit diagnoses the shop’s storage on the simulator', () => {
  it('finds each storage cause with its chain, from what a real client reads', async () => {
    await srv.settle();
    const conn = connectAs(srv, 'sim');
    try {
      const findings = await diagnose(conn, 'shop');
      const byId = (prefix: string) => findings.find((f) => f.id.startsWith(prefix))!;

      const released = byId('storage/pv-released:/PersistentVolume/reports-archive');
      expect(released.severity).toBe('critical');
      expect(released.fixes[0]!.commands[0]).toBe(`kubectl patch pv reports-archive -p '{"spec":{"claimRef":null}}'`);
      // volume → claim → pod → rollout
      const claim = byId('storage/pvc-pending:shop/PersistentVolumeClaim/reports-archive');
      expect(claim.causedBy).toEqual([released.id]);
      expect(byId('scheduling/pending:shop/Deployment/reports#').causedBy).toEqual([claim.id]);

      const attach = byId('storage/volume-mount:shop/Deployment/invoices#data/multi-attach');
      expect(attach.explanation).toContain(
        'Its required pod anti-affinity even puts each replica on a node of its own',
      );
      expect(attach.fixes.map((p) => p.id)).toEqual(['one-writer']);
      expect(byId('workloads/rollout-stuck:shop/Deployment/invoices').causedBy).toEqual([attach.id]);

      const key = byId('storage/volume-mount:shop/Deployment/search#config/missing-key');
      expect(key.title).toContain('(did you mean "synonyms.txt"?)');
      expect(key.fixes[0]!.id).toBe('use-existing-key');
      expect(byId('workloads/rollout-stuck:shop/Deployment/search').causedBy).toEqual([key.id]);

      const missing = byId(
        'pods/create-container-config:shop/Deployment/recommender#recommender/missing-volume-source',
      );
      expect(missing.title).toContain('(did you mean recommender-config?)');
      expect(missing.fixes[0]!.id).toBe('use-existing-configmap');
      expect(byId('workloads/rollout-stuck:shop/Deployment/recommender').causedBy).toEqual([missing.id]);
      // The healthy storefront mounts its ConfigMap: nothing about it.
      expect(findings.filter((f) => f.id.includes('storefront#config'))).toEqual([]);
    } finally {
      conn.close();
    }
  });

  it('a DaemonSet whose pods cannot pull is found through its pods; one that skips a tainted node by design is not', async () => {
    const conn = connectAs(srv, 'sim');
    try {
      const findings = await diagnose(conn, 'shop-system');
      const pull = findings.filter((f) => f.ruleId === 'pods/image-pull' && f.subject.kind === 'DaemonSet');
      expect(pull.map((f) => f.subject)).toEqual([{ kind: 'DaemonSet', namespace: 'shop-system', name: 'node-agent' }]);
      expect(pull[0]!.explanation).toContain('(2 pods)');
      expect(pull[0]!.explanation).toContain('acme-shop/node-agent:2.4 does not exist');
      // containerd answers a reference the registry does not know with gRPC NotFound (pods/pull-failures.json).
      expect(pull[0]!.evidence[0]!.text).toMatch(
        /^Failed to pull image "ghcr\.io\/acme-shop\/node-agent:2\.4": rpc error: code = NotFound desc = failed to pull/,
      );
      expect(findings.filter((f) => JSON.stringify(f).includes('log-shipper'))).toEqual([]);
    } finally {
      conn.close();
    }
  });

  it('a Forbid CronJob whose run cannot pull skips its starts, under the pull error that holds it', async () => {
    const conn = connectAs(srv, 'sim');
    try {
      const findings = await diagnose(conn, 'shop-system');
      const pull = findings.find((f) => f.id === 'pods/image-pull:shop-system/CronJob/stock-sync#sync/not-found')!;
      const blocked = findings.find((f) => f.id === 'jobs/cronjob-blocked:shop-system/CronJob/stock-sync')!;
      expect(blocked.severity).toBe('critical');
      expect(blocked.title).toMatch(
        /^cronjob\/stock-sync has skipped 4 starts: its run job\/stock-sync-\d+ is stuck \(ImagePullBackOff\), and concurrencyPolicy Forbid waits for it$/,
      );
      expect(blocked.causedBy).toEqual([pull.id]);
      expect(blocked.fixes.map((p) => p.id)).toEqual(['delete-blocking-job', 'bound-each-run']);
    } finally {
      conn.close();
    }
  });

  it('as the namespace-only viewer: the refused claim explains its pod, the volume failures are all found', async () => {
    const conn = connectAs(srv, 'sim-viewer');
    try {
      const findings = await diagnose(conn, 'shop');
      const claim = findings.find((f) => f.id === 'storage/pvc-pending:shop/PersistentVolumeClaim/reports-archive')!;
      expect(claim.title).toBe(
        'claim reports-archive asks for PersistentVolume reports-archive, which is reserved for another claim',
      );
      expect(findings.find((f) => f.id.startsWith('scheduling/pending:shop/Deployment/reports#'))!.causedBy).toEqual([
        claim.id,
      ]);
      expect(findings.map((f) => f.id)).toEqual(
        expect.arrayContaining([
          'storage/volume-mount:shop/Deployment/search#config/missing-key',
          'pods/create-container-config:shop/Deployment/recommender#recommender/missing-volume-source',
        ]),
      );
      expect(findings.some((f) => f.ruleId === 'storage/pv-released')).toBe(false);
    } finally {
      conn.close();
    }
  });
});

describe('the shop’s storage, repaired', () => {
  let fixed: SimServer;
  let admin: Connection;
  const home = testHome();
  const options: RunOptions = { readonly: false, dryRun: false, yes: true, prompter: scripted(), env: home.env };
  beforeAll(async () => {
    fixed = await startScenario('shop');
    admin = connectAs(fixed, 'sim');
  });
  afterAll(async () => {
    admin.close();
    await fixed.close();
  });
  const podsOf = (prefix: string) =>
    fixed.state.objectsOf<Pod>('Pod', 'shop').filter((p) => p.metadata.name.startsWith(`${prefix}-`));

  it('the kubelet starts the held pod once the ConfigMap it mounts exists', async () => {
    const created = await call(fixed, '/api/v1/namespaces/shop/configmaps', {
      method: 'POST',
      body: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'recommender-conf' },
        data: { 'recommender.yaml': 'model: collaborative\n' },
      },
    });
    expect(created.status).toBe(201);
    await fixed.settle();
    const [pod] = podsOf('recommender');
    expect(pod?.status?.phase).toBe('Running');
    expect(pod?.status?.containerStatuses?.[0]?.state?.running).toBeDefined();
  });

  it('clear-claim-ref through the fix runner: the volume is Available, the claim binds, its pod is scheduled', async () => {
    const { plan } = planOf(await diagnose(admin, 'shop'), 'storage/pv-released', 'clear-claim-ref');
    expect((await runPlan(admin, plan, { ...options, dryRun: true })).results[0]!.status).toBe('dry-run-ok');
    const outcome = await runPlan(admin, plan, options);
    expect(outcome.results.map((r) => r.status)).toEqual(['applied']);
    await fixed.settle();
    const claim = fixed.state.find('PersistentVolumeClaim', 'shop', 'reports-archive') as PersistentVolumeClaim;
    expect(claim.status?.phase).toBe('Bound');
    const pv = fixed.state.find('PersistentVolume', undefined, 'reports-archive') as PersistentVolume;
    expect(pv.status?.phase).toBe('Bound');
    expect(pv.spec.claimRef?.uid).toBe(claim.metadata.uid);
    expect(podsOf('reports')[0]?.spec.nodeName).toBeDefined();
  });

  it('the held replica gets the disk once the pod holding it is gone', async () => {
    const holder = podsOf('invoices').find((p) => p.status?.phase === 'Running')!;
    const waiting = podsOf('invoices').find((p) => p.status?.phase === 'Pending')!;
    const deleted = await call(fixed, `/api/v1/namespaces/shop/pods/${holder.metadata.name}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    await fixed.settle();
    const now = fixed.state.find('Pod', 'shop', waiting.metadata.name) as Pod;
    expect(now.status?.phase).toBe('Running');
  });

  it('use-existing-key through the fix runner: the new pods mount the volume and run', async () => {
    const { plan } = planOf(await diagnose(admin, 'shop'), 'storage/volume-mount', 'use-existing-key');
    expect((await runPlan(admin, plan, options)).results[0]!.status).toBe('applied');
    await fixed.settle();
    expect(podsOf('search').some((p) => p.status?.phase === 'Running')).toBe(true);
  });
});
