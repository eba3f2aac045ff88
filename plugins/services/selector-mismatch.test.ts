import { describe, expect, it } from 'vitest';
import type { RawFinding } from '../../src/diagnose/types.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import { NOW, snapshotOf } from '../../test/fixtures/services/load.js';
import { rule } from './selector-mismatch.js';

const SHOP = 'shop.json';
const run = (s: Snapshot, now = NOW): RawFinding[] => rule.diagnose({ snapshot: s, now });

describe('services/selector-mismatch', () => {
  const findings = run(snapshotOf(SHOP));

  it('finds the one Service that selects nothing, and says which label differs from the nearest workload', () => {
    expect(findings.map((f) => f.id)).toEqual(['services/selector-mismatch:shop/Service/cart']);
    const f = findings[0]!;
    expect(f.severity).toBe('critical');
    expect(f.title).toBe("Service cart selects no pods: its selector differs from Deployment cart's labels");
    expect(f.explanation).toContain(
      'the selector differs in app.kubernetes.io/name=carts (the pods have app.kubernetes.io/name=cart)',
    );
    expect(f.evidence).toEqual([
      expect.objectContaining({
        path: 'spec.selector',
        text: 'app.kubernetes.io/name=carts,app.kubernetes.io/component=backend',
      }),
      expect.objectContaining({
        ref: { kind: 'Deployment', name: 'cart', namespace: 'shop' },
        text: 'app.kubernetes.io/name=cart,app.kubernetes.io/component=backend',
      }),
    ]);
  });

  it('merge-patches the selector to the pods’ labels, with the kubectl command', () => {
    const plan = findings[0]!.fixes[0]!;
    expect(plan.mutates).toBe(true);
    expect(plan.steps).toEqual([
      expect.objectContaining({
        action: 'merge-patch',
        ref: { kind: 'Service', name: 'cart', namespace: 'shop' },
        patch: { spec: { selector: { 'app.kubernetes.io/name': 'cart', 'app.kubernetes.io/component': 'backend' } } },
      }),
    ]);
    expect(plan.commands[0]).toBe(
      `kubectl patch service/cart -n shop --type=merge -p '{"spec":{"selector":{"app.kubernetes.io/name":"cart","app.kubernetes.io/component":"backend"}}}'`,
    );
  });

  it('removes a selector key the pods do not carry and renames a misspelt key', () => {
    const f = run(
      snapshotOf(SHOP, (input) => {
        const cart = input.services!.find((s) => s.metadata.name === 'cart')!;
        cart.spec.selector = { 'app.kubernetes.io/name': 'cart', 'app.kubernetes.io/componnent': 'backend', tier: 'x' };
      }),
    )[0]!;
    expect(f.explanation).toContain(
      'app.kubernetes.io/componnent=backend (the pods have app.kubernetes.io/component=backend: a different key)',
    );
    expect(f.explanation).toContain('tier=x (the pods have no tier label)');
    expect(f.fixes[0]!.steps[0]).toMatchObject({
      patch: {
        spec: {
          selector: {
            'app.kubernetes.io/name': 'cart',
            'app.kubernetes.io/component': 'backend',
            'app.kubernetes.io/componnent': null,
            tier: null,
          },
        },
      },
    });
  });

  it('is quiet for matching, selectorless and ExternalName Services, a fresh Service, and a workload scaled to zero', () => {
    const fixed = snapshotOf(SHOP, (input) => {
      input.services!.find((s) => s.metadata.name === 'cart')!.spec.selector!['app.kubernetes.io/name'] = 'cart';
    });
    expect(run(fixed)).toEqual([]);
    expect(run(snapshotOf(SHOP), Date.parse('2026-11-21T09:01:00Z'))).toEqual([]);
    const scaledToZero = snapshotOf(SHOP, (input) => {
      input.services!.find((s) => s.metadata.name === 'cart')!.spec.selector!['app.kubernetes.io/name'] = 'cart';
      input.pods = input.pods!.filter((p) => !p.metadata.name.startsWith('cart-'));
      input.deployments!.find((d) => d.metadata.name === 'cart')!.spec.replicas = 0;
    });
    expect(run(scaledToZero)).toEqual([]);
  });

  it('says nothing when pods cannot be read (namespace-only users can read pods; this is a narrower role)', () => {
    expect(run(snapshotOf(SHOP, (input) => (input.forbidden = ['pods'])))).toEqual([]);
  });
});
