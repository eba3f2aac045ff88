// Wire shapes of the Kubernetes objects kcockpit reads, as the API server sends them
// (JSON, timestamps as RFC 3339 strings). client-node's generated classes are not used for
// reads: deserialising 10,000 pods through its ObjectSerializer costs more than the list
// itself, and its Date fields differ from the wire. Only the fields some part of kcockpit
// reads are typed; everything else passes through untouched.

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  managedFields?: unknown[];
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}

export interface LocalObjectReference {
  name: string;
}

export interface ResourceRequirements {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
    secretKeyRef?: { name: string; key: string; optional?: boolean };
  };
}

export interface Probe {
  httpGet?: { path?: string; port: number | string };
  tcpSocket?: { port: number | string };
  exec?: { command?: string[] };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: ContainerPort[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string; optional?: boolean }; secretRef?: { name: string; optional?: boolean } }[];
  resources?: ResourceRequirements;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  volumeMounts?: { name: string; mountPath: string }[];
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

export interface PodAffinityTerm {
  labelSelector?: LabelSelector;
  topologyKey: string;
  namespaces?: string[];
}

export interface Affinity {
  nodeAffinity?: unknown;
  podAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
  };
  podAntiAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
    preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; podAffinityTerm: PodAffinityTerm }[];
  };
}

export interface Volume {
  name: string;
  secret?: { secretName?: string; optional?: boolean };
  configMap?: { name?: string; optional?: boolean };
  persistentVolumeClaim?: { claimName: string };
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  serviceAccountName?: string;
  imagePullSecrets?: LocalObjectReference[];
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  tolerations?: Toleration[];
  volumes?: Volume[];
  restartPolicy?: string;
  schedulerName?: string;
}

export interface ContainerStateWaiting {
  reason?: string;
  message?: string;
}

export interface ContainerStateTerminated {
  exitCode: number;
  signal?: number;
  reason?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
}

export interface ContainerState {
  waiting?: ContainerStateWaiting;
  running?: { startedAt?: string };
  terminated?: ContainerStateTerminated;
}

export interface ContainerStatus {
  name: string;
  image?: string;
  imageID?: string;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface PodCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastProbeTime?: string | null;
}

export interface PodStatus {
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown' | string;
  conditions?: PodCondition[];
  containerStatuses?: ContainerStatus[];
  initContainerStatuses?: ContainerStatus[];
  reason?: string;
  message?: string;
  hostIP?: string;
  podIP?: string;
  startTime?: string;
}

export interface Pod extends KubeObject {
  spec: PodSpec;
  status?: PodStatus;
}

export interface PodTemplateSpec {
  metadata?: Partial<ObjectMeta>;
  spec: PodSpec;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface WorkloadStatus {
  replicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  updatedReplicas?: number;
  observedGeneration?: number;
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
}

/** Deployment, StatefulSet, ReplicaSet and DaemonSet share this shape as far as kcockpit reads them. */
export interface Workload extends KubeObject {
  spec: {
    replicas?: number;
    selector?: LabelSelector;
    template: PodTemplateSpec;
    serviceName?: string;
    /** StatefulSet/DaemonSet: `OnDelete` means a template change reaches pods only when they are deleted. */
    updateStrategy?: { type?: string };
  };
  status?: WorkloadStatus;
}

export interface JobCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
}

export interface Job extends KubeObject {
  spec: {
    template: PodTemplateSpec;
    backoffLimit?: number;
    completions?: number;
    parallelism?: number;
    activeDeadlineSeconds?: number;
    selector?: LabelSelector;
    suspend?: boolean;
  };
  status?: {
    active?: number;
    ready?: number;
    succeeded?: number;
    failed?: number;
    startTime?: string;
    completionTime?: string;
    conditions?: JobCondition[];
  };
}

export interface CronJob extends KubeObject {
  spec: {
    schedule: string;
    timeZone?: string;
    suspend?: boolean;
    concurrencyPolicy?: string;
    startingDeadlineSeconds?: number;
    successfulJobsHistoryLimit?: number;
    failedJobsHistoryLimit?: number;
    jobTemplate: { metadata?: Partial<ObjectMeta>; spec: Job['spec'] };
  };
  status?: {
    active?: { kind?: string; namespace?: string; name: string; uid?: string; apiVersion?: string }[];
    lastScheduleTime?: string;
    lastSuccessfulTime?: string;
  };
}

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
  nodePort?: number;
  appProtocol?: string;
}

