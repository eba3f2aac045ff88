import { describe, expect, it } from 'vitest';
import { encodeReleaseSecret, type StoredRelease } from '../../src/model/helm-codec.js';
import type { KubeObject } from '../../src/model/k8s.js';
import { decodeHelmSecret, releasesOf, summarizePullSecret } from '../../src/kube/secrets.js';
import { Snapshot } from '../../src/store/snapshot.js';

const USER = 'jaeger-bot';
const PASSWORD = 'dckr_pat_Zq8x1VbN3m';
const AUTH = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');

/** What `kubectl create secret docker-registry regcred ...` stores, as the API returns it. */
function regcred(): KubeObject {
  const dockerconfig = {
    auths: {
      'https://index.docker.io/v1/': { username: USER, password: PASSWORD, email: 'ops@example.com', auth: AUTH },
      'ghcr.io': { auth: Buffer.from('x:ghp_secret').toString('base64') },
    },
  };
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'regcred',
      namespace: 'observability',
      uid: '5b0c8a0e-8f7e-4a39-9d55-1f7c7e0a9b21',
      resourceVersion: '4411',
      creationTimestamp: '2026-11-21T21:40:02Z',
      annotations: {
        // `kubectl apply` of a Secret copies the values into this annotation.
        'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
          data: { '.dockerconfigjson': 'x' },
          stringData: { password: PASSWORD },
        }),
        'example.com/note': `password=${PASSWORD}`,
      },
    },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(JSON.stringify(dockerconfig)).toString('base64') },
  };
  return secret;
}

const release = (over: Partial<StoredRelease> = {}): StoredRelease => ({
  name: 'jaeger',
  namespace: 'observability',
  version: 2,
  info: {
    status: 'failed',
    description: 'Upgrade "jaeger" failed: timed out waiting for the condition',
    first_deployed: '2026-11-20T10:00:00Z',
    last_deployed: '2026-11-21T09:00:00Z',
  },
  chart: { metadata: { name: 'jaeger', version: '0.65.4', appVersion: '1.39.0' } },
  config: { elasticsearch: { replicas: 3, minimumMasterNodes: 2 } },
  manifest: '---\n# Source: jaeger/templates/collector-deploy.yaml\napiVersion: apps/v1\nkind: Deployment\n',
  ...over,
});

describe('pull secret summaries', () => {
  it('keep the registry hosts and key names, never a credential', () => {
    const summary = summarizePullSecret(regcred());
    expect(summary).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'regcred',
        namespace: 'observability',
        uid: '5b0c8a0e-8f7e-4a39-9d55-1f7c7e0a9b21',
        resourceVersion: '4411',
        creationTimestamp: '2026-11-21T21:40:02Z',
      },
      type: 'kubernetes.io/dockerconfigjson',
      keys: ['.dockerconfigjson'],
      registries: ['https://index.docker.io/v1/', 'ghcr.io'],
    });
  });

  it('a snapshot holding them serializes without any password or auth string', () => {
    const snap = new Snapshot({ secrets: [summarizePullSecret(regcred())] });
    const text = JSON.stringify(snap);
    for (const secret of [
      PASSWORD,
      AUTH,
      USER,
      'ghp_secret',
      Buffer.from('x:ghp_secret').toString('base64'),
      'ops@example.com',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/"(password|auth)"/);
    expect(snap.get('Secret', 'observability', 'regcred')).toBeDefined();
  });

  it('a broken .dockerconfigjson gives no registries instead of failing', () => {
    const s = regcred() as KubeObject & { data: Record<string, string> };
    s.data['.dockerconfigjson'] = Buffer.from('{not json').toString('base64');
    expect(summarizePullSecret(s).registries).toEqual([]);
  });
});

describe('Helm release Secrets', () => {
  it('decode gzipped releases (helm 3) and keep values and manifest', () => {
    const entry = decodeHelmSecret(encodeReleaseSecret(release()));
    expect(entry.problem).toBeUndefined();
    expect(entry.release).toEqual({
      name: 'jaeger',
      namespace: 'observability',
      revision: 2,
      status: 'failed',
      description: 'Upgrade "jaeger" failed: timed out waiting for the condition',
      firstDeployed: '2026-11-20T10:00:00Z',
      lastDeployed: '2026-11-21T09:00:00Z',
      chartName: 'jaeger',
      chartVersion: '0.65.4',
      appVersion: '1.39.0',
      values: { elasticsearch: { replicas: 3, minimumMasterNodes: 2 } },
      manifest: release().manifest,
      storageSecret: 'sh.helm.release.v1.jaeger.v2',
    });
    // The Secret's data (and the chart it carries) is not kept.
    expect(JSON.stringify(entry)).not.toContain('"data"');
  });

  it('decode releases stored without gzip (older helm)', () => {
    const secret = encodeReleaseSecret(release({ version: 1, info: { status: 'superseded' } }));
    secret.data = {
      release: Buffer.from(
        Buffer.from(JSON.stringify(release({ version: 1, info: { status: 'superseded' } }))).toString('base64'),
      ).toString('base64'),
    };
    expect(decodeHelmSecret(secret).release).toMatchObject({ name: 'jaeger', revision: 1, status: 'superseded' });
  });

  it('skip a corrupt release Secret and say which one', () => {
    const good = decodeHelmSecret(encodeReleaseSecret(release()));
    const bad = encodeReleaseSecret(release({ name: 'jaeger-op', version: 3 }));
    bad.data = { release: Buffer.from('H4sIAAAA-not-really-gzip').toString('base64') };
    const { releases, problems } = releasesOf([good, decodeHelmSecret(bad)]);
    expect(releases.map((r) => r.name)).toEqual(['jaeger']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^Helm release Secret observability\/sh\.helm\.release\.v1\.jaeger-op\.v3 could not be decoded \(.+\); it was skipped$/,
    );
  });
});
