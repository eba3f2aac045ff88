import { describe, expect, it } from 'vitest';
import type { KubeEvent, Pod } from '../../src/model/k8s.js';
import type { FixStep, RawFinding } from '../../src/diagnose/types.js';
import { Snapshot } from '../../src/store/snapshot.js';
import { NOW, loadInput, onlyFinding, snapshotOf } from '../../test/fixtures/pods/load.js';
import { rule } from './container-config.js';
import { parseConfigError } from './container-config/classify.js';

const SHOP = 'config-failures.json';
const CERT = 's1-jaeger-operator-missing-cert.json';

function run(snapshot: Snapshot): RawFinding[] {
  return rule.diagnose({ snapshot, now: NOW });
}

function jsonPatch(step: FixStep | undefined): Extract<FixStep, { action: 'json-patch' }> {
  expect(step?.action).toBe('json-patch');
  return step as Extract<FixStep, { action: 'json-patch' }>;
}

describe('pods/create-container-config — missing ConfigMaps, Secrets and keys', () => {
  const findings = run(snapshotOf(SHOP));

  it('makes one finding per broken container', () => {
    expect(findings.map((f) => f.id).sort()).toEqual([
      'pods/create-container-config:shop/Deployment/catalog#catalog/missing-configmap',
      'pods/create-container-config:shop/Deployment/checkout#checkout/missing-key',
      'pods/create-container-config:shop/Deployment/edge#nginx/missing-volume-source',
      'pods/create-container-config:shop/Deployment/legacy-web#web/run-as-non-root',
      'pods/create-container-config:shop/Deployment/payments#payments/missing-secret',
    ]);
    expect(findings.every((f) => f.severity === 'critical')).toBe(true);
  });

  it('missing-key: names the key, the reference and the keys the Secret does have', () => {
    const f = onlyFinding(findings, 'checkout');
    expect(f.title).toBe('checkout cannot start: key password missing from Secret db-creds');
    expect(f.explanation).toContain('CreateContainerConfigError');
    expect(f.explanation).toContain(
      'environment variable DB_PASSWORD (spec.containers[0].env[2].valueFrom.secretKeyRef)',
    );
    expect(f.explanation).toContain('with the keys username, host; password is not among them');
    expect(f.evidence).toContainEqual(
      expect.objectContaining({
        path: 'status.containerStatuses[0].state.waiting.message',
        text: "couldn't find key password in Secret shop/db-creds",
      }),
    );
    expect(f.evidence).toContainEqual(
      expect.objectContaining({
        source: 'spec',
        path: 'spec.containers[0].env[2].valueFrom.secretKeyRef',
        text: 'Secret db-creds, key password',
      }),
    );
    expect(f.evidence).toContainEqual({
      source: 'status',
      ref: { kind: 'Secret', name: 'db-creds', namespace: 'shop' },
      text: 'exists; keys: username, host',
    });
    expect(f.dependsOn).toEqual([{ kind: 'Secret', name: 'db-creds', namespace: 'shop' }]);
    expect(f.fixes.map((p) => [p.id, p.mutates])).toEqual([
      ['add-missing-key', false],
      ['mark-reference-optional', true],
    ]);
    expect(f.fixes[0]!.commands).toEqual([
      `kubectl patch secret db-creds -n shop --type=merge -p '{"stringData":{"password":"<value>"}}'`,
    ]);
    expect(jsonPatch(f.fixes[1]!.steps[0]).patch).toEqual([
      { op: 'test', path: '/spec/template/spec/containers/0/name', value: 'checkout' },
      { op: 'test', path: '/spec/template/spec/containers/0/env/2/valueFrom/secretKeyRef/name', value: 'db-creds' },
      { op: 'add', path: '/spec/template/spec/containers/0/env/2/valueFrom/secretKeyRef/optional', value: true },
    ]);
  });

  it('missing-configmap: every reference, and a create command with the keys it needs', () => {
    const f = onlyFinding(findings, 'catalog');
    expect(f.title).toBe('catalog cannot start: ConfigMap app-config not found');
    expect(f.explanation).toContain(
      'environment variable LOG_LEVEL (spec.containers[0].env[0].valueFrom.configMapKeyRef), envFrom (spec.containers[0].envFrom[0].configMapRef)',
    );
    expect(f.evidence).toContainEqual({
      source: 'status',
      ref: { kind: 'ConfigMap', name: 'app-config', namespace: 'shop' },
      text: 'not found',
    });
    expect(f.fixes[0]!.commands).toEqual([
      'kubectl create configmap app-config -n shop --from-literal=LOG_LEVEL=<value> --from-literal=<KEY>=<value>',
    ]);
    const ops = jsonPatch(f.fixes[1]!.steps[0]).patch;
    expect(ops.filter((o) => o.op === 'add').map((o) => o.path)).toEqual([
      '/spec/template/spec/containers/0/env/0/valueFrom/configMapKeyRef/optional',
      '/spec/template/spec/containers/0/envFrom/0/configMapRef/optional',
    ]);
  });

  it('missing-secret: create it with placeholders, never with invented values', () => {
    const f = onlyFinding(findings, 'payments');
    expect(f.title).toBe('payments cannot start: Secret stripe-keys not found');
    expect(f.fixes[0]).toMatchObject({
      id: 'create-secret',
      mutates: false,
      commands: ['kubectl create secret generic stripe-keys -n shop --from-literal=api-key=<value>'],
    });
    expect(f.fixes[0]!.explanation).toContain('never invents them');
    expect(f.dependsOn).toEqual([{ kind: 'Secret', name: 'stripe-keys', namespace: 'shop' }]);
    // The kubelet's message is the witness; the snapshot holds only pull secrets.
    expect(f.evidence.some((e) => e.ref?.kind === 'Secret')).toBe(false);
  });

  it('missing-volume-source: the pod waits in ContainerCreating; the FailedMount message leads the evidence', () => {
    const f = onlyFinding(findings, 'edge');
    expect(f.title).toBe('nginx cannot start: volume conf needs ConfigMap edge-nginx-conf, which does not exist');
    expect(f.explanation).toContain('waits in ContainerCreating');
    expect(f.evidence[0]).toMatchObject({
      source: 'event',
      reason: 'FailedMount',
      text: 'MountVolume.SetUp failed for volume "conf" : configmap "edge-nginx-conf" not found',
      count: 17,
    });
    expect(f.evidence).toContainEqual(
      expect.objectContaining({
        path: 'spec.volumes[0].configMap',
        text: 'ConfigMap edge-nginx-conf, key default.conf',
      }),
    );
    // Making a volume optional only trades a clear error for an empty directory: not offered.
    expect(f.fixes.map((p) => p.id)).toEqual(['create-configmap']);
    expect(f.fixes[0]!.commands).toEqual([
      'kubectl create configmap edge-nginx-conf -n shop --from-file=default.conf=<file>',
    ]);
  });

  it('missing-volume-source: names the existing ConfigMap closest to the missing one and patches the template to it', () => {
    const snapshot = snapshotOf(SHOP, (input) => {
      input.configMaps = [
        ...(input.configMaps ?? []),
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'edge-nginx-config', namespace: 'shop' },
          keys: ['default.conf'],
        },
      ];
    });
    const f = onlyFinding(run(snapshot), 'edge');
    expect(f.title).toBe(
      'nginx cannot start: volume conf needs ConfigMap edge-nginx-conf, which does not exist (did you mean edge-nginx-config?)',
    );
    expect(f.explanation).toContain('ConfigMap edge-nginx-config exists, with the closest name');
    expect(f.fixes.map((p) => p.id)).toEqual(['use-existing-configmap', 'create-configmap']);
    expect(jsonPatch(f.fixes[0]!.steps[0]).patch).toEqual([
      { op: 'test', path: '/spec/template/spec/volumes/0/name', value: 'conf' },
      { op: 'test', path: '/spec/template/spec/volumes/0/configMap/name', value: 'edge-nginx-conf' },
      { op: 'replace', path: '/spec/template/spec/volumes/0/configMap/name', value: 'edge-nginx-config' },
    ]);
  });

  it('run-as-non-root: explains the securityContext and leaves the UID to the user', () => {
    const f = onlyFinding(findings, 'legacy-web');
    expect(f.title).toBe('web cannot start: runAsNonRoot is set but the image runs as root');
    expect(f.explanation).toContain('the kubelet could not build its configuration');
    expect(f.explanation).toContain('Set securityContext.runAsUser to a non-zero UID');
    expect(f.fixes.map((p) => [p.id, p.mutates])).toEqual([['run-as-non-root-user', false]]);
    expect(f.dependsOn).toBeUndefined();
  });

  it('an object created since: info, nothing to fix', () => {
    const snapshot = snapshotOf(SHOP, (input) => {
      input.secrets!.push({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'stripe-keys', namespace: 'shop' },
        type: 'Opaque',
        keys: ['api-key'],
      });
    });
    const f = onlyFinding(run(snapshot), 'payments');
    expect(f.severity).toBe('info');
    expect(f.fixes).toEqual([]);
    expect(f.dependsOn).toBeUndefined();
    expect(f.explanation).toContain('exists now, so the kubelet picks it up at its next retry');
  });

  it('never takes a Secret missing from the snapshot as missing from the cluster (the store keeps only pull secrets)', () => {
    const snapshot = snapshotOf(SHOP, (input) => {
      input.secrets = [];
    });
    const findings = run(snapshot);
    const checkout = onlyFinding(findings, 'checkout');
    expect(checkout.evidence.some((e) => e.ref?.kind === 'Secret')).toBe(false);
    expect(checkout.explanation).not.toContain('exists, with the keys');
    expect(checkout.severity).toBe('critical');
    expect(onlyFinding(findings, 'payments').evidence.some((e) => e.ref?.kind === 'Secret')).toBe(false);
  });

  it('does not claim a ConfigMap is absent when ConfigMaps may not be read (403)', () => {
    const snapshot = snapshotOf(SHOP, (input) => {
      input.configMaps = [];
      input.forbidden = ['configmaps'];
    });
    expect(onlyFinding(run(snapshot), 'catalog').evidence.some((e) => e.ref?.kind === 'ConfigMap')).toBe(false);
  });

  it('reads the cause from the Failed event when the waiting message is missing', () => {
    const snapshot = snapshotOf(SHOP, (input) => {
      const p = input.pods!.find((x) => x.metadata.name.startsWith('payments-'))!;
      delete p.status!.containerStatuses![0]!.state!.waiting!.message;
    });
    expect(onlyFinding(run(snapshot), 'payments').id).toMatch(/#payments\/missing-secret$/);
  });
});

