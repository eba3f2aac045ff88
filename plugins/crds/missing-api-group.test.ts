import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rule } from './missing-api-group.js';
import { API_GROUP_PROVIDERS, CERT_MANAGER_MANIFEST, providerFor } from './lib/api-providers.js';
import { Snapshot, type SnapshotInput } from '../../src/store/snapshot.js';
import type {
  ApiResourceInfo,
  HelmRelease,
  KubeEvent,
  Pod,
  WebhookConfiguration,
  Workload,
} from '../../src/model/k8s.js';
import type { RawFinding } from '../../src/diagnose/types.js';

const text = (path: string): string => readFileSync(new URL(`../../test/fixtures/${path}`, import.meta.url), 'utf8');
const fixture = <T>(path: string): T => JSON.parse(text(path)) as T;

const NOW = Date.parse('2026-11-21T21:40:00Z');

const S1_4 =
  'Error: INSTALLATION FAILED: unable to build kubernetes objects from release manifest: [unable to recognize "": no matches for kind "Certificate" in version "cert-manager.io/v1", unable to recognize "": no matches for kind "Issuer" in version "cert-manager.io/v1"]';

/** The groups the real API server in api-samples/discovery_apis.json serves (no cert-manager.io). */
const GROUPS = [
  '',
  'apiregistration.k8s.io',
  'apps',
  'events.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
  'flowcontrol.apiserver.k8s.io',
];

function jaegerOp(overrides: Partial<HelmRelease> = {}): HelmRelease {
  return {
    name: 'jaeger-op',
    namespace: 'observability',
    revision: 1,
    status: 'deployed',
    description: 'Install complete',
    firstDeployed: '2026-11-21T18:40:11Z',
    lastDeployed: '2026-11-21T18:40:11Z',
    chartName: 'jaeger-operator',
    chartVersion: '2.38.0',
    appVersion: '1.39.0',
    values: {},
    manifest: text('crds/jaeger-operator-2.38.0-manifest.yaml'),
    storageSecret: 'sh.helm.release.v1.jaeger-op.v1',
    ...overrides,
  };
}

function cluster(overrides: Partial<SnapshotInput> = {}): SnapshotInput {
  return {
    apiGroups: GROUPS,
    helmReleases: [jaegerOp()],
    webhooks: [fixture<WebhookConfiguration>('crds/mutating-webhook-jaeger-operator.json')],
    deployments: [fixture<Workload>('crds/deployment-jaeger-operator.json')],
    replicaSets: [fixture<Workload>('crds/replicaset-jaeger-operator.json')],
    pods: [fixture<Pod>('crds/pod-jaeger-operator-failedmount.json')],
    events: fixture<{ items: KubeEvent[] }>('crds/events-failedmount.json').items,
    ...overrides,
  };
}

function diagnose(input: SnapshotInput, errorText?: string): RawFinding[] {
  const ctx =
    errorText === undefined
      ? { snapshot: new Snapshot(input), now: NOW }
      : { snapshot: new Snapshot(input), now: NOW, errorText };
  return rule.diagnose(ctx);
}

describe('crds/missing-api-group — S1.4 from the error text alone', () => {
  it('recognises cert-manager missing and offers to install it, wait for it, and retry', () => {
    const findings = diagnose({}, S1_4);
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f.id).toBe('crds/missing-api-group:/APIGroup/cert-manager.io');
    expect(f.severity).toBe('critical');
    expect(f.subject).toEqual({ kind: 'APIGroup', name: 'cert-manager.io' });
    expect(f.title).toBe('cert-manager is not installed: API group cert-manager.io is not served');
    expect(f.explanation).toContain('The API server has no Certificate, Issuer (cert-manager.io/v1)');
    expect(f.explanation).toContain(
      'Install cert-manager first, wait for its three deployments to be available, then run the command that failed again.',
    );
    expect(f.evidence).toEqual([
      { source: 'error', text: 'no matches for kind "Certificate" in version "cert-manager.io/v1"' },
      { source: 'error', text: 'no matches for kind "Issuer" in version "cert-manager.io/v1"' },
    ]);

    const [manifest, helm] = f.fixes;
    expect(manifest!.id).toBe('install-cert-manager');
    expect(manifest!.mutates).toBe(true);
    expect(CERT_MANAGER_MANIFEST).toBe(
      'https://github.com/cert-manager/cert-manager/releases/download/v1.16.2/cert-manager.yaml',
    );
    expect(manifest!.steps.map((s) => s.action)).toEqual(['apply-manifest', 'wait-available', 'manual']);
    expect(manifest!.steps[0]).toMatchObject({ action: 'apply-manifest', source: CERT_MANAGER_MANIFEST });
    expect(manifest!.steps[1]).toMatchObject({
      action: 'wait-available',
      refs: [
        { kind: 'Deployment', namespace: 'cert-manager', name: 'cert-manager' },
        { kind: 'Deployment', namespace: 'cert-manager', name: 'cert-manager-cainjector' },
        { kind: 'Deployment', namespace: 'cert-manager', name: 'cert-manager-webhook' },
      ],
    });
    expect(manifest!.commands).toEqual([
      `kubectl apply -f ${CERT_MANAGER_MANIFEST}`,
      'kubectl wait --for=condition=Available deployment/cert-manager deployment/cert-manager-cainjector deployment/cert-manager-webhook -n cert-manager --timeout=300s',
    ]);
    expect(helm!.id).toBe('install-cert-manager-helm');
    expect(helm!.mutates).toBe(false);
    expect(helm!.commands).toContain('helm repo add jetstack https://charts.jetstack.io');
    expect(helm!.commands).toContain(
      'helm install cert-manager jetstack/cert-manager -n cert-manager --create-namespace --version v1.16.2 --set crds.enabled=true',
    );
  });

  it('says the group is served now when discovery already lists it', () => {
    const [f] = diagnose({ apiGroups: [...GROUPS, 'cert-manager.io', 'acme.cert-manager.io'] }, S1_4);
    expect(f!.severity).toBe('info');
    expect(f!.title).toBe('cert-manager.io/v1 is served now: retry what failed');
    expect(f!.fixes.map((p) => p.id)).toEqual(['retry']);
  });
});

