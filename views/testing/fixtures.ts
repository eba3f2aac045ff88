// Test data for the views: scenario S1 (Jaeger in `observability` on a one-node minikube)
// in the shapes `kubectl get -o json` returns, with findings shaped as the engine links
// them. Used only by the *.test.tsx files beside the views.
import type { ConnectionState, SnapshotSource } from '../../src/store/source.js';
import { Snapshot, type SnapshotInput } from '../../src/store/snapshot.js';
import type { Finding } from '../../src/diagnose/types.js';
import type { FindingsSource, FindingsState } from '../../src/diagnose/live.js';
import { findingId } from '../../src/diagnose/evidence.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';
import type {
  ApiResourceInfo,
  HelmRelease,
  KubeEvent,
  Namespace,
  Node,
  Pod,
  Service,
  Workload,
} from '../../src/model/k8s.js';

/** The moment the tests look at the cluster: 22:00 UTC, ~27 minutes after the install. */
export const NOW = Date.parse('2026-11-21T22:00:00Z');

/** A discovery entry as a catalogue holds it: core v1, namespaced, listable, watchable and deletable unless told. */
export const apiResource = (r: Partial<ApiResourceInfo> & Pick<ApiResourceInfo, 'name' | 'kind'>): ApiResourceInfo => ({
  group: '',
  version: 'v1',
  namespaced: true,
  verbs: ['get', 'list', 'watch', 'delete'],
  ...r,
});
const CREATED = '2026-11-21T21:32:59Z';

function owner(kind: 'ReplicaSet' | 'StatefulSet' | 'Deployment', name: string, uid: string) {
  return [{ apiVersion: 'apps/v1', kind, name, uid, controller: true, blockOwnerDeletion: true }];
}

function helmAnnotations(release: string) {
  return { 'meta.helm.sh/release-name': release, 'meta.helm.sh/release-namespace': 'observability' };
}

export const namespaces: Namespace[] = ['default', 'kube-system', 'observability'].map((name) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: {
    name,
    uid: `ns-${name}`,
    creationTimestamp: '2026-11-20T09:00:00Z',
    labels: { 'kubernetes.io/metadata.name': name },
  },
  status: { phase: 'Active' },
}));

export const nodes: Node[] = [
  {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'minikube', uid: 'node-minikube', labels: { 'kubernetes.io/hostname': 'minikube' } },
    status: {
      capacity: { cpu: '2', memory: '4Gi', pods: '110' },
      allocatable: { cpu: '2', memory: '4Gi', pods: '110' },
    },
  },
];

export const deployments: Workload[] = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'jaeger-op-jaeger-operator',
      namespace: 'observability',
      uid: 'dep-op',
      creationTimestamp: CREATED,
      annotations: helmAnnotations('jaeger-op'),
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { name: 'jaeger-operator' } },
      template: { spec: { containers: [{ name: 'jaeger-operator', image: 'jaegertracing/jaeger-operator:1.39.0' }] } },
    },
    status: { replicas: 1, updatedReplicas: 1, readyReplicas: 0, availableReplicas: 0 },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'jaeger-collector',
      namespace: 'observability',
      uid: 'dep-collector',
      creationTimestamp: CREATED,
      annotations: helmAnnotations('jaeger'),
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { 'app.kubernetes.io/component': 'collector' } },
      template: {
        spec: { containers: [{ name: 'jaeger-collector', image: 'jaegertracing/jaeger-collector:1.39.0' }] },
      },
    },
    status: { replicas: 1, updatedReplicas: 1, readyReplicas: 0, availableReplicas: 0 },
  },
];

export const replicaSets: Workload[] = [
  {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: 'jaeger-op-jaeger-operator-7d7b58d48b',
      namespace: 'observability',
      uid: 'rs-op',
      ownerReferences: owner('Deployment', 'jaeger-op-jaeger-operator', 'dep-op'),
    },
    spec: { replicas: 1, template: { spec: { containers: [{ name: 'jaeger-operator' }] } } },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: 'jaeger-collector-6b7f9c8d5',
      namespace: 'observability',
      uid: 'rs-collector',
      ownerReferences: owner('Deployment', 'jaeger-collector', 'dep-collector'),
    },
    spec: { replicas: 1, template: { spec: { containers: [{ name: 'jaeger-collector' }] } } },
  },
];

