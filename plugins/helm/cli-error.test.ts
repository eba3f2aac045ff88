import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rule } from './cli-error.js';
import { rule as releaseStatus } from './release-status.js';
import { runRules } from '../../src/diagnose/engine.js';
import { Snapshot, type SnapshotInput } from '../../src/store/snapshot.js';
import type { HelmRelease } from '../../src/model/k8s.js';
import type { RawFinding } from '../../src/diagnose/types.js';

const fixture = <T>(path: string): T =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/${path}`, import.meta.url), 'utf8')) as T;

const NOW = Date.parse('2026-11-21T21:40:00Z');

function diagnose(errorText: string | undefined, input: SnapshotInput = {}): RawFinding[] {
  return rule.diagnose(
    errorText === undefined
      ? { snapshot: new Snapshot(input), now: NOW }
      : { snapshot: new Snapshot(input), now: NOW, errorText },
  );
}

describe('helm/cli-error', () => {
  it('leaves missing kinds to crds/missing-api-group', () => {
    expect(
      diagnose(
        'Error: INSTALLATION FAILED: unable to build kubernetes objects from release manifest: [unable to recognize "": no matches for kind "Certificate" in version "cert-manager.io/v1"]',
      ),
    ).toEqual([]);
  });

  it('does nothing without error text or with text it does not know', () => {
    expect(diagnose(undefined)).toEqual([]);
    expect(diagnose('Error: something else')).toEqual([]);
  });

  it('explains a locked release and names the pending release the cluster shows', () => {
    const input: SnapshotInput = {
      helmReleases: fixture<HelmRelease[]>('helm/releases-jaeger-op-pending-upgrade.json'),
    };
    const findings = diagnose(
      'Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress',
      input,
    );
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f.id).toBe('helm/cli-error:/Error/from-error#operation-in-progress');
    expect(f.subject).toEqual({ kind: 'Error', name: 'from-error' });
    expect(f.severity).toBe('critical');
    expect(f.evidence).toEqual([
      { source: 'error', text: 'another operation (install/upgrade/rollback) is in progress' },
    ]);
    expect(f.explanation).toContain('kcockpit sees jaeger-op (observability) in pending-upgrade');
    expect(f.dependsOn).toEqual([{ kind: 'HelmRelease', namespace: 'observability', name: 'jaeger-op' }]);

    const { findings: linked } = runRules([rule, releaseStatus], new Snapshot(input), {
      now: NOW,
      errorText: 'Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress',
    });
    const cause = linked.find((x) => x.ruleId === 'helm/release-status')!;
    expect(linked.find((x) => x.ruleId === 'helm/cli-error')!.causedBy).toEqual([cause.id]);
  });

  it('writes the exact RBAC grant for a forbidden service account', () => {
    const [f] = diagnose(
      'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:ci:deployer" cannot list resource "pods" in API group "" in the namespace "kube-system"',
    );
    expect(f!.title).toBe('system:serviceaccount:ci:deployer may not list pods in namespace kube-system');
    expect(f!.explanation).toContain('service account deployer of namespace ci has no RBAC permission to list pods');
    expect(f!.fixes[0]!.commands).toEqual([
      'kubectl auth can-i list pods -n kube-system',
      'kubectl create role list-pods --verb=list --resource=pods -n kube-system',
      'kubectl create rolebinding list-pods --role=list-pods --serviceaccount=ci:deployer -n kube-system',
    ]);
  });

  it('grants at the cluster scope with the API group in the resource name', () => {
    const [f] = diagnose(
      'Error: INSTALLATION FAILED: clusterroles.rbac.authorization.k8s.io is forbidden: User "jane@example.com" cannot create resource "clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope',
    );
    expect(f!.fixes[0]!.commands).toContain(
      'kubectl create clusterrole create-clusterroles --verb=create --resource=clusterroles.rbac.authorization.k8s.io',
    );
    expect(f!.fixes[0]!.commands).toContain(
      'kubectl create clusterrolebinding create-clusterroles --clusterrole=create-clusterroles --user=jane@example.com',
    );
  });

  it('ties a failed webhook call to its service', () => {
    const [f] = diagnose(
      'Error from server (InternalError): error when creating "issuer.yaml": Internal error occurred: failed calling webhook "webhook.cert-manager.io": failed to call webhook: Post "https://cert-manager-webhook.cert-manager.svc:443/validate?timeout=30s": dial tcp 10.96.12.34:443: connect: connection refused',
    );
    expect(f!.title).toBe('Admission webhook webhook.cert-manager.io could not be called');
    expect(f!.dependsOn).toEqual([{ kind: 'Service', namespace: 'cert-manager', name: 'cert-manager-webhook' }]);
    expect(f!.fixes[0]!.commands).toEqual([
      'kubectl get pods -n cert-manager',
      'kubectl get endpoints cert-manager-webhook -n cert-manager',
    ]);
  });

  it('explains a missing kubeconfig differently from a stopped cluster', () => {
    const [none] = diagnose(
      'The connection to the server localhost:8080 was refused - did you specify the right host or port?',
    );
    expect(none!.explanation).toContain('No kubeconfig was found');
    const [stopped] = diagnose(
      'Error: Kubernetes cluster unreachable: Get "https://127.0.0.1:32771/version": dial tcp 127.0.0.1:32771: connect: connection refused',
    );
    expect(stopped!.title).toBe('Cannot reach the Kubernetes API server at 127.0.0.1:32771');
    expect(stopped!.explanation).toContain('minikube update-context');
  });

  it('gives the adoption commands for an object another tool created', () => {
    const [f] = diagnose(
      'Error: INSTALLATION FAILED: rendered manifests contain a resource that already exists. Unable to continue with install: ServiceAccount "jaeger-operator" in namespace "observability" exists and cannot be imported into the current release: invalid ownership metadata; label validation error: missing key "app.kubernetes.io/managed-by": must be set to "Helm"; annotation validation error: missing key "meta.helm.sh/release-name": must be set to "jaeger-op"; annotation validation error: missing key "meta.helm.sh/release-namespace": must be set to "observability"',
    );
    expect(f!.fixes[0]!.commands).toEqual([
      'kubectl label serviceaccount jaeger-operator -n observability app.kubernetes.io/managed-by=Helm --overwrite',
      'kubectl annotate serviceaccount jaeger-operator -n observability meta.helm.sh/release-name=jaeger-op meta.helm.sh/release-namespace=observability --overwrite',
    ]);
  });

  it('adds a known repository by its usual URL', () => {
    const [f] = diagnose('Error: INSTALLATION FAILED: repo jaegertracing not found');
    expect(f!.fixes[0]!.commands).toEqual([
      'helm repo add jaegertracing https://jaegertracing.github.io/helm-charts',
      'helm repo update',
    ]);
  });

  it('makes one finding per distinct error in a pasted log', () => {
    const text = [
      'Error: INSTALLATION FAILED: cannot re-use a name that is still in use',
      'Error: UPGRADE FAILED: "jaeger" has no deployed releases',
      'Error: INSTALLATION FAILED: failed pre-install: 1 error occurred:\n\t* timed out waiting for the condition',
      'error: You must be logged in to the server (Unauthorized)',
      'Unable to connect to the server: x509: certificate signed by unknown authority',
      'Unable to connect to the server: x509: certificate has expired or is not yet valid: current time 2026-11-21T21:40:00Z is after 2026-10-01T12:00:00Z',
      'Unable to connect to the server: x509: certificate is valid for 10.96.0.1, 192.168.49.2, not 203.0.113.5',
      'error: the server doesn\'t have a resource type "certificates"',
      'Error: INSTALLATION FAILED: ensure CRDs are installed first',
      'error: You must be logged in to the server (Unauthorized)',
    ].join('\n');
    const findings = diagnose(text);
    expect(findings.map((f) => f.id.split('#')[1])).toEqual([
      'name-in-use',
      'no-deployed-releases:jaeger',
      'timeout:pre-install',
      'unauthorized',
      'x509-unknown-authority',
      'x509-expired',
      'x509-hostname',
      'unknown-resource-type:certificates',
      'crds-missing',
    ]);
    for (const f of findings) {
      expect(f.title.length).toBeGreaterThan(10);
      expect(f.evidence[0]!.source).toBe('error');
      expect(f.fixes.length).toBeGreaterThan(0);
    }
  });

  it('never throws on hostile text', () => {
    for (const text of [
      '',
      '\u0000'.repeat(1000),
      'User "'.repeat(100_000),
      'failed calling webhook "x": '.repeat(10_000),
    ]) {
      expect(() => diagnose(text)).not.toThrow();
    }
  });
});
