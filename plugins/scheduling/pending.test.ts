import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rule } from './pending.js';
import { Snapshot, type SnapshotInput } from '../../src/store/snapshot.js';
import type { KubeEvent, Node, PersistentVolumeClaim, Pod, Workload } from '../../src/model/k8s.js';
import type { RawFinding } from '../../src/diagnose/types.js';

const load = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/scheduling/${name}`, import.meta.url), 'utf8')) as T;

const NOW = Date.parse('2026-11-21T21:40:00Z');
const minikube = () => load<Node>('node-minikube.json');
const systemPods = () => load<{ items: Pod[] }>('kube-system-pods.json').items;
const sampleEvents = () => load<{ items: KubeEvent[] }>('events-core-v1-list.json').items;

function diagnose(input: SnapshotInput, now = NOW): RawFinding[] {
  return rule.diagnose({ snapshot: new Snapshot(input), now });
}

function failedScheduling(pod: Pod, message: string, at = '2026-11-21T21:33:10.123456Z'): KubeEvent {
  return {
    metadata: {
      name: `${pod.metadata.name}.18ea2ce8cb587af0`,
      namespace: pod.metadata.namespace,
      creationTimestamp: at.slice(0, 19) + 'Z',
    },
    involvedObject: {
      kind: 'Pod',
      namespace: pod.metadata.namespace,
      name: pod.metadata.name,
      uid: pod.metadata.uid,
      apiVersion: 'v1',
    },
    reason: 'FailedScheduling',
    message,
    source: {},
    firstTimestamp: null,
    lastTimestamp: null,
    type: 'Warning',
    eventTime: at,
    reportingComponent: 'default-scheduler',
  };
}

/** A Pending pod shaped like the api-samples' unschedulable pods, with the scheduler's message on its condition. */
function pendingPod(
  name: string,
  namespace: string,
  message: string | undefined,
  opts: { owner?: Workload; containers?: Pod['spec']['containers']; created?: string } = {},
): Pod {
  const pod = load<Pod>('pod-unschedulable-insufficient-cpu.json');
  pod.metadata = {
    name,
    namespace,
    uid: `uid-${name}`,
    creationTimestamp: opts.created ?? '2026-11-21T21:32:59Z',
    labels: { ...(opts.owner?.spec.template.metadata?.labels ?? {}) },
  };
  if (opts.owner) {
    pod.metadata.ownerReferences = [
      {
        apiVersion: 'apps/v1',
        kind: opts.owner.kind!,
        name: opts.owner.metadata.name,
        uid: opts.owner.metadata.uid!,
        controller: true,
      },
    ];
    pod.spec = { ...structuredClone(opts.owner.spec.template.spec) };
  } else {
    delete pod.spec.nodeSelector;
  }
  if (opts.containers) pod.spec.containers = opts.containers;
  if (message === undefined) pod.status = { phase: 'Pending', qosClass: 'Burstable' };
  else pod.status!.conditions![0]!.message = message;
  return pod;
}

function deployment(
  name: string,
  namespace: string,
  replicas: number,
  container: Pod['spec']['containers'][number],
): { deployment: Workload; replicaSet: Workload } {
  const deployment: Workload = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, uid: `uid-deploy-${name}`, generation: 1, creationTimestamp: '2026-11-21T21:32:50Z' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [container], restartPolicy: 'Always' } },
    },
    status: { replicas, readyReplicas: 0, updatedReplicas: replicas, observedGeneration: 1 },
  };
  const replicaSet: Workload = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${name}-7d9c8b6f5`,
      namespace,
      uid: `uid-rs-${name}`,
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'Deployment', name, uid: deployment.metadata.uid!, controller: true },
      ],
    },
    spec: structuredClone(deployment.spec),
  };
  return { deployment, replicaSet };
}

function runningReady(pod: Pod, node: string): Pod {
  const p = structuredClone(pod);
  p.spec.nodeName = node;
  p.status = {
    phase: 'Running',
    conditions: [
      { type: 'PodScheduled', status: 'True' },
      { type: 'Ready', status: 'True' },
    ],
  };
  return p;
}

