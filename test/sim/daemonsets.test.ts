// The simulated DaemonSet controller: which nodes get a daemon pod (the controller's own
// tolerations, taints, node selection), how pods follow nodes that come and go, the rolling
// update within maxUnavailable, and the pod control's events.
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeEvent, KubeObject, Pod, Workload } from '../../src/model/k8s.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { CAPTURE_NODE, captureScenario } from './capture-cluster.js';
import { call, startScenario } from './helpers.js';
import { connectAs, diagnose } from '../fixes/helpers.js';

let srv: SimServer | undefined;
afterEach(async () => {
  await srv?.close();
  srv = undefined;
});

const node = (name: string, spec: Record<string, unknown> = {}, labels: Record<string, string> = {}): KubeObject =>
  ({
    ...CAPTURE_NODE,
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
    spec,
  }) as KubeObject;

async function start(objects: KubeObject[], images: { image: string; pullError: string }[] = []): Promise<SimServer> {
  srv = await startSimServer({ scenario: captureScenario({ objects, images }) });
  await srv.settle();
  return srv;
}

async function send(method: string, path: string, body: unknown, contentType?: string): Promise<void> {
  const res = await call(srv!, path, { method, body, ...(contentType ? { contentType } : {}) });
  expect(res.status, res.text).toBeLessThan(300);
  await srv!.settle();
}

const daemonSet = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'agent', image: 'agent:1' }], ...spec },
    },
  },
});

const DS_PATH = '/apis/apps/v1/namespaces/samples/daemonsets';
const podsOf = (name: string) =>
  srv!.state
    .objectsOf<Pod>('Pod', 'samples')
    .filter((p) => p.metadata.ownerReferences?.[0]?.name === name)
    .sort((a, b) => (a.spec.nodeName ?? '').localeCompare(b.spec.nodeName ?? ''));
const statusOf = (name: string) => (srv!.state.find('DaemonSet', 'samples', name) as Workload).status;
const eventsOf = (name: string) =>
  srv!.state
    .objectsOf<KubeEvent>('Event')
    .filter((e) => e.involvedObject.kind === 'DaemonSet' && e.involvedObject.name === name);

