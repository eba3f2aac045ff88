import { describe, expect, it } from 'vitest';
import { applyJsonPatch, applyMergePatch, mergePatchLeaves, PatchError, valueAt } from '../../src/fixes/patch-local.js';
import { undoOps } from '../../src/fixes/ops/patch.js';
import type { KubeObject } from '../../src/model/k8s.js';

const sa = (pullSecrets?: string[]): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name: 'default',
      namespace: 'observability',
      resourceVersion: '27',
      labels: { 'app.kubernetes.io/name': 'x' },
    },
    ...(pullSecrets ? { imagePullSecrets: pullSecrets.map((name) => ({ name })) } : {}),
  }) as KubeObject;

describe('local JSON and merge patches', () => {
  it('appends with add /-, creates with add, and leaves the input untouched', () => {
    const before = sa(['ghcr-cred']);
    const after = applyJsonPatch(before, [{ op: 'add', path: '/imagePullSecrets/-', value: { name: 'regcred' } }]);
    expect(valueAt(after, '/imagePullSecrets')).toEqual([{ name: 'ghcr-cred' }, { name: 'regcred' }]);
    expect(valueAt(before, '/imagePullSecrets')).toEqual([{ name: 'ghcr-cred' }]);
    expect(
      valueAt(
        applyJsonPatch(sa(), [{ op: 'add', path: '/imagePullSecrets', value: [{ name: 'regcred' }] }]),
        '/imagePullSecrets/0/name',
      ),
    ).toBe('regcred');
  });

  it('refuses what the server refuses: a failed test, a missing path', () => {
    expect(() => applyJsonPatch(sa(), [{ op: 'test', path: '/metadata/resourceVersion', value: '26' }])).toThrow(
      PatchError,
    );
    expect(() => applyJsonPatch(sa(), [{ op: 'replace', path: '/imagePullSecrets/0', value: {} }])).toThrow(
      /does not exist/,
    );
    expect(() => applyJsonPatch(sa(), [{ op: 'add', path: '/imagePullSecrets/-', value: {} }])).toThrow(
      /does not exist/,
    );
  });

  it('reads escaped pointers', () => {
    expect(valueAt(sa(), '/metadata/labels/app.kubernetes.io~1name')).toBe('x');
  });

  it('merge patch: null deletes, lists replace (why a ServiceAccount is never merge-patched)', () => {
    const after = applyMergePatch(sa(['ghcr-cred']), {
      imagePullSecrets: [{ name: 'regcred' }],
      metadata: { labels: null },
    });
    expect(valueAt(after, '/imagePullSecrets')).toEqual([{ name: 'regcred' }]);
    expect(valueAt(after, '/metadata/labels')).toBeUndefined();
    expect(
      mergePatchLeaves({
        spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': 't' } } } },
      }),
    ).toEqual(['/spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt']);
  });
});

describe('undoOps', () => {
  it('puts back exactly the fields a step wrote, testing first that they still hold what it wrote', () => {
    const before = sa(['ghcr-cred']);
    const written = applyJsonPatch(before, [{ op: 'add', path: '/imagePullSecrets/-', value: { name: 'regcred' } }]);
    expect(undoOps(before, written, ['/imagePullSecrets'])).toEqual([
      { op: 'test', path: '/imagePullSecrets', value: [{ name: 'ghcr-cred' }, { name: 'regcred' }] },
      { op: 'replace', path: '/imagePullSecrets', value: [{ name: 'ghcr-cred' }] },
    ]);
    const created = applyJsonPatch(sa(), [{ op: 'add', path: '/imagePullSecrets', value: [{ name: 'regcred' }] }]);
    expect(undoOps(sa(), created, ['/imagePullSecrets'])).toEqual([
      { op: 'test', path: '/imagePullSecrets', value: [{ name: 'regcred' }] },
      { op: 'remove', path: '/imagePullSecrets' },
    ]);
    expect(undoOps(before, before, ['/imagePullSecrets'])).toEqual([]);
  });
});
