// The containers scenario (scenarios/containers.yaml): each container failure class produced
// by the simulated kubelet from the scenario's history — in a real kubelet's statuses and
// words — then diagnosed through the real client, store and engine as `kcockpit diagnose`
// does it: every class found, with its chain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeEvent, Pod } from '../../src/model/k8s.js';
import type { Finding } from '../../src/diagnose/types.js';
import type { SimServer } from '../../src/sim/server.js';
import { connect, type Connection } from '../../src/kube/client.js';
import { connectAs, diagnose } from '../fixes/helpers.js';
import { startSim } from '../helpers/sim.js';
import { kubectlFor } from './kubectl-runner.js';

let sim: SimServer;
let conn: Connection;
let findings: Finding[];
const kubectl = kubectlFor(() => sim);

beforeAll(async () => {
  sim = await startSim('containers');
  await sim.settle();
  conn = connect({ kubeconfig: sim.kubeconfigPath });
  findings = await diagnose(conn, 'bakery');
});
afterAll(async () => {
  conn.close();
  kubectl.dispose();
  await sim.close();
});

const pods = (prefix: string) =>
  sim.state.objectsOf<Pod>('Pod', 'bakery').filter((p) => p.metadata.name.startsWith(`${prefix}-`));
const eventsOf = (pod: Pod, reason: string) =>
  sim.state
    .objectsOf<KubeEvent>('Event', 'bakery')
    .filter((e) => e.involvedObject.name === pod.metadata.name && e.reason === reason);
const finding = (id: string): Finding => {
  const f = findings.find((x) => x.id === id);
  if (!f) throw new Error(`no ${id} among ${findings.map((x) => x.id).join(' ')}`);
  return f;
};