describe('scheduling/pending — insufficient CPU (api-samples pod `big`)', () => {
  const big = () => load<Pod>('pod-unschedulable-insufficient-cpu.json');

  it('quotes the request against the roomiest node, with the numbers', () => {
    const findings = diagnose({ pods: [big(), ...systemPods()], nodes: [minikube()], events: sampleEvents() });
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f.ruleId).toBe('scheduling/pending');
    expect(f.id).toBe('scheduling/pending:sample/Pod/big#insufficient-cpu');
    expect(f.severity).toBe('critical');
    expect(f.subject).toEqual({ kind: 'Pod', name: 'big', namespace: 'sample' });
    expect(f.title).toBe('pod/big Pending — needs 64 CPU, at most 1.25 CPU is free on any node');
    expect(f.explanation).toContain(
      'The pod requests 64 CPU; the largest free space on any node it may use is 1.25 CPU (node minikube: 2 allocatable, 0.75 requested)',
    );
    expect(f.explanation).toContain('No node is big enough even when empty');
    expect(f.explanation).toMatch(/^Pod big has been Pending for 7 minutes: the scheduler found no node for it\./);
    // The scheduler's own words come first, from the event the sample captured.
    expect(f.evidence[0]).toMatchObject({
      source: 'event',
      reason: 'FailedScheduling',
      text: "0/102 nodes are available: 1 Insufficient cpu, 101 node(s) didn't match Pod's node affinity/selector.",
      ref: { kind: 'Pod', name: 'big', namespace: 'sample' },
    });
    expect(f.evidence).toContainEqual({
      source: 'spec',
      ref: { kind: 'Pod', name: 'big', namespace: 'sample' },
      path: 'spec.containers[0].resources.requests.cpu',
      text: '64',
    });
    expect(f.evidence).toContainEqual(
      expect.objectContaining({
        source: 'node',
        ref: { kind: 'Node', name: 'minikube' },
        text: 'allocatable 2; requested by its 7 pods: 0.75; free: 1.25',
      }),
    );
  });

  it('offers to lower the request (shown, not run: a bare pod must be replaced) and to add room', () => {
    const [f] = diagnose({ pods: [big(), ...systemPods()], nodes: [minikube()] });
    const [lower, room] = f!.fixes;
    expect(lower).toMatchObject({ id: 'lower-cpu-request', mutates: false });
    expect(lower!.steps.every((s) => s.action === 'manual')).toBe(true);
    expect(lower!.explanation).toContain("set container big's cpu request to 1250m or less");
    expect(lower!.commands).toEqual([
      'kubectl get pod big -n sample -o yaml > big.yaml',
      'kubectl replace --force -f big.yaml',
    ]);
    expect(room).toMatchObject({ id: 'add-capacity', mutates: false });
    expect(room!.commands).toContain('kubectl describe node minikube');
    expect(room!.commands.some((c) => c.startsWith('minikube '))).toBe(true);
  });

  it('uses the pod condition when the event has expired', () => {
    const [f] = diagnose({ pods: [big(), ...systemPods()], nodes: [minikube()] });
    expect(f!.evidence[0]).toMatchObject({ source: 'status', path: 'status.conditions[0].message' });
  });

  it('says "at least" when only one namespace was loaded', () => {
    const [f] = diagnose({ namespace: 'sample', pods: [big()], nodes: [minikube()] });
    expect(f!.explanation).toContain('Only pods in namespace sample were loaded');
    expect(f!.explanation).toContain('at least 0 requested');
  });
});

