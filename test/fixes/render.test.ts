import { describe, expect, it } from 'vitest';
import { commandFor } from '../../src/fixes/commands.js';
import { forDisplay, toYaml } from '../../src/fixes/render.js';
import { deletePodPlan, rolloutRestartPlan } from '../../src/fixes/actions.js';
import type { KubeObject } from '../../src/model/k8s.js';

describe('what previews show', () => {
  it('hides every Secret value, keeping only its size, and drops managedFields', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'regcred', namespace: 'observability', managedFields: [{ manager: 'kubectl' }] },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from('{"auths":{}}').toString('base64') },
      stringData: { token: 'abc' },
    } as KubeObject;
    const yaml = toYaml(forDisplay(secret));
    expect(yaml).toContain('.dockerconfigjson: "<hidden: 12 bytes>"');
    expect(yaml).toContain('token: "<hidden: 3 bytes>"');
    expect(yaml).not.toContain(Buffer.from('{"auths":{}}').toString('base64'));
    expect(yaml).not.toContain('managedFields');
  });

  it('gives the kubectl and helm commands that do the same', () => {
    const ref = { kind: 'Deployment', namespace: 'observability', name: 'jaeger-query' };
    expect(
      commandFor({
        action: 'scale',
        ref: { ...ref, kind: 'StatefulSet', name: 'elasticsearch-master' },
        replicas: 1,
        description: '',
      }),
    ).toBe('kubectl scale statefulset/elasticsearch-master --replicas=1 -n observability');
    expect(
      commandFor({
        action: 'json-patch',
        ref,
        patch: [
          { op: 'test', path: '/metadata/resourceVersion', value: '9' },
          { op: 'add', path: '/spec/template/spec/imagePullSecrets/-', value: { name: 'regcred' } },
        ],
        description: '',
      }),
    ).toBe(
      `kubectl patch deployment jaeger-query -n observability --type=json -p '[{"op":"add","path":"/spec/template/spec/imagePullSecrets/-","value":{"name":"regcred"}}]'`,
    );
    expect(
      commandFor({
        action: 'helm-upgrade',
        release: 'r',
        namespace: 'n',
        chart: 'repo/c',
        reuseValues: true,
        set: { 'a.list': 'x,y' },
        description: '',
      }),
    ).toBe("helm upgrade r repo/c -n n --reuse-values --set 'a.list=x\\,y'");
    expect(
      commandFor({
        action: 'port-forward',
        ref: { kind: 'Service', namespace: 'observability', name: 'jaeger-query' },
        ports: [{ local: 8080, remote: 16686 }],
        address: '127.0.0.1',
        description: '',
      }),
    ).toBe('kubectl port-forward --address 127.0.0.1 service/jaeger-query 8080:16686 -n observability');
    expect(rolloutRestartPlan(ref).commands).toEqual([
      'kubectl rollout restart deployment/jaeger-query -n observability',
      'kubectl rollout status deployment/jaeger-query -n observability',
    ]);
    expect(deletePodPlan({ kind: 'Pod', namespace: 'observability', name: 'p' }).title).toBe('Delete pod p');
    expect(deletePodPlan({ kind: 'Deployment', namespace: 'observability', name: 'web' })).toMatchObject({
      id: 'delete',
      commands: ['kubectl delete deployment web -n observability'],
    });
  });
});