describe('the simulated kubelet writes what a real one does', () => {
  it('an init container that exits 1: Init:CrashLoopBackOff, the app container PodInitializing', () => {
    const [pod] = pods('web');
    expect(pod!.status).toMatchObject({
      phase: 'Pending',
      initContainerStatuses: [
        { name: 'wait-for-config', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        {
          name: 'migrate',
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error' } },
        },
      ],
      containerStatuses: [{ name: 'web', state: { waiting: { reason: 'PodInitializing' } } }],
    });
    expect(pod!.status!.conditions).toContainEqual(
      expect.objectContaining({
        type: 'Initialized',
        status: 'False',
        reason: 'ContainersNotInitialized',
        message: 'containers with incomplete status: [migrate]',
      }),
    );
  });

  it('a liveness probe on a port the container does not declare: refused, killed, back-off', () => {
    const [pod] = pods('checkout');
    const unhealthy = eventsOf(pod!, 'Unhealthy')[0]!;
    expect(unhealthy.message).toMatch(
      /^Liveness probe failed: Get "http:\/\/10\.244\.\d+\.\d+:8081\/healthz": dial tcp 10\.244\.\d+\.\d+:8081: connect: connection refused$/,
    );
    expect(unhealthy.count).toBe(12);
    expect(eventsOf(pod!, 'Killing')[0]).toMatchObject({
      message: 'Container checkout failed liveness probe, will be restarted',
      count: 4,
    });
    expect(pod!.status!.containerStatuses![0]).toMatchObject({
      restartCount: 4,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { exitCode: 137, reason: 'Error' } },
    });
  });

  it('a probe of a path the app does not serve: 404', () => {
    const [pod] = pods('recipes');
    expect(eventsOf(pod!, 'Unhealthy')[0]!.message).toBe(
      'Liveness probe failed: HTTP probe failed with statuscode: 404',
    );
  });

  it('evictions over the ephemeral-storage limit: two Evicted pods, replaced by a running one', () => {
    const all = pods('thumbnailer');
    const evicted = all.filter((p) => p.status?.reason === 'Evicted');
    expect(evicted).toHaveLength(2);
    expect(evicted[0]!.status).toMatchObject({
      phase: 'Failed',
      message: 'Container thumbnailer exceeded its local ephemeral storage limit "1Gi". ',
    });
    expect(eventsOf(evicted[0]!, 'Evicted')[0]!.message).toBe(
      'Container thumbnailer exceeded its local ephemeral storage limit "1Gi".',
    );
    expect(all.filter((p) => p.status?.phase === 'Running')).toHaveLength(1);
  });

  it('a node under memory pressure: its BestEffort pods Evicted in the eviction manager’s words, replacements kept off', () => {
    const all = pods('proofing');
    const evicted = all.filter((p) => p.status?.reason === 'Evicted');
    expect(evicted.map((p) => p.spec.nodeName)).toEqual(['bakery-batch-1', 'bakery-batch-1']);
    const message = 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 60Mi. ';
    for (const p of evicted) {
      expect(p.status).toMatchObject({ phase: 'Failed', message, qosClass: 'BestEffort' });
      expect(p.status?.conditions?.[0]).toMatchObject({
        type: 'DisruptionTarget',
        status: 'True',
        reason: 'TerminationByKubelet',
        message,
      });
      expect(eventsOf(p, 'Evicted').map((e) => [e.type, e.message, e.source?.component])).toEqual([
        ['Warning', message.trim(), 'kubelet'],
      ]);
    }
    // The node lifecycle controller's memory-pressure taint keeps the ReplicaSet's new pods off it.
    const pending = all.filter((p) => p.status?.phase === 'Pending');
    expect(pending).toHaveLength(2);
    for (const p of pending)
      expect(p.status?.conditions?.[0]?.message).toBe(
        "0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/memory-pressure: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
      );
    // Pods that asked for memory are not the first victims: nothing else on the cluster was evicted for it.
    expect(
      sim.state.objectsOf<Pod>('Pod').filter((p) => /low on resource: memory/.test(p.status?.message ?? '')),
    ).toHaveLength(2);
  });

  it('kubectl get pods shows them as kubectl computes it', async () => {
    const { stdout, code } = await kubectl('get', 'pods', '-n', 'bakery');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^web-[a-z0-9]+-[a-z0-9]{5}\s+0\/1\s+Init:CrashLoopBackOff\s+5\s+/m);
    expect(stdout).toMatch(/^orders-[a-z0-9]+-[a-z0-9]{5}\s+0\/1\s+Init:0\/1\s+0\s+/m);
    expect(stdout).toMatch(/^thumbnailer-[a-z0-9]+-[a-z0-9]{5}\s+0\/1\s+(Evicted|Error|ContainerStatusUnknown)\s+/m);
    expect(stdout).toMatch(/^payments-[a-z0-9]+-[a-z0-9]{5}\s+0\/1\s+CreateContainerConfigError\s+0\s+/m);
  });
});

