import { describe, expect, it } from 'vitest';
import type { Container, PodSpec } from '../../../src/model/k8s.js';
import { containerRefs, mayNameSecret, volumeRefs } from './config-refs.js';

describe('volumeRefs', () => {
  it('finds ConfigMaps and Secrets in plain and projected volumes, with paths and pointers', () => {
    const spec = {
      containers: [],
      volumes: [
        { name: 'cert', secret: { secretName: 'jaeger-operator-service-cert', defaultMode: 420 } },
        {
          name: 'kube-api-access-x',
          projected: {
            sources: [
              { serviceAccountToken: { path: 'token' } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            ],
          },
        },
        { name: 'junk', configMap: 'nope' },
      ],
    } as unknown as PodSpec;
    expect(volumeRefs(spec)).toEqual([
      {
        kind: 'Secret',
        name: 'jaeger-operator-service-cert',
        optional: false,
        via: 'volume',
        volume: 'cert',
        path: 'spec.volumes[0].secret',
        pointer: '/spec/volumes/0/secret',
      },
      {
        kind: 'ConfigMap',
        name: 'kube-root-ca.crt',
        key: 'ca.crt',
        optional: false,
        via: 'volume',
        volume: 'kube-api-access-x',
        path: 'spec.volumes[1].projected.sources[1].configMap',
        pointer: '/spec/volumes/1/projected/sources/1/configMap',
      },
    ]);
  });
});

describe('mayNameSecret', () => {
  it('says yes exactly where containerRefs finds a reference to that Secret', () => {
    const containers = [
      { name: 'a', env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }] },
      { name: 'b', envFrom: [{ configMapRef: { name: 'db' } }, { secretRef: { name: 'db', optional: true } }] },
      { name: 'c', env: [{ name: 'P', valueFrom: { configMapKeyRef: { name: 'db', key: 'x' } } }] },
      { name: 'd', env: [{ name: 'P', value: 'db' }, null, 'db'], envFrom: [{ secretRef: ['db'] }] },
      { name: 'e', env: { secretKeyRef: { name: 'db' } }, envFrom: 'db' },
    ] as unknown as Container[];
    for (const c of containers) {
      const refs = containerRefs(c, 'spec.containers[0]', '/spec/containers/0');
      for (const name of ['db', 'other'])
        expect(mayNameSecret(c, name)).toBe(refs.some((r) => r.kind === 'Secret' && r.name === name));
    }
    expect(containers.map((c) => mayNameSecret(c, 'db'))).toEqual([true, true, false, false, false]);
  });
});
