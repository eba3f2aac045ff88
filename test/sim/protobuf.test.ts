import { describe, expect, it } from 'vitest';
import { decodeProtobufObject } from '../../src/sim/protobuf.js';

// Request bodies kubectl 1.32 sent for `kubectl create secret docker-registry regcred
// --docker-server=https://index.docker.io/v1/ --docker-username=U --docker-password=P` and
// `kubectl create configmap app-config --from-literal=currency=EUR` (captured from the wire).
const SECRET_BODY =
  'azhzAAoMCgJ2MRIGU2VjcmV0ErQBCiQKB3JlZ2NyZWQSABoNb2JzZXJ2YWJpbGl0eSIAKgAyADgAQgASbAoRLmRvY2tlcmNvbmZpZ2pzb24SV3siYXV0aHMiOnsiaHR0cHM6Ly9pbmRleC5kb2NrZXIuaW8vdjEvIjp7InVzZXJuYW1lIjoiVSIsInBhc3N3b3JkIjoiUCIsImF1dGgiOiJWVHBRIn19fRoea3ViZXJuZXRlcy5pby9kb2NrZXJjb25maWdqc29uGgAiAA==';
const CONFIGMAP_BODY =
  'azhzAAoPCgJ2MRIJQ29uZmlnTWFwEi0KGgoKYXBwLWNvbmZpZxIAGgAiACoAMgA4AEIAEg8KCGN1cnJlbmN5EgNFVVIaACIA';

describe('protobuf request bodies', () => {
  it('decodes the Secret kubectl create secret docker-registry sends', () => {
    const secret = decodeProtobufObject(Buffer.from(SECRET_BODY, 'base64'));
    const config = JSON.stringify({
      auths: {
        'https://index.docker.io/v1/': { username: 'U', password: 'P', auth: Buffer.from('U:P').toString('base64') },
      },
    });
    expect(secret).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'regcred', namespace: 'observability' },
      data: { '.dockerconfigjson': Buffer.from(config).toString('base64') },
      type: 'kubernetes.io/dockerconfigjson',
    });
  });

  it('decodes the ConfigMap kubectl create configmap sends', () => {
    expect(decodeProtobufObject(Buffer.from(CONFIGMAP_BODY, 'base64'))).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'app-config' },
      data: { currency: 'EUR' },
    });
  });

  it('refuses bodies it cannot read', () => {
    expect(() => decodeProtobufObject(Buffer.from('{"kind":"Secret"}'))).toThrow(/no k8s\\0 prefix/);
    const deployment = Buffer.concat([
      Buffer.from([0x6b, 0x38, 0x73, 0x00]),
      Buffer.from([
        0x0a,
        0x15,
        0x0a,
        0x07,
        ...Buffer.from('apps/v1'),
        0x12,
        0x0a,
        ...Buffer.from('Deployment'),
        0x12,
        0x00,
      ]),
    ]);
    expect(() => decodeProtobufObject(deployment)).toThrow(
      'protobuf bodies of apps/v1/Deployment are not supported; send JSON',
    );
  });
});
