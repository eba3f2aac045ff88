import { describe, expect, it } from 'vitest';
import { normalizeRegistry, parseImageRef, pullSecretServer, registryMatches, withTag } from './image-ref.js';

describe('parseImageRef', () => {
  it.each([
    [
      'jaegertracing/jaeger-operator:1.39.0',
      { registry: 'docker.io', repository: 'jaegertracing/jaeger-operator', tag: '1.39.0' },
    ],
    ['nginx', { registry: 'docker.io', repository: 'library/nginx' }],
    ['docker.io/library/nginx:1.27', { registry: 'docker.io', repository: 'library/nginx', tag: '1.27' }],
    ['index.docker.io/acme/app:1', { registry: 'docker.io', repository: 'acme/app', tag: '1' }],
    ['ghcr.io/acme/api:2.3.1', { registry: 'ghcr.io', repository: 'acme/api', tag: '2.3.1' }],
    ['localhost/app:dev', { registry: 'localhost', repository: 'app', tag: 'dev' }],
    ['registry.local:5000/team/app', { registry: 'registry.local:5000', repository: 'team/app' }],
    [
      'docker.elastic.co/elasticsearch/elasticsearch:7.17.3',
      { registry: 'docker.elastic.co', repository: 'elasticsearch/elasticsearch', tag: '7.17.3' },
    ],
    ['quay.io/acme/app@sha256:abc', { registry: 'quay.io', repository: 'acme/app', digest: 'sha256:abc' }],
    ['acme/app:1.0@sha256:abc', { registry: 'docker.io', repository: 'acme/app', tag: '1.0', digest: 'sha256:abc' }],
  ])('%s', (image, expected) => {
    expect(parseImageRef(image)).toEqual(expected);
  });
});

describe('registries', () => {
  it('normalises the names Docker Hub goes by, as kubectl writes them', () => {
    expect(normalizeRegistry('https://index.docker.io/v1/')).toBe('docker.io');
    expect(normalizeRegistry('registry-1.docker.io')).toBe('docker.io');
    expect(normalizeRegistry('HTTPS://GHCR.IO')).toBe('ghcr.io');
    expect(pullSecretServer('docker.io')).toBe('https://index.docker.io/v1/');
    expect(pullSecretServer('ghcr.io')).toBe('ghcr.io');
  });

  it('matches pull-secret entries like the kubelet, including one-level wildcards', () => {
    expect(registryMatches('https://index.docker.io/v1/', 'docker.io')).toBe(true);
    expect(registryMatches('ghcr.io', 'docker.io')).toBe(false);
    expect(registryMatches('*.example.com', 'registry.example.com')).toBe(true);
    expect(registryMatches('*.example.com', 'a.b.example.com')).toBe(false);
    expect(registryMatches('*.example.com', 'example.com')).toBe(false);
    expect(registryMatches('registry.local:5000', 'registry.local:5000')).toBe(true);
  });

  it('replaces a tag and keeps the registry as written', () => {
    expect(withTag('nginx:1.27-alpne', '<t>')).toBe('nginx:<t>');
    expect(withTag('registry.local:5000/team/app', '<t>')).toBe('registry.local:5000/team/app:<t>');
    expect(withTag('quay.io/a/b:1@sha256:abc', '<t>')).toBe('quay.io/a/b:<t>');
  });
});
