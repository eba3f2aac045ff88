import { describe, expect, it } from 'vitest';
import type { PodSpec } from '../../../src/model/k8s.js';
import { volumeRefs } from './config-refs.js';

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