describe('the containers scenario, diagnosed', () => {
  it('an init container that fails: which one, its exit code and log, and that it blocks the app', () => {
    const f = finding('pods/init-failing:bakery/Deployment/web#migrate/exit-code');
    expect(f.severity).toBe('critical');
    expect(f.title).toBe(
      'init container migrate keeps crashing: exit code 1 (application error) — app container web never starts',
    );
    expect(f.evidence).toContainEqual(
      expect.objectContaining({
        source: 'log',
        text: expect.stringContaining('pq: column \\"placed_at\\" does not exist'),
      }),
    );
    expect(finding('workloads/rollout-stuck:bakery/Deployment/web').causedBy).toEqual([f.id]);
  });

  it('an init container waiting for a database that is not ready: hung under the database', () => {
    const f = finding('pods/init-failing:bakery/Deployment/orders#wait-for-db/waiting-dependency');
    expect(f.severity).toBe('warning');
    expect(f.causedBy).toContain('pods/not-ready:bakery/StatefulSet/orders-db#postgres/readiness');
    expect(f.explanation).toContain('spec.initContainers[0].env[0]: "DB_HOST=orders-db"');
  });

  it('OOMKilled: the limit and the request, and a patch that raises the limit', () => {
    const f = finding('pods/crashloop:bakery/Deployment/search#meilisearch/oom');
    expect(f.explanation).toContain('It asks for (requests.memory) 128Mi');
    expect(f.fixes[0]).toMatchObject({
      id: 'raise-memory-limit',
      commands: expect.arrayContaining([
        'kubectl set resources deployment/search -c meilisearch --limits=memory=512Mi -n bakery',
      ]),
    });
  });

  it('liveness probes that kill a healthy app: wrong port, wrong path, too impatient', () => {
    const port = finding('pods/crashloop:bakery/Deployment/checkout#checkout/liveness');
    expect(port.explanation).toContain('Did you mean port 8080?');
    expect(port.fixes[0]!.id).toBe('fix-probe-target');
    const path = finding('pods/crashloop:bakery/Deployment/recipes#recipes/liveness');
    expect(path.title).toBe(
      'recipes keeps crashing: its liveness probe asks for /healthz, which the app answers with 404',
    );
    expect(path.explanation).toContain('Did you mean /readyz');
    const slow = finding('pods/crashloop:bakery/Deployment/reports#reports/liveness');
    expect(slow.title).toBe('reports keeps crashing: its liveness probe kills it before it has finished starting');
    expect(slow.fixes[0]!.id).toBe('add-startup-probe');
    expect(finding('workloads/rollout-stuck:bakery/Deployment/checkout').causedBy).toEqual([port.id]);
  });

  it('a readiness probe on a port the container does not declare', () => {
    const f = finding('pods/not-ready:bakery/Deployment/catalog#catalog/readiness');
    expect(f.severity).toBe('critical');
    expect(f.fixes[0]!.id).toBe('fix-probe-target');
  });

  it('a Secret reference to a ConfigMap', () => {
    const f = finding('pods/create-container-config:bakery/Deployment/payments#payments/missing-secret');
    expect(f.title).toBe('payments cannot start: it reads Secret payments-config, which is a ConfigMap');
    expect(f.fixes[0]!.id).toBe('reference-existing-kind');
  });

  it('a full disk and evictions', () => {
    const disk = finding('pods/crashloop:bakery/Deployment/importer#importer/disk-full');
    expect(disk.title).toBe('importer keeps crashing: volume scratch is full (No space left on device)');
    const evicted = finding('pods/evicted:bakery/Deployment/thumbnailer#storage-limit');
    expect(evicted.severity).toBe('warning');
    expect(evicted.objects.filter((o) => o.kind === 'Pod')).toHaveLength(2);
    expect(evicted.fixes.map((p) => p.id)).toEqual(['raise-ephemeral-storage-limit', 'delete-evicted-pods']);
  });

  it('node memory pressure: the evicted pods and their Pending replacements nest under the node', () => {
    const node = finding('nodes/pressure:/Node/bakery-batch-1#MemoryPressure');
    expect(node.severity).toBe('critical');
    expect(node.title).toBe('node bakery-batch-1 is low on memory (MemoryPressure): 2 pods evicted');
    const evicted = finding('pods/evicted:bakery/Deployment/proofing#node-memory');
    expect(evicted.causedBy).toEqual([node.id]);
    expect(evicted.explanation).toContain('Threshold quantity: 100Mi, available: 60Mi.');
    expect(finding('scheduling/pending:bakery/Deployment/proofing#taint').causedBy).toEqual([node.id]);
  });

  it('leaves the healthy frontend alone', () => {
    expect(findings.filter((f) => f.objects.some((o) => o.name.startsWith('frontend')))).toEqual([]);
    const running = pods('frontend');
    expect(running).toHaveLength(2);
    expect(running.every((p) => p.status?.initContainerStatuses?.[0]?.state?.terminated?.reason === 'Completed')).toBe(
      true,
    );
  });

  it('a user who may read only the namespace gets the same container findings', async () => {
    const viewer = connectAs(sim, 'sim-viewer');
    try {
      const seen = await diagnose(viewer, 'bakery');
      const ids = (list: Finding[]) =>
        list
          .filter((f) => f.ruleId.startsWith('pods/'))
          .map((f) => f.id)
          .sort();
      expect(ids(seen)).toEqual(ids(findings));
      expect(ids(seen)).toHaveLength(12);
    } finally {
      viewer.close();
    }
  });
});
