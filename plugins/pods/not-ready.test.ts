import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/model/k8s.js';
import type { RawFinding } from '../../src/diagnose/types.js';
import { runRules } from '../../src/diagnose/engine.js';
import { rule as antiAffinityRule } from '../workloads/anti-affinity-replicas.js';
import { Snapshot } from '../../src/store/snapshot.js';
import { NOW, loadInput, snapshotOf } from '../../test/fixtures/pods/load.js';
import { rule } from './not-ready.js';
import { condition, container, deployment, kubeletEvent, podOf } from '../../test/fixtures/pods/containers.js';

const S1 = 's1-jaeger-crashloop.json';
const ES_MESSAGE =
  'Readiness probe failed: Waiting for elasticsearch cluster to become ready (request params: "wait_for_status=green&timeout=1s" )';

function run(snapshot: Snapshot, now = NOW): RawFinding[] {
  return rule.diagnose({ snapshot, now });
}

describe('pods/not-ready — S1 elasticsearch-master-0', () => {
  const findings = run(snapshotOf(S1));

  it('reports the running but unready Elasticsearch container, and only it', () => {
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f.id).toBe('pods/not-ready:observability/StatefulSet/elasticsearch-master#elasticsearch/readiness');
    expect(f.severity).toBe('warning');
    expect(f.subject).toEqual({ kind: 'StatefulSet', name: 'elasticsearch-master', namespace: 'observability' });
    expect(f.objects).toEqual([
      { kind: 'StatefulSet', name: 'elasticsearch-master', namespace: 'observability' },
      { kind: 'Pod', name: 'elasticsearch-master-0', namespace: 'observability' },
    ]);
    expect(f.title).toBe('elasticsearch is running but not ready: its readiness probe fails');
  });

  it('quotes the probe message exactly and explains readiness in plain words', () => {
    const f = findings[0]!;
    expect(f.evidence).toContainEqual(
      expect.objectContaining({ source: 'event', reason: 'Unhealthy', text: ES_MESSAGE, count: 160 }),
    );
    expect(f.evidence).toContainEqual(
      expect.objectContaining({
        path: 'status.conditions[2]',
        text: 'Ready=False: containers with unready status: [elasticsearch]',
      }),
    );
    expect(f.evidence).toContainEqual(
      expect.objectContaining({
        path: 'spec.containers[0].readinessProbe',
        text: expect.stringMatching(
          /^exec bash -c set -e .*… \(\d+ more characters\); initialDelaySeconds 10, periodSeconds 10, timeoutSeconds 5, failureThreshold 3$/,
        ),
      }),
    );
    expect(f.explanation).toContain('has been running for 26 minutes but is not ready');
    expect(f.explanation).toContain(ES_MESSAGE);
    expect(f.explanation).toContain('Services send this pod no requests');
    expect(f.fixes).toEqual([expect.objectContaining({ id: 'find-why-not-ready', mutates: false })]);
  });

  it('hangs under a rule that explains the Elasticsearch pods', () => {
    const { findings: linked } = runRules([antiAffinityRule, rule], snapshotOf(S1), { now: NOW });
    const notReady = linked.find((f) => f.ruleId === 'pods/not-ready')!;
    expect(notReady.causedBy).toEqual([
      'workloads/anti-affinity-replicas:observability/StatefulSet/elasticsearch-master',
    ]);
  });
});

describe('pods/not-ready — when not to report', () => {
  it('waits two minutes before calling a container unready', () => {
    expect(run(snapshotOf(S1), Date.parse('2026-11-21T10:04:30Z'))).toEqual([]);
    expect(run(snapshotOf(S1), Date.parse('2026-11-21T10:05:30Z'))).toHaveLength(1);
  });

  it('a client that runs unready while the Service its env names has no ready pod hangs under that Service', () => {
    const snapshot = snapshotOf(S1, (input) => {
      const collector = input.pods!.find((p) => p.metadata.name.startsWith('jaeger-collector-'))!;
      collector.status!.containerStatuses![0]!.state = { running: { startedAt: '2026-11-21T10:20:00Z' } };
    });
    const f = run(snapshot).find((x) => x.subject.name === 'jaeger-collector')!;
    expect(f.dependsOn).toEqual([
      { kind: 'Service', name: 'elasticsearch-master', namespace: 'observability' },
      { kind: 'StatefulSet', name: 'elasticsearch-master', namespace: 'observability' },
    ]);
    expect(f.explanation).toContain(
      'Its configuration names Service elasticsearch-master (spec.containers[0].env[1]: "ES_SERVER_URLS=http://elasticsearch-master:9200"), which has none of its 3 pods ready',
    );
    expect(f.evidence).toContainEqual(expect.objectContaining({ source: 'spec', path: 'spec.containers[0].env[1]' }));
    // Elasticsearch's own seed_hosts names the headless Service that selects it: no link to itself.
    expect(run(snapshot).find((x) => x.subject.name === 'elasticsearch-master')!.dependsOn).toBeUndefined();
    const { findings: linked } = runRules([antiAffinityRule, rule], snapshot, { now: NOW });
    expect(linked.find((x) => x.subject.name === 'jaeger-collector')!.causedBy).toEqual([
      'pods/not-ready:observability/StatefulSet/elasticsearch-master#elasticsearch/readiness',
      'workloads/anti-affinity-replicas:observability/StatefulSet/elasticsearch-master',
    ]);
  });

  it('ignores healthy, fresh, completed and unscheduled pods', () => {
    expect(run(new Snapshot(loadInput('healthy-and-odd.json')))).toEqual([]);
  });

  it('ignores an unready container that has no readiness probe and no probe events', () => {
    const snapshot = snapshotOf(S1, (input) => {
      input.events = input.events!.filter((e) => e.reason !== 'Unhealthy');
      for (const p of input.pods!) for (const c of p.spec.containers) delete c.readinessProbe;
    });
    expect(run(snapshot)).toEqual([]);
  });

  it('survives missing fields', () => {
    const pods = [
      {
        metadata: { name: 'a', namespace: 'x' },
        status: { phase: 'Running', containerStatuses: [{ name: 'c', ready: false, state: { running: {} } }] },
      },
      {
        metadata: { name: 'b', namespace: 'x' },
        status: {
          phase: 'Running',
          conditions: 'junk',
          containerStatuses: [{ name: 'c', ready: false, state: { running: { startedAt: 'soon' } } }],
        },
      },
      {
        metadata: { name: 'c', namespace: 'x' },
        spec: { containers: [{ name: 'c', readinessProbe: {} }] },
        status: {
          phase: 'Running',
          containerStatuses: [{ name: 'c', ready: false, state: { running: { startedAt: '2026-11-21T09:00:00Z' } } }],
        },
      },
    ] as unknown as Pod[];
    const findings = run(new Snapshot({ pods }));
    expect(findings.map((f) => f.id)).toEqual(['pods/not-ready:x/Pod/c#c/readiness']);
    expect(findings[0]!.explanation).toContain('its readiness probe does not pass');
  });
});