describe('pods/create-container-config — S1 operator without its cert-manager certificate', () => {
  it('keeps the finding but hands the cause to cert-manager (crds/missing-api-group)', () => {
    const f = onlyFinding(run(snapshotOf(CERT)), 'jaeger-operator');
    expect(f.id).toBe(
      'pods/create-container-config:observability/Deployment/jaeger-operator#jaeger-operator/missing-volume-source',
    );
    expect(f.evidence[0]!.text).toBe(
      'MountVolume.SetUp failed for volume "cert" : secret "jaeger-operator-service-cert" not found',
    );
    expect(f.evidence).toContainEqual({ source: 'discovery', text: 'API group cert-manager.io is not served' });
    expect(f.explanation).toContain('looks like a TLS certificate that cert-manager would create');
    expect(f.explanation).toContain('crds/missing-api-group');
    expect(f.fixes.map((p) => [p.id, p.mutates])).toEqual([['install-cert-manager-first', false]]);
    expect(f.dependsOn).toEqual([{ kind: 'Secret', name: 'jaeger-operator-service-cert', namespace: 'observability' }]);
  });

  it('names the Certificate from the Helm manifest when cert-manager is installed but has not issued it', () => {
    const manifest = loadInput('s1-jaeger-operator-pull-rate-limit.json').helmReleases![0]!.manifest;
    const snapshot = snapshotOf(CERT, (input) => {
      input.deployments![0]!.metadata.annotations = {
        'meta.helm.sh/release-name': 'jaeger-operator',
        'meta.helm.sh/release-namespace': 'observability',
      };
      input.helmReleases = [
        {
          name: 'jaeger-operator',
          namespace: 'observability',
          revision: 1,
          status: 'deployed',
          chartName: 'jaeger-operator',
          chartVersion: '2.38.0',
          manifest,
          storageSecret: 'sh.helm.release.v1.jaeger-operator.v1',
        },
      ];
      input.apiGroups = [...input.apiGroups!, 'cert-manager.io'];
    });
    const f = onlyFinding(run(snapshot), 'jaeger-operator');
    expect(f.explanation).toContain(
      'the Certificate jaeger-operator-service-cert in Helm release jaeger-operator writes it',
    );
    expect(f.explanation).toContain('check why the Certificate is not ready');
    expect(f.evidence).toContainEqual({
      source: 'helm',
      text: 'Certificate jaeger-operator-service-cert (secretName: jaeger-operator-service-cert) in release jaeger-operator',
    });
    expect(f.fixes[0]!.commands).toEqual([
      'kubectl describe certificate jaeger-operator-service-cert -n observability',
    ]);
  });

  it('offers to create an ordinary missing volume Secret when nothing points at cert-manager', () => {
    const snapshot = snapshotOf(CERT, (input) => {
      input.apiGroups = [...input.apiGroups!, 'cert-manager.io'];
    });
    const f = onlyFinding(run(snapshot), 'jaeger-operator');
    expect(f.fixes[0]!.commands).toEqual([
      'kubectl create secret generic jaeger-operator-service-cert -n observability --from-file=<file>',
    ]);
  });

  it('ignores an old FailedMount once the pod runs', () => {
    const snapshot = snapshotOf(CERT, (input) => {
      const p = input.pods![0]!;
      p.status!.phase = 'Running';
      p.status!.containerStatuses![0]!.state = { running: { startedAt: '2026-11-21T10:29:00Z' } };
    });
    expect(run(snapshot)).toEqual([]);
  });
});