export const statefulSets: Workload[] = [
  {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: {
      name: 'elasticsearch-master',
      namespace: 'observability',
      uid: 'sts-es',
      creationTimestamp: CREATED,
      annotations: helmAnnotations('jaeger'),
    },
    spec: {
      replicas: 3,
      serviceName: 'elasticsearch-master-headless',
      selector: { matchLabels: { app: 'elasticsearch-master' } },
      template: {
        spec: {
          containers: [{ name: 'elasticsearch', image: 'docker.elastic.co/elasticsearch/elasticsearch:7.17.3' }],
        },
      },
    },
    status: { replicas: 3, readyReplicas: 0 },
  },
];

export const services: Service[] = [
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'elasticsearch-master', namespace: 'observability', uid: 'svc-es', creationTimestamp: CREATED },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.96.120.14',
      selector: { app: 'elasticsearch-master' },
      ports: [{ name: 'http', port: 9200, protocol: 'TCP', targetPort: 9200 }],
    },
  },
];

export const operatorPod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'jaeger-op-jaeger-operator-7d7b58d48b-89p9p',
    namespace: 'observability',
    uid: 'pod-op',
    creationTimestamp: CREATED,
    labels: { name: 'jaeger-operator', 'pod-template-hash': '7d7b58d48b' },
    ownerReferences: owner('ReplicaSet', 'jaeger-op-jaeger-operator-7d7b58d48b', 'rs-op'),
  },
  spec: {
    serviceAccountName: 'default',
    nodeName: 'minikube',
    containers: [
      {
        name: 'jaeger-operator',
        image: 'jaegertracing/jaeger-operator:1.39.0',
        ports: [{ containerPort: 8383, name: 'metrics', protocol: 'TCP' }],
      },
    ],
  },
  status: {
    phase: 'Pending',
    hostIP: '192.168.49.2',
    podIP: '10.244.0.12',
    startTime: CREATED,
    conditions: [
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: CREATED },
      {
        type: 'Ready',
        status: 'False',
        reason: 'ContainersNotReady',
        message: 'containers with unready status: [jaeger-operator]',
        lastProbeTime: null,
      },
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: CREATED },
    ],
    containerStatuses: [
      {
        name: 'jaeger-operator',
        image: 'jaegertracing/jaeger-operator:1.39.0',
        imageID: '',
        ready: false,
        started: false,
        restartCount: 0,
        state: {
          waiting: {
            reason: 'ImagePullBackOff',
            message: 'Back-off pulling image "jaegertracing/jaeger-operator:1.39.0"',
          },
        },
        lastState: {},
      },
    ],
  },
};