describe('the DaemonSet controller', () => {
  it('runs on cordoned nodes, skips untolerated taints and unselected nodes, and follows nodes', async () => {
    await start([
      node('cordoned', { unschedulable: true }),
      node('gpu', { taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }] }),
      node('arm', {}, { 'kubernetes.io/arch': 'arm64' }),
    ]);
    await send('POST', DS_PATH, daemonSet('agent', { nodeSelector: { 'samples-node': 'true' } }));
    // Only samples-node-1 carries the selector's label.
    expect(podsOf('agent').map((p) => p.spec.nodeName)).toEqual(['samples-node-1']);

    await send('POST', DS_PATH, daemonSet('everywhere'));
    const pods = podsOf('everywhere');
    expect(pods.map((p) => [p.spec.nodeName, p.status?.phase])).toEqual([
      ['arm', 'Running'],
      ['cordoned', 'Running'],
      ['samples-node-1', 'Running'],
    ]);
    expect(statusOf('everywhere')).toEqual({
      currentNumberScheduled: 3,
      numberMisscheduled: 0,
      desiredNumberScheduled: 3,
      numberReady: 3,
      observedGeneration: 1,
      updatedNumberScheduled: 3,
      numberAvailable: 3,
    });
    expect(eventsOf('everywhere').map((e) => [e.type, e.reason, e.message, e.source?.component])).toEqual(
      expect.arrayContaining(
        pods.map((p) => ['Normal', 'SuccessfulCreate', `Created pod: ${p.metadata.name}`, 'daemonset-controller']),
      ),
    );
    // No FailedScheduling anywhere: the pins only go where the pod fits.
    expect(srv!.state.objectsOf<KubeEvent>('Event').filter((e) => e.reason === 'FailedScheduling')).toEqual([]);

    // A new node gets its pod; a NoExecute taint it does not tolerate takes it away.
    await send('POST', '/api/v1/nodes', node('late'));
    expect(podsOf('everywhere').map((p) => p.spec.nodeName)).toContain('late');
    const onArm = podsOf('everywhere').find((p) => p.spec.nodeName === 'arm')!;
    await send(
      'PATCH',
      '/api/v1/nodes/arm',
      { spec: { taints: [{ key: 'decommission', effect: 'NoExecute' }] } },
      'application/merge-patch+json',
    );
    expect(podsOf('everywhere').map((p) => p.spec.nodeName)).toEqual(['cordoned', 'late', 'samples-node-1']);
    expect(eventsOf('everywhere').map((e) => e.message)).toContain(`Deleted pod: ${onArm.metadata.name}`);
    expect(statusOf('everywhere')).toMatchObject({ desiredNumberScheduled: 3, currentNumberScheduled: 3 });
  });

  it('rolls a new template out one node at a time: a bad image stops it after the first', async () => {
    await start([node('node-2'), node('node-3')], [{ image: 'agent:2-typo', pullError: 'manifest unknown' }]);
    await send('POST', DS_PATH, daemonSet('agent'));
    const before = podsOf('agent').map((p) => p.metadata.name);
    expect(before).toHaveLength(3);

    await send(
      'PATCH',
      `${DS_PATH}/agent`,
      { spec: { template: { spec: { containers: [{ name: 'agent', image: 'agent:2-typo' }] } } } },
      'application/strategic-merge-patch+json',
    );
    const after = podsOf('agent');
    const images = after.map((p) => p.spec.containers[0]?.image).sort();
    // maxUnavailable 1: one old pod made way, its replacement cannot pull, the other two stay.
    expect(images).toEqual(['agent:1', 'agent:1', 'agent:2-typo']);
    expect(after.filter((p) => before.includes(p.metadata.name))).toHaveLength(2);
    expect(statusOf('agent')).toEqual({
      currentNumberScheduled: 3,
      numberMisscheduled: 0,
      desiredNumberScheduled: 3,
      numberReady: 2,
      observedGeneration: 2,
      updatedNumberScheduled: 1,
      numberAvailable: 2,
      numberUnavailable: 1,
    });

    // Fixing the template replaces the broken pod at once, then the rest one by one.
    await send(
      'PATCH',
      `${DS_PATH}/agent`,
      { spec: { template: { spec: { containers: [{ name: 'agent', image: 'agent:2' }] } } } },
      'application/strategic-merge-patch+json',
    );
    expect(podsOf('agent').map((p) => p.spec.containers[0]?.image)).toEqual(['agent:2', 'agent:2', 'agent:2']);
    expect(statusOf('agent')).toMatchObject({ numberReady: 3, updatedNumberScheduled: 3 });
    expect(podsOf('agent').map((p) => p.metadata.labels?.['pod-template-generation'])).toEqual(['3', '3', '3']);
  });

  it('adopts the daemon pods a scenario writes out: updated by their template generation, nothing replaced', async () => {
    srv = await startScenario('s1-jaeger');
    await srv.settle();
    const proxies = () =>
      srv!.state.objectsOf<Pod>('Pod', 'kube-system').filter((p) => p.metadata.name.startsWith('kube-proxy-'));
    const before = proxies().map((p) => p.metadata.name);
    expect(before).toEqual(['kube-proxy-8j5t2']);
    // A node change makes the controller look at every DaemonSet.
    await send(
      'PATCH',
      '/api/v1/nodes/minikube',
      { metadata: { labels: { 'topology.kubernetes.io/zone': 'a' } } },
      'application/merge-patch+json',
    );
    expect(proxies().map((p) => p.metadata.name)).toEqual(before);
    expect(
      srv.state.objectsOf<KubeEvent>('Event').filter((e) => e.source?.component === 'daemonset-controller'),
    ).toEqual([]);
    expect((srv.state.find('DaemonSet', 'kube-system', 'kube-proxy') as Workload).status).toMatchObject({
      desiredNumberScheduled: 1,
      currentNumberScheduled: 1,
      numberReady: 1,
      updatedNumberScheduled: 1,
    });
  });

  it('records FailedCreate in the pod control’s words when admission refuses the pod', async () => {
    await start([]);
    await send(
      'POST',
      '/apis/apps/v1/namespaces/samples-psa/daemonsets',
      daemonSet('agent', { containers: [{ name: 'agent', image: 'agent:1', securityContext: { privileged: true } }] }),
    );
    const [failed] = srv!.state
      .objectsOf<KubeEvent>('Event')
      .filter((e) => e.involvedObject.kind === 'DaemonSet' && e.reason === 'FailedCreate');
    expect(failed).toMatchObject({
      type: 'Warning',
      source: { component: 'daemonset-controller' },
      message: expect.stringMatching(
        /^Error creating: pods "agent-[a-z0-9]{5}" is forbidden: violates PodSecurity "restricted:latest": privileged/,
      ),
    });
    expect((srv!.state.find('DaemonSet', 'samples-psa', 'agent') as Workload).status).toMatchObject({
      desiredNumberScheduled: 1,
      currentNumberScheduled: 0,
      numberReady: 0,
      numberUnavailable: 1,
    });
    // What the diagnosis makes of it: the refusal, on the DaemonSet.
    const conn = connectAs(srv!, 'sim');
    try {
      const found = (await diagnose(conn, 'samples-psa')).filter((f) => f.ruleId === 'workloads/failed-create');
      expect(found.map((f) => f.subject)).toEqual([{ kind: 'DaemonSet', namespace: 'samples-psa', name: 'agent' }]);
      expect(found[0]!.explanation).toContain('DaemonSet agent is missing 1 pod');
      expect(found[0]!.explanation).toContain('"restricted:latest"');
    } finally {
      conn.close();
    }
  });
});
