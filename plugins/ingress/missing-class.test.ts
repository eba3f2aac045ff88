import { describe, expect, it } from 'vitest';
import type { RawFinding } from '../../src/diagnose/types.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import { NOW, snapshotOf } from '../../test/fixtures/services/load.js';
import { rule } from './missing-class.js';

const SHOP = 'shop.json';
const run = (s: Snapshot): RawFinding[] => rule.diagnose({ snapshot: s, now: NOW });

describe('ingress/missing-class', () => {
  it('a class that does not exist: names the one that does and patches it in', () => {
    const findings = run(snapshotOf(SHOP));
    expect(findings.map((f) => f.id)).toEqual(['ingress/missing-class:shop/Ingress/admin']);
    const f = findings[0]!;
    expect(f.title).toBe('Ingress admin asks for IngressClass ngnix, which does not exist');
    expect(f.explanation).toContain('Did you mean nginx?');
    expect(f.evidence[0]).toMatchObject({ path: 'spec.ingressClassName', text: 'ngnix' });
    expect(f.fixes[0]!.steps[0]).toMatchObject({
      action: 'json-patch',
      patch: [
        { op: 'test', path: '/spec/ingressClassName', value: 'ngnix' },
        { op: 'replace', path: '/spec/ingressClassName', value: 'nginx' },
      ],
    });
    expect(f.fixes[0]!.commands[0]).toContain('kubectl patch ingress admin -n shop --type=json');
  });

  it('no class and no default class', () => {
    const f = run(
      snapshotOf(SHOP, (input) => {
        delete input.ingressClasses![0]!.metadata.annotations;
        delete input.ingresses!.find((i) => i.metadata.name === 'storefront')!.spec.ingressClassName;
      }),
    ).find((x) => x.subject.name === 'storefront')!;
    expect(f.title).toBe('Ingress storefront names no IngressClass and the cluster has no default one');
    expect(f.fixes[0]!.steps[0]).toMatchObject({
      patch: [{ op: 'add', path: '/spec/ingressClassName', value: 'nginx' }],
    });
  });

  it('is quiet with a default class, the legacy annotation, or when classes cannot be read', () => {
    const s = snapshotOf(SHOP, (input) => {
      const admin = input.ingresses!.find((i) => i.metadata.name === 'admin')!;
      delete admin.spec.ingressClassName;
      admin.metadata.annotations = { 'kubernetes.io/ingress.class': 'traefik' };
      delete input.ingresses!.find((i) => i.metadata.name === 'api')!.spec.ingressClassName;
    });
    expect(run(s)).toEqual([]);
    expect(run(snapshotOf(SHOP, (input) => (input.forbidden = ['ingressclasses'])))).toEqual([]);
  });
});
