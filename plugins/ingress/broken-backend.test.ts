import { describe, expect, it } from 'vitest';
import type { RawFinding } from '../../src/diagnose/types.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import { NOW, snapshotOf } from '../../test/fixtures/services/load.js';
import { rule } from './broken-backend.js';

const SHOP = 'shop.json';
const run = (s: Snapshot): RawFinding[] => rule.diagnose({ snapshot: s, now: NOW });

describe('ingress/broken-backend', () => {
  const findings = run(snapshotOf(SHOP));

  it('a Service that does not exist and a port the Service does not serve, each with its did-you-mean', () => {
    expect(findings.map((f) => f.id)).toEqual([
      'ingress/broken-backend:shop/Ingress/api#cart-api:80',
      'ingress/broken-backend:shop/Ingress/api#payments:grcp',
    ]);
    const [missing, port] = findings;
    expect(missing!.title).toBe(
      'Ingress api sends api.shop.example.com/cart to Service cart-api, which does not exist',
    );
    expect(missing!.explanation).toContain('Did you mean cart?');
    expect(missing!.evidence[0]).toMatchObject({
      path: 'spec.rules[0].http.paths[0].backend.service',
      text: 'cart-api:80',
    });
    expect(missing!.fixes[0]!.steps[0]).toMatchObject({
      action: 'json-patch',
      patch: [
        { op: 'test', path: '/spec/rules/0/http/paths/0/backend/service/name', value: 'cart-api' },
        { op: 'replace', path: '/spec/rules/0/http/paths/0/backend/service/name', value: 'cart' },
      ],
    });
    expect(port!.title).toBe(
      'Ingress api sends api.shop.example.com/pay to port grcp of Service payments, which it does not serve',
    );
    expect(port!.explanation).toContain('Did you mean grpc?');
    expect(port!.evidence[1]).toMatchObject({ path: 'spec.ports', text: 'grpc (50051)' });
    expect(port!.fixes[0]!.steps[0]).toMatchObject({
      patch: [
        { op: 'test', path: '/spec/rules/0/http/paths/1/backend/service/port', value: { name: 'grcp' } },
        { op: 'replace', path: '/spec/rules/0/http/paths/1/backend/service/port', value: { name: 'grpc' } },
      ],
    });
  });

  it('is quiet for backends that exist (by name and by number)', () => {
    expect(findings.some((f) => ['storefront', 'admin', 'checkout'].includes(f.subject.name))).toBe(false);
    expect(
      run(snapshotOf(SHOP, (input) => (input.ingresses = input.ingresses!.filter((i) => i.metadata.name !== 'api')))),
    ).toEqual([]);
  });
});
