import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeReleaseSecret, type ReleaseSecret } from '../../src/model/helm-codec.js';
import type {
  KubeEvent,
  KubeObject,
  Node,
  PersistentVolumeClaim,
  Pod,
  ServiceAccount,
  StorageClass,
  Workload,
} from '../../src/model/k8s.js';
import { listScenarios, loadScenario, scenarioObjects, type Scenario } from '../../src/sim/scenario.js';
import { schedule } from '../../src/sim/scheduler.js';
import { startSimServer } from '../../src/sim/server.js';

const NOW = Date.parse('2026-11-21T21:00:00Z');
const of = <T extends KubeObject>(s: Scenario, kind: string) =>
  scenarioObjects(s, NOW).filter((o) => o.kind === kind) as T[];

describe('scenario files', () => {
  it('ships s1-jaeger, s2-pending, healthy and shop', () => {
    expect(listScenarios()).toEqual(
      expect.arrayContaining(['containers', 'healthy', 's1-jaeger', 's2-pending', 'shop']),
    );
  });

  it('turns relative timestamps into times relative to load time', () => {
    const s1 = loadScenario('s1-jaeger', NOW);
    const node = s1.objects.find((o) => o.kind === 'Node') as Node;
    expect(node.metadata.creationTimestamp).toBe('2026-11-21T18:00:00Z');
    const es1 = of<KubeEvent>(s1, 'Event').find((e) => e.involvedObject.name === 'elasticsearch-master-1');
    expect(es1?.eventTime).toBe('2026-11-21T19:00:00.000000Z');
    expect(es1?.count).toBeUndefined(); // events.k8s.io-style events carry a series, not a count
  });

  it('S1: one 2-CPU/4Gi minikube node, no pull secret anywhere, the operator account without imagePullSecrets', () => {
    const s1 = loadScenario('s1-jaeger', NOW);
    const [node] = of<Node>(s1, 'Node');
    expect(node?.metadata.name).toBe('minikube');
    expect(node?.status?.capacity).toMatchObject({ cpu: '2', memory: '4194304Ki' });
    expect(node?.metadata.labels?.['kubernetes.io/hostname']).toBe('minikube');
    expect(of(s1, 'Namespace').map((n) => n.metadata.name)).toEqual(
      expect.arrayContaining(['default', 'kube-system', 'observability']),
    );
    expect(
      of<KubeObject & { type?: string }>(s1, 'Secret').filter((s) => s.type === 'kubernetes.io/dockerconfigjson'),
    ).toEqual([]);
    const accounts = of<ServiceAccount>(s1, 'ServiceAccount').filter((a) => a.metadata.namespace === 'observability');
    expect(accounts.map((a) => a.metadata.name)).toEqual(
      expect.arrayContaining(['default', 'jaeger-op-jaeger-operator']),
    );
    expect(accounts.every((a) => !a.imagePullSecrets)).toBe(true);
    expect(s1.apiGroups).toEqual([]);
  });

  it('S1: the operator pod shows the four pull-limit events verbatim', () => {
    const s1 = loadScenario('s1-jaeger', NOW);
    const onOperator = of<KubeEvent>(s1, 'Event').filter(
      (e) => e.involvedObject.name === 'jaeger-op-jaeger-operator-7d7b58d48b-89p9p',
    );
    const lines = onOperator.map((e) => `${e.type} ${e.reason} ${e.message}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        'Warning Failed Failed to pull image "jaegertracing/jaeger-operator:1.39.0": rpc error: code = Unknown desc = toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
        'Warning Failed Error: ErrImagePull',
        'Normal BackOff Back-off pulling image "jaegertracing/jaeger-operator:1.39.0"',
        'Warning Failed Error: ImagePullBackOff',
      ]),
    );
    const pod = of<Pod>(s1, 'Pod').find((p) => p.metadata.name === 'jaeger-op-jaeger-operator-7d7b58d48b-89p9p');
    expect(pod?.status?.containerStatuses?.[0]?.state?.waiting).toEqual({
      reason: 'ImagePullBackOff',
      message: 'Back-off pulling image "jaegertracing/jaeger-operator:1.39.0"',
    });
    // Owner references written by name in the file point at the owners' uids once loaded.
    const rs = of<Workload>(s1, 'ReplicaSet').find((r) => r.metadata.name === 'jaeger-op-jaeger-operator-7d7b58d48b');
    expect(pod?.metadata.ownerReferences?.[0]?.uid).toBe(rs?.metadata.uid);
  });

  it('S1: Elasticsearch asks for 3 masters under hard anti-affinity; Helm releases decode with the right charts', () => {
    const s1 = loadScenario('s1-jaeger', NOW);
    const sts = of<Workload>(s1, 'StatefulSet').find((s) => s.metadata.name === 'elasticsearch-master');
    expect(sts?.spec.replicas).toBe(3);
    expect(
      sts?.spec.template.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.[0]
        ?.topologyKey,
    ).toBe('kubernetes.io/hostname');
    expect(sts?.spec.template.spec.containers[0]?.image).toBe('docker.elastic.co/elasticsearch/elasticsearch:7.17.3');
    const releases = of<ReleaseSecret>(s1, 'Secret')
      .filter((s) => s.type === 'helm.sh/release.v1')
      .map(decodeReleaseSecret);
    const op = releases.find((r) => r.name === 'jaeger-op');
    expect(op).toMatchObject({
      chartName: 'jaeger-operator',
      chartVersion: '2.38.0',
      appVersion: '1.39.0',
      status: 'deployed',
    });
    expect(op?.manifest).toContain('apiVersion: cert-manager.io/v1\nkind: Certificate');
    expect(op?.manifest).toContain('kind: Issuer');
    expect(releases.find((r) => r.name === 'jaeger')).toMatchObject({
      chartName: 'jaeger',
      chartVersion: '0.65.4',
      values: { elasticsearch: { replicas: 3 } },
    });
    const webhook = of(s1, 'MutatingWebhookConfiguration')[0];
    expect(webhook?.metadata.annotations?.['cert-manager.io/inject-ca-from']).toBe(
      'observability/jaeger-op-jaeger-operator-serving-cert',
    );
    // What Helm itself created carries its label and annotations (ReplicaSets only inherit the annotations).
    const managed = scenarioObjects(s1, NOW).filter(
      (o) => o.kind !== 'ReplicaSet' && o.metadata.annotations?.['meta.helm.sh/release-name'] === 'jaeger',
    );
    expect(managed.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Deployment/jaeger-collector',
      'Deployment/jaeger-query',
      'Service/elasticsearch-master',
      'Service/elasticsearch-master-headless',
      'Service/jaeger-collector',
      'Service/jaeger-query',
      'ServiceAccount/jaeger-collector',
      'ServiceAccount/jaeger-query',
      'StatefulSet/elasticsearch-master',
    ]);
    for (const o of managed)
      expect(o.metadata.labels?.['app.kubernetes.io/managed-by'], `${o.kind}/${o.metadata.name}`).toBe('Helm');
  });

  it('S2: Helm releases stuck in pending-upgrade and failed', () => {
    const s2 = loadScenario('s2-pending', NOW);
    const releases = of<ReleaseSecret>(s2, 'Secret').map(decodeReleaseSecret);
    expect(releases.find((r) => r.name === 'shop' && r.revision === 3)?.status).toBe('pending-upgrade');
    expect(releases.find((r) => r.name === 'payments' && r.revision === 2)?.description).toMatch(
      /^Upgrade "payments" failed: /,
    );
  });

  it('healthy: cert-manager served, every pod Running and Ready', () => {
    const healthy = loadScenario('healthy', NOW);
    expect(healthy.apiGroups.map((g) => g.group)).toContain('cert-manager.io');
    const pods = of<Pod>(healthy, 'Pod');
    expect(pods.length).toBeGreaterThan(5);
    for (const p of pods)
      expect(p.status?.conditions?.find((c) => c.type === 'Ready')?.status, p.metadata.name).toBe('True');
  });

  it.each(['s1-jaeger', 's2-pending'])(
    '%s: every FailedScheduling message is what the simulated scheduler says, so recreated pods tell the same story',
    (name) => {
      const s = loadScenario(name, NOW);
      const pods = of<Pod>(s, 'Pod');
      const nodes = of<Node>(s, 'Node');
      const pvcs = of<PersistentVolumeClaim>(s, 'PersistentVolumeClaim');
      const pending = pods.filter((p) => !p.spec.nodeName);
      expect(pending.length).toBeGreaterThan(1);
      for (const pod of pending) {
        const stored = pod.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message;
        const classes = of<StorageClass>(s, 'StorageClass');
        const result = schedule(pod, { nodes, pods: pods.filter((p) => p.spec.nodeName), pvcs, classes });
        expect('unschedulable' in result ? result.unschedulable : `fits on ${result.node}`, pod.metadata.name).toBe(
          stored,
        );
        const event = of<KubeEvent>(s, 'Event').find(
          (e) => e.involvedObject.name === pod.metadata.name && e.reason === 'FailedScheduling',
        );
        expect(event?.message).toBe(stored);
      }
    },
  );

  it('says what is wrong with a scenario that cannot be used', () => {
    expect(() => loadScenario('no-such-scenario')).toThrow(
      /scenario "no-such-scenario" not found: .*known scenarios: .*s1-jaeger/,
    );
    const dir = mkdtempSync(join(tmpdir(), 'kcockpit-scenario-'));
    try {
      const bad = join(dir, 'bad.yaml');
      writeFileSync(bad, 'name: bad\nobjects:\n  - kind: Pod\n    metadata: { name: x }\n');
      expect(() => loadScenario(bad)).toThrow(`scenario ${bad}: objects[0] needs kind, apiVersion and metadata.name`);
      writeFileSync(bad, 'name: [unclosed\n');
      expect(() => loadScenario(bad)).toThrow(/not valid YAML/);
      writeFileSync(bad, 'name: bad\nhistory:\n  - apply: []\n');
      expect(() => loadScenario(bad)).toThrow(`scenario ${bad}: history[0] needs \`at\`, a relative time such as -40m`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says which history step the simulator could not replay, and why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kcockpit-scenario-'));
    try {
      const file = join(dir, 'refused.yaml');
      writeFileSync(
        file,
        [
          'name: refused',
          'objects:',
          '  - { apiVersion: v1, kind: Namespace, metadata: { name: default } }',
          'history:',
          '  - at: -5m',
          '    apply:',
          '      - { apiVersion: v1, kind: Pod, metadata: { name: web, namespace: default }, spec: { containers: [{ name: c, image: nginx }] } }',
        ].join('\n'),
      );
      const scenario = loadScenario(file);
      await expect(startSimServer({ scenario })).rejects.toThrow(
        /^scenario refused: history step at \S+: pods "web" is forbidden: error looking up service account default\/default: serviceaccount "default" not found$/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('replays history at its own times: objects and events carry the step time', async () => {
    const srv = await startSimServer({ scenario: loadScenario('shop') });
    try {
      const ago = (t: string | undefined) => Math.round((Date.now() - Date.parse(t ?? '')) / 60_000);
      expect(ago(srv.state.find('Deployment', 'shop', 'storefront')?.metadata.creationTimestamp)).toBe(24 * 60);
      expect(ago(srv.state.find('Deployment', 'shop', 'checkout')?.metadata.creationTimestamp)).toBe(40);
      const scaled = srv.state
        .objectsOf<KubeEvent>('Event', 'shop')
        .find((e) => e.reason === 'ScalingReplicaSet' && e.involvedObject.name === 'checkout');
      expect(ago(scaled?.firstTimestamp ?? undefined)).toBe(40);
    } finally {
      await srv.close();
    }
  });
});
