import { describe, expect, it } from 'vitest';
import type { RawFinding } from '../../src/diagnose/types.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import { NOW, snapshotOf } from '../../test/fixtures/services/load.js';
import { rule } from './policy-selects-nothing.js';

const SHOP = 'shop.json';
const run = (s: Snapshot): RawFinding[] => rule.diagnose({ snapshot: s, now: NOW });

describe('network/policy-selects-nothing', () => {
  it('a policy whose podSelector matches no pod, with the label value the pods carry', () => {
    const findings = run(snapshotOf(SHOP));
    expect(findings.map((f) => f.id)).toEqual(['network/policy-selects-nothing:shop/NetworkPolicy/cart-from-frontend']);
    const f = findings[0]!;
    expect(f.severity).toBe('warning');
    expect(f.explanation).toContain('app.kubernetes.io/name=carts (did you mean app.kubernetes.io/name=cart?)');
    expect(f.evidence[0]).toMatchObject({ path: 'spec.podSelector', text: 'app.kubernetes.io/name=carts' });
    expect(f.fixes[0]!.commands).toEqual([
      'kubectl get pods -n shop --show-labels',
      'kubectl edit networkpolicy cart-from-frontend -n shop',
    ]);
  });

  it('is quiet for a default-deny (empty selector), a policy that selects pods, and unreadable pods', () => {
    const fixed = snapshotOf(SHOP, (input) => {
      input.networkPolicies!.find((p) => p.metadata.name === 'cart-from-frontend')!.spec.podSelector = {
        matchLabels: { 'app.kubernetes.io/name': 'cart' },
      };
    });
    expect(run(fixed)).toEqual([]);
    // A namespace without pods: the default-deny still is no fault, the others now are.
    const empty = run(snapshotOf(SHOP, (input) => (input.pods = [])));
    expect(empty.map((f) => f.subject.name).sort()).toEqual(['cart-from-frontend', 'orders-from-frontend']);
    expect(run(snapshotOf(SHOP, (input) => (input.forbidden = ['pods'])))).toEqual([]);
  });
});