describe('scheduling/pending — one finding per workload', () => {
  const container = {
    name: 'api',
    image: 'ghcr.io/shop/api:1.4.2',
    resources: { requests: { cpu: '250m', memory: '3Gi' } },
  };

  it('groups the replicas of a Deployment and suggests kubectl set resources on it', () => {
    const { deployment: d, replicaSet } = deployment('api', 'shop', 3, container);
    const msg =
      '0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.';
    const pods = ['api-7d9c8b6f5-4xkq2', 'api-7d9c8b6f5-9pl7z', 'api-7d9c8b6f5-tq8mn'].map((n) =>
      pendingPod(n, 'shop', msg, { owner: replicaSet }),
    );
    const usedByOthers = runningReady(
      pendingPod('cache-0', 'shop', undefined, {
        containers: [{ name: 'redis', resources: { requests: { memory: '1Gi' } } }],
      }),
      'minikube',
    );
    const findings = diagnose({
      pods: [...pods, usedByOthers, ...systemPods()],
      nodes: [minikube()],
      deployments: [d],
      replicaSets: [replicaSet],
    });
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f.subject).toEqual({ kind: 'Deployment', name: 'api', namespace: 'shop' });
    expect(f.objects).toHaveLength(4);
    expect(f.title).toBe(
      'deployment/api: 3 pods Pending — needs 3Gi of memory, at most 2.63Gi of memory is free on any node',
    );
    expect(f.explanation).toContain(
      '3 pods of deployment/api (api-7d9c8b6f5-4xkq2, api-7d9c8b6f5-9pl7z and api-7d9c8b6f5-tq8mn) have been Pending',
    );
    expect(f.explanation).toContain('It would fit on minikube if the pods there requested less');
    expect(f.fixes[0]!.commands).toEqual([
      'kubectl set resources deployment/api -n shop -c api --requests=memory=2690Mi',
    ]);
  });

  it('is a warning while other replicas of the workload are Ready', () => {
    const { deployment: d, replicaSet } = deployment('api', 'shop', 2, container);
    const msg = '0/1 nodes are available: 1 Insufficient memory.';
    const ready = runningReady(pendingPod('api-7d9c8b6f5-ready', 'shop', msg, { owner: replicaSet }), 'minikube');
    const pending = pendingPod('api-7d9c8b6f5-wait', 'shop', msg, { owner: replicaSet });
    const [f] = diagnose({ pods: [ready, pending], nodes: [minikube()], deployments: [d], replicaSets: [replicaSet] });
    expect(f!.severity).toBe('warning');
  });

  it('notes that helm upgrade would undo a kubectl change on a Helm-managed workload', () => {
    const { deployment: d, replicaSet } = deployment('api', 'shop', 1, container);
    d.metadata.annotations = { 'meta.helm.sh/release-name': 'shop', 'meta.helm.sh/release-namespace': 'shop' };
    const pending = pendingPod('api-7d9c8b6f5-wait', 'shop', '0/1 nodes are available: 1 Insufficient memory.', {
      owner: replicaSet,
    });
    const cache = runningReady(
      pendingPod('cache-0', 'shop', undefined, {
        containers: [{ name: 'redis', resources: { requests: { memory: '1Gi' } } }],
      }),
      'minikube',
    );
    const [f] = diagnose({
      pods: [pending, cache, ...systemPods()],
      nodes: [minikube()],
      deployments: [d],
      replicaSets: [replicaSet],
      helmReleases: [
        {
          name: 'shop',
          namespace: 'shop',
          revision: 3,
          status: 'deployed',
          chartName: 'shop',
          chartVersion: '1.2.0',
          storageSecret: 'sh.helm.release.v1.shop.v3',
        },
      ],
    });
    expect(f!.fixes[0]!.explanation).toContain('Helm manages Deployment api (release shop)');
    expect(f!.fixes[0]!.commands).toEqual([
      'kubectl set resources deployment/api -n shop -c api --requests=memory=2690Mi',
      "helm upgrade shop <repo>/shop --version 1.2.0 -n shop --reuse-values --set 'resources.requests.memory=2690Mi'",
    ]);
  });

  it('does not suggest a change when the snapshot shows room the scheduler did not see', () => {
    const { deployment: d, replicaSet } = deployment('api', 'shop', 1, container);
    const pending = pendingPod('api-7d9c8b6f5-wait', 'shop', '0/1 nodes are available: 1 Insufficient memory.', {
      owner: replicaSet,
    });
    const [f] = diagnose({ pods: [pending], nodes: [minikube()], deployments: [d], replicaSets: [replicaSet] });
    expect(f!.explanation).toContain('minikube now has 3.79Gi of memory free');
    expect(f!.fixes.map((p) => p.id)).toEqual(['add-capacity']);
  });
});

