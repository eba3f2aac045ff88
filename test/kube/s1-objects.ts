// A few objects of the S1 story (Jaeger in `observability` on one minikube node) in the
// shapes `kubectl get -o json` gives, for tests that run against the small fake API server.
import { encodeReleaseSecret } from '../../src/model/helm-codec.js';
import type { KubeObject } from '../../src/model/k8s.js';

const managedFields = [
  {
    manager: 'kubelet',
    operation: 'Update',
    apiVersion: 'v1',
    time: '2026-11-21T21:30:04Z',
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:status': { 'f:containerStatuses': {}, 'f:phase': {} } },
    subresource: 'status',
  },
];

export const collectorPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'jaeger-collector-6d9c7b8f5-x2k8q',
    namespace: 'observability',
    uid: '8c1f2e4a-0b7d-4c6e-9a3f-2d5e7b9c1a01',
    resourceVersion: '901',
    creationTimestamp: '2026-11-20T10:00:00Z',
    labels: {
      'app.kubernetes.io/name': 'jaeger',
      'app.kubernetes.io/component': 'collector',
      'pod-template-hash': '6d9c7b8f5',
    },
    managedFields,
  },
  spec: {
    containers: [{ name: 'jaeger-collector', image: 'jaegertracing/jaeger-collector:1.39.0' }],
    serviceAccountName: 'jaeger',
    nodeName: 'minikube',
  },
  status: {
    phase: 'Running',
    containerStatuses: [
      {
        name: 'jaeger-collector',
        ready: false,
        restartCount: 212,
        image: 'jaegertracing/jaeger-collector:1.39.0',
        state: {
          waiting: {
            reason: 'CrashLoopBackOff',
            message:
              'back-off 5m0s restarting failed container=jaeger-collector pod=jaeger-collector-6d9c7b8f5-x2k8q_observability(8c1f2e4a-0b7d-4c6e-9a3f-2d5e7b9c1a01)',
          },
        },
        lastState: {
          terminated: {
            exitCode: 1,
            reason: 'Error',
            startedAt: '2026-11-21T21:30:00Z',
            finishedAt: '2026-11-21T21:30:04Z',
          },
        },
      },
    ],
  },
} satisfies KubeObject & Record<string, unknown>;

export const collectorLog =
  '{"level":"info","ts":1763760600.1,"caller":"flags/service.go:119","msg":"Mounting metrics handler on admin server","route":"/metrics"}\n' +
  '{"level":"fatal","ts":1763760604.2,"caller":"./main.go:107","msg":"Failed to init storage factory","error":"failed to create primary Elasticsearch client: health check timeout: Head \\"http://elasticsearch-master:9200\\": dial tcp 10.96.12.7:9200: connect: connection refused: no Elasticsearch node available"}\n';

export const esPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'elasticsearch-master-1',
    namespace: 'observability',
    uid: '8c1f2e4a-0b7d-4c6e-9a3f-2d5e7b9c1a02',
    resourceVersion: '902',
    managedFields,
  },
  spec: { containers: [{ name: 'elasticsearch', image: 'docker.elastic.co/elasticsearch/elasticsearch:7.17.3' }] },
  status: {
    phase: 'Pending',
    conditions: [
      {
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
        message: "0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules.",
        lastProbeTime: null,
        lastTransitionTime: '2026-11-20T10:00:01Z',
      },
    ],
  },
};

export const minikubeNode = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name: 'minikube',
    uid: 'node-uid-minikube',
    resourceVersion: '50',
    labels: { 'kubernetes.io/hostname': 'minikube' },
  },
  status: {
    capacity: { cpu: '2', memory: '4015876Ki', pods: '110' },
    allocatable: { cpu: '2', memory: '4015876Ki', pods: '110' },
  },
};

export const namespaces = ['default', 'kube-system', 'observability'].map((name) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, uid: `ns-uid-${name}`, resourceVersion: '10' },
  status: { phase: 'Active' },
}));

function jaegerRelease(): KubeObject {
  const secret = encodeReleaseSecret({
    name: 'jaeger',
    namespace: 'observability',
    version: 1,
    info: { status: 'deployed' },
    chart: { metadata: { name: 'jaeger', version: '0.65.4', appVersion: '1.39.0' } },
    config: { elasticsearch: { replicas: 3 } },
    manifest: '---\nkind: StatefulSet\n',
  });
  secret.metadata.uid = 'sec-3';
  secret.metadata.resourceVersion = '72';
  return secret;
}

export const OPAQUE_VALUE = 'c3VwZXItc2VjcmV0LWRiLXBhc3N3b3Jk';

export const secrets = [
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'es-credentials', namespace: 'observability', uid: 'sec-1', resourceVersion: '70' },
    type: 'Opaque',
    data: { password: OPAQUE_VALUE },
  },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'ghcr-pull', namespace: 'observability', uid: 'sec-2', resourceVersion: '71' },
    type: 'kubernetes.io/dockerconfigjson',
    data: {
      '.dockerconfigjson': Buffer.from(
        JSON.stringify({
          auths: {
            'ghcr.io': {
              username: 'bot',
              password: 'ghp_pullsecret',
              auth: Buffer.from('bot:ghp_pullsecret').toString('base64'),
            },
          },
        }),
      ).toString('base64'),
    },
  },
  jaegerRelease(),
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'sh.helm.release.v1.broken.v1',
      namespace: 'observability',
      uid: 'sec-4',
      resourceVersion: '73',
      labels: { owner: 'helm', name: 'broken', status: 'deployed', version: '1' },
    },
    type: 'helm.sh/release.v1',
    data: { release: Buffer.from('not a release').toString('base64') },
  },
] as KubeObject[];

export const configMaps = [
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'jaeger-sampling', namespace: 'observability', uid: 'cm-1', resourceVersion: '80' },
    data: { 'sampling.json': '{"default_strategy":{"type":"probabilistic","param":1}}' },
  },
];

export const webhooks = [
  {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: {
      name: 'jaeger-operator-mutating-webhook-configuration',
      uid: 'wh-1',
      resourceVersion: '90',
      annotations: { 'cert-manager.io/inject-ca-from': 'observability/jaeger-operator-serving-cert' },
    },
    webhooks: [
      {
        name: 'deployment.sidecar-injector.jaegertracing.io',
        clientConfig: { service: { name: 'jaeger-operator-webhook-service', namespace: 'observability' } },
      },
    ],
  },
];

export function s1Objects(): Record<string, KubeObject[]> {
  return structuredClone({
    pods: [collectorPod, esPod],
    nodes: [minikubeNode],
    namespaces,
    secrets,
    configmaps: configMaps,
    mutatingwebhookconfigurations: webhooks,
  }) as Record<string, KubeObject[]>;
}
