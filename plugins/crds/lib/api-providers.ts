// Which project serves which API group, and which API versions Kubernetes itself removed:
// the data crds/missing-api-group explains a missing group with. Documented in
// docs/rules/crds.md; extend the tables, not the rule.

/** The cert-manager release kcockpit suggests; documented in docs/rules/crds.md. */
export const CERT_MANAGER_VERSION = 'v1.16.2';
export const CERT_MANAGER_MANIFEST = `https://github.com/cert-manager/cert-manager/releases/download/${CERT_MANAGER_VERSION}/cert-manager.yaml`;

export interface ApiGroupProvider {
  id: string;
  /** The project in words: "cert-manager", "the Prometheus operator". */
  project: string;
  groups: string[];
  /** When one group is shared by several projects (argoproj.io), the kinds that pick this one. */
  kinds?: string[];
  /** How to install it, when there is one well-known way. */
  install?: string[];
  /** What else to know before installing. */
  note?: string;
}

/** Which project serves which API group. Data, documented in docs/rules/crds.md. */
export const API_GROUP_PROVIDERS: readonly ApiGroupProvider[] = [
  {
    id: 'cert-manager',
    project: 'cert-manager',
    groups: ['cert-manager.io', 'acme.cert-manager.io'],
  },
  {
    id: 'prometheus-operator',
    project: 'the Prometheus operator (kube-prometheus-stack)',
    groups: ['monitoring.coreos.com'],
    install: [
      'helm repo add prometheus-community https://prometheus-community.github.io/helm-charts',
      'helm install prometheus-operator-crds prometheus-community/prometheus-operator-crds -n monitoring --create-namespace',
    ],
    note: 'prometheus-operator-crds installs only the definitions; kube-prometheus-stack installs them with the operator, Prometheus and Grafana.',
  },
  {
    id: 'jaeger-operator',
    project: 'the Jaeger operator',
    groups: ['jaegertracing.io'],
    install: [
      'helm repo add jaegertracing https://jaegertracing.github.io/helm-charts',
      'helm install jaeger-operator jaegertracing/jaeger-operator -n observability --create-namespace',
    ],
    note: 'The Jaeger operator needs cert-manager installed first.',
  },
  {
    id: 'istio',
    project: 'Istio',
    groups: [
      'networking.istio.io',
      'security.istio.io',
      'telemetry.istio.io',
      'extensions.istio.io',
      'install.istio.io',
    ],
    install: [
      'helm repo add istio https://istio-release.storage.googleapis.com/charts',
      'helm install istio-base istio/base -n istio-system --create-namespace',
    ],
    note: 'istio/base installs the definitions; istiod (istio/istiod) makes them do something.',
  },
  {
    id: 'traefik',
    project: 'Traefik',
    groups: ['traefik.io', 'traefik.containo.us'],
    install: [
      'helm repo add traefik https://traefik.github.io/charts',
      'helm install traefik traefik/traefik -n traefik --create-namespace',
    ],
    note: 'traefik.containo.us is the Traefik v2 group; Traefik v3 serves only traefik.io, so v2 manifests need their apiVersion changed.',
  },
  {
    id: 'calico',
    project: 'Calico',
    groups: ['crd.projectcalico.org', 'projectcalico.org', 'operator.tigera.io'],
    install: [
      'helm repo add projectcalico https://docs.tigera.io/calico/charts',
      'helm install calico projectcalico/tigera-operator -n tigera-operator --create-namespace',
    ],
    note: 'projectcalico.org/v3 is served by the Calico API server, not by CRDs: it appears only once that component runs.',
  },
  {
    id: 'argo-cd',
    project: 'Argo CD',
    groups: ['argoproj.io'],
    kinds: ['Application', 'AppProject', 'ApplicationSet'],
    install: [
      'kubectl create namespace argocd',
      'kubectl apply -n argocd -f https://raw.githubusercontent.com/argoproj/argo-cd/stable/manifests/install.yaml',
    ],
  },
  {
    id: 'argo-workflows',
    project: 'Argo Workflows',
    groups: ['argoproj.io'],
    kinds: [
      'Workflow',
      'WorkflowTemplate',
      'ClusterWorkflowTemplate',
      'CronWorkflow',
      'WorkflowTaskSet',
      'WorkflowTaskResult',
      'WorkflowEventBinding',
      'WorkflowArtifactGCTask',
    ],
    install: [
      'helm repo add argo https://argoproj.github.io/argo-helm',
      'helm install argo-workflows argo/argo-workflows -n argo --create-namespace',
    ],
  },
  {
    id: 'argo-rollouts',
    project: 'Argo Rollouts',
    groups: ['argoproj.io'],
    kinds: ['Rollout', 'AnalysisTemplate', 'ClusterAnalysisTemplate', 'AnalysisRun', 'Experiment'],
    install: [
      'helm repo add argo https://argoproj.github.io/argo-helm',
      'helm install argo-rollouts argo/argo-rollouts -n argo-rollouts --create-namespace',
    ],
  },
  {
    id: 'argo-events',
    project: 'Argo Events',
    groups: ['argoproj.io'],
    kinds: ['EventSource', 'Sensor', 'EventBus'],
    install: [
      'helm repo add argo https://argoproj.github.io/argo-helm',
      'helm install argo-events argo/argo-events -n argo-events --create-namespace',
    ],
  },
  {
    id: 'argo',
    project: 'an Argo project (Argo CD, Workflows, Rollouts or Events)',
    groups: ['argoproj.io'],
  },
  {
    id: 'external-secrets',
    project: 'External Secrets Operator',
    groups: ['external-secrets.io', 'generators.external-secrets.io'],
    install: [
      'helm repo add external-secrets https://charts.external-secrets.io',
      'helm install external-secrets external-secrets/external-secrets -n external-secrets --create-namespace',
    ],
  },
  {
    id: 'strimzi',
    project: 'Strimzi (Kafka operator)',
    groups: ['kafka.strimzi.io', 'core.strimzi.io'],
    install: [
      'kubectl create namespace kafka',
      "kubectl create -f 'https://strimzi.io/install/latest?namespace=kafka' -n kafka",
    ],
  },
  {
    id: 'gateway-api',
    project: 'the Gateway API CRDs',
    groups: ['gateway.networking.k8s.io'],
    install: [
      'kubectl apply -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.2.1/standard-install.yaml',
    ],
    note: 'The standard channel has Gateway, GatewayClass, HTTPRoute, GRPCRoute and ReferenceGrant; TCPRoute, TLSRoute and UDPRoute are in experimental-install.yaml. A Gateway controller (Envoy Gateway, Istio, Traefik, ...) is needed too.',
  },
  {
    id: 'csi-snapshotter',
    project: 'the CSI external-snapshotter',
    groups: ['snapshot.storage.k8s.io', 'groupsnapshot.storage.k8s.io'],
    note: 'Install the snapshot CRDs and the snapshot controller from github.com/kubernetes-csi/external-snapshotter (on minikube: `minikube addons enable volumesnapshots`).',
  },
  {
    id: 'metrics-server',
    project: 'metrics-server',
    groups: ['metrics.k8s.io'],
    install: [
      'kubectl apply -f https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml',
    ],
    note: 'On minikube: `minikube addons enable metrics-server`.',
  },
  {
    id: 'keda',
    project: 'KEDA',
    groups: ['keda.sh', 'eventing.keda.sh'],
    install: [
      'helm repo add kedacore https://kedacore.github.io/charts',
      'helm install keda kedacore/keda -n keda --create-namespace',
    ],
  },
  {
    id: 'cloudnative-pg',
    project: 'CloudNativePG',
    groups: ['postgresql.cnpg.io'],
    install: [
      'helm repo add cnpg https://cloudnative-pg.github.io/charts',
      'helm install cnpg cnpg/cloudnative-pg -n cnpg-system --create-namespace',
    ],
  },
  {
    id: 'flux',
    project: 'Flux',
    groups: [
      'source.toolkit.fluxcd.io',
      'kustomize.toolkit.fluxcd.io',
      'helm.toolkit.fluxcd.io',
      'notification.toolkit.fluxcd.io',
      'image.toolkit.fluxcd.io',
    ],
    install: ['flux install'],
  },
  {
    id: 'opentelemetry-operator',
    project: 'the OpenTelemetry operator',
    groups: ['opentelemetry.io'],
    install: [
      'kubectl apply -f https://github.com/open-telemetry/opentelemetry-operator/releases/latest/download/opentelemetry-operator.yaml',
    ],
    note: 'The OpenTelemetry operator needs cert-manager installed first.',
  },
  {
    id: 'eck',
    project: 'Elastic Cloud on Kubernetes (ECK)',
    groups: [
      'elasticsearch.k8s.elastic.co',
      'kibana.k8s.elastic.co',
      'apm.k8s.elastic.co',
      'beat.k8s.elastic.co',
      'agent.k8s.elastic.co',
      'logstash.k8s.elastic.co',
    ],
    install: [
      'helm repo add elastic https://helm.elastic.co',
      'helm install elastic-operator elastic/eck-operator -n elastic-system --create-namespace',
    ],
  },
  {
    id: 'sealed-secrets',
    project: 'Sealed Secrets',
    groups: ['bitnami.com'],
    install: [
      'helm repo add sealed-secrets https://bitnami-labs.github.io/sealed-secrets',
      'helm install sealed-secrets sealed-secrets/sealed-secrets -n kube-system',
    ],
  },
  {
    id: 'kyverno',
    project: 'Kyverno',
    groups: ['kyverno.io', 'wgpolicyk8s.io'],
    install: [
      'helm repo add kyverno https://kyverno.github.io/kyverno/',
      'helm install kyverno kyverno/kyverno -n kyverno --create-namespace',
    ],
  },
  {
    id: 'metallb',
    project: 'MetalLB',
    groups: ['metallb.io'],
    install: [
      'helm repo add metallb https://metallb.github.io/metallb',
      'helm install metallb metallb/metallb -n metallb-system --create-namespace',
    ],
  },
  {
    id: 'crossplane',
    project: 'Crossplane',
    groups: ['pkg.crossplane.io', 'apiextensions.crossplane.io'],
    install: [
      'helm repo add crossplane-stable https://charts.crossplane.io/stable',
      'helm install crossplane crossplane-stable/crossplane -n crossplane-system --create-namespace',
    ],
  },
  {
    id: 'linkerd',
    project: 'Linkerd',
    groups: ['linkerd.io', 'policy.linkerd.io'],
    install: ['linkerd install --crds | kubectl apply -f -'],
  },
  {
    id: 'vpa',
    project: 'the Vertical Pod Autoscaler',
    groups: ['autoscaling.k8s.io'],
    note: 'Install it from github.com/kubernetes/autoscaler (vertical-pod-autoscaler).',
  },
  {
    id: 'velero',
    project: 'Velero',
    groups: ['velero.io'],
    note: 'Install it with the velero CLI (`velero install` with your storage provider).',
  },
];

