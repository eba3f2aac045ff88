// A large cluster for the scale scenario (SCENARIOS.md S3) and the benchmarks: Deployments
// with their ReplicaSets and pods across many namespaces, most healthy, a few percent broken
// in each of the ways the rules know (pull failures, crash loops, Pending, missing config),
// each with the events and logs a real cluster would show. Objects are full-sized — pod specs,
// statuses and managedFields like real ones, about 7 KB of JSON per pod — because list sizes
// are what the benchmarks measure. Deterministic for a seed; sub-objects that are the same
// for every pod of a Deployment are shared, which keeps generation fast and memory modest.
import type { KubeObject, Pod } from '../model/k8s.js';
import { microTime, rfc3339 } from './clock.js';
import { fieldsV1 } from './managed-fields.js';
import type { ImageRule, LogDecl, Scenario } from './scenario.js';
import { prng } from '../util/prng.js';
import { backOffMessage } from './events.js';
import { pullFailedMessage } from './pull-message.js';

export interface LargeScenarioOptions {
  pods: number;
  namespaces: number;
  events: number;
  seed?: number;
  /** Reference time for the relative ages (default: now). */
  now?: number;
}

type Obj = Record<string, unknown>;

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';
const HEX = '0123456789abcdef';
const TEAMS = [
  'payments',
  'checkout',
  'search',
  'catalog',
  'auth',
  'billing',
  'inventory',
  'shipping',
  'ads',
  'analytics',
  'media',
  'profile',
  'notify',
  'reports',
  'gateway',
  'ledger',
  'pricing',
  'reviews',
  'orders',
  'fraud',
];
const APPS = [
  'api',
  'worker',
  'web',
  'scheduler',
  'consumer',
  'cache',
  'indexer',
  'exporter',
  'gateway',
  'sync',
  'cron',
  'admin',
  'events',
  'stream',
  'router',
];

type Breakage =
  | 'healthy'
  | 'ratelimit'
  | 'notfound'
  | 'denied'
  | 'unreachable'
  | 'crash'
  | 'oom'
  | 'cpu'
  | 'selector'
  | 'pvc'
  | 'config';

/** Roughly 2% of Deployments broken in each way; the rest healthy. */
const BREAKAGES: [Breakage, number][] = [
  ['ratelimit', 0.02],
  ['notfound', 0.015],
  ['denied', 0.01],
  ['unreachable', 0.01],
  ['crash', 0.02],
  ['oom', 0.015],
  ['cpu', 0.015],
  ['selector', 0.01],
  ['pvc', 0.01],
  ['config', 0.015],
];