function esPod(ordinal: number): Pod {
  const name = `elasticsearch-master-${ordinal}`;
  const base: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'observability',
      uid: `pod-es-${ordinal}`,
      creationTimestamp: CREATED,
      labels: {
        app: 'elasticsearch-master',
        'controller-revision-hash': 'elasticsearch-master-84dcff79f4',
        'statefulset.kubernetes.io/pod-name': name,
      },
      ownerReferences: owner('StatefulSet', 'elasticsearch-master', 'sts-es'),
    },
    spec: {
      serviceAccountName: 'default',
      containers: [
        {
          name: 'elasticsearch',
          image: 'docker.elastic.co/elasticsearch/elasticsearch:7.17.3',
          ports: [
            { name: 'http', containerPort: 9200, protocol: 'TCP' },
            { name: 'transport', containerPort: 9300, protocol: 'TCP' },
          ],
          resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '1', memory: '2Gi' } },
          readinessProbe: {
            exec: { command: ['bash', '-c', 'curl -s localhost:9200/_cluster/health'] },
            initialDelaySeconds: 10,
            periodSeconds: 10,
            failureThreshold: 3,
          },
          env: [
            {
              name: 'cluster.initial_master_nodes',
              value: 'elasticsearch-master-0,elasticsearch-master-1,elasticsearch-master-2',
            },
            {
              name: 'ELASTIC_PASSWORD',
              valueFrom: { secretKeyRef: { name: 'elasticsearch-master-credentials', key: 'password' } },
            },
          ],
        },
      ],
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { labelSelector: { matchLabels: { app: 'elasticsearch-master' } }, topologyKey: 'kubernetes.io/hostname' },
          ],
        },
      },
    },
  };
  if (ordinal === 0) {
    base.spec.nodeName = 'minikube';
    base.status = {
      phase: 'Running',
      hostIP: '192.168.49.2',
      podIP: '10.244.0.15',
      startTime: CREATED,
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'False', reason: 'ContainersNotReady' },
        { type: 'PodScheduled', status: 'True' },
      ],
      containerStatuses: [
        {
          name: 'elasticsearch',
          ready: false,
          started: true,
          restartCount: 0,
          state: { running: { startedAt: '2026-11-21T21:33:20Z' } },
        },
      ],
    };
  } else {
    base.status = {
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message:
            "0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
          lastProbeTime: null,
          lastTransitionTime: CREATED,
        },
      ],
    };
  }
  return base;
}

export const collectorPod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'jaeger-collector-6b7f9c8d5-x2x7k',
    namespace: 'observability',
    uid: 'pod-collector',
    creationTimestamp: '2026-11-19T22:00:00Z',
    labels: { 'app.kubernetes.io/component': 'collector', 'pod-template-hash': '6b7f9c8d5' },
    ownerReferences: owner('ReplicaSet', 'jaeger-collector-6b7f9c8d5', 'rs-collector'),
  },
  spec: {
    serviceAccountName: 'default',
    nodeName: 'minikube',
    containers: [{ name: 'jaeger-collector', image: 'jaegertracing/jaeger-collector:1.39.0' }],
  },
  status: {
    phase: 'Running',
    hostIP: '192.168.49.2',
    podIP: '10.244.0.17',
    conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
    containerStatuses: [
      {
        name: 'jaeger-collector',
        ready: false,
        started: false,
        restartCount: 412,
        state: {
          waiting: {
            reason: 'CrashLoopBackOff',
            message:
              'back-off 5m0s restarting failed container=jaeger-collector pod=jaeger-collector-6b7f9c8d5-x2x7k_observability(pod-collector)',
          },
        },
        lastState: {
          terminated: {
            exitCode: 1,
            reason: 'Error',
            startedAt: '2026-11-21T21:54:40Z',
            finishedAt: '2026-11-21T21:55:00Z',
          },
        },
      },
    ],
  },
};

export const corednsPod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'coredns-787d4945fb-lmq2k',
    namespace: 'kube-system',
    uid: 'pod-coredns',
    creationTimestamp: '2026-11-09T09:00:00Z',
    labels: { 'k8s-app': 'kube-dns' },
  },
  spec: { nodeName: 'minikube', containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.10.1' }] },
  status: {
    phase: 'Running',
    podIP: '10.244.0.2',
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [
      {
        name: 'coredns',
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: '2026-11-09T09:00:05Z' } },
      },
    ],
  },
};

export const pods: Pod[] = [operatorPod, esPod(0), esPod(1), esPod(2), collectorPod, corednsPod];

function event(
  name: string,
  involved: { kind: string; name: string; uid: string; fieldPath?: string },
  e: Partial<KubeEvent>,
): KubeEvent {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: 'observability', uid: `ev-${name}`, creationTimestamp: CREATED },
    involvedObject: { apiVersion: 'v1', namespace: 'observability', ...involved },
    source: { component: 'kubelet', host: 'minikube' },
    reportingComponent: 'kubelet',
    firstTimestamp: CREATED,
    ...e,
  };
}

const opRef = {
  kind: 'Pod',
  name: operatorPod.metadata.name,
  uid: 'pod-op',
  fieldPath: 'spec.containers{jaeger-operator}',
};