describe('scheduling/pending — taints', () => {
  const taintMsg =
    '0/1 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.';
  const tainted = () => {
    const n = minikube();
    n.spec = { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] };
    return n;
  };

  it('names the taint and the node, and offers the toleration as a JSON patch on the template', () => {
    const { deployment: d, replicaSet } = deployment('web', 'shop', 1, { name: 'web', image: 'nginx:1.27' });
    const pod = pendingPod('web-7d9c8b6f5-x1', 'shop', taintMsg, { owner: replicaSet });
    const [f] = diagnose({ pods: [pod], nodes: [tainted()], deployments: [d], replicaSets: [replicaSet] });
    expect(f!.title).toBe(
      'deployment/web: pod web-7d9c8b6f5-x1 Pending — node minikube has taint node-role.kubernetes.io/control-plane:NoSchedule it does not tolerate',
    );
    expect(f!.explanation).toContain('node-role.kubernetes.io/control-plane:NoSchedule on minikube');
    expect(f!.evidence).toContainEqual({
      source: 'node',
      ref: { kind: 'Node', name: 'minikube' },
      path: 'spec.taints',
      text: 'node-role.kubernetes.io/control-plane:NoSchedule',
    });
    // One node that only carries the control-plane taint: removing it is the usual fix, so it comes first.
    expect(f!.fixes.map((p) => p.id)).toEqual(['remove-taint', 'add-toleration']);
    expect(f!.fixes[0]!.commands).toEqual([
      'kubectl taint nodes minikube node-role.kubernetes.io/control-plane:NoSchedule-',
    ]);
    const tolerate = f!.fixes[1]!;
    expect(tolerate.mutates).toBe(true);
    expect(tolerate.steps).toEqual([
      {
        action: 'json-patch',
        ref: { kind: 'Deployment', name: 'web', namespace: 'shop' },
        patch: [
          {
            op: 'add',
            path: '/spec/template/spec/tolerations',
            value: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
          },
        ],
        description: expect.stringContaining('Add a toleration'),
      },
    ]);
    expect(tolerate.explanation).toContain('Only tolerate it if this workload belongs there');
    expect(tolerate.commands[0]).toBe(
      `kubectl patch deployment web -n shop --type=json -p '[{"op":"add","path":"/spec/template/spec/tolerations","value":[{"key":"node-role.kubernetes.io/control-plane","operator":"Exists","effect":"NoSchedule"}]}]'`,
    );
  });

  it('appends to existing tolerations and finds the taint itself when the scheduler does not name it', () => {
    const n = minikube();
    n.spec = { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] };
    const second = structuredClone(n);
    second.metadata.name = 'worker-2';
    second.metadata.labels = { ...second.metadata.labels, 'kubernetes.io/hostname': 'worker-2' };
    const { deployment: d, replicaSet } = deployment('train', 'ml', 1, {
      name: 'train',
      image: 'pytorch/pytorch:2.5.1',
    });
    d.spec.template.spec.tolerations = replicaSet.spec.template.spec.tolerations = [
      { key: 'example.com/spot', operator: 'Exists' },
    ];
    const pod = pendingPod(
      'train-7d9c8b6f5-a',
      'ml',
      '0/2 nodes are available: 2 node(s) had untolerated taint(s). preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
      { owner: replicaSet },
    );
    const [f] = diagnose({ pods: [pod], nodes: [n, second], deployments: [d], replicaSets: [replicaSet] });
    expect(f!.title).toContain('nodes minikube and worker-2 have taint dedicated=gpu:NoSchedule');
    expect(f!.fixes[0]!.id).toBe('add-toleration');
    expect(f!.fixes[0]!.steps[0]).toMatchObject({
      action: 'json-patch',
      patch: [
        {
          op: 'add',
          path: '/spec/template/spec/tolerations/-',
          value: { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
        },
      ],
    });
  });

  it('deletes the Pending pods of a StatefulSet after the patch so the new template is used', () => {
    const sts = load<Workload>('statefulset-db.json');
    delete sts.spec.template.spec.affinity;
    delete sts.spec.template.spec.nodeSelector;
    const pod = pendingPod('db-0', 'sample', taintMsg, { owner: sts });
    const [f] = diagnose({ pods: [pod], nodes: [tainted()], statefulSets: [sts] });
    const tolerate = f!.fixes.find((p) => p.id === 'add-toleration')!;
    expect(tolerate.steps.map((s) => s.action)).toEqual(['json-patch', 'delete']);
    expect(tolerate.commands[1]).toBe('kubectl delete pod db-0 -n sample');
  });

  it('also deletes the Pending pods of a DaemonSet whose update strategy is OnDelete', () => {
    const { deployment: d } = deployment('agent', 'monitoring', 1, { name: 'agent', image: 'grafana/alloy:v1.5.1' });
    const ds: Workload = { ...d, kind: 'DaemonSet', spec: { ...d.spec, updateStrategy: { type: 'OnDelete' } } };
    const pod = pendingPod('agent-x7k2p', 'monitoring', taintMsg, { owner: ds });
    const [f] = diagnose({ pods: [pod], nodes: [tainted()], daemonSets: [ds] });
    const tolerate = f!.fixes.find((p) => p.id === 'add-toleration')!;
    expect(tolerate.steps.map((s) => s.action)).toEqual(['json-patch', 'delete']);
  });

  it('never offers to tolerate the taints of an unhealthy node', () => {
    const n = minikube();
    n.spec = { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] };
    const pod = pendingPod(
      'solo',
      'default',
      '0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }.',
    );
    const [f] = diagnose({ pods: [pod], nodes: [n] });
    expect(f!.fixes).toEqual([]);
    expect(f!.explanation).toContain('the node is not Ready');
  });

  it('prefers the real blocker over the control-plane node the pod never wanted', () => {
    const cp = tainted();
    cp.metadata.name = 'cp-1';
    const workers = ['worker-1', 'worker-2'].map((name) => {
      const n = minikube();
      n.metadata.name = name;
      n.metadata.labels = { 'kubernetes.io/hostname': name };
      return n;
    });
    const pod = pendingPod(
      'batch',
      'default',
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu.',
    );
    const [f] = diagnose({ pods: [pod], nodes: [cp, ...workers] });
    expect(f!.id).toBe('scheduling/pending:default/Pod/batch#insufficient-cpu');
    expect(f!.explanation).toContain(
      'Per node, the scheduler found: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }; 2 Insufficient cpu.',
    );
  });
});

