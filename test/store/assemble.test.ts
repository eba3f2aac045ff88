import { describe, expect, it } from 'vitest';
import { SNAPSHOT_RESOURCES } from '../../src/kube/resources.js';
import type { HelmSecretEntry } from '../../src/kube/secrets.js';
import type { KubeObject } from '../../src/model/k8s.js';
import { assembleSnapshot, listsByField } from '../../src/store/assemble.js';

const obj = (kind: string, name: string): KubeObject => ({ apiVersion: 'v1', kind, metadata: { name } });
const broken: HelmSecretEntry = {
  ...obj('Secret', 'sh.helm.release.v1.shop.v1'),
  problem: 'Helm release Secret shop/sh.helm.release.v1.shop.v1 could not be decoded (bad gzip); it was skipped',
};

describe('assembleSnapshot', () => {
  it('fills a field from its lists in table order, whatever order they were read in', () => {
    const [mutating, validating] = SNAPSHOT_RESOURCES.filter((s) => s.into === 'webhooks');
    const read = new Map([
      [validating!, [obj('ValidatingWebhookConfiguration', 'v')]],
      [mutating!, [obj('MutatingWebhookConfiguration', 'm')]],
    ]);
    const snap = assembleSnapshot({
      base: {},
      lists: listsByField((spec) => read.get(spec)),
      logs: [],
      forbidden: [],
    });
    expect(snap.webhooks.map((w) => w.metadata.name)).toEqual(['m', 'v']);
  });

  it('decodes a release list once per change: an unchanged list says its problem once', () => {
    const warnings: string[] = [];
    const helm = [broken];
    const lists = new Map([['helmReleases' as const, helm]]);
    const parts = {
      base: {},
      lists,
      logs: [],
      forbidden: ['nodes', 'nodes'],
      onWarning: (m: string) => warnings.push(m),
    };
    const first = assembleSnapshot(parts);
    assembleSnapshot(parts);
    expect(warnings).toEqual([broken.problem]);
    expect(first.helmReleases).toEqual([]);
    expect(first.forbidden).toEqual(new Set(['nodes']));
    assembleSnapshot({ ...parts, lists: new Map([['helmReleases' as const, [...helm]]]) });
    expect(warnings).toHaveLength(2);
  });

  it('only builds the fields asked for', () => {
    const fields = listsByField(() => [obj('X', 'x')], new Set(['pods']));
    expect([...fields.keys()]).toEqual(['pods']);
  });
});
