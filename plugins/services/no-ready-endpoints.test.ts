import { describe, expect, it } from 'vitest';
import type { RawFinding } from '../../src/diagnose/types.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import { runRules } from '../../src/diagnose/engine.js';
import { NOW, snapshotOf } from '../../test/fixtures/services/load.js';
import { snapshotOf as podSnapshotOf } from '../../test/fixtures/pods/load.js';
import { rule as crashloop } from '../pods/crashloop.js';
import { rule as antiAffinity } from '../workloads/anti-affinity-replicas.js';
import { rule } from './no-ready-endpoints.js';

const SHOP = 'shop.json';
const run = (s: Snapshot, now = NOW): RawFinding[] => rule.diagnose({ snapshot: s, now });

describe('services/no-ready-endpoints', () => {
  it('finds the Service whose only pod crash-loops, quoting its endpoint slice and the pod', () => {
    const findings = run(snapshotOf(SHOP));
    expect(findings.map((f) => f.id)).toEqual(['services/no-ready-endpoints:shop/Service/orders']);
    const f = findings[0]!;
    expect(f.severity).toBe('warning');
    expect(f.title).toBe('Service orders has no ready endpoints: none of its 1 pods is ready');
    expect(f.evidence[0]).toMatchObject({ path: 'endpoints', text: 'orders-7d9f8b6c5d-t9r3k ready=false' });
    expect(f.evidence).toContainEqual(
      expect.objectContaining({ text: 'Ready=False: containers with unready status: [orders]' }),
    );
    expect(f.dependsOn).toEqual([
      { kind: 'Pod', name: 'orders-7d9f8b6c5d-t9r3k', namespace: 'shop' },
      { kind: 'Deployment', name: 'orders', namespace: 'shop' },
    ]);
    expect(f.fixes[0]!.commands[1]).toBe('kubectl get endpointslices -n shop -l kubernetes.io/service-name=orders -w');
  });

  it('hangs under the crash of its pods', () => {
    const { findings } = runRules([crashloop, rule], snapshotOf(SHOP), { now: NOW });
    const svc = findings.find((f) => f.ruleId === 'services/no-ready-endpoints')!;
    expect(svc.causedBy).toEqual(['pods/crashloop:shop/Deployment/orders#orders/exit-code']);
  });

  it('S1: Elasticsearch’s Service hangs under the anti-affinity finding, the headless one (publishNotReadyAddresses) is quiet', () => {
    // elastic's chart sets publishNotReadyAddresses on the headless Service (scenarios/s1-jaeger.yaml has it).
    const s1 = podSnapshotOf('s1-jaeger-crashloop.json', (input) => {
      input.services!.find((s) => s.metadata.name === 'elasticsearch-master-headless')!.spec.publishNotReadyAddresses =
        true;
    });
    const ids = run(s1).map((f) => f.id);
    expect(ids).toContain('services/no-ready-endpoints:observability/Service/elasticsearch-master');
    expect(ids).not.toContain('services/no-ready-endpoints:observability/Service/elasticsearch-master-headless');
    const { findings } = runRules([antiAffinity, crashloop, rule], s1, { now: NOW });
    for (const f of findings.filter((x) => x.ruleId === 'services/no-ready-endpoints'))
      expect(f.causedBy).not.toEqual([]);
  });

  it('a workload whose pods were never created: depends on the workload', () => {
    const f = run(
      snapshotOf(SHOP, (input) => {
        input.pods = input.pods!.filter((p) => !p.metadata.name.startsWith('orders-'));
      }),
    ).find((x) => x.subject.name === 'orders')!;
    expect(f.title).toBe('Service orders has no endpoints: the pods it selects were never created');
    expect(f.dependsOn).toEqual([{ kind: 'Deployment', name: 'orders', namespace: 'shop' }]);
  });

  it('is quiet while pods only just became unready, for a fresh Service, and when all is well', () => {
    expect(run(snapshotOf(SHOP), Date.parse('2026-11-21T09:02:00Z'))).toEqual([]);
    const healthy = snapshotOf(SHOP, (input) => {
      input.pods = input.pods!.filter((p) => !p.metadata.name.startsWith('orders-'));
      input.deployments!.find((d) => d.metadata.name === 'orders')!.spec.replicas = 0;
    });
    expect(run(healthy)).toEqual([]);
  });
});
