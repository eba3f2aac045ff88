import { describe, expect, it } from 'vitest';
import type { RawFinding } from '../../src/diagnose/types.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import { NOW, snapshotOf } from '../../test/fixtures/pods/load.js';
import { rule } from './statefulset-service-missing.js';

const S1 = 's1-jaeger-crashloop.json';
const run = (s: Snapshot): RawFinding[] => rule.diagnose({ snapshot: s, now: NOW });

describe('workloads/statefulset-service-missing', () => {
  const noHeadless = snapshotOf(S1, (input) => {
    input.services = input.services!.filter((s) => s.metadata.name !== 'elasticsearch-master-headless');
  });

  it('a StatefulSet whose serviceName Service is gone: says what breaks and offers the headless Service', () => {
    const findings = run(noHeadless);
    expect(findings.map((f) => f.id)).toEqual([
      'workloads/statefulset-service-missing:observability/StatefulSet/elasticsearch-master',
    ]);
    const f = findings[0]!;
    expect(f.title).toBe(
      'StatefulSet elasticsearch-master names Service elasticsearch-master-headless, which does not exist',
    );
    expect(f.explanation).toContain('elasticsearch-master-0.elasticsearch-master-headless.observability.svc');
    expect(f.explanation).toContain('Did you mean elasticsearch-master?');
    expect(f.evidence[0]).toMatchObject({ path: 'spec.serviceName', text: 'elasticsearch-master-headless' });
    const step = f.fixes[0]!.steps[0]!;
    expect(step).toMatchObject({
      action: 'create',
      object: {
        kind: 'Service',
        metadata: { name: 'elasticsearch-master-headless', namespace: 'observability' },
        spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: { app: 'elasticsearch-master' } },
      },
    });
    expect(f.fixes[0]!.commands[0]).toMatch(/^echo '\{"apiVersion":"v1","kind":"Service".*' \| kubectl create -f -$/);
  });

  it('is quiet when the Service exists, when serviceName is unset, and when Services cannot be read', () => {
    expect(run(snapshotOf(S1))).toEqual([]);
    expect(run(snapshotOf(S1, (input) => delete input.statefulSets![0]!.spec.serviceName))).toEqual([]);
    expect(
      run(
        snapshotOf(S1, (input) => {
          input.services = [];
          input.forbidden = ['services'];
        }),
      ),
    ).toEqual([]);
  });
});
