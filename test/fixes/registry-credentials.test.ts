import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  dockerConfigJson,
  dockerConfigPath,
  holdsCredentialsFor,
  lookupDockerConfig,
  pullSecretObject,
  registryHost,
  resolveCredentials,
} from '../../src/fixes/registry-credentials.js';
import { nonInteractivePrompter } from '../../src/cli/prompter.js';
import { scripted } from './helpers.js';

const HUB = 'https://index.docker.io/v1/';
const b64 = (s: string): string => Buffer.from(s).toString('base64');

function configFile(config: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kcockpit-docker-')), 'config.json');
  writeFileSync(path, typeof config === 'string' ? config : JSON.stringify(config));
  return path;
}

describe('the pull secret, as kubectl create secret docker-registry writes it', () => {
  it('holds {"auths":{SERVER:{username,password,auth}}} under .dockerconfigjson', () => {
    expect(dockerConfigJson(HUB, { username: 'alice', password: 'p@ss:word' })).toBe(
      `{"auths":{"https://index.docker.io/v1/":{"username":"alice","password":"p@ss:word","auth":"${b64('alice:p@ss:word')}"}}}`,
    );
    const secret = pullSecretObject('observability', 'regcred', HUB, { username: 'alice', password: 'x' });
    expect(secret).toMatchObject({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/dockerconfigjson',
      metadata: { name: 'regcred', namespace: 'observability' },
    });
    expect(holdsCredentialsFor(secret, 'docker.io')).toBe(true);
    expect(holdsCredentialsFor(secret, 'ghcr.io')).toBe(false);
  });

  it('treats the Docker Hub names as one registry', () => {
    for (const s of [HUB, 'index.docker.io', 'docker.io', 'registry-1.docker.io', 'https://registry-1.docker.io'])
      expect(registryHost(s)).toBe('docker.io');
    expect(registryHost('https://ghcr.io/v2/')).toBe('ghcr.io');
  });
});

describe('lookupDockerConfig', () => {
  it('finds inline auths under any Docker Hub alias, from auth or from username/password', () => {
    const inline = lookupDockerConfig(configFile({ auths: { 'docker.io': { auth: b64('alice:tok') } } }), HUB);
    expect(inline).toMatchObject({ kind: 'found', credentials: { username: 'alice', password: 'tok' } });
    const split = lookupDockerConfig(
      configFile({ auths: { [HUB]: { username: 'bob', password: 'pw' } } }),
      'registry-1.docker.io',
    );
    expect(split).toMatchObject({ kind: 'found', credentials: { username: 'bob', password: 'pw' } });
  });

  it('says when the file delegates to a credential helper (Docker Desktop writes an empty entry)', () => {
    expect(lookupDockerConfig(configFile({ auths: { [HUB]: {} }, credsStore: 'desktop' }), HUB)).toMatchObject({
      kind: 'helper',
      helper: 'desktop',
      field: 'credsStore',
    });
    expect(lookupDockerConfig(configFile({ credHelpers: { 'ghcr.io': 'gh' } }), 'ghcr.io')).toMatchObject({
      kind: 'helper',
      helper: 'gh',
      field: 'credHelpers',
    });
  });

  it('says why nothing usable was found', () => {
    expect(lookupDockerConfig('/nonexistent/config.json', HUB)).toEqual({
      kind: 'none',
      why: '/nonexistent/config.json does not exist',
    });
    expect(lookupDockerConfig(configFile('{not json'), HUB)).toMatchObject({
      kind: 'none',
      why: expect.stringMatching(/is not valid JSON$/),
    });
    expect(lookupDockerConfig(configFile({ auths: { 'ghcr.io': { auth: b64('a:b') } } }), HUB)).toMatchObject({
      kind: 'none',
      why: expect.stringMatching(/has no entry for Docker Hub$/),
    });
  });

  it('honours DOCKER_CONFIG like docker does', () => {
    expect(dockerConfigPath({ DOCKER_CONFIG: '/etc/docker-ci', HOME: '/home/u' })).toBe('/etc/docker-ci/config.json');
    expect(dockerConfigPath({ HOME: '/home/u' })).toBe('/home/u/.docker/config.json');
    expect(dockerConfigPath({ HOME: '/home/u' }, '/tmp/c.json')).toBe('/tmp/c.json');
  });
});

describe('resolveCredentials', () => {
  const env = { HOME: '/nonexistent-home' };

  it('takes flags first, then the config file, then asks (token hidden)', async () => {
    const notes: string[] = [];
    const ask = scripted();
    expect(
      await resolveCredentials(HUB, { username: 'u', password: 'flag-pw-1' }, ask, env, (l) => notes.push(l)),
    ).toEqual({ username: 'u', password: 'flag-pw-1' });
    const path = configFile({ auths: { [HUB]: { auth: b64('alice:file-pw-2') } } });
    expect(await resolveCredentials(HUB, { dockerConfigPath: path }, ask, env, (l) => notes.push(l))).toEqual({
      username: 'alice',
      password: 'file-pw-2',
    });
    const asked = scripted({ text: 'carol', secret: 'typed-pw-3' });
    expect(await resolveCredentials(HUB, {}, asked, env, (l) => notes.push(l))).toEqual({
      username: 'carol',
      password: 'typed-pw-3',
    });
    expect(asked.asked).toEqual(['Docker Hub username', 'Docker Hub access token (or password) for carol']);
    expect(ask.asked).toEqual([]);
    expect(notes).toHaveLength(3);
    expect(notes.join('\n')).not.toMatch(/flag-pw-1|file-pw-2|typed-pw-3/);
  });

  it('without a terminal, says which flag answers the question', async () => {
    await expect(resolveCredentials(HUB, {}, nonInteractivePrompter(), env, () => undefined)).rejects.toThrow(
      'needs an answer to "Docker Hub username": pass --username, or run in a terminal',
    );
    await expect(
      resolveCredentials(HUB, { username: 'u' }, nonInteractivePrompter(), env, () => undefined),
    ).rejects.toThrow(
      'needs an answer to "Docker Hub access token (or password) for u": pipe it in with --password-stdin, or run in a terminal',
    );
    await expect(nonInteractivePrompter().confirm('Apply?')).rejects.toThrow('needs confirmation: pass --yes');
  });
});