describe('crds/missing-api-group — S1.4 from the cluster', () => {
  it('finds the need in the release manifest, the webhook annotation and the pod waiting for its TLS Secret', () => {
    const findings = diagnose(cluster());
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f.subject).toEqual({ kind: 'APIGroup', name: 'cert-manager.io' });
    expect(f.explanation).toContain(
      "Needed by: Helm release jaeger-op in observability creates Certificate, Issuer; webhook configuration jaeger-op-jaeger-operator-mutating-webhook-configuration asks cert-manager's CA injector for a CA certificate; pod jaeger-op-jaeger-operator-7d7b58d48b-89p9p waits for a TLS Secret that a cert-manager Certificate would create.",
    );
    expect(f.evidence).toContainEqual({
      source: 'helm',
      ref: { kind: 'HelmRelease', namespace: 'observability', name: 'jaeger-op' },
      path: 'manifest (jaeger-operator/templates/certificate.yaml)',
      text: 'apiVersion: cert-manager.io/v1, kind: Certificate, name: jaeger-op-jaeger-operator-service-cert',
    });
    expect(f.evidence).toContainEqual(
      expect.objectContaining({
        source: 'spec',
        path: 'metadata.annotations["cert-manager.io/inject-ca-from"]',
        text: 'cert-manager.io/inject-ca-from: observability/jaeger-op-jaeger-operator-service-cert',
      }),
    );
    expect(f.evidence).toContainEqual(
      expect.objectContaining({
        source: 'event',
        reason: 'FailedMount',
        count: 93,
        text: 'MountVolume.SetUp failed for volume "cert" : secret "jaeger-operator-service-cert" not found',
      }),
    );
    expect(f.evidence).toContainEqual({
      source: 'discovery',
      text: 'API group cert-manager.io is not among the 20 groups the API server serves',
    });
    expect(f.explains).toEqual([
      { kind: 'HelmRelease', namespace: 'observability', name: 'jaeger-op' },
      { kind: 'MutatingWebhookConfiguration', name: 'jaeger-op-jaeger-operator-mutating-webhook-configuration' },
      { kind: 'Pod', namespace: 'observability', name: 'jaeger-op-jaeger-operator-7d7b58d48b-89p9p' },
      { kind: 'Deployment', namespace: 'observability', name: 'jaeger-op-jaeger-operator' },
    ]);
    expect(f.fixes[0]!.commands).toContain(
      'helm upgrade jaeger-op jaegertracing/jaeger-operator -n observability --reuse-values --version 2.38.0',
    );
    expect(f.fixes[0]!.steps[2]).toEqual({
      action: 'manual',
      description:
        'Retry release jaeger-op in observability: helm upgrade jaeger-op jaegertracing/jaeger-operator -n observability --reuse-values --version 2.38.0',
    });
  });

  it('merges the error text and the cluster into one finding', () => {
    const findings = diagnose(cluster(), S1_4);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.evidence.filter((e) => e.source === 'error')).toHaveLength(2);
    expect(findings[0]!.explanation).toContain('the command whose error you handed over');
  });

  it('reads a failed upgrade description and retries with helm upgrade', () => {
    const failed = jaegerOp({
      revision: 2,
      status: 'failed',
      description:
        'Upgrade "jaeger-op" failed: unable to build kubernetes objects from new release manifest: [resource mapping not found for name: "jaeger-op-jaeger-operator-service-cert" namespace: "observability" from "": no matches for kind "Certificate" in version "cert-manager.io/v1"\nensure CRDs are installed first]',
      storageSecret: 'sh.helm.release.v1.jaeger-op.v2',
    });
    const [f] = diagnose(
      cluster({ helmReleases: [jaegerOp({ status: 'superseded' }), failed], webhooks: [], pods: [], events: [] }),
    );
    expect(f!.evidence[0]).toMatchObject({ source: 'helm', path: 'info.description' });
    expect(f!.explanation).toContain(
      'Helm release jaeger-op in observability creates Certificate, Issuer (its last upgrade failed)',
    );
    expect(f!.fixes[0]!.commands).toContain(
      'helm upgrade jaeger-op jaegertracing/jaeger-operator -n observability --reuse-values --version 2.38.0',
    );
  });

  it('starts over for a release that never deployed', () => {
    const [f] = diagnose(cluster({ helmReleases: [jaegerOp({ status: 'failed' })] }));
    expect(f!.fixes[0]!.commands).toEqual(
      expect.arrayContaining([
        'helm uninstall jaeger-op -n observability',
        'helm install jaeger-op jaegertracing/jaeger-operator -n observability --version 2.38.0',
      ]),
    );
  });

  it('is quiet when cert-manager is installed, and does not guess without discovery', () => {
    expect(diagnose(cluster({ apiGroups: [...GROUPS, 'cert-manager.io', 'acme.cert-manager.io'] }))).toEqual([]);
    expect(diagnose(cluster({ apiGroups: [] }))).toEqual([]);
  });

  it('tells a missing version of a served group from a missing group', () => {
    const resources: ApiResourceInfo[] = ['Certificate', 'Issuer', 'ClusterIssuer', 'CertificateRequest'].map(
      (kind) => ({
        group: 'cert-manager.io',
        version: 'v1',
        kind,
        name: `${kind.toLowerCase()}s`,
        namespaced: kind !== 'ClusterIssuer',
      }),
    );
    const old = jaegerOp({
      manifest: text('crds/jaeger-operator-2.38.0-manifest.yaml').replace(
        /cert-manager\.io\/v1$/gm,
        'cert-manager.io/v1alpha2',
      ),
    });
    const [f] = diagnose(
      cluster({
        apiGroups: [...GROUPS, 'cert-manager.io'],
        apiResources: resources,
        helmReleases: [old],
        webhooks: [],
        events: [],
      }),
    );
    expect(f!.subject).toEqual({ kind: 'APIVersion', name: 'cert-manager.io/v1alpha2' });
    expect(f!.title).toBe('cert-manager.io/v1alpha2 is not served: the installed cert-manager serves other versions');
    expect(f!.fixes[0]!.explanation).toContain('serves cert-manager.io v1, not cert-manager.io/v1alpha2');
  });
});