describe('parseConfigError', () => {
  it.each([
    [
      'configmap "app-config" not found',
      'missing-configmap',
      { kind: 'ConfigMap', name: 'app-config', namespace: 'shop' },
    ],
    ['secret "db-creds" not found', 'missing-secret', { kind: 'Secret', name: 'db-creds', namespace: 'shop' }],
    [
      "couldn't find key password in Secret shop/db-creds",
      'missing-key',
      { kind: 'Secret', name: 'db-creds', namespace: 'shop', key: 'password' },
    ],
    [
      "couldn't find key LOG_LEVEL in ConfigMap other/app-config",
      'missing-key',
      { kind: 'ConfigMap', name: 'app-config', namespace: 'other', key: 'LOG_LEVEL' },
    ],
    [
      'container has runAsNonRoot and image has non-numeric user (nginx), cannot verify user is non-root',
      'run-as-non-root',
      undefined,
    ],
    ['failed to sync secret cache: timed out waiting for the condition', 'unknown', undefined],
  ])('%s', (message, variant, missing) => {
    expect(parseConfigError(message, 'shop')).toEqual(missing ? { variant, missing } : { variant });
  });
});

describe('pods/create-container-config — nothing to report, and hostile input', () => {
  it('ignores healthy, completed and unscheduled pods', () => {
    expect(run(new Snapshot(loadInput('healthy-and-odd.json')))).toEqual([]);
  });

  it('survives pods without spec or statuses', () => {
    const pods = [
      {
        metadata: { name: 'a', namespace: 'x', uid: 'ua' },
        status: {
          phase: 'Pending',
          containerStatuses: [
            { name: 'c', state: { waiting: { reason: 'CreateContainerConfigError', message: 'x'.repeat(500_000) } } },
          ],
        },
      },
      { metadata: { name: 'b', namespace: 'x', uid: 'ub' }, status: { phase: 'Pending' } },
    ] as unknown as Pod[];
    const events = [
      {
        metadata: { name: 'b.1', namespace: 'x' },
        involvedObject: { kind: 'Pod', name: 'b', namespace: 'x', uid: 'ub' },
        reason: 'FailedMount',
        type: 'Warning',
        message: 'MountVolume.SetUp failed for volume "v" : secret "s" not found',
      },
    ] as KubeEvent[];
    const findings = run(new Snapshot({ pods, events }));
    expect(findings.map((f) => f.id)).toEqual(['pods/create-container-config:x/Pod/a#c/unknown']);
    expect(findings[0]!.explanation.length).toBeLessThan(1000);
  });
});

