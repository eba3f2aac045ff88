import { describe, expect, it } from 'vitest';
import type { RawFinding } from '../../src/diagnose/types.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import { NOW, snapshotOf } from '../../test/fixtures/services/load.js';
import { rule } from './target-port.js';

const SHOP = 'shop.json';
const run = (s: Snapshot): RawFinding[] => rule.diagnose({ snapshot: s, now: NOW });

describe('services/target-port', () => {
  it('a named targetPort no container declares: critical, with the declared port as did-you-mean', () => {
    const findings = run(snapshotOf(SHOP));
    expect(findings.map((f) => f.id)).toEqual(['services/target-port:shop/Service/payments#grpc']);
    const f = findings[0]!;
    expect(f.severity).toBe('critical');
    expect(f.title).toBe('Service payments port 50051 targets port "gprc", which its pods do not declare');
    expect(f.explanation).toContain('Did you mean grpc?');
    expect(f.evidence).toEqual([
      expect.objectContaining({ path: 'spec.ports[0].targetPort', text: 'gprc' }),
      expect.objectContaining({ text: 'grpc=50051 (payments)' }),
    ]);
    const plan = f.fixes[0]!;
    expect(plan.steps[0]).toMatchObject({
      action: 'merge-patch',
      patch: { spec: { ports: [{ name: 'grpc', port: 50051, targetPort: 'grpc', protocol: 'TCP' }] } },
    });
    expect(plan.commands[0]).toBe(
      `kubectl patch service/payments -n shop --type=merge -p '{"spec":{"ports":[{"name":"grpc","port":50051,"targetPort":"grpc","protocol":"TCP"}]}}'`,
    );
  });

  it('a number no container declares while they declare another: a warning', () => {
    const f = run(
      snapshotOf(SHOP, (input) => {
        input.services!.find((s) => s.metadata.name === 'payments')!.spec.ports![0]!.targetPort = 5051;
      }),
    )[0]!;
    expect(f.severity).toBe('warning');
    expect(f.explanation).toContain('Did you mean 50051?');
  });

  it('is quiet for declared ports, numbers with nothing declared, and Services without pods', () => {
    const fixed = snapshotOf(SHOP, (input) => {
      input.services!.find((s) => s.metadata.name === 'payments')!.spec.ports![0]!.targetPort = 'grpc';
      for (const p of input.pods!) if (p.metadata.name.startsWith('frontend-')) delete p.spec.containers[0]!.ports;
      input.services!.find((s) => s.metadata.name === 'frontend')!.spec.ports![0]!.targetPort = 8080;
    });
    expect(run(fixed)).toEqual([]);
  });
});