describe('scheduling/pending — node selection, cordons, no nodes', () => {
  it('compares the nodeSelector with the labels nodes really have', () => {
    const { deployment: d, replicaSet } = deployment('search', 'shop', 1, {
      name: 'search',
      image: 'opensearchproject/opensearch:2.18.0',
    });
    d.spec.template.spec.nodeSelector = replicaSet.spec.template.spec.nodeSelector = { disktype: 'ssd' };
    const pod = pendingPod(
      'search-7d9c8b6f5-a',
      'shop',
      "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.",
      { owner: replicaSet },
    );
    const nodes = ['worker-1', 'worker-2'].map((name) => {
      const n = minikube();
      n.metadata.name = name;
      n.metadata.labels = { 'kubernetes.io/hostname': name, disktype: 'hdd' };
      return n;
    });
    const [f] = diagnose({ pods: [pod], nodes, deployments: [d], replicaSets: [replicaSet] });
    expect(f!.title).toBe('deployment/search: pod search-7d9c8b6f5-a Pending — no node has disktype=ssd');
    expect(f!.explanation).toContain('no node has disktype=ssd (nodes have disktype=hdd)');
    expect(f!.fixes.map((p) => p.id)).toEqual(['label-node', 'drop-node-selector']);
    expect(f!.fixes[0]!.commands).toEqual(['kubectl label nodes worker-1 disktype=ssd']);
    expect(f!.fixes[1]!.commands[0]).toContain('"path":"/spec/template/spec/nodeSelector/disktype"');
    expect(f!.fixes.every((p) => !p.mutates)).toBe(true);
  });

  it('escapes label keys with a slash in the JSON pointer', () => {
    const { deployment: d, replicaSet } = deployment('edge', 'shop', 1, { name: 'edge', image: 'nginx:1.27' });
    d.spec.template.spec.nodeSelector = replicaSet.spec.template.spec.nodeSelector = {
      'node.example.com/pool': 'edge',
    };
    const pod = pendingPod(
      'edge-1',
      'shop',
      "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.",
      { owner: replicaSet },
    );
    const [f] = diagnose({ pods: [pod], nodes: [minikube()], deployments: [d], replicaSets: [replicaSet] });
    expect(f!.explanation).toContain('no node has a label node.example.com/pool');
    expect(f!.fixes[1]!.commands[0]).toContain('/spec/template/spec/nodeSelector/node.example.com~1pool');
  });

  it('lists cordoned nodes and the uncordon commands', () => {
    const nodes = ['worker-1', 'worker-2'].map((name) => {
      const n = minikube();
      n.metadata.name = name;
      n.spec = { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] };
      return n;
    });
    const pod = pendingPod(
      'job-x',
      'default',
      '0/2 nodes are available: 2 node(s) were unschedulable. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    );
    const [f] = diagnose({ pods: [pod], nodes });
    expect(f!.title).toBe('pod/job-x Pending — nodes worker-1 and worker-2 are cordoned');
    expect(f!.fixes[0]!.commands).toEqual(['kubectl uncordon worker-1', 'kubectl uncordon worker-2']);
  });

  it('says when the cluster has no nodes at all', () => {
    const pod = pendingPod('lonely', 'default', 'no nodes available to schedule pods');
    const [f] = diagnose({ pods: [pod], nodes: [] });
    expect(f!.id).toBe('scheduling/pending:default/Pod/lonely#no-nodes');
    expect(f!.title).toBe('pod/lonely Pending — the cluster has no nodes');
  });
});