describe('crds/missing-api-group — other projects', () => {
  it.each([
    [
      'error: unable to recognize "sm.yaml": no matches for kind "ServiceMonitor" in version "monitoring.coreos.com/v1"',
      'monitoring.coreos.com',
      'install-prometheus-operator',
    ],
    ['no matches for kind "Jaeger" in version "jaegertracing.io/v1"', 'jaegertracing.io', 'install-jaeger-operator'],
    [
      'no matches for kind "VirtualService" in version "networking.istio.io/v1beta1"',
      'networking.istio.io',
      'install-istio',
    ],
    [
      'no matches for kind "IngressRoute" in version "traefik.containo.us/v1alpha1"',
      'traefik.containo.us',
      'install-traefik',
    ],
    ['no matches for kind "Application" in version "argoproj.io/v1alpha1"', 'argoproj.io', 'install-argo-cd'],
    ['no matches for kind "Rollout" in version "argoproj.io/v1alpha1"', 'argoproj.io', 'install-argo-rollouts'],
    ['no matches for kind "Kafka" in version "kafka.strimzi.io/v1beta2"', 'kafka.strimzi.io', 'install-strimzi'],
    [
      'no matches for kind "HTTPRoute" in version "gateway.networking.k8s.io/v1"',
      'gateway.networking.k8s.io',
      'install-gateway-api',
    ],
    ['no matches for kind "ScaledObject" in version "keda.sh/v1alpha1"', 'keda.sh', 'install-keda'],
    [
      'no matches for kind "Cluster" in version "postgresql.cnpg.io/v1"',
      'postgresql.cnpg.io',
      'install-cloudnative-pg',
    ],
    [
      'no matches for kind "ExternalSecret" in version "external-secrets.io/v1beta1"',
      'external-secrets.io',
      'install-external-secrets',
    ],
    ['no matches for kind "Widget" in version "widgets.example.com/v1"', 'widgets.example.com', 'install-crds'],
  ])('%s', (error, group, planId) => {
    const [f] = diagnose({ apiGroups: GROUPS }, error);
    expect(f!.subject).toEqual({ kind: 'APIGroup', name: group });
    expect(f!.fixes[0]!.id).toBe(planId);
    expect(f!.fixes[0]!.mutates).toBe(false);
  });

  it('shows the known install command and the project in words', () => {
    const [f] = diagnose({}, 'no matches for kind "ServiceMonitor" in version "monitoring.coreos.com/v1"');
    expect(f!.title).toBe(
      'the Prometheus operator (kube-prometheus-stack) is not installed: API group monitoring.coreos.com is not served',
    );
    expect(f!.fixes[0]!.commands).toEqual([
      'helm repo add prometheus-community https://prometheus-community.github.io/helm-charts',
      'helm install prometheus-operator-crds prometheus-community/prometheus-operator-crds -n monitoring --create-namespace',
    ]);
  });

  it('maps argoproj.io by kind, falling back to Argo in general', () => {
    expect(providerFor('argoproj.io', 'Workflow')?.id).toBe('argo-workflows');
    expect(providerFor('argoproj.io', 'Sensor')?.id).toBe('argo-events');
    expect(providerFor('argoproj.io', 'Something')?.id).toBe('argo');
    expect(providerFor('acme.cert-manager.io', 'Order')?.id).toBe('cert-manager');
    expect(providerFor('example.com')).toBeUndefined();
  });

  it('has one provider per group unless kinds tell them apart', () => {
    const general = API_GROUP_PROVIDERS.filter((p) => !p.kinds).flatMap((p) => p.groups);
    expect(new Set(general).size).toBe(general.length);
  });
});