class Gen {
  readonly rand: () => number;
  constructor(
    seed: number,
    readonly now: number,
  ) {
    this.rand = prng(seed);
  }
  int(n: number): number {
    return Math.floor(this.rand() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }
  chars(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }
  uid(): string {
    const h = this.chars(HEX, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
  }
  ago(ms: number): string {
    return rfc3339(this.now - ms);
  }
  breakage(): Breakage {
    let r = this.rand();
    for (const [b, p] of BREAKAGES) {
      if (r < p) return b;
      r -= p;
    }
    return 'healthy';
  }
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function nodeObject(g: Gen, i: number): KubeObject {
  const name = `node-${String(i).padStart(3, '0')}.cluster.internal`;
  const ip = `10.0.${Math.floor(i / 250)}.${(i % 250) + 2}`;
  const created = g.ago(60 * DAY);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      uid: g.uid(),
      creationTimestamp: created,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': 'm6i.4xlarge',
        'topology.kubernetes.io/zone': `eu-west-1${'abc'[i % 3]}`,
      },
    },
    spec: {
      podCIDR: `10.244.${i}.0/24`,
      podCIDRs: [`10.244.${i}.0/24`],
      providerID: `aws:///eu-west-1a/i-0${g.chars(HEX, 16)}`,
    },
    status: {
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
      allocatable: { cpu: '15890m', 'ephemeral-storage': '95551679124', memory: '62857276Ki', pods: '110' },
      capacity: { cpu: '16', 'ephemeral-storage': '104845292Ki', memory: '64003132Ki', pods: '110' },
      conditions: [
        {
          type: 'MemoryPressure',
          status: 'False',
          lastHeartbeatTime: g.ago(30_000),
          lastTransitionTime: created,
          reason: 'KubeletHasSufficientMemory',
          message: 'kubelet has sufficient memory available',
        },
        {
          type: 'DiskPressure',
          status: 'False',
          lastHeartbeatTime: g.ago(30_000),
          lastTransitionTime: created,
          reason: 'KubeletHasNoDiskPressure',
          message: 'kubelet has no disk pressure',
        },
        {
          type: 'PIDPressure',
          status: 'False',
          lastHeartbeatTime: g.ago(30_000),
          lastTransitionTime: created,
          reason: 'KubeletHasSufficientPID',
          message: 'kubelet has sufficient PID available',
        },
        {
          type: 'Ready',
          status: 'True',
          lastHeartbeatTime: g.ago(30_000),
          lastTransitionTime: created,
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
        },
      ],
      nodeInfo: {
        architecture: 'amd64',
        containerRuntimeVersion: 'containerd://1.7.22',
        kernelVersion: '6.1.112-122.189.amzn2023.x86_64',
        kubeProxyVersion: '',
        kubeletVersion: 'v1.32.0',
        operatingSystem: 'linux',
        osImage: 'Amazon Linux 2023.6.20241031',
        machineID: g.chars(HEX, 32),
        systemUUID: g.uid(),
        bootID: g.uid(),
      },
    },
  } as KubeObject;
}

interface DeploymentPlan {
  ns: string;
  app: string;
  name: string;
  hash: string;
  replicas: number;
  breakage: Breakage;
  image: string;
  created: number;
}

const TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

function imageFor(g: Gen, p: { ns: string; app: string; breakage: Breakage }): string {
  switch (p.breakage) {
    case 'ratelimit':
      return `${p.app}/${p.ns.replace(/-\d+$/, '')}:1.${g.int(30)}.${g.int(10)}`;
    case 'notfound':
      return `ghcr.io/acme/${p.ns}-${p.app}:v9.${g.int(10)}.0-missing`;
    case 'denied':
      return `acme/private-${p.app}:2.${g.int(10)}.1`;
    case 'unreachable':
      return `registry.internal.example:5000/${p.ns}/${p.app}:3.${g.int(10)}.0`;
    default:
      return `ghcr.io/acme/${p.ns.replace(/-\d+$/, '')}-${p.app}:v1.${g.int(40)}.${g.int(10)}`;
  }
}

function pullError(p: DeploymentPlan): string | undefined {
  switch (p.breakage) {
    case 'notfound':
      return `failed to pull and unpack image "${p.image}": failed to resolve reference "${p.image}": ${p.image}: not found`;
    case 'denied':
      return `failed to pull and unpack image "docker.io/${p.image}": failed to resolve reference "docker.io/${p.image}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`;
    case 'unreachable': {
      const host = p.image.split('/')[0] as string;
      return `failed to pull and unpack image "${p.image}": failed to resolve reference "${p.image}": failed to do request: Head "https://${host}/v2/${p.image.slice(host.length + 1).replace(/:.*/, '')}/manifests/${p.image.replace(/.*:/, '')}": dial tcp: lookup ${host.replace(/:\d+$/, '')} on 10.96.0.10:53: no such host`;
    }
    default:
      return undefined;
  }
}