export interface Service extends KubeObject {
  spec: {
    selector?: Record<string, string>;
    ports?: ServicePort[];
    type?: string;
    clusterIP?: string;
    clusterIPs?: string[];
    externalName?: string;
    publishNotReadyAddresses?: boolean;
  };
}

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind?: string; namespace?: string; name?: string; uid?: string; resourceVersion?: string };
}

/** core/v1 Endpoints: what the endpoints controller computed from a Service's selector and its pods' readiness. */
export interface Endpoints extends KubeObject {
  subsets?: {
    addresses?: EndpointAddress[];
    notReadyAddresses?: EndpointAddress[];
    ports?: { name?: string; port: number; protocol?: string; appProtocol?: string }[];
  }[];
}

/** discovery.k8s.io/v1 EndpointSlice; a slice of a Service with nothing selected has `endpoints: null`. */
export interface EndpointSlice extends KubeObject {
  addressType: string;
  endpoints:
    | {
        addresses: string[];
        conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
        targetRef?: EndpointAddress['targetRef'];
        nodeName?: string;
        zone?: string;
      }[]
    | null;
  ports: { name?: string; port?: number; protocol?: string; appProtocol?: string }[] | null;
}

export interface IngressBackend {
  service?: { name: string; port?: { number?: number; name?: string } };
  resource?: { apiGroup?: string; kind: string; name: string };
}

