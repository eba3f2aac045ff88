import { describe, expect, it } from 'vitest';
import { parseErrorText, type ParsedError } from '../../src/diagnose/error-text.js';

// Error text exactly as helm and kubectl print it (S1.4 and the common failures around it).
const S1_4 =
  'Error: INSTALLATION FAILED: unable to build kubernetes objects from release manifest: [unable to recognize "": no matches for kind "Certificate" in version "cert-manager.io/v1", unable to recognize "": no matches for kind "Issuer" in version "cert-manager.io/v1"]';

const NEWER_HELM = `Error: INSTALLATION FAILED: unable to build kubernetes objects from release manifest: [resource mapping not found for name: "jaeger-operator-serving-cert" namespace: "observability" from "": no matches for kind "Certificate" in version "cert-manager.io/v1"
ensure CRDs are installed first, resource mapping not found for name: "jaeger-operator-selfsigned-issuer" namespace: "observability" from "": no matches for kind "Issuer" in version "cert-manager.io/v1"
ensure CRDs are installed first]`;

const cases: { name: string; text: string; expected: Partial<ParsedError>[] }[] = [
  {
    name: 'S1.4 helm install without cert-manager',
    text: S1_4,
    expected: [
      {
        kind: 'no-matches',
        resourceKind: 'Certificate',
        apiVersion: 'cert-manager.io/v1',
        group: 'cert-manager.io',
        version: 'v1',
        operation: 'install',
        names: [],
      },
      {
        kind: 'no-matches',
        resourceKind: 'Issuer',
        apiVersion: 'cert-manager.io/v1',
        group: 'cert-manager.io',
        version: 'v1',
        operation: 'install',
      },
    ],
  },
  {
    name: 'newer helm: resource mapping not found + ensure CRDs',
    text: NEWER_HELM,
    expected: [
      {
        kind: 'no-matches',
        resourceKind: 'Certificate',
        names: ['jaeger-operator-serving-cert'],
        namespace: 'observability',
      },
      {
        kind: 'no-matches',
        resourceKind: 'Issuer',
        names: ['jaeger-operator-selfsigned-issuer'],
        namespace: 'observability',
      },
    ],
  },
  {
    name: 'kubectl apply of a ClusterIssuer',
    text: 'error: resource mapping not found for name: "letsencrypt-prod" namespace: "" from "cluster-issuer.yaml": no matches for kind "ClusterIssuer" in version "cert-manager.io/v1"\nensure CRDs are installed first',
    expected: [
      { kind: 'no-matches', resourceKind: 'ClusterIssuer', group: 'cert-manager.io', names: ['letsencrypt-prod'] },
    ],
  },
  {
    name: 'older kubectl: unable to recognize',
    text: 'error: unable to recognize "servicemonitor.yaml": no matches for kind "ServiceMonitor" in version "monitoring.coreos.com/v1"',
    expected: [{ kind: 'no-matches', resourceKind: 'ServiceMonitor', group: 'monitoring.coreos.com', version: 'v1' }],
  },
  {
    name: 'a removed built-in API version, stored as a failed upgrade description',
    text: 'Upgrade "ingress" failed: unable to build kubernetes objects from new release manifest: resource mapping not found for name: "web" namespace: "" from "": no matches for kind "PodDisruptionBudget" in version "policy/v1beta1"\nensure CRDs are installed first',
    expected: [
      {
        kind: 'no-matches',
        resourceKind: 'PodDisruptionBudget',
        group: 'policy',
        version: 'v1beta1',
        operation: 'upgrade',
        release: 'ingress',
      },
    ],
  },
  {
    name: 'CRDs missing without a kind',
    text: 'Error: INSTALLATION FAILED: ensure CRDs are installed first',
    expected: [{ kind: 'crds-missing', operation: 'install' }],
  },
  {
    name: 'kubectl get of an unknown resource type',
    text: 'error: the server doesn\'t have a resource type "certificates"',
    expected: [{ kind: 'unknown-resource-type', resource: 'certificates' }],
  },
  {
    name: 'name in use',
    text: 'Error: INSTALLATION FAILED: cannot re-use a name that is still in use',
    expected: [{ kind: 'name-in-use', operation: 'install' }],
  },
  {
    name: 'release locked by another operation',
    text: 'Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress',
    expected: [{ kind: 'operation-in-progress', operation: 'upgrade' }],
  },
  {
    name: 'no deployed releases',
    text: 'Error: UPGRADE FAILED: "jaeger-op" has no deployed releases',
    expected: [{ kind: 'no-deployed-releases', release: 'jaeger-op', operation: 'upgrade' }],
  },
  {
    name: 'helm --wait timeout',
    text: 'Error: INSTALLATION FAILED: context deadline exceeded',
    expected: [{ kind: 'timeout', operation: 'install' }],
  },
  {
    name: 'hook timeout over two lines',
    text: 'Error: UPGRADE FAILED: failed pre-upgrade: 1 error occurred:\n\t* timed out waiting for the condition',
    expected: [{ kind: 'timeout', hook: 'pre-upgrade', operation: 'upgrade' }],
  },
  {
    name: 'helm without a reachable cluster',
    text: 'Error: Kubernetes cluster unreachable: Get "https://192.168.49.2:8443/version": dial tcp 192.168.49.2:8443: connect: no route to host',
    expected: [
      { kind: 'cluster-unreachable', server: '192.168.49.2:8443', cause: 'no route to host', noKubeconfig: false },
    ],
  },
  {
    name: 'helm without any kubeconfig',
    text: 'Error: INSTALLATION FAILED: Kubernetes cluster unreachable: Get "http://localhost:8080/version": dial tcp [::1]:8080: connect: connection refused',
    expected: [
      { kind: 'cluster-unreachable', server: 'localhost:8080', noKubeconfig: true, cause: 'connection refused' },
    ],
  },
  {
    name: 'kubectl without any kubeconfig',
    text: 'The connection to the server localhost:8080 was refused - did you specify the right host or port?',
    expected: [{ kind: 'cluster-unreachable', server: 'localhost:8080', noKubeconfig: true }],
  },
  {
    name: 'helm timing out on the way to the API server is about the connection, not --wait',
    text: 'Error: Kubernetes cluster unreachable: Get "https://10.0.0.5:6443/version": context deadline exceeded',
    expected: [{ kind: 'cluster-unreachable', server: '10.0.0.5:6443' }],
  },
  {
    name: 'kubectl timing out',
    text: 'Unable to connect to the server: dial tcp 34.118.5.7:443: i/o timeout',
    expected: [{ kind: 'cluster-unreachable', server: '34.118.5.7:443', cause: 'i/o timeout' }],
  },
  {
    name: 'expired credentials',
    text: 'error: You must be logged in to the server (Unauthorized)',
    expected: [{ kind: 'unauthorized' }],
  },
  {
    name: 'helm with expired credentials',
    text: 'Error: Kubernetes cluster unreachable: the server has asked for the client to provide credentials',
    expected: [{ kind: 'unauthorized' }],
  },
  {
    name: 'kubeconfig CA that does not match the server',
    text: 'Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying to verify candidate authority certificate "minikubeCA")',
    expected: [{ kind: 'x509-unknown-authority' }],
  },
  {
    name: 'expired server certificate',
    text: 'Unable to connect to the server: x509: certificate has expired or is not yet valid: current time 2026-11-21T21:40:00Z is after 2026-10-01T12:00:00Z',
    expected: [{ kind: 'x509-expired' }],
  },
  {
    name: 'server certificate for another name',
    text: 'Unable to connect to the server: x509: certificate is valid for 10.96.0.1, 192.168.49.2, 127.0.0.1, not 203.0.113.5',
    expected: [{ kind: 'x509-hostname', validFor: '10.96.0.1, 192.168.49.2, 127.0.0.1' }],
  },
  {
    name: 'forbidden in a namespace',
    text: 'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:ci:deployer" cannot list resource "pods" in API group "" in the namespace "kube-system"',
    expected: [
      {
        kind: 'forbidden',
        user: 'system:serviceaccount:ci:deployer',
        verb: 'list',
        resource: 'pods',
        apiGroup: '',
        namespace: 'kube-system',
      },
    ],
  },
  {
    name: 'forbidden at the cluster scope during helm install',
    text: 'Error: INSTALLATION FAILED: clusterroles.rbac.authorization.k8s.io is forbidden: User "jane@example.com" cannot create resource "clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope',
    expected: [
      {
        kind: 'forbidden',
        user: 'jane@example.com',
        verb: 'create',
        resource: 'clusterroles',
        apiGroup: 'rbac.authorization.k8s.io',
        operation: 'install',
      },
    ],
  },
  {
    name: 'cert-manager webhook not ready yet',
    text: 'Error from server (InternalError): error when creating "issuer.yaml": Internal error occurred: failed calling webhook "webhook.cert-manager.io": failed to call webhook: Post "https://cert-manager-webhook.cert-manager.svc:443/validate?timeout=30s": dial tcp 10.96.12.34:443: connect: connection refused',
    expected: [
      {
        kind: 'webhook-failed',
        webhook: 'webhook.cert-manager.io',
        service: { name: 'cert-manager-webhook', namespace: 'cert-manager' },
        cause:
          'Post "https://cert-manager-webhook.cert-manager.svc:443/validate?timeout=30s": dial tcp 10.96.12.34:443: connect: connection refused',
      },
    ],
  },
  {
    name: 'webhook with an unknown CA is one webhook error, not also an x509 one',
    text: 'Error: INSTALLATION FAILED: Internal error occurred: failed calling webhook "mjaeger.kb.io": failed to call webhook: Post "https://jaeger-operator-webhook-service.observability.svc:443/mutate-v1-deployment?timeout=10s": tls: failed to verify certificate: x509: certificate signed by unknown authority',
    expected: [
      {
        kind: 'webhook-failed',
        webhook: 'mjaeger.kb.io',
        service: { name: 'jaeger-operator-webhook-service', namespace: 'observability' },
        operation: 'install',
      },
    ],
  },
  {
    name: 'an object another tool created',
    text: 'Error: INSTALLATION FAILED: rendered manifests contain a resource that already exists. Unable to continue with install: ServiceAccount "jaeger-operator" in namespace "observability" exists and cannot be imported into the current release: invalid ownership metadata; label validation error: missing key "app.kubernetes.io/managed-by": must be set to "Helm"; annotation validation error: missing key "meta.helm.sh/release-name": must be set to "jaeger-op"; annotation validation error: missing key "meta.helm.sh/release-namespace": must be set to "observability"',
    expected: [
      {
        kind: 'ownership-conflict',
        resourceKind: 'ServiceAccount',
        name: 'jaeger-operator',
        namespace: 'observability',
        wantedRelease: 'jaeger-op',
        wantedNamespace: 'observability',
      },
    ],
  },
  {
    name: 'an object another release owns',
    text: 'Error: UPGRADE FAILED: rendered manifests contain a resource that already exists. Unable to continue with update: ClusterRole "jaeger-operator" in namespace "" exists and cannot be imported into the current release: invalid ownership metadata; annotation validation error: key "meta.helm.sh/release-name" must equal "jaeger-op": current value is "jaeger-operator"',
    expected: [
      {
        kind: 'ownership-conflict',
        resourceKind: 'ClusterRole',
        name: 'jaeger-operator',
        wantedRelease: 'jaeger-op',
        currentRelease: 'jaeger-operator',
        operation: 'upgrade',
      },
    ],
  },
  {
    name: 'unknown repository alias',
    text: 'Error: INSTALLATION FAILED: repo jaegertracing not found',
    expected: [{ kind: 'repo-not-found', repo: 'jaegertracing' }],
  },
];