function containerSpec(p: DeploymentPlan): Obj {
  const cpu = p.breakage === 'cpu' ? '64' : '250m';
  const memoryLimit = p.breakage === 'oom' ? '64Mi' : '512Mi';
  const env: Obj[] = [
    { name: 'APP_NAME', value: p.app },
    { name: 'APP_ENV', value: 'production' },
    { name: 'LOG_LEVEL', value: 'info' },
    { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://otel-collector.observability.svc:4317' },
    { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
    { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
  ];
  if (p.breakage === 'config')
    env.push({ name: 'FEATURE_FLAGS', valueFrom: { configMapKeyRef: { name: `${p.app}-config`, key: 'flags' } } });
  return {
    name: p.app,
    image: p.image,
    args: ['--port=8080', '--metrics-port=9090', `--service=${p.app}`],
    ports: [
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
    ],
    env,
    resources: { limits: { cpu: '1', memory: memoryLimit }, requests: { cpu, memory: '128Mi' } },
    livenessProbe: {
      httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' },
      initialDelaySeconds: 10,
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    },
    readinessProbe: {
      httpGet: { path: '/ready', port: 'http', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 5,
      successThreshold: 1,
      failureThreshold: 3,
    },
    volumeMounts: [{ name: 'config', mountPath: '/etc/app', readOnly: true }],
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 10001,
      capabilities: { drop: ['ALL'] },
    },
  };
}

function podSpecTemplate(p: DeploymentPlan): Obj {
  const spec: Obj = {
    volumes: [{ name: 'config', configMap: { name: `${p.app}-settings`, defaultMode: 420, optional: true } }],
    containers: [containerSpec(p)],
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    serviceAccountName: 'default',
    serviceAccount: 'default',
    securityContext: { fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    schedulerName: 'default-scheduler',
  };
  if (p.breakage === 'selector') spec['nodeSelector'] = { 'node.kubernetes.io/instance-type': 'p4d.24xlarge' };
  if (p.breakage === 'pvc')
    (spec['volumes'] as Obj[]).push({ name: 'data', persistentVolumeClaim: { claimName: `${p.app}-data` } });
  return spec;
}

interface Built {
  objects: KubeObject[];
  events: KubeObject[];
  images: ImageRule[];
  logs: Record<string, LogDecl>;
}

class LargeCluster {
  readonly built: Built = { objects: [], events: [], images: [], logs: {} };
  private readonly nodes: string[] = [];
  private readonly imageRules = new Map<string, ImageRule>();

  constructor(private readonly g: Gen) {}

  addNodes(count: number): void {
    for (let i = 0; i < count; i++) {
      const n = nodeObject(this.g, i);
      this.nodes.push(n.metadata.name);
      this.built.objects.push(n);
    }
  }

  addNamespace(ns: string): void {
    const created = this.g.ago(30 * DAY + this.g.int(20) * DAY);
    this.built.objects.push(
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: ns,
          uid: this.g.uid(),
          creationTimestamp: created,
          labels: { 'kubernetes.io/metadata.name': ns, team: ns.replace(/-\d+$/, '') },
        },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      } as KubeObject,
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'default', namespace: ns, uid: this.g.uid(), creationTimestamp: created },
      },
    );
  }

  private event(
    involved: KubeObject,
    type: string,
    reason: string,
    message: string,
    opts: { count?: number; first: number; last: number; component: string; host?: string; fieldPath?: string },
  ): void {
    const io: Obj = {
      kind: involved.kind,
      namespace: involved.metadata.namespace,
      name: involved.metadata.name,
      uid: involved.metadata.uid,
      apiVersion: involved.apiVersion,
      resourceVersion: '1',
    };
    if (opts.fieldPath) io['fieldPath'] = opts.fieldPath;
    this.built.events.push({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `${involved.metadata.name}.${this.g.chars(HEX, 16)}`,
        namespace: involved.metadata.namespace,
        uid: this.g.uid(),
        creationTimestamp: this.g.ago(opts.first),
      },
      involvedObject: io,
      reason,
      message,
      source: opts.host ? { component: opts.component, host: opts.host } : { component: opts.component },
      firstTimestamp: this.g.ago(opts.first),
      lastTimestamp: this.g.ago(opts.last),
      count: opts.count ?? 1,
      type,
      eventTime: null,
      reportingComponent: opts.host ? opts.component : '',
      reportingInstance: opts.host ?? '',
    } as KubeObject);
  }

  addDeployment(p: DeploymentPlan): number {
    const g = this.g;
    const selector = { app: p.app };
    const template = podSpecTemplate(p);
    const labels = { app: p.app, 'app.kubernetes.io/name': p.app, 'app.kubernetes.io/part-of': p.ns };
    const created = g.ago(p.created);
    const deployUid = g.uid();
    const rsUid = g.uid();
    const broken = p.breakage !== 'healthy';
    const ready = broken ? 0 : p.replicas;
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: p.name,
        namespace: p.ns,
        uid: deployUid,
        generation: 1,
        creationTimestamp: created,
        labels,
        annotations: { 'deployment.kubernetes.io/revision': '1' },
      },
      spec: {
        replicas: p.replicas,
        selector: { matchLabels: selector },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
        template: { metadata: { creationTimestamp: null, labels }, spec: template },
      },
      status: {
        observedGeneration: 1,
        replicas: p.replicas,
        updatedReplicas: p.replicas,
        readyReplicas: ready,
        availableReplicas: ready,
        ...(broken ? { unavailableReplicas: p.replicas } : {}),
        conditions: [
          {
            type: 'Available',
            status: broken ? 'False' : 'True',
            lastUpdateTime: created,
            lastTransitionTime: created,
            reason: broken ? 'MinimumReplicasUnavailable' : 'MinimumReplicasAvailable',
            message: broken ? 'Deployment does not have minimum availability.' : 'Deployment has minimum availability.',
          },
          {
            type: 'Progressing',
            status: 'True',
            lastUpdateTime: created,
            lastTransitionTime: created,
            reason: 'NewReplicaSetAvailable',
            message: `ReplicaSet "${p.name}-${p.hash}" has successfully progressed.`,
          },
        ],
      },
    } as KubeObject;
    const podLabels = { ...labels, 'pod-template-hash': p.hash };
    const rs = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${p.name}-${p.hash}`,
        namespace: p.ns,
        uid: rsUid,
        generation: 1,
        creationTimestamp: created,
        labels: podLabels,
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(p.replicas),
          'deployment.kubernetes.io/max-replicas': String(p.replicas + 1),
          'deployment.kubernetes.io/revision': '1',
        },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: p.name,
            uid: deployUid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        replicas: p.replicas,
        selector: { matchLabels: { ...selector, 'pod-template-hash': p.hash } },
        template: { metadata: { creationTimestamp: null, labels: podLabels }, spec: template },
      },
      status: {
        replicas: p.replicas,
        fullyLabeledReplicas: p.replicas,
        readyReplicas: ready,
        availableReplicas: ready,
        observedGeneration: 1,
      },
    } as unknown as KubeObject;
    this.built.objects.push(deployment, rs);
    this.addSupporting(p);

    // Every pod of this ReplicaSet has the same spec apart from its token volume and node:
    // the managedFields of the controller-manager are computed once.
    const controllerFields = fieldsV1({
      metadata: { generateName: '', labels: podLabels, ownerReferences: rs.metadata.ownerReferences },
      spec: template,
    });
    for (let i = 0; i < p.replicas; i++) this.addPod(p, rs, podLabels, template, controllerFields);
    return p.replicas;
  }

  private addSupporting(p: DeploymentPlan): void {
    const g = this.g;
    this.built.objects.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: p.name,
        namespace: p.ns,
        uid: g.uid(),
        creationTimestamp: g.ago(p.created),
        labels: { app: p.app },
      },
      spec: {
        type: 'ClusterIP',
        clusterIP: `10.96.${g.int(250)}.${g.int(250) + 2}`,
        sessionAffinity: 'None',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        internalTrafficPolicy: 'Cluster',
        ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }],
        selector: { app: p.app },
      },
      status: { loadBalancer: {} },
    } as KubeObject);
    const rule: ImageRule | undefined =
      p.breakage === 'ratelimit'
        ? { image: p.image, pullRequires: 'https://index.docker.io/v1/' }
        : pullError(p)
          ? { image: p.image, pullError: pullError(p) as string }
          : p.breakage === 'crash'
            ? { image: p.image, crash: { exitCode: 1, logs: crashLog(p) } }
            : p.breakage === 'oom'
              ? { image: p.image, crash: { exitCode: 137, reason: 'OOMKilled', logs: oomLog(p) } }
              : undefined;
    if (rule && !this.imageRules.has(p.image)) {
      this.imageRules.set(p.image, rule);
      this.built.images.push(rule);
    }
    if (p.breakage === 'pvc') {
      this.built.objects.push({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: {
          name: `${p.app}-data`,
          namespace: p.ns,
          uid: g.uid(),
          creationTimestamp: g.ago(p.created),
          finalizers: ['kubernetes.io/pvc-protection'],
        },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '10Gi' } },
          volumeMode: 'Filesystem',
        },
        status: { phase: 'Pending' },
      } as KubeObject);
    }
  }

  private addPod(
    p: DeploymentPlan,
    rs: KubeObject,
    labels: Record<string, string>,
    template: Obj,
    controllerFields: Obj,
  ): void {
    const g = this.g;
    const name = `${rs.metadata.name}-${g.chars(ALPHANUMS, 5)}`;
    const uid = g.uid();
    const created = p.created - g.int(HOUR);
    const node = g.pick(this.nodes);
    const pending = p.breakage === 'cpu' || p.breakage === 'selector' || p.breakage === 'pvc';
    const token = `kube-api-access-${g.chars(ALPHANUMS, 5)}`;
    const container = (template['containers'] as Obj[])[0] as Obj;
    const spec: Obj = {
      ...template,
      volumes: [
        ...(template['volumes'] as Obj[]),
        {
          name: token,
          projected: {
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
              {
                downwardAPI: {
                  items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
                },
              },
            ],
            defaultMode: 420,
          },
        },
      ],
      containers: [
        {
          ...container,
          volumeMounts: [
            ...(container['volumeMounts'] as Obj[]),
            { name: token, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
          ],
        },
      ],
      ...(pending ? {} : { nodeName: node }),
      tolerations: TOLERATIONS,
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
    };
    const status = pending
      ? pendingStatus(p, g.ago(created), this.nodes.length)
      : this.runningStatus(p, name, uid, node, created);
    const time = g.ago(created);
    const managedFields = [
      {
        manager: 'kube-controller-manager',
        operation: 'Update',
        apiVersion: 'v1',
        time,
        fieldsType: 'FieldsV1',
        fieldsV1: controllerFields,
      },
      {
        manager: pending ? 'kube-scheduler' : 'kubelet',
        operation: 'Update',
        apiVersion: 'v1',
        time: g.ago(pending ? created : Math.min(created, 10 * 60_000)),
        fieldsType: 'FieldsV1',
        fieldsV1: fieldsV1({ status }),
        subresource: 'status',
      },
    ];
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        generateName: `${rs.metadata.name}-`,
        namespace: p.ns,
        uid,
        creationTimestamp: time,
        labels,
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: rs.metadata.name,
            uid: rs.metadata.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
        managedFields,
      },
      spec,
      status,
    } as unknown as Pod;
    this.built.objects.push(pod);
    this.podEvents(p, pod, node, created);
  }

  private runningStatus(p: DeploymentPlan, name: string, uid: string, node: string, created: number): Obj {
    const g = this.g;
    const nodeIp = `10.0.${Math.floor(this.nodes.indexOf(node) / 250)}.${(this.nodes.indexOf(node) % 250) + 2}`;
    const podIp = `10.244.${this.nodes.indexOf(node)}.${g.int(250) + 2}`;
    const started = g.ago(created - 5000);
    const cid = `containerd://${g.chars(HEX, 64)}`;
    const imageID = `${p.image.replace(/:[^/]*$/, '')}@sha256:${g.chars(HEX, 64)}`;
    const ready = p.breakage === 'healthy';
    const notReady = `containers with unready status: [${p.app}]`;
    let state: Obj = { running: { startedAt: started } };
    let lastState: Obj = {};
    let restartCount = 0;
    let phase = 'Running';
    let containerID: string | undefined = cid;
    let imageIDOut = imageID;
    switch (p.breakage) {
      case 'ratelimit':
      case 'notfound':
      case 'denied':
      case 'unreachable':
        state = { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${p.image}"` } };
        phase = 'Pending';
        containerID = undefined;
        imageIDOut = '';
        break;
      case 'config':
        state = { waiting: { reason: 'CreateContainerConfigError', message: `configmap "${p.app}-config" not found` } };
        phase = 'Pending';
        containerID = undefined;
        break;
      case 'crash':
      case 'oom':
        restartCount = 30 + g.int(300);
        state = {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off 5m0s restarting failed container=${p.app} pod=${name}_${p.ns}(${uid})`,
          },
        };
        lastState = {
          terminated: {
            exitCode: p.breakage === 'oom' ? 137 : 1,
            reason: p.breakage === 'oom' ? 'OOMKilled' : 'Error',
            startedAt: g.ago(4 * 60_000),
            finishedAt: g.ago(3 * 60_000 + 50_000),
            containerID: cid,
          },
        };
        break;
    }
    const t = g.ago(created - 2000);
    const cond = (type: string, ok: boolean) => ({
      type,
      status: ok ? 'True' : 'False',
      lastProbeTime: null,
      lastTransitionTime: t,
      ...(ok ? {} : { reason: 'ContainersNotReady', message: notReady }),
    });
    const cs: Obj = {
      name: p.app,
      state,
      lastState,
      ready,
      restartCount,
      image: p.image,
      imageID: imageIDOut,
      ...(containerID ? { containerID } : {}),
      started: ready,
    };
    return {
      phase,
      conditions: [
        cond('PodReadyToStartContainers', true),
        cond('Initialized', true),
        cond('Ready', ready),
        cond('ContainersReady', ready),
        cond('PodScheduled', true),
      ],
      hostIP: nodeIp,
      hostIPs: [{ ip: nodeIp }],
      podIP: podIp,
      podIPs: [{ ip: podIp }],
      startTime: t,
      containerStatuses: [cs],
      qosClass: 'Burstable',
    };
  }

  private podEvents(p: DeploymentPlan, pod: Pod, node: string, created: number): void {
    const c = { component: 'kubelet', host: node, fieldPath: `spec.containers{${p.app}}` };
    const last = this.g.int(50 * 60_000);
    switch (p.breakage) {
      case 'healthy':
        this.event(pod, 'Normal', 'Pulled', `Container image "${p.image}" already present on machine`, {
          ...c,
          first: created,
          last: created,
        });
        this.event(pod, 'Normal', 'Created', `Created container ${p.app}`, { ...c, first: created, last: created });
        this.event(pod, 'Normal', 'Started', `Started container ${p.app}`, { ...c, first: created, last: created });
        break;
      case 'ratelimit':
      case 'notfound':
      case 'denied':
      case 'unreachable': {
        const why =
          p.breakage === 'ratelimit'
            ? 'toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit'
            : (pullError(p) as string);
        const n = 20 + this.g.int(40);
        this.event(pod, 'Normal', 'Pulling', `Pulling image "${p.image}"`, {
          ...c,
          count: n,
          first: created,
          last: last + 1000,
        });
        this.event(pod, 'Warning', 'Failed', pullFailedMessage(p.image, why), { ...c, count: n, first: created, last });
        this.event(pod, 'Warning', 'Failed', 'Error: ErrImagePull', { ...c, count: n, first: created, last });
        this.event(pod, 'Normal', 'BackOff', `Back-off pulling image "${p.image}"`, {
          ...c,
          count: n * 20,
          first: created,
          last: 20_000,
        });
        this.event(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff', {
          ...c,
          count: n * 20,
          first: created,
          last: 20_000,
        });
        break;
      }
      case 'crash':
      case 'oom':
        this.event(pod, 'Normal', 'Pulled', `Container image "${p.image}" already present on machine`, {
          ...c,
          count: 40,
          first: created,
          last: 4 * 60_000,
        });
        this.event(pod, 'Warning', 'BackOff', backOffMessage(p.app, pod), {
          ...c,
          count: 900,
          first: created,
          last: 15_000,
        });
        this.built.logs[`${p.ns}/${pod.metadata.name}/${p.app}`] = {
          previous: p.breakage === 'oom' ? oomLog(p) : crashLog(p),
        };
        break;
      case 'config':
        this.event(pod, 'Warning', 'Failed', `Error: configmap "${p.app}-config" not found`, {
          ...c,
          count: 300,
          first: created,
          last: 25_000,
        });
        break;
      case 'cpu':
      case 'selector':
      case 'pvc':
        this.built.events.push(schedulingEvent(this.g, pod, (pod.status?.conditions?.[0]?.message as string) ?? ''));
        break;
    }
  }

  /** Top up with ReplicaSet and Deployment events until the requested count is reached. */
  fillEvents(target: number, owners: KubeObject[]): void {
    let i = 0;
    while (this.built.events.length < target && owners.length) {
      const o = owners[i % owners.length] as KubeObject;
      i++;
      const at = this.g.int(55 * 60_000);
      if (o.kind === 'ReplicaSet')
        this.event(o, 'Normal', 'SuccessfulCreate', `Created pod: ${o.metadata.name}-${this.g.chars(ALPHANUMS, 5)}`, {
          component: 'replicaset-controller',
          first: at,
          last: at,
        });
      else
        this.event(
          o,
          'Normal',
          'ScalingReplicaSet',
          `Scaled up replica set ${o.metadata.name}-${this.g.chars(ALPHANUMS, 10)} to ${1 + this.g.int(5)}`,
          { component: 'deployment-controller', first: at, last: at },
        );
    }
    this.built.events.length = Math.min(this.built.events.length, target);
  }
}

function schedulingEvent(g: Gen, pod: Pod, message: string): KubeObject {
  const at = g.now - g.int(50 * 60_000);
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${pod.metadata.name}.${g.chars(HEX, 16)}`,
      namespace: pod.metadata.namespace,
      uid: g.uid(),
      creationTimestamp: rfc3339(at),
    },
    involvedObject: {
      kind: 'Pod',
      namespace: pod.metadata.namespace,
      name: pod.metadata.name,
      uid: pod.metadata.uid,
      apiVersion: 'v1',
      resourceVersion: '1',
    },
    reason: 'FailedScheduling',
    message,
    source: {},
    firstTimestamp: null,
    lastTimestamp: null,
    type: 'Warning',
    eventTime: microTime(at),
    series: { count: 10 + g.int(50), lastObservedTime: microTime(g.now - g.int(5 * 60_000)) },
    action: 'Scheduling',
    reportingComponent: 'default-scheduler',
    reportingInstance: 'default-scheduler-control-plane',
  } as KubeObject;
}