describe('pods/not-ready — a readiness probe that cannot pass', () => {
  const catalog = deployment('catalog', '8f7d6c5b4a', {
    containers: [
      container('catalog', 'ghcr.io/acme/catalog:4.1.0', {
        ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
        readinessProbe: { tcpSocket: { port: 9090 }, periodSeconds: 10 },
        livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10 },
      }),
    ],
  });

  function unready(message: string, edit?: (p: Pod) => void): Snapshot {
    const pod = podOf(catalog, 'r4t5y', {
      phase: 'Running',
      conditions: [
        condition(
          'Ready',
          'False',
          '2026-11-21T10:00:05Z',
          'ContainersNotReady',
          'containers with unready status: [catalog]',
        ),
      ],
      containerStatuses: [
        {
          name: 'catalog',
          image: 'ghcr.io/acme/catalog:4.1.0',
          imageID: '',
          ready: false,
          restartCount: 0,
          started: true,
          state: { running: { startedAt: '2026-11-21T10:00:04Z' } },
          lastState: {},
        },
      ],
    });
    edit?.(pod);
    return new Snapshot({
      deployments: [catalog.deployment],
      replicaSets: [catalog.replicaSet],
      pods: [pod],
      events: [
        kubeletEvent(pod, 'Unhealthy', message, '2026-11-21T10:29:54Z', {
          fieldPath: 'spec.containers{catalog}',
          count: 178,
        }),
      ],
    });
  }

  it('a port the container does not declare: critical, did you mean the declared port, and a guarded patch', () => {
    const [f] = run(unready('Readiness probe failed: dial tcp 10.244.1.17:9090: connect: connection refused'));
    expect(f!.severity).toBe('critical');
    expect(f!.title).toBe(
      'catalog is running but never ready: its readiness probe dials port 9090, which the container does not declare',
    );
    expect(f!.explanation).toContain('(it declares 8080)');
    expect(f!.explanation).toContain('Did you mean port 8080?');
    expect(f!.fixes.map((p) => p.id)).toEqual(['fix-probe-target', 'find-why-not-ready']);
    expect(f!.fixes[0]!.steps[0]).toMatchObject({
      action: 'json-patch',
      ref: { kind: 'Deployment', name: 'catalog', namespace: 'shop' },
      patch: [
        { op: 'test', path: '/spec/template/spec/containers/0/name', value: 'catalog' },
        { op: 'test', path: '/spec/template/spec/containers/0/readinessProbe/tcpSocket/port', value: 9090 },
        { op: 'replace', path: '/spec/template/spec/containers/0/readinessProbe/tcpSocket/port', value: 8080 },
      ],
    });
  });

  it('a path answered 404: the liveness probe path on the same port is the did-you-mean', () => {
    const s = unready('Readiness probe failed: HTTP probe failed with statuscode: 404', (p) => {
      p.spec.containers[0]!.readinessProbe = { httpGet: { path: '/ready', port: 8080 } };
    });
    const [f] = run(s);
    expect(f!.title).toBe(
      'catalog is running but never ready: its readiness probe asks for /ready, which the app answers with 404',
    );
    expect(f!.explanation).toContain('Did you mean /healthz, which another probe of the container asks for?');
    // The template still probes port 9090 over TCP: the patch would change something else, so only the manual plan.
    expect(f!.fixes.map((p) => p.id)).toEqual(['find-why-not-ready']);
  });

  it('a probe answering 503 is the app speaking: still a warning, no patch', () => {
    const s = unready('Readiness probe failed: HTTP probe failed with statuscode: 503', (p) => {
      p.spec.containers[0]!.readinessProbe = { httpGet: { path: '/ready', port: 8080 } };
    });
    const [f] = run(s);
    expect(f!.severity).toBe('warning');
    expect(f!.title).toBe('catalog is running but not ready: its readiness probe fails');
  });
});