describe('parseErrorText', () => {
  it.each(cases)('$name', ({ text, expected }) => {
    const parsed = parseErrorText(text);
    expect(parsed.map((p) => p.kind)).toEqual(expected.map((e) => e.kind));
    expected.forEach((e, i) => expect(parsed[i]).toMatchObject(e));
  });

  it('leaves the operation out when there is no helm prefix', () => {
    expect(parseErrorText('error: You must be logged in to the server (Unauthorized)')[0]!.operation).toBeUndefined();
  });

  it('finds several errors in one pasted output, in order', () => {
    const text = `${S1_4}\nError: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress`;
    const parsed = parseErrorText(text);
    expect(parsed.map((p) => [p.kind, p.operation])).toEqual([
      ['no-matches', 'install'],
      ['no-matches', 'install'],
      ['operation-in-progress', 'upgrade'],
    ]);
  });

  it('returns nothing for text it does not know', () => {
    expect(parseErrorText('Error: something completely different happened')).toEqual([]);
    expect(parseErrorText('')).toEqual([]);
  });

  it('never throws on hostile input and stays fast on huge text', () => {
    for (const bad of [
      undefined,
      null,
      42,
      {},
      ['x'],
      '"',
      'no matches for kind "',
      'User "',
      'failed calling webhook "x": ',
    ]) {
      expect(() => parseErrorText(bad)).not.toThrow();
    }
    const huge = [
      'no matches for kind "A" in version "b/v1" '.repeat(20_000),
      'failed pre-install: '.repeat(50_000),
      'x509: certificate is valid for '.repeat(40_000),
      '"'.repeat(1_000_000),
      'Error: UPGRADE FAILED: '.repeat(40_000) + 'context deadline exceeded',
      'resource mapping not found for name: "'.repeat(30_000),
    ];
    const started = performance.now();
    for (const text of huge) expect(Array.isArray(parseErrorText(text))).toBe(true);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(parseErrorText(huge[0]!)).toHaveLength(1);
  });
});
