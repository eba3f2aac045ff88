import { describe, expect, it } from 'vitest';
import { findValues, pullSecretValue } from './helm-values.js';

describe('findValues', () => {
  it('finds values by key and value, in --set syntax', () => {
    const values = { image: { tag: '1.27-alpne' }, sidecars: [{ image: { tag: 'x' } }], 'a.b': { tag: 'y' } };
    expect(findValues(values, (k) => k === 'tag').map((h) => h.path)).toEqual([
      'image.tag',
      'sidecars[0].image.tag',
      'a\\.b.tag',
    ]);
  });

  it('survives cycles of depth and junk', () => {
    const deep: Record<string, unknown> = {};
    let node = deep;
    for (let i = 0; i < 50; i++) node = (node.n = {}) as Record<string, unknown>;
    expect(findValues(deep, () => true).length).toBeLessThanOrEqual(20);
    expect(findValues(null, () => true)).toEqual([]);
  });
});

describe('pullSecretValue', () => {
  it('appends to the list the user already sets, keeping its entry shape and every entry', () => {
    expect(pullSecretValue({ global: { imagePullSecrets: [{ name: 'corp' }] } }, 'x', 'regcred')).toEqual({
      line: 'global.imagePullSecrets: [{name: corp}, {name: regcred}]',
      set: 'global.imagePullSecrets[0].name=corp,global.imagePullSecrets[1].name=regcred',
    });
    expect(pullSecretValue({ image: { imagePullSecrets: ['corp'] } }, 'x', 'regcred')).toEqual({
      line: 'image.imagePullSecrets: [corp, regcred]',
      set: 'image.imagePullSecrets={corp,regcred}',
    });
  });

  it('knows the jaeger-operator chart, else uses the common key', () => {
    expect(pullSecretValue({}, 'jaeger-operator', 'regcred')).toEqual({
      line: 'image.imagePullSecrets: [regcred]',
      set: 'image.imagePullSecrets[0]=regcred',
    });
    expect(pullSecretValue(undefined, 'other', 'regcred')).toEqual({
      line: 'imagePullSecrets: [{name: regcred}]',
      set: 'imagePullSecrets[0].name=regcred',
    });
  });
});