export const events: KubeEvent[] = [
  event('op.1', opRef, {
    type: 'Warning',
    reason: 'Failed',
    message:
      'Failed to pull image "jaegertracing/jaeger-operator:1.39.0": rpc error: code = Unknown desc = toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
    count: 4,
    lastTimestamp: '2026-11-21T21:58:00Z',
  }),
  event('op.2', opRef, {
    type: 'Warning',
    reason: 'Failed',
    message: 'Error: ErrImagePull',
    count: 4,
    lastTimestamp: '2026-11-21T21:58:00Z',
  }),
  event('op.3', opRef, {
    type: 'Normal',
    reason: 'BackOff',
    message: 'Back-off pulling image "jaegertracing/jaeger-operator:1.39.0"',
    count: 97,
    lastTimestamp: '2026-11-21T21:59:30Z',
  }),
  event('op.4', opRef, {
    type: 'Warning',
    reason: 'Failed',
    message: 'Error: ImagePullBackOff',
    count: 97,
    lastTimestamp: '2026-11-21T21:59:30Z',
  }),
  event(
    'es1.1',
    { kind: 'Pod', name: 'elasticsearch-master-1', uid: 'pod-es-1' },
    {
      type: 'Warning',
      reason: 'FailedScheduling',
      message:
        "0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
      source: {},
      reportingComponent: 'default-scheduler',
      count: 6,
      lastTimestamp: '2026-11-21T21:55:00Z',
    },
  ),
  event(
    'es0.1',
    { kind: 'Pod', name: 'elasticsearch-master-0', uid: 'pod-es-0', fieldPath: 'spec.containers{elasticsearch}' },
    {
      type: 'Warning',
      reason: 'Unhealthy',
      message:
        'Readiness probe failed: Waiting for elasticsearch cluster to become ready (request params: "wait_for_status=green&timeout=1s" )',
      count: 150,
      lastTimestamp: '2026-11-21T21:59:50Z',
    },
  ),
  event(
    'es0.2',
    { kind: 'Pod', name: 'elasticsearch-master-0', uid: 'pod-es-0', fieldPath: 'spec.containers{elasticsearch}' },
    {
      type: 'Normal',
      reason: 'Started',
      message: 'Started container elasticsearch',
      count: 1,
      lastTimestamp: '2026-11-21T21:33:20Z',
    },
  ),
];

export const helmReleases: HelmRelease[] = [
  {
    name: 'jaeger-op',
    namespace: 'observability',
    revision: 1,
    status: 'deployed',
    chartName: 'jaeger-operator',
    chartVersion: '2.38.0',
    appVersion: '1.39.0',
    lastDeployed: '2026-11-21T21:32:50Z',
    values: { rbac: { clusterRole: true } },
    manifest: '---\n# Source: jaeger-operator/templates/deployment.yaml\n',
    storageSecret: 'sh.helm.release.v1.jaeger-op.v1',
  },
  {
    name: 'jaeger',
    namespace: 'observability',
    revision: 2,
    status: 'failed',
    description: 'Upgrade "jaeger" failed: context deadline exceeded',
    chartName: 'jaeger',
    chartVersion: '0.65.4',
    appVersion: '1.39.0',
    lastDeployed: '2026-11-21T21:40:00Z',
    values: {
      storage: { type: 'elasticsearch', elasticsearch: { password: 'changeme' } },
      provisionDataStore: { elasticsearch: true },
    },
    storageSecret: 'sh.helm.release.v1.jaeger.v2',
  },
  {
    name: 'jaeger',
    namespace: 'observability',
    revision: 1,
    status: 'superseded',
    chartName: 'jaeger',
    chartVersion: '0.65.4',
    appVersion: '1.39.0',
    storageSecret: 'sh.helm.release.v1.jaeger.v1',
  },
];

const esRef = { kind: 'StatefulSet', namespace: 'observability', name: 'elasticsearch-master' };
const opDeploy = { kind: 'Deployment', namespace: 'observability', name: 'jaeger-op-jaeger-operator' };
const collectorDeploy = { kind: 'Deployment', namespace: 'observability', name: 'jaeger-collector' };