export interface Ingress extends KubeObject {
  spec: {
    ingressClassName?: string;
    defaultBackend?: IngressBackend;
    tls?: { hosts?: string[]; secretName?: string }[];
    rules?: {
      host?: string;
      http?: { paths: { path?: string; pathType?: string; backend: IngressBackend }[] };
    }[];
  };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

export interface IngressClass extends KubeObject {
  spec: { controller?: string; parameters?: { apiGroup?: string; kind: string; name: string } };
}

export interface NetworkPolicy extends KubeObject {
  spec: { podSelector: LabelSelector; policyTypes?: string[]; ingress?: unknown[]; egress?: unknown[] };
}

export interface ServiceAccount extends KubeObject {
  imagePullSecrets?: LocalObjectReference[];
  secrets?: LocalObjectReference[];
}

export interface NodeTaint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

export interface NodeCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

export interface Node extends KubeObject {
  spec?: { unschedulable?: boolean; taints?: NodeTaint[] };
  status?: {
    capacity?: Record<string, string>;
    allocatable?: Record<string, string>;
    conditions?: NodeCondition[];
    nodeInfo?: { kubeletVersion?: string };
  };
}

export interface Namespace extends KubeObject {
  status?: { phase?: string };
}

export interface PersistentVolumeClaim extends KubeObject {
  spec: {
    storageClassName?: string | null;
    volumeName?: string;
    resources?: ResourceRequirements;
    accessModes?: string[];
    selector?: LabelSelector;
    volumeMode?: string;
  };
  status?: { phase?: string; capacity?: Record<string, string>; accessModes?: string[] };
}

export interface PersistentVolume extends KubeObject {
  spec: {
    capacity?: Record<string, string>;
    accessModes?: string[];
    persistentVolumeReclaimPolicy?: string;
    storageClassName?: string;
    volumeMode?: string;
    claimRef?: {
      kind?: string;
      namespace?: string;
      name?: string;
      uid?: string;
      apiVersion?: string;
      resourceVersion?: string;
    };
    hostPath?: { path: string; type?: string };
  };
  status?: { phase?: string; reason?: string; message?: string };
}

/** storage.k8s.io/v1 StorageClass (fields at the top level, no spec). */
export interface StorageClass extends KubeObject {
  provisioner: string;
  reclaimPolicy?: string;
  volumeBindingMode?: string;
  allowVolumeExpansion?: boolean;
  parameters?: Record<string, string>;
}

export interface ResourceQuota extends KubeObject {
  spec?: { hard?: Record<string, string>; scopes?: string[] };
  status?: { hard?: Record<string, string>; used?: Record<string, string> };
}

export interface LimitRangeItem {
  type: string;
  max?: Record<string, string>;
  min?: Record<string, string>;
  default?: Record<string, string>;
  defaultRequest?: Record<string, string>;
  maxLimitRequestRatio?: Record<string, string>;
}

export interface LimitRange extends KubeObject {
  spec: { limits: LimitRangeItem[] };
}

export interface HorizontalPodAutoscaler extends KubeObject {
  spec: {
    scaleTargetRef: { apiVersion?: string; kind: string; name: string };
    minReplicas?: number;
    maxReplicas: number;
    metrics?: {
      type: string;
      resource?: { name: string; target: { type: string; averageUtilization?: number; averageValue?: string } };
    }[];
  };
  status?: {
    currentReplicas?: number;
    desiredReplicas?: number;
    lastScaleTime?: string;
    currentMetrics?: unknown[] | null;
    conditions?: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[];
  };
}

export interface PodDisruptionBudget extends KubeObject {
  spec: { minAvailable?: number | string; maxUnavailable?: number | string; selector?: LabelSelector };
  status?: {
    observedGeneration?: number;
    disruptionsAllowed?: number;
    currentHealthy?: number;
    desiredHealthy?: number;
    expectedPods?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[];
  };
}

export interface EventSource {
  component?: string;
  host?: string;
}

/** core/v1 Event: the shape `kubectl get events` and `kubectl describe` read. */
export interface KubeEvent extends KubeObject {
  involvedObject: {
    kind?: string;
    namespace?: string;
    name?: string;
    uid?: string;
    apiVersion?: string;
    fieldPath?: string;
  };
  reason?: string;
  message?: string;
  type?: 'Normal' | 'Warning' | string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  source?: EventSource;
  reportingComponent?: string;
  series?: { count?: number; lastObservedTime?: string };
}

/**
 * What kcockpit keeps of a Secret. Secret values never enter the store: pull-secret
 * Secrets keep only the registries they hold credentials for, Helm release Secrets are
 * decoded into HelmRelease objects and dropped.
 */
export interface SecretSummary extends KubeObject {
  type?: string;
  /** dockerconfigjson Secrets: the registry hosts named under `auths`, never the credentials. */
  registries?: string[];
  /** Keys present in `data`, without their values (e.g. `tls.crt`). */
  keys?: string[];
}

export interface ConfigMapSummary extends KubeObject {
  keys?: string[];
}

export interface WebhookRule {
  operations?: string[];
  apiGroups?: string[];
  apiVersions?: string[];
  resources?: string[];
  scope?: string;
}

export interface Webhook {
  name: string;
  clientConfig?: { service?: { name: string; namespace: string; port?: number; path?: string }; url?: string };
  rules?: WebhookRule[];
  failurePolicy?: string;
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
  timeoutSeconds?: number;
  sideEffects?: string;
}

/** Mutating and Validating webhook configurations share this shape as far as kcockpit reads them. */
export interface WebhookConfiguration extends KubeObject {
  webhooks?: Webhook[];
}

export type HelmStatus =
  | 'unknown'
  | 'deployed'
  | 'uninstalled'
  | 'superseded'
  | 'failed'
  | 'uninstalling'
  | 'pending-install'
  | 'pending-upgrade'
  | 'pending-rollback';

/** A Helm v3 release decoded from its storage Secret (only what kcockpit uses). */
export interface HelmRelease {
  name: string;
  namespace: string;
  revision: number;
  status: HelmStatus | string;
  description?: string;
  firstDeployed?: string;
  lastDeployed?: string;
  chartName?: string;
  chartVersion?: string;
  appVersion?: string;
  /** User-supplied values (helm's `config`). */
  values?: Record<string, unknown>;
  /** Rendered manifest; kept so rules can see which kinds the release needs. */
  manifest?: string;
  /** The Secret this revision was read from. */
  storageSecret: string;
}

/** An API group/version/kind the server serves, from discovery. */
export interface ApiResourceInfo {
  group: string;
  version: string;
  kind: string;
  /** Plural resource name: the URL segment (`pods`, `samples-widgets`). */
  name: string;
  namespaced: boolean;
  shortNames?: string[];
  verbs?: string[];
  /** Discovery's singularName; servers before 1.27 leave it empty for built-in kinds. */
  singularName?: string;
  categories?: string[];
  /** False for a version other than the group's preferred one (`autoscaling/v1` beside `v2`). */
  preferred?: boolean;
}

/** A column of the server's Table form (`kubectl get`'s columns). */
export interface TableColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  /** 0: always shown; 1 and more: `-o wide` only. */
  priority: number;
}

/** One row of the server's Table form: the printed cells and the object (its metadata at least). */
export interface TableRow {
  cells: (string | number | boolean | null)[];
  object: KubeObject;
}

/** The last lines of a container's log, fetched ahead so rules stay pure. */
export interface LogTail {
  namespace: string;
  pod: string;
  container: string;
  previous: boolean;
  lines: string[];
}