describe('pods/create-container-config — a Secret reference to a ConfigMap, and the reverse', () => {
  it('secretKeyRef naming a ConfigMap: says which kind exists and switches the reference', () => {
    const snapshot = snapshotOf(SHOP, (input) => {
      input.configMaps!.push({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'stripe-keys', namespace: 'shop', creationTimestamp: '2026-11-21T09:40:00Z' },
        keys: ['api-key', 'webhook-url'],
      });
    });
    const f = onlyFinding(run(snapshot), 'payments');
    expect(f.title).toBe('payments cannot start: it reads Secret stripe-keys, which is a ConfigMap');
    expect(f.explanation).toContain(
      'There is no Secret stripe-keys, but there is a ConfigMap stripe-keys (keys: api-key, webhook-url): the reference says secretKeyRef where it should say configMapKeyRef.',
    );
    expect(f.evidence).toContainEqual({
      source: 'status',
      ref: { kind: 'ConfigMap', name: 'stripe-keys', namespace: 'shop' },
      text: 'exists; keys: api-key, webhook-url',
    });
    expect(f.fixes.map((p) => p.id)).toEqual(['reference-existing-kind', 'create-secret', 'mark-reference-optional']);
    expect(jsonPatch(f.fixes[0]!.steps[0]).patch).toEqual([
      { op: 'test', path: '/spec/template/spec/containers/0/name', value: 'payments' },
      { op: 'test', path: '/spec/template/spec/containers/0/env/0/valueFrom/secretKeyRef/name', value: 'stripe-keys' },
      { op: 'remove', path: '/spec/template/spec/containers/0/env/0/valueFrom/secretKeyRef' },
      {
        op: 'add',
        path: '/spec/template/spec/containers/0/env/0/valueFrom/configMapKeyRef',
        value: { name: 'stripe-keys', key: 'api-key' },
      },
    ]);
  });

  it('a ConfigMap of that name without the key: no switch', () => {
    const snapshot = snapshotOf(SHOP, (input) => {
      input.configMaps!.push({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'stripe-keys', namespace: 'shop' },
        keys: ['webhook-url'],
      });
    });
    const f = onlyFinding(run(snapshot), 'payments');
    expect(f.title).toBe('payments cannot start: Secret stripe-keys not found');
    expect(f.fixes.map((p) => p.id)).not.toContain('reference-existing-kind');
  });

  it('configMapKeyRef naming a Secret kcockpit cannot list: a running pod that needs the Secret proves it exists', () => {
    const snapshot = snapshotOf(SHOP, (input) => {
      const witness = structuredClone(input.pods!.find((p) => p.metadata.name.startsWith('legacy-web'))!);
      witness.metadata.name = 'reporting-0';
      witness.metadata.uid = 'reporting-0-uid';
      witness.spec.containers[0]!.envFrom = [{ secretRef: { name: 'app-config' } }];
      witness.status!.containerStatuses![0]!.state = { running: { startedAt: '2026-11-21T09:45:00Z' } };
      input.pods!.push(witness);
    });
    const f = onlyFinding(run(snapshot), 'catalog');
    expect(f.title).toBe('catalog cannot start: it reads ConfigMap app-config, which is a Secret');
    expect(f.explanation).toContain(
      'but there is a Secret app-config — pod reporting-0, spec.containers[0].envFrom[0].secretRef needs it, and runs',
    );
    expect(jsonPatch(f.fixes[0]!.steps[0]).patch).toEqual([
      { op: 'test', path: '/spec/template/spec/containers/0/name', value: 'catalog' },
      {
        op: 'test',
        path: '/spec/template/spec/containers/0/env/0/valueFrom/configMapKeyRef/name',
        value: 'app-config',
      },
      { op: 'remove', path: '/spec/template/spec/containers/0/env/0/valueFrom/configMapKeyRef' },
      {
        op: 'add',
        path: '/spec/template/spec/containers/0/env/0/valueFrom/secretKeyRef',
        value: { name: 'app-config', key: 'LOG_LEVEL' },
      },
      { op: 'test', path: '/spec/template/spec/containers/0/envFrom/0/configMapRef/name', value: 'app-config' },
      { op: 'remove', path: '/spec/template/spec/containers/0/envFrom/0/configMapRef' },
      { op: 'add', path: '/spec/template/spec/containers/0/envFrom/0/secretRef', value: { name: 'app-config' } },
    ]);
  });
});