describe('crds/missing-api-group — API versions Kubernetes removed', () => {
  it('explains a removed built-in version and points at helm-mapkubeapis', () => {
    const resources: ApiResourceInfo[] = [
      { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', name: 'poddisruptionbudgets', namespaced: true },
    ];
    const [f] = diagnose(
      { apiGroups: GROUPS, apiResources: resources },
      'Error: UPGRADE FAILED: unable to build kubernetes objects from current release manifest: resource mapping not found for name: "web" namespace: "" from "": no matches for kind "PodDisruptionBudget" in version "policy/v1beta1"\nensure CRDs are installed first',
    );
    expect(f!.subject).toEqual({ kind: 'APIVersion', name: 'policy/v1beta1' });
    expect(f!.title).toBe('policy/v1beta1 PodDisruptionBudget is not served: Kubernetes 1.25 removed it');
    expect(f!.explanation).toContain('Use policy/v1 instead.');
    expect(f!.fixes[0]!.commands[0]).toBe('helm plugin install https://github.com/helm/helm-mapkubeapis');
  });

  it('treats an unknown kind of a built-in group as a typo or a newer API, not a missing project', () => {
    const [f] = diagnose({ apiGroups: GROUPS }, 'no matches for kind "Deploymnet" in version "apps/v1"');
    expect(f!.title).toBe('apps/v1 has no kind Deploymnet');
    expect(f!.fixes[0]!.commands).toEqual(['kubectl api-resources --api-group=apps']);
  });
});

describe('crds/missing-api-group — hostile input', () => {
  it('never throws on broken manifests, webhooks and events', () => {
    const broken = [
      jaegerOp({ manifest: 'apiVersion: cert-manager.io/v1\nkind: Certificate\nspec: [unclosed\n  secretName: {{{' }),
      jaegerOp({ name: 'huge', manifest: '---\napiVersion: x.example.com/v1\nkind: A\n'.repeat(50_000) }),
      { ...jaegerOp({ name: 'nomanifest' }), manifest: 42 } as unknown as HelmRelease,
      jaegerOp({ name: 'bad-desc', status: 'failed', description: 'no matches for kind "' }),
    ];
    const input = cluster({
      helmReleases: broken,
      webhooks: [
        { metadata: null },
        { metadata: { name: 'w', annotations: { 'cert-manager.io/inject-ca-from': 5 } } },
      ] as unknown as WebhookConfiguration[],
      events: [
        null,
        { involvedObject: {}, reason: 'FailedMount', message: 7 },
        { involvedObject: { kind: 'Pod' }, reason: 'FailedMount', message: 'secret "x" not found' },
      ] as unknown as KubeEvent[],
    });
    let findings: RawFinding[] = [];
    const started = performance.now();
    expect(() => {
      findings = diagnose(input, 'x'.repeat(2_000_000));
    }).not.toThrow();
    expect(performance.now() - started).toBeLessThan(3000);
    expect(findings.find((f) => f.subject.name === 'x.example.com')?.evidence.length).toBeLessThanOrEqual(21);
  });
});
