import { describe, expect, it } from 'vitest';
import type { SecretSummary } from '../../src/model/k8s.js';
import { helmReleases, operatorPod } from '../testing/fixtures.js';
import { MASK, objectYaml, releaseYaml } from './yaml.js';

describe('YAML', () => {
  it('prints the object as kubectl get -o yaml does, without managedFields', () => {
    const pod = { ...operatorPod, metadata: { ...operatorPod.metadata, managedFields: [{ manager: 'kubelet' }] } };
    const lines = objectYaml(pod, 'Pod');
    expect(lines.slice(0, 3)).toEqual(['apiVersion: v1', 'kind: Pod', 'metadata:']);
    expect(lines.join('\n')).not.toContain('managedFields');
    expect(lines).toContain('        reason: ImagePullBackOff');
    expect(lines).toContain('  - name: jaeger-operator');
  });

  it('stamps the kind back on list items that lack it', () => {
    const { kind: _kind, apiVersion: _v, ...item } = operatorPod;
    expect(objectYaml(item, 'Pod')[0]).toBe('kind: Pod');
  });

  it('masks Secret data whatever it holds', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'regcred', namespace: 'observability' },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': 'eyJhdXRocyI6e319' },
    } as SecretSummary;
    const text = objectYaml(secret, 'Secret').join('\n');
    expect(text).not.toContain('eyJhdXRocyI6e319');
    expect(text).toContain(`.dockerconfigjson: ${MASK}`);
  });

  it('shows a Helm release without its manifest and with password-like values masked', () => {
    const text = releaseYaml(helmReleases[1]!).join('\n');
    expect(text).not.toContain('changeme');
    expect(text).toContain(`password: ${MASK}`);
    expect(text).toContain('type: elasticsearch');
    expect(releaseYaml(helmReleases[0]!).join('\n')).not.toContain('manifest');
  });
});