export const esFinding: Finding = {
  id: findingId(RULE_IDS.antiAffinityReplicas, esRef),
  ruleId: RULE_IDS.antiAffinityReplicas,
  severity: 'critical',
  subject: esRef,
  title: '3 replicas with hard anti-affinity cannot fit on 1 node',
  explanation:
    'elasticsearch-master asks for 3 pods that must each run on a different node, but the cluster has 1 node. Two pods stay Pending forever, and the first never becomes ready because Elasticsearch waits for a quorum of master nodes that cannot form. Set the replicas (and the quorum) to the node count.',
  evidence: [
    {
      source: 'event',
      ref: { kind: 'Pod', namespace: 'observability', name: 'elasticsearch-master-1' },
      reason: 'FailedScheduling',
      count: 6,
      at: '2026-11-21T21:55:00Z',
      text: "0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules.",
    },
    {
      source: 'status',
      ref: { kind: 'Pod', namespace: 'observability', name: 'elasticsearch-master-0' },
      path: 'status.conditions[Ready]',
      text: 'False (ContainersNotReady)',
    },
  ],
  objects: [
    esRef,
    ...[0, 1, 2].map((i) => ({ kind: 'Pod', namespace: 'observability', name: `elasticsearch-master-${i}` })),
  ],
  causedBy: [],
  fixes: [
    {
      id: 'helm-values-single-node',
      title: 'Run one Elasticsearch master on this single node',
      explanation: 'Change the chart values so Helm keeps owning the StatefulSet; scaling it by hand fights Helm.',
      commands: [
        "helm upgrade jaeger jaegertracing/jaeger -n observability --reuse-values --set elasticsearch.replicas=1 --set elasticsearch.minimumMasterNodes=1 --set elasticsearch.clusterHealthCheckParams='wait_for_status=yellow&timeout=1s'",
      ],
      steps: [
        {
          action: 'helm-upgrade',
          release: 'jaeger',
          namespace: 'observability',
          chart: 'jaegertracing/jaeger',
          reuseValues: true,
          set: { 'elasticsearch.replicas': '1', 'elasticsearch.minimumMasterNodes': '1' },
          description: 'helm upgrade with single-node values',
        },
      ],
      mutates: true,
    },
  ],
};

export const pullFinding: Finding = {
  id: findingId(RULE_IDS.imagePull, opDeploy, 'jaeger-operator/rate-limit'),
  ruleId: RULE_IDS.imagePull,
  severity: 'critical',
  subject: opDeploy,
  title: 'Docker Hub pull rate limit reached',
  explanation:
    'The node could not pull jaegertracing/jaeger-operator:1.39.0 because Docker Hub limits anonymous pulls. Pulls made with an account get a higher limit: create a pull secret and let the pod use it.',
  evidence: [
    {
      source: 'event',
      ref: { kind: 'Pod', namespace: 'observability', name: operatorPod.metadata.name },
      reason: 'Failed',
      count: 4,
      at: '2026-11-21T21:58:00Z',
      text: 'Failed to pull image "jaegertracing/jaeger-operator:1.39.0": rpc error: code = Unknown desc = toomanyrequests: You have reached your pull rate limit.',
    },
    {
      source: 'status',
      ref: { kind: 'Pod', namespace: 'observability', name: operatorPod.metadata.name },
      path: 'status.containerStatuses[0].state.waiting.message',
      text: 'Back-off pulling image "jaegertracing/jaeger-operator:1.39.0"',
    },
  ],
  objects: [opDeploy, { kind: 'Pod', namespace: 'observability', name: operatorPod.metadata.name }],
  causedBy: [],
  fixes: [
    {
      id: 'attach-pull-secret-to-serviceaccount',
      title: 'Create regcred and add it to the default ServiceAccount',
      explanation:
        'Pods get the ServiceAccount pull secrets only when created, so the failing pod is recreated afterwards.',
      commands: [
        'kubectl create secret docker-registry regcred --docker-server=https://index.docker.io/v1/ --docker-username=U --docker-password=P -n observability',
        'kubectl patch serviceaccount default -n observability --type=json -p \'[{"op":"add","path":"/imagePullSecrets/-","value":{"name":"regcred"}}]\'',
      ],
      steps: [
        {
          action: 'create-pull-secret',
          namespace: 'observability',
          name: 'regcred',
          server: 'https://index.docker.io/v1/',
          description: 'create regcred',
        },
      ],
      mutates: true,
    },
  ],
};

