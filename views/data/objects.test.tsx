import { describe, expect, it } from 'vitest';
import { collectorPod, corednsPod, pods, scenarioSnapshot } from '../testing/fixtures.js';
import { podsInScope, scopeLabel, selfAndOwners } from './objects.js';

describe('selfAndOwners', () => {
  const snapshot = scenarioSnapshot();

  it('walks Pod → ReplicaSet → Deployment, reading kinds from the owner references', () => {
    const { kind: _kind, ...withoutKind } = collectorPod;
    expect(selfAndOwners(snapshot, withoutKind, 'Pod')).toEqual([
      { kind: 'Pod', name: 'jaeger-collector-6b7f9c8d5-x2x7k', namespace: 'observability' },
      { kind: 'ReplicaSet', name: 'jaeger-collector-6b7f9c8d5', namespace: 'observability' },
      { kind: 'Deployment', name: 'jaeger-collector', namespace: 'observability' },
    ]);
    expect(selfAndOwners(snapshot, corednsPod, 'Pod')).toHaveLength(1);
  });
});

describe('podsInScope', () => {
  const snapshot = scenarioSnapshot();
  const names = (scope: Parameters<typeof podsInScope>[2]) =>
    podsInScope(snapshot, pods, scope).map((p) => p.metadata.name);

  it('finds the pods of a Helm release through their owners', () => {
    expect(names({ kind: 'release', namespace: 'observability', name: 'jaeger' })).toEqual([
      'elasticsearch-master-0',
      'elasticsearch-master-1',
      'elasticsearch-master-2',
      'jaeger-collector-6b7f9c8d5-x2x7k',
    ]);
    expect(names({ kind: 'release', namespace: 'observability', name: 'jaeger-op' })).toEqual([
      'jaeger-op-jaeger-operator-7d7b58d48b-89p9p',
    ]);
  });

  it('finds the pods of a workload and of a service', () => {
    expect(
      names({ kind: 'owner', ref: { kind: 'Deployment', namespace: 'observability', name: 'jaeger-collector' } }),
    ).toEqual(['jaeger-collector-6b7f9c8d5-x2x7k']);
    expect(
      names({ kind: 'service', ref: { kind: 'Service', namespace: 'observability', name: 'elasticsearch-master' } }),
    ).toHaveLength(3);
    expect(names({ kind: 'service', ref: { kind: 'Service', namespace: 'observability', name: 'gone' } })).toEqual([]);
  });

  it('labels scopes for titles', () => {
    expect(scopeLabel({ kind: 'release', namespace: 'observability', name: 'jaeger' })).toBe('release jaeger');
    expect(scopeLabel({ kind: 'owner', ref: { kind: 'StatefulSet', name: 'elasticsearch-master' } })).toBe(
      'statefulset/elasticsearch-master',
    );
  });
});
