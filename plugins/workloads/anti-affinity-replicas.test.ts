import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rule } from './anti-affinity-replicas.js';
import { rule as pendingRule } from '../scheduling/pending.js';
import { runRules } from '../../src/diagnose/engine.js';
import { Snapshot, type SnapshotInput } from '../../src/store/snapshot.js';
import type { HelmRelease, KubeEvent, Node, Pod, Workload } from '../../src/model/k8s.js';
import type { RawFinding } from '../../src/diagnose/types.js';

const fixture = <T>(path: string): T =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/${path}`, import.meta.url), 'utf8')) as T;

const NOW = Date.parse('2026-11-21T21:40:00Z');
const minikube = () => fixture<Node>('scheduling/node-minikube.json');
const esStatefulSet = () => fixture<Workload>('workloads/elasticsearch-master-statefulset.json');
const esPods = () => fixture<{ items: Pod[] }>('workloads/elasticsearch-master-pods.json').items;
const esEvents = () => fixture<{ items: KubeEvent[] }>('workloads/elasticsearch-master-events.json').items;
const jaegerRelease = () => fixture<HelmRelease>('workloads/helm-release-jaeger.json');

function diagnose(input: SnapshotInput): RawFinding[] {
  return rule.diagnose({ snapshot: new Snapshot(input), now: NOW });
}

function s1(overrides: Partial<SnapshotInput> = {}): SnapshotInput {
  return {
    nodes: [minikube()],
    statefulSets: [esStatefulSet()],
    pods: esPods(),
    events: esEvents(),
    helmReleases: [jaegerRelease()],
    ...overrides,
  };
}

function node(name: string, taint?: string): Node {
  const n = minikube();
  n.metadata = { ...n.metadata, name, labels: { ...n.metadata.labels, 'kubernetes.io/hostname': name } };
  if (taint) n.spec = { taints: [{ key: taint, effect: 'NoSchedule' }] };
  return n;
}

describe('workloads/anti-affinity-replicas — S1.2 Elasticsearch from the jaeger chart on one minikube node', () => {
  it('finds the root cause and explains every pod of the StatefulSet', () => {
    const findings = diagnose(s1());
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    const sts = { kind: 'StatefulSet', name: 'elasticsearch-master', namespace: 'observability' };
    expect(f.id).toBe('workloads/anti-affinity-replicas:observability/StatefulSet/elasticsearch-master');
    expect(f.severity).toBe('critical');
    expect(f.subject).toEqual(sts);
    expect(f.title).toBe(
      'statefulset/elasticsearch-master wants 3 replicas, one per node, but only 1 node can take them: Elasticsearch cannot elect a master',
    );
    expect(f.explains).toEqual([
      sts,
      { kind: 'Pod', name: 'elasticsearch-master-0', namespace: 'observability' },
      { kind: 'Pod', name: 'elasticsearch-master-1', namespace: 'observability' },
      { kind: 'Pod', name: 'elasticsearch-master-2', namespace: 'observability' },
    ]);
  });

  it('explains the quorum that cannot form and why scaling by hand is not the fix', () => {
    const [f] = diagnose(s1());
    expect(f!.explanation).toContain('Only 1 node can take them (minikube), so 2 pods stay Pending');
    expect(f!.explanation).toContain(
      'listed in cluster.initial_master_nodes (elasticsearch-master-0, elasticsearch-master-1 and elasticsearch-master-2)',
    );
    expect(f!.explanation).toContain('which needs 2 of them to be up');
    expect(f!.explanation).toContain('its readiness probe waits for wait_for_status=green');
    expect(f!.explanation).toContain(
      'Scaling the StatefulSet by hand is not the fix: Helm puts it back on the next upgrade, and cluster.initial_master_nodes still lists 3 nodes',
    );
  });

  it('shows the evidence: replicas, the anti-affinity term, the nodes, the scheduler and the readiness probe', () => {
    const [f] = diagnose(s1());
    const ev = f!.evidence;
    expect(ev).toContainEqual({
      source: 'spec',
      ref: { kind: 'StatefulSet', name: 'elasticsearch-master', namespace: 'observability' },
      path: 'spec.replicas',
      text: '3',
    });
    expect(ev).toContainEqual(
      expect.objectContaining({
        path: 'spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]',
        text: 'topologyKey kubernetes.io/hostname, pods matching app In [elasticsearch-master]',
      }),
    );
    expect(ev).toContainEqual({ source: 'node', text: '1 node can take these pods: minikube' });
    expect(ev).toContainEqual(
      expect.objectContaining({
        source: 'event',
        reason: 'FailedScheduling',
        ref: { kind: 'Pod', name: 'elasticsearch-master-1', namespace: 'observability' },
        text: "0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
      }),
    );
    expect(ev).toContainEqual(
      expect.objectContaining({
        source: 'event',
        reason: 'Unhealthy',
        count: 1123,
        text: 'Readiness probe failed: Waiting for elasticsearch cluster to become ready (request params: "wait_for_status=green&timeout=1s" )',
      }),
    );
    expect(ev).toContainEqual(
      expect.objectContaining({
        path: 'spec.template.spec.containers[0].env[1].value',
        text: 'cluster.initial_master_nodes=elasticsearch-master-0,elasticsearch-master-1,elasticsearch-master-2,',
      }),
    );
    expect(ev).toContainEqual({
      source: 'helm',
      ref: { kind: 'HelmRelease', namespace: 'observability', name: 'jaeger' },
      text: 'release jaeger: chart jaeger-0.65.4, revision 1, deployed',
    });
  });

  it('fixes it with helm upgrade of the jaeger release, values under elasticsearch., chart version kept', () => {
    const [f] = diagnose(s1());
    expect(f!.fixes).toHaveLength(1);
    const plan = f!.fixes[0]!;
    expect(plan.id).toBe('helm-set-elasticsearch-replicas');
    expect(plan.mutates).toBe(true);
    expect(plan.steps).toEqual([
      {
        action: 'helm-upgrade',
        release: 'jaeger',
        namespace: 'observability',
        chart: 'jaegertracing/jaeger',
        reuseValues: true,
        set: {
          'elasticsearch.replicas': '1',
          'elasticsearch.minimumMasterNodes': '1',
          'elasticsearch.clusterHealthCheckParams': 'wait_for_status=yellow&timeout=1s',
        },
        version: '0.65.4',
        description: expect.stringContaining('helm upgrade jaeger'),
      },
    ]);
    expect(plan.commands).toEqual([
      "helm upgrade jaeger jaegertracing/jaeger -n observability --reuse-values --version 0.65.4 --set elasticsearch.replicas=1 --set elasticsearch.minimumMasterNodes=1 --set 'elasticsearch.clusterHealthCheckParams=wait_for_status=yellow&timeout=1s'",
    ]);
    expect(plan.explanation).toContain(
      '`jaegertracing` is the usual name of the chart repository https://jaegertracing.github.io/helm-charts',
    );
    expect(plan.explanation).toContain('Scaling the StatefulSet by hand is not the fix');
  });

  it("uses elastic's own chart without a prefix", () => {
    const sts = esStatefulSet();
    sts.metadata.name = 'elasticsearch-master';
    sts.metadata.annotations = {
      'meta.helm.sh/release-name': 'search',
      'meta.helm.sh/release-namespace': 'observability',
    };
    const release: HelmRelease = {
      ...jaegerRelease(),
      name: 'search',
      chartName: 'elasticsearch',
      chartVersion: '7.17.3',
      values: {},
      storageSecret: 'sh.helm.release.v1.search.v1',
    };
    const [f] = diagnose(s1({ statefulSets: [sts], helmReleases: [release] }));
    const step = f!.fixes[0]!.steps[0]!;
    expect(step).toMatchObject({
      action: 'helm-upgrade',
      chart: 'elastic/elasticsearch',
      version: '7.17.3',
      set: { replicas: '1', minimumMasterNodes: '1' },
    });
  });

  it('prefixes the values when the release values configure an elasticsearch block, and prints a placeholder for an unknown chart', () => {
    const sts = esStatefulSet();
    sts.metadata.annotations = {
      'meta.helm.sh/release-name': 'tracing',
      'meta.helm.sh/release-namespace': 'observability',
    };
    const release: HelmRelease = {
      ...jaegerRelease(),
      name: 'tracing',
      chartName: 'tracing-stack',
      chartVersion: '2.0.1',
      values: { elasticsearch: { replicas: 3 } },
    };
    const [f] = diagnose(s1({ statefulSets: [sts], helmReleases: [release] }));
    const plan = f!.fixes[0]!;
    expect(plan.mutates).toBe(false);
    expect(plan.steps[0]!.action).toBe('manual');
    expect(plan.commands[0]).toContain(
      'helm upgrade tracing <repo>/tracing-stack -n observability --reuse-values --version 2.0.1 --set elasticsearch.replicas=1',
    );
  });

  it('counts only the nodes the pods may use: tainted control-plane nodes do not count', () => {
    const [f] = diagnose(
      s1({ nodes: [node('cp-1', 'node-role.kubernetes.io/control-plane'), node('worker-1'), node('worker-2')] }),
    );
    expect(f!.title).toContain('only 2 nodes can take them');
    expect(f!.evidence).toContainEqual({
      source: 'node',
      text: '2 nodes can take these pods: worker-1 and worker-2; excluded: cp-1 (taint node-role.kubernetes.io/control-plane:NoSchedule)',
    });
    expect(f!.fixes[0]!.steps[0]).toMatchObject({
      set: { 'elasticsearch.replicas': '2', 'elasticsearch.minimumMasterNodes': '2' },
    });
    expect(
      (f!.fixes[0]!.steps[0] as { set: Record<string, string> }).set['elasticsearch.clusterHealthCheckParams'],
    ).toBeUndefined();
  });
});

describe('workloads/anti-affinity-replicas — workloads without Helm', () => {
  it('scales a plain StatefulSet to the node count, or makes the anti-affinity preferred', () => {
    const sts = fixture<Workload>('scheduling/statefulset-db.json');
    const [f] = diagnose({
      nodes: [minikube()],
      statefulSets: [sts],
      pods: [fixture<Pod>('scheduling/pod-unschedulable-antiaffinity.json')],
    });
    expect(f!.title).toBe('statefulset/db wants 2 replicas, one per node, but only 1 node can take them');
    expect(f!.explanation).toContain(
      'Run at most 1 replica until more nodes join, or make the anti-affinity preferred',
    );
    const [scale, prefer] = f!.fixes;
    expect(scale).toMatchObject({
      id: 'scale-to-nodes',
      mutates: true,
      commands: ['kubectl scale statefulset/db --replicas=1 -n sample'],
    });
    expect(scale!.steps).toEqual([
      {
        action: 'scale',
        ref: { kind: 'StatefulSet', name: 'db', namespace: 'sample' },
        replicas: 1,
        description: 'Scale StatefulSet db from 2 to 1 replicas.',
      },
    ]);
    expect(prefer).toMatchObject({ id: 'prefer-anti-affinity', mutates: false });
    expect(prefer!.commands[0]).toContain(
      '"op":"remove","path":"/spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/0"',
    );
    expect(prefer!.commands[0]).toContain(
      '{"op":"add","path":"/spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution","value":[{"weight":100',
    );
  });

  it('appends to an existing preferred anti-affinity list instead of replacing it', () => {
    const sts = fixture<Workload>('scheduling/statefulset-db.json');
    sts.spec.template.spec.affinity!.podAntiAffinity!.preferredDuringSchedulingIgnoredDuringExecution = [
      {
        weight: 10,
        podAffinityTerm: { labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'kubernetes.io/hostname' },
      },
    ];
    const [f] = diagnose({ nodes: [minikube()], statefulSets: [sts] });
    expect(f!.fixes[1]!.commands[0]).toContain(
      '"path":"/spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/-","value":{"weight":100',
    );
  });

  it('also rewrites cluster.initial_master_nodes for a hand-made Elasticsearch StatefulSet, guarded by a test op', () => {
    const sts = esStatefulSet();
    delete sts.metadata.annotations;
    const [f] = diagnose(s1({ statefulSets: [sts], helmReleases: [] }));
    const scale = f!.fixes[0]!;
    expect(scale.steps.map((s) => s.action)).toEqual(['json-patch', 'scale']);
    expect(scale.steps[0]).toMatchObject({
      patch: [
        {
          op: 'test',
          path: '/spec/template/spec/containers/0/env/1/value',
          value: 'elasticsearch-master-0,elasticsearch-master-1,elasticsearch-master-2,',
        },
        { op: 'replace', path: '/spec/template/spec/containers/0/env/1/value', value: 'elasticsearch-master-0' },
      ],
    });
    expect(f!.explanation).toContain('list only those pods in cluster.initial_master_nodes');
  });

  it('covers Deployments too', () => {
    const sts = fixture<Workload>('scheduling/statefulset-db.json');
    const d: Workload = {
      ...sts,
      kind: 'Deployment',
      metadata: { ...sts.metadata, name: 'web', uid: 'uid-web' },
      spec: { ...sts.spec, replicas: 4 },
    };
    delete d.spec.template.spec.nodeSelector;
    const [f] = diagnose({ nodes: [node('a'), node('b')], deployments: [d] });
    expect(f!.subject).toEqual({ kind: 'Deployment', name: 'web', namespace: 'sample' });
    expect(f!.title).toContain('wants 4 replicas');
  });
});

describe('workloads/anti-affinity-replicas — a user who may not list nodes', () => {
  const viewer = (overrides: Partial<SnapshotInput> = {}): SnapshotInput =>
    s1({ nodes: [], forbidden: ['nodes'], ...overrides });
  const threeNodes = (message: string): KubeEvent[] =>
    esEvents().map((e) => (e.reason === 'FailedScheduling' ? { ...e, message } : e));

  it("finds the root cause from the scheduler's FailedScheduling count, and says what it could not check", () => {
    const [f, ...rest] = diagnose(viewer());
    expect(rest).toEqual([]);
    expect(f!.title).toBe(
      'statefulset/elasticsearch-master wants 3 replicas, one per node, but only 1 node can take them: Elasticsearch cannot elect a master',
    );
    expect(f!.explanation).toContain(
      "Only 1 node can take them by the scheduler's count: kcockpit may not list nodes, but its FailedScheduling verdict counts 1 node in all; the placed replicas run on minikube (the nodes themselves could not be checked), so 2 pods stay Pending",
    );
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({
        source: 'event',
        reason: 'FailedScheduling',
        text: expect.stringMatching(/^0\/1 nodes are available: 1 node\(s\) didn't match pod anti-affinity rules\./),
      }),
    );
    expect(f!.evidence).toContainEqual({
      source: 'spec',
      ref: { kind: 'Pod', name: 'elasticsearch-master-0', namespace: 'observability' },
      path: 'spec.nodeName',
      text: 'minikube',
    });
    expect(f!.evidence.some((e) => e.source === 'node')).toBe(false);
    expect(f!.fixes.map((p) => p.id)).toEqual(['helm-set-elasticsearch-replicas']);
    expect(f!.fixes[0]!.commands[0]).toContain('--set elasticsearch.replicas=1');
  });

  it('leaves out the nodes the scheduler refused for taints, selection or cordoning', () => {
    const [f] = diagnose(
      viewer({
        events: threeNodes(
          "0/3 nodes are available: 1 node(s) didn't match pod anti-affinity rules, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
        ),
      }),
    );
    expect(f!.explanation).toContain(
      "Only 1 node can take them by the scheduler's count: kcockpit may not list nodes, but its FailedScheduling verdict counts 3 nodes, 2 of them ruled out by taints, node selection or cordoning;",
    );
  });

  it('is quiet when the scheduler counts enough nodes, gives no count, or names another reason', () => {
    const twoFree = threeNodes(
      "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
    );
    expect(diagnose(viewer({ events: twoFree }))).toEqual([]);
    expect(diagnose(viewer({ events: threeNodes('0/1 nodes are available: 1 Insufficient cpu.') }))).toEqual([]);
    const noVerdict = esPods().map((p) => ({
      ...p,
      status: { ...p.status, conditions: (p.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled') },
    }));
    expect(diagnose(viewer({ events: [], pods: noVerdict }))).toEqual([]);
    // Nodes that could be listed but are none: nothing to count with, whatever the events say.
    expect(diagnose(s1({ nodes: [] }))).toEqual([]);
  });

  it('puts the Pending-pod finding under the root cause, as for an admin', () => {
    const { findings } = runRules([pendingRule, rule], new Snapshot(viewer()), { now: NOW });
    const root = findings.find((f) => f.ruleId === 'workloads/anti-affinity-replicas')!;
    expect(findings.find((f) => f.ruleId === 'scheduling/pending')!.causedBy).toEqual([root.id]);
  });
});

describe('workloads/anti-affinity-replicas — not a finding', () => {
  it('is quiet when there are enough nodes', () => {
    expect(diagnose(s1({ nodes: [node('a'), node('b'), node('c')] }))).toEqual([]);
  });

  it('is quiet for preferred anti-affinity, anti-affinity against other pods, or another topology key', () => {
    const preferred = esStatefulSet();
    const term =
      preferred.spec.template.spec.affinity!.podAntiAffinity!.requiredDuringSchedulingIgnoredDuringExecution![0]!;
    preferred.spec.template.spec.affinity = {
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: term }] },
    };
    const others = esStatefulSet();
    others.spec.template.spec.affinity!.podAntiAffinity!.requiredDuringSchedulingIgnoredDuringExecution![0]!.labelSelector =
      { matchLabels: { app: 'kafka' } };
    const zone = esStatefulSet();
    zone.spec.template.spec.affinity!.podAntiAffinity!.requiredDuringSchedulingIgnoredDuringExecution![0]!.topologyKey =
      'topology.kubernetes.io/zone';
    for (const sts of [preferred, others, zone]) expect(diagnose(s1({ statefulSets: [sts] }))).toEqual([]);
  });

  it('does not guess when no nodes are listed or none can take the pods', () => {
    expect(diagnose(s1({ nodes: [] }))).toEqual([]);
    const cordoned = minikube();
    cordoned.spec = { unschedulable: true };
    expect(diagnose(s1({ nodes: [cordoned] }))).toEqual([]);
  });

  it('never throws on hostile workloads', () => {
    const hostile = [
      { metadata: { name: 'a' } },
      { metadata: { name: 'b', namespace: 'x' }, spec: {} },
      {
        metadata: { name: 'c', namespace: 'x' },
        spec: {
          replicas: 'many',
          template: {
            spec: {
              affinity: {
                podAntiAffinity: {
                  requiredDuringSchedulingIgnoredDuringExecution: [null, { topologyKey: 'kubernetes.io/hostname' }],
                },
              },
            },
          },
        },
      },
      {
        metadata: { name: 'd', namespace: 'x' },
        spec: {
          replicas: 9,
          template: {
            metadata: { labels: { a: 'b' } },
            spec: {
              containers: 'x',
              affinity: {
                podAntiAffinity: {
                  requiredDuringSchedulingIgnoredDuringExecution: [
                    { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { a: 'b' } } },
                  ],
                },
              },
            },
          },
        },
      },
    ] as unknown as Workload[];
    expect(() => diagnose({ nodes: [minikube()], statefulSets: hostile, deployments: hostile })).not.toThrow();
  });
});

describe('workloads/anti-affinity-replicas — cause linking with the engine', () => {
  it('puts the Pending-pod finding under the anti-affinity root cause', () => {
    const { findings } = runRules([pendingRule, rule], new Snapshot(s1()), { now: NOW });
    const root = findings.find((f) => f.ruleId === 'workloads/anti-affinity-replicas')!;
    const pending = findings.find((f) => f.ruleId === 'scheduling/pending')!;
    expect(pending.title).toBe(
      'statefulset/elasticsearch-master: 2 pods Pending — its required pod anti-affinity allows one such pod per node',
    );
    expect(pending.causedBy).toEqual([root.id]);
    expect(root.causedBy).toEqual([]);
    expect(findings[0]!.id).toBe(root.id);
  });
});
