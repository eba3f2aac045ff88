import { describe, expect, it } from 'vitest';
import { NOW, scenarioSnapshot } from '../testing/fixtures.js';
import { describeLines, eventLines } from './describe.js';

describe('describeLines', () => {
  const snapshot = scenarioSnapshot();

  it('describes a pod like kubectl: identity, containers with state, conditions, then events', () => {
    const lines = describeLines(
      snapshot,
      { kind: 'Pod', namespace: 'observability', name: 'jaeger-collector-6b7f9c8d5-x2x7k' },
      NOW,
    );
    const text = lines.join('\n');
    expect(lines[0]).toBe('Name:             jaeger-collector-6b7f9c8d5-x2x7k');
    expect(text).toContain('Namespace:        observability');
    expect(text).toContain('Node:             minikube/192.168.49.2');
    expect(text).toContain('Controlled By:    ReplicaSet/jaeger-collector-6b7f9c8d5');
    expect(text).toMatch(/ {4}State: +Waiting\n {6}Reason: +CrashLoopBackOff/);
    expect(text).toMatch(/ {4}Last State: +Terminated\n {6}Reason: +Error/);
    expect(text).toMatch(/Exit Code: +1/);
    expect(text).toMatch(/Restart Count: +412/);
    expect(lines.at(-1)).toBe('Events:  <none>');
  });

  it('shows env vars from Secrets as references, never values', () => {
    const text = describeLines(
      snapshot,
      { kind: 'Pod', namespace: 'observability', name: 'elasticsearch-master-1' },
      NOW,
    ).join('\n');
    expect(text).toContain(
      "ELASTIC_PASSWORD:  <set to the key 'password' in secret 'elasticsearch-master-credentials'>",
    );
    expect(text).toContain(
      '    Readiness:      exec [bash -c curl -s localhost:9200/_cluster/health] delay=10s period=10s #failure=3',
    );
  });

  it("lists the pod's events with kubectl's `(xN over M)` ages", () => {
    const lines = describeLines(
      snapshot,
      { kind: 'Pod', namespace: 'observability', name: 'jaeger-op-jaeger-operator-7d7b58d48b-89p9p' },
      NOW,
    );
    const events = lines.slice(lines.indexOf('Events:'));
    expect(events[1]).toMatch(/^ {2}Type +Reason +Age +From +Message$/);
    expect(
      events.some((l) =>
        /Warning +Failed +2m \(x4 over 27m\) +kubelet +Failed to pull image "jaegertracing\/jaeger-operator:1.39.0"/.test(
          l,
        ),
      ),
    ).toBe(true);
  });

  it('describes workloads with their replica counts', () => {
    const text = describeLines(
      snapshot,
      { kind: 'StatefulSet', namespace: 'observability', name: 'elasticsearch-master' },
      NOW,
    ).join('\n');
    expect(text).toContain('Replicas:         3 desired | 0 updated | 0 ready | 0 available');
    expect(text).toContain('meta.helm.sh/release-name=jaeger');
  });

  it('says so in one line when the object is gone', () => {
    expect(describeLines(snapshot, { kind: 'Pod', namespace: 'observability', name: 'gone-1' }, NOW)).toEqual([
      'Pod observability/gone-1 is not in the cluster picture (deleted, or not listed).',
    ]);
  });

  it('reads the reporting component when the core source is empty (events.k8s.io events)', () => {
    const lines = eventLines(snapshot.eventsFor('Pod', 'observability', 'elasticsearch-master-1'), NOW);
    expect(lines[3]).toMatch(/default-scheduler/);
  });
});