function pendingStatus(p: DeploymentPlan, at: string, nodes: number): Obj {
  const preemption = (resolvable: boolean) =>
    `preemption: 0/${nodes} nodes are available: ${nodes} ${resolvable ? 'No preemption victims found for incoming pod' : 'Preemption is not helpful for scheduling'}.`;
  const message =
    p.breakage === 'cpu'
      ? `0/${nodes} nodes are available: ${nodes} Insufficient cpu. ${preemption(true)}`
      : p.breakage === 'selector'
        ? `0/${nodes} nodes are available: ${nodes} node(s) didn't match Pod's node affinity/selector. ${preemption(false)}`
        : `0/${nodes} nodes are available: pod has unbound immediate PersistentVolumeClaims. ${preemption(false)}`;
  return {
    phase: 'Pending',
    conditions: [
      {
        type: 'PodScheduled',
        status: 'False',
        lastProbeTime: null,
        lastTransitionTime: at,
        reason: 'Unschedulable',
        message,
      },
    ],
    qosClass: 'Burstable',
  };
}

function crashLog(p: DeploymentPlan): string[] {
  return [
    `{"level":"info","ts":"{{iso:-4m}}","msg":"starting ${p.app}","version":"${p.image.replace(/.*:/, '')}"}`,
    `{"level":"info","ts":"{{iso:-4m}}","msg":"connecting to database","host":"postgres.${p.ns}.svc","port":5432}`,
    `{"level":"error","ts":"{{iso:-3m51s}}","msg":"database connection failed","error":"dial tcp 10.96.14.9:5432: connect: connection refused"}`,
    `{"level":"fatal","ts":"{{iso:-3m50s}}","msg":"exiting: could not initialise storage","error":"dial tcp 10.96.14.9:5432: connect: connection refused"}`,
  ];
}