export const collectorFinding: Finding = {
  id: findingId(RULE_IDS.crashloop, collectorDeploy, 'jaeger-collector/dependency'),
  ruleId: RULE_IDS.crashloop,
  severity: 'warning',
  subject: collectorDeploy,
  title: 'Collector crashes because Elasticsearch is not ready',
  explanation:
    'jaeger-collector exits at start because it cannot reach elasticsearch-master:9200. It will recover once Elasticsearch is ready.',
  evidence: [
    {
      source: 'log',
      ref: { kind: 'Pod', namespace: 'observability', name: collectorPod.metadata.name },
      text: '{"level":"fatal","msg":"Failed to init storage factory","error":"failed to create primary Elasticsearch client: health check timeout: Head \\"http://elasticsearch-master:9200\\": dial tcp 10.96.120.14:9200: connect: connection refused: no Elasticsearch node available"}',
    },
  ],
  objects: [collectorDeploy, { kind: 'Pod', namespace: 'observability', name: collectorPod.metadata.name }],
  dependsOn: [{ kind: 'Service', namespace: 'observability', name: 'elasticsearch-master' }],
  causedBy: [esFinding.id],
  fixes: [],
};

/** In the engine's order: roots first. */
export const findings: Finding[] = [esFinding, pullFinding, collectorFinding];

export function scenarioInput(): SnapshotInput {
  return {
    pods,
    events,
    nodes,
    namespaces,
    deployments,
    replicaSets,
    statefulSets,
    services,
    helmReleases,
    version: 1,
    takenAt: NOW,
  };
}

export function scenarioSnapshot(extra: Partial<SnapshotInput> = {}): Snapshot {
  return new Snapshot({ ...scenarioInput(), ...extra });
}

/** `count` Running pods named pod-00000…, spread over `namespaces` namespaces. */
export function manyPods(count: number, namespaceCount = 1): Pod[] {
  return Array.from({ length: count }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `pod-${String(i).padStart(5, '0')}`,
      namespace: `ns-${i % namespaceCount}`,
      uid: `uid-${i}`,
      creationTimestamp: CREATED,
      labels: { app: 'load' },
    },
    spec: { nodeName: 'minikube', containers: [{ name: 'app', image: 'nginx:1.25' }] },
    status: {
      phase: 'Running',
      podIP: `10.244.${(i >> 8) & 255}.${i & 255}`,
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: { startedAt: CREATED } } }],
    },
  }));
}

/** A SnapshotSource holding one snapshot at a time; `update` replaces it and notifies. */
export class FixedSource implements SnapshotSource {
  private readonly listeners = new Set<() => void>();

  constructor(
    private snapshot: Snapshot,
    private state: ConnectionState = { state: 'live' },
  ) {}

  current(): Snapshot {
    return this.snapshot;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  connection(): ConnectionState {
    return this.state;
  }

  update(snapshot: Snapshot, state: ConnectionState = this.state): void {
    this.snapshot = snapshot;
    this.state = state;
    for (const l of this.listeners) l();
  }
}

/** A background diagnosis that has finished: it holds the findings it was given until told of new ones. */
export class FixedFindings implements FindingsSource {
  private readonly listeners = new Set<() => void>();
  private state: FindingsState;

  constructor(found: Finding[], errors: string[] = []) {
    this.state = { version: 1, findings: found, errors, durationMs: 0 };
  }

  current(): FindingsState {
    return this.state;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** New findings, as the diagnosis publishes them after a new snapshot. */
  publish(found: Finding[], errors: string[] = []): void {
    this.state = { version: this.state.version + 1, findings: found, errors, durationMs: 0 };
    for (const l of this.listeners) l();
  }
}
