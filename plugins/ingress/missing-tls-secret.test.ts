import { describe, expect, it } from 'vitest';
import type { RawFinding } from '../../src/diagnose/types.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import { NOW, snapshotOf } from '../../test/fixtures/services/load.js';
import { rule } from './missing-tls-secret.js';

const SHOP = 'shop.json';
const run = (s: Snapshot): RawFinding[] => rule.diagnose({ snapshot: s, now: NOW });

describe('ingress/missing-tls-secret', () => {
  it('a TLS Secret that does not exist, with the near name that does', () => {
    const findings = run(snapshotOf(SHOP));
    expect(findings.map((f) => f.id)).toEqual(['ingress/missing-tls-secret:shop/Ingress/checkout#checkout-tls']);
    const f = findings[0]!;
    expect(f.severity).toBe('warning');
    expect(f.explanation).toContain('Did you mean checkout-tsl?');
    expect(f.evidence[0]).toMatchObject({ path: 'spec.tls[0].secretName', text: 'checkout-tls' });
    expect(f.fixes.map((p) => p.id)).toEqual(['use-existing-secret', 'create-tls-secret']);
    expect(f.fixes[1]!.commands[0]).toBe(
      'kubectl create secret tls checkout-tls -n shop --cert=<cert.pem> --key=<key.pem>',
    );
  });

  it('is quiet when the Secret exists, or Secrets cannot be listed', () => {
    const fixed = snapshotOf(SHOP, (input) => {
      input.secrets!.find((s) => s.metadata.name === 'checkout-tsl')!.metadata.name = 'checkout-tls';
    });
    expect(run(fixed)).toEqual([]);
    expect(run(snapshotOf(SHOP, (input) => (input.forbidden = ['secrets'])))).toEqual([]);
  });
});