function oomLog(p: DeploymentPlan): string[] {
  return [
    `{"level":"info","ts":"{{iso:-4m}}","msg":"starting ${p.app}","version":"${p.image.replace(/.*:/, '')}"}`,
    `{"level":"info","ts":"{{iso:-3m58s}}","msg":"warming cache","entries":2500000}`,
  ];
}

export function generateLargeScenario(opts: LargeScenarioOptions): Scenario {
  const now = opts.now ?? Date.now();
  const g = new Gen(opts.seed ?? 1, now);
  const cluster = new LargeCluster(g);
  const namespaces = Math.max(1, opts.namespaces);
  cluster.addNodes(Math.max(3, Math.ceil(opts.pods / 100)));
  const names: string[] = [];
  for (let i = 0; i < namespaces; i++) {
    const ns = `${TEAMS[i % TEAMS.length]}-${String(i).padStart(3, '0')}`;
    names.push(ns);
    cluster.addNamespace(ns);
  }
  const owners: KubeObject[] = [];
  let pods = 0;
  for (let d = 0; pods < opts.pods; d++) {
    const ns = names[d % names.length] as string;
    const app = `${APPS[Math.floor(d / names.length) % APPS.length]}${d >= names.length * APPS.length ? `-${Math.floor(d / (names.length * APPS.length))}` : ''}`;
    const breakage = g.breakage();
    const plan: DeploymentPlan = {
      ns,
      app,
      name: app,
      hash: g.chars(ALPHANUMS, 10),
      replicas: Math.min(opts.pods - pods, 1 + g.int(5)),
      breakage,
      image: '',
      created: DAY + g.int(20 * DAY),
    };
    plan.image = imageFor(g, plan);
    pods += cluster.addDeployment(plan);
  }
  for (const o of cluster.built.objects) if (o.kind === 'Deployment' || o.kind === 'ReplicaSet') owners.push(o);
  cluster.fillEvents(opts.events, owners);
  return {
    name: `large:${opts.pods}`,
    description: `${opts.pods} pods in ${namespaces} namespaces with ${opts.events} events; a few percent broken in each common way`,
    defaultNamespace: names[0] as string,
    apiGroups: [],
    metricsServer: true,
    images: cluster.built.images,
    helmReleases: [],
    logs: cluster.built.logs,
    objects: [...cluster.built.objects, ...cluster.built.events],
    history: [],
  };
}