export function providerFor(group: string, kind?: string): ApiGroupProvider | undefined {
  const candidates = API_GROUP_PROVIDERS.filter((p) => p.groups.includes(group));
  return candidates.find((p) => p.kinds && kind && p.kinds.includes(kind)) ?? candidates.find((p) => !p.kinds);
}

// ---- API versions Kubernetes itself removed ----

export interface RemovedApi {
  apiVersion: string;
  kinds?: string[];
  removedIn: string;
  /** Where the kind lives now; absent when nothing replaces it. */
  replacement?: string;
  note?: string;
}

/** From the Kubernetes deprecated API migration guide. */
const REMOVED_APIS: readonly RemovedApi[] = [
  { apiVersion: 'extensions/v1beta1', kinds: ['Ingress'], removedIn: '1.22', replacement: 'networking.k8s.io/v1' },
  {
    apiVersion: 'extensions/v1beta1',
    kinds: ['Deployment', 'DaemonSet', 'ReplicaSet'],
    removedIn: '1.16',
    replacement: 'apps/v1',
  },
  {
    apiVersion: 'extensions/v1beta1',
    kinds: ['NetworkPolicy'],
    removedIn: '1.16',
    replacement: 'networking.k8s.io/v1',
  },
  { apiVersion: 'apps/v1beta1', removedIn: '1.16', replacement: 'apps/v1' },
  { apiVersion: 'apps/v1beta2', removedIn: '1.16', replacement: 'apps/v1' },
  {
    apiVersion: 'networking.k8s.io/v1beta1',
    kinds: ['Ingress', 'IngressClass'],
    removedIn: '1.22',
    replacement: 'networking.k8s.io/v1',
  },
  { apiVersion: 'policy/v1beta1', kinds: ['PodDisruptionBudget'], removedIn: '1.25', replacement: 'policy/v1' },
  {
    apiVersion: 'policy/v1beta1',
    kinds: ['PodSecurityPolicy'],
    removedIn: '1.25',
    note: 'Nothing replaces PodSecurityPolicy: Pod Security Admission (namespace labels) does its job; drop the object from the chart.',
  },
  { apiVersion: 'batch/v1beta1', kinds: ['CronJob'], removedIn: '1.25', replacement: 'batch/v1' },
  {
    apiVersion: 'autoscaling/v2beta1',
    kinds: ['HorizontalPodAutoscaler'],
    removedIn: '1.25',
    replacement: 'autoscaling/v2',
  },
  {
    apiVersion: 'autoscaling/v2beta2',
    kinds: ['HorizontalPodAutoscaler'],
    removedIn: '1.26',
    replacement: 'autoscaling/v2',
  },
  { apiVersion: 'rbac.authorization.k8s.io/v1beta1', removedIn: '1.22', replacement: 'rbac.authorization.k8s.io/v1' },
  { apiVersion: 'apiextensions.k8s.io/v1beta1', removedIn: '1.22', replacement: 'apiextensions.k8s.io/v1' },
  {
    apiVersion: 'admissionregistration.k8s.io/v1beta1',
    removedIn: '1.22',
    replacement: 'admissionregistration.k8s.io/v1',
  },
  { apiVersion: 'apiregistration.k8s.io/v1beta1', removedIn: '1.22', replacement: 'apiregistration.k8s.io/v1' },
  { apiVersion: 'scheduling.k8s.io/v1beta1', removedIn: '1.22', replacement: 'scheduling.k8s.io/v1' },
  { apiVersion: 'coordination.k8s.io/v1beta1', removedIn: '1.22', replacement: 'coordination.k8s.io/v1' },
  { apiVersion: 'certificates.k8s.io/v1beta1', removedIn: '1.22', replacement: 'certificates.k8s.io/v1' },
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kinds: ['CSIStorageCapacity'],
    removedIn: '1.27',
    replacement: 'storage.k8s.io/v1',
  },
  { apiVersion: 'storage.k8s.io/v1beta1', removedIn: '1.22', replacement: 'storage.k8s.io/v1' },
  { apiVersion: 'discovery.k8s.io/v1beta1', removedIn: '1.25', replacement: 'discovery.k8s.io/v1' },
  { apiVersion: 'events.k8s.io/v1beta1', removedIn: '1.25', replacement: 'events.k8s.io/v1' },
  { apiVersion: 'node.k8s.io/v1beta1', removedIn: '1.25', replacement: 'node.k8s.io/v1' },
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1',
    removedIn: '1.26',
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
  },
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2',
    removedIn: '1.29',
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
  },
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3',
    removedIn: '1.32',
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
  },
];

const BUILT_IN_GROUPS = new Set(['', 'apps', 'batch', 'autoscaling', 'policy', 'extensions']);

export function isBuiltInGroup(group: string): boolean {
  return (
    BUILT_IN_GROUPS.has(group) ||
    (group.endsWith('.k8s.io') && !API_GROUP_PROVIDERS.some((p) => p.groups.includes(group)))
  );
}

export function removedApi(apiVersion: string, kind: string): RemovedApi | undefined {
  return REMOVED_APIS.find((r) => r.apiVersion === apiVersion && (!r.kinds || r.kinds.includes(kind)));
}