describe('scheduling/pending — unbound PersistentVolumeClaim', () => {
  it("reads the claim's phase, class and events, and points at a storage provisioner", () => {
    const sts = load<Workload>('statefulset-db.json');
    sts.metadata = { ...sts.metadata, name: 'web', namespace: 'shop', uid: 'uid-sts-web' };
    delete sts.spec.template.spec.affinity;
    delete sts.spec.template.spec.nodeSelector;
    const pod = pendingPod('web-0', 'shop', undefined, { owner: sts });
    pod.metadata.uid = 'c5eac3f4-8027-4177-9c93-2e4d7f8091a2';
    pod.spec.volumes = [{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-0' } }];
    const pvc = load<PersistentVolumeClaim>('pvc-data-web-0-pending.json');
    const events = load<{ items: KubeEvent[] }>('events-pvc-no-storage-class.json').items;
    const [f] = diagnose({ pods: [pod], pvcs: [pvc], events, nodes: [minikube()], statefulSets: [sts] });
    expect(f!.title).toBe('statefulset/web: pod web-0 Pending — PersistentVolumeClaim data-web-0 is not bound');
    expect(f!.explanation).toContain('claim data-web-0 is Pending and has no storage class');
    expect(f!.objects).toContainEqual({ kind: 'PersistentVolumeClaim', name: 'data-web-0', namespace: 'shop' });
    expect(f!.evidence[0]).toMatchObject({ source: 'event', reason: 'FailedScheduling' });
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({
        source: 'event',
        reason: 'FailedBinding',
        text: 'no persistent volumes available for this claim and no storage class is set',
        count: 42,
      }),
    );
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({ source: 'spec', path: 'spec.storageClassName', text: '(not set)' }),
    );
    const plan = f!.fixes[0]!;
    expect(plan).toMatchObject({ id: 'provide-volume', mutates: false });
    expect(plan.commands).toContain('minikube addons enable storage-provisioner');
  });

  it('names a claim that does not exist', () => {
    const pod = pendingPod(
      'reader',
      'shop',
      '0/1 nodes are available: persistentvolumeclaim "shared" not found. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    );
    pod.spec.volumes = [{ name: 'shared', persistentVolumeClaim: { claimName: 'shared' } }];
    const [f] = diagnose({ pods: [pod], nodes: [minikube()] });
    expect(f!.title).toBe('pod/reader Pending — PersistentVolumeClaim shared does not exist');
  });
});

describe('scheduling/pending — pod anti-affinity (api-samples StatefulSet db)', () => {
  it('states the rule and the node that already runs a matching pod, without a fix', () => {
    const sts = load<Workload>('statefulset-db.json');
    const db1 = load<Pod>('pod-unschedulable-antiaffinity.json');
    const db0 = runningReady(db1, 'minikube');
    db0.metadata = {
      ...db0.metadata,
      name: 'db-0',
      uid: 'bdde4b02-c5cd-4385-8fd9-589d8bbd4a7a',
      labels: { ...db1.metadata.labels, 'statefulset.kubernetes.io/pod-name': 'db-0' },
    };
    const [f] = diagnose({ pods: [db0, db1], nodes: [minikube()], statefulSets: [sts], events: sampleEvents() });
    expect(f!.id).toBe('scheduling/pending:sample/StatefulSet/db#pod-anti-affinity');
    expect(f!.title).toBe(
      'statefulset/db: pod db-1 Pending — its required pod anti-affinity allows one such pod per node',
    );
    expect(f!.explanation).toContain('Every node it may use already runs one: minikube (db-0)');
    expect(f!.evidence).toContainEqual(
      expect.objectContaining({
        path: 'spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]',
        text: 'topologyKey kubernetes.io/hostname, pods matching app=db',
      }),
    );
    expect(f!.fixes).toEqual([]);
  });
});

describe('scheduling/pending — a user who may not list nodes', () => {
  const unseen = { nodes: [], forbidden: ['nodes'] };
  const withSelector = (name: string, selector: Record<string, string>, message: string) => {
    const { deployment: d, replicaSet } = deployment(name, 'shop', 1, { name, image: 'nginx:1.27' });
    d.spec.template.spec.nodeSelector = replicaSet.spec.template.spec.nodeSelector = selector;
    const pod = pendingPod(`${name}-1`, 'shop', message, { owner: replicaSet });
    return { pods: [pod], deployments: [d], replicaSets: [replicaSet] };
  };

  it('blames the taint, not the node selection, when the scheduler counted both (taints are checked first)', () => {
    const [f] = diagnose({
      ...withSelector(
        'report-builder',
        { workload: 'batch' },
        "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: batch}, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
      ),
      ...unseen,
    });
    expect(f!.id).toBe('scheduling/pending:shop/Deployment/report-builder#taint');
    expect(f!.title).toBe(
      'deployment/report-builder: pod report-builder-1 Pending — nodes have the taint dedicated=batch it does not tolerate',
    );
    expect(f!.explanation).toContain(
      'kcockpit may not list nodes, so which nodes carry it, and with which effect, could not be checked',
    );
  });

  it('blames the cordon when the other nodes do not match the selector, and says it cannot name the nodes', () => {
    const [f] = diagnose({
      ...withSelector(
        'image-cache',
        { disktype: 'nvme' },
        "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
      ),
      ...unseen,
    });
    expect(f!.id).toBe('scheduling/pending:shop/Deployment/image-cache#unschedulable-node');
    expect(f!.title).toBe('deployment/image-cache: pod image-cache-1 Pending — 1 node is cordoned');
    expect(f!.explanation).toContain('kcockpit may not list nodes, so it cannot name them');
  });

  it('still blames node selection over a control-plane taint, without claiming which labels nodes lack', () => {
    const [f] = diagnose({
      ...withSelector(
        'gpu',
        { accelerator: 'nvidia-tesla-t4' },
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector.",
      ),
      ...unseen,
    });
    expect(f!.id).toBe('scheduling/pending:shop/Deployment/gpu#node-affinity');
    expect(f!.title).toBe('deployment/gpu: pod gpu-1 Pending — no node matches accelerator=nvidia-tesla-t4');
    expect(f!.explanation).toContain('the scheduler found 2 nodes that do not match');
    expect(f!.explanation).toContain('kcockpit may not list nodes, so which labels they lack could not be checked');
    expect(f!.explanation).not.toContain('no node has');
    expect(f!.fixes.map((p) => p.id)).toEqual(['label-node']);
    expect(f!.fixes[0]!.commands).toEqual(['kubectl label nodes <node> accelerator=nvidia-tesla-t4']);
  });

  it('names the node a matching pod runs on for anti-affinity, from the pods themselves', () => {
    const sts = load<Workload>('statefulset-db.json');
    const db1 = load<Pod>('pod-unschedulable-antiaffinity.json');
    const db0 = runningReady(db1, 'minikube');
    db0.metadata = {
      ...db0.metadata,
      name: 'db-0',
      uid: 'bdde4b02-c5cd-4385-8fd9-589d8bbd4a7a',
      labels: { ...db1.metadata.labels, 'statefulset.kubernetes.io/pod-name': 'db-0' },
    };
    const [f] = diagnose({ pods: [db0, db1], statefulSets: [sts], events: sampleEvents(), ...unseen });
    expect(f!.id).toBe('scheduling/pending:sample/StatefulSet/db#pod-anti-affinity');
    expect(f!.explanation).toContain('Nodes that already run one: minikube (db-0)');
  });
});

describe('scheduling/pending — what is not a finding', () => {
  it('ignores pods that are new, scheduled, running or terminating', () => {
    const fresh = pendingPod('fresh', 'default', undefined, { created: '2026-11-21T21:39:50Z' });
    const bound = pendingPod('bound', 'default', undefined);
    bound.spec.nodeName = 'minikube';
    const running = runningReady(pendingPod('running', 'default', undefined), 'minikube');
    const leaving = pendingPod('leaving', 'default', '0/1 nodes are available: 1 Insufficient cpu.');
    leaving.metadata.deletionTimestamp = '2026-11-21T21:39:00Z';
    const gated = pendingPod('gated', 'default', undefined);
    gated.status!.conditions = [
      {
        type: 'PodScheduled',
        status: 'False',
        reason: 'SchedulingGated',
        message: 'Scheduling is blocked due to non-empty scheduling gates',
      },
    ];
    expect(diagnose({ pods: [fresh, bound, running, leaving, gated, ...systemPods()], nodes: [minikube()] })).toEqual(
      [],
    );
  });

  it('reports a pod no scheduler has looked at after 30 seconds', () => {
    const pod = pendingPod('orphan', 'default', undefined);
    pod.spec.schedulerName = 'volcano';
    const [f] = diagnose({ pods: [pod], nodes: [minikube()] });
    expect(f!.severity).toBe('warning');
    expect(f!.title).toBe('pod/orphan Pending — no scheduler named "volcano" has picked it up');
  });

  it('ignores FailedScheduling events about an earlier pod of the same name', () => {
    const pod = pendingPod('web-0', 'shop', undefined, { created: '2026-11-21T21:39:55Z' });
    const stale = failedScheduling(
      { ...pod, metadata: { ...pod.metadata, uid: 'an-older-pod' } },
      '0/1 nodes are available: 1 Insufficient cpu.',
    );
    expect(diagnose({ pods: [pod], events: [stale], nodes: [minikube()] })).toEqual([]);
  });
});

describe('scheduling/pending — hostile input', () => {
  it('never throws on missing fields, garbage and huge messages', () => {
    const garbage = [
      { metadata: { name: 'a', namespace: 'x' } },
      {
        metadata: { name: 'b', namespace: 'x', creationTimestamp: 'not a date' },
        spec: {},
        status: { phase: 'Pending', conditions: [null, { type: 'PodScheduled', status: 'False', message: 42 }] },
      },
      {
        metadata: { name: 'c', namespace: 'x', creationTimestamp: '2026-11-21T21:00:00Z' },
        spec: { containers: 'nope', volumes: [null], tolerations: {} },
        status: { phase: 'Pending' },
      },
      pendingPod('d', 'x', '0/1 nodes are available: ' + '1 Insufficient cpu, '.repeat(50_000)),
      pendingPod('e', 'x', '\u0000\uffff garbage {{{ : }}}'),
    ] as unknown as Pod[];
    const weirdNode = {
      metadata: { name: 'n' },
      spec: { taints: [null, { key: 5 }] },
      status: { allocatable: { cpu: 'lots' } },
    } as unknown as Node;
    const events = [failedScheduling(garbage[3]!, 'x'.repeat(1_000_000))];
    let findings: RawFinding[] = [];
    expect(() => {
      findings = diagnose({ pods: garbage, nodes: [weirdNode, minikube()], events });
    }).not.toThrow();
    for (const f of findings) {
      expect(f.title.length).toBeLessThan(400);
      for (const e of f.evidence) expect(e.text.length).toBeLessThan(5000);
    }
  });
});
