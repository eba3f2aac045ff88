import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/model/k8s.js';
import type { RawFinding } from '../../src/diagnose/types.js';
import { runRules } from '../../src/diagnose/engine.js';
import { rule as antiAffinityRule } from '../workloads/anti-affinity-replicas.js';
import { Snapshot } from '../../src/store/snapshot.js';
import { NOW, loadInput, snapshotOf } from '../../test/fixtures/pods/load.js';
import { rule } from './not-ready.js';

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
