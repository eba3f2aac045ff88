import { afterEach, describe, expect, it } from 'vitest';
import { discover } from '../../src/kube/discovery.js';
import { sample, sendJson, startFakeApi, type FakeApi } from './fake-api.js';

let api: FakeApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** The captured discovery documents, plus metrics.k8s.io registered but its backend down. */
async function discoveryServer() {
  const groups = sample<{ groups: unknown[] }>('discovery_apis.json');
  groups.groups.push({
    name: 'metrics.k8s.io',
    versions: [{ groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' }],
    preferredVersion: { groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' },
  });
  const files: Record<string, string> = {
    '/api': 'discovery_api.json',
    '/api/v1': 'discovery_api_v1.json',
    '/apis/apps/v1': 'discovery_apis_apps_v1.json',
    '/apis/batch/v1': 'discovery_apis_batch_v1.json',
    '/apis/events.k8s.io/v1': 'discovery_apis_events.k8s.io_v1.json',
  };
  return startFakeApi((_req, res, url) => {
    if (url.pathname === '/apis') return sendJson(res, 200, groups);
    if (url.pathname === '/apis/metrics.k8s.io/v1beta1') {
      return sendJson(res, 503, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'service unavailable',
        reason: 'ServiceUnavailable',
        code: 503,
      });
    }
    const file = files[url.pathname];
    if (file) return sendJson(res, 200, sample(file));
    const groupVersion = url.pathname.replace(/^\/apis\//, '');
    return sendJson(res, 200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: [] });
  });
}

describe('discover', () => {
  it('reads core and every group at its preferred version, tolerating a group that fails', async () => {
    api = await discoveryServer();
    const conn = api.connect();
    const d = await discover(conn);
    expect(d.groups).toContain('');
    expect(d.groups).toContain('apps');
    expect(d.groups).toContain('metrics.k8s.io');
    expect(d.groups).not.toContain('cert-manager.io');
    expect(d.failed).toEqual([
      {
        groupVersion: 'metrics.k8s.io/v1beta1',
        reason:
          'the API server failed while trying to discover metrics.k8s.io/v1beta1 (503 Service Unavailable: service unavailable): it may be starting, overloaded or broken; try again in a moment',
      },
    ]);
    expect(d.resources).toContainEqual(
      expect.objectContaining({
        group: '',
        version: 'v1',
        kind: 'Pod',
        name: 'pods',
        namespaced: true,
        shortNames: ['po'],
      }),
    );
    expect(d.resources).toContainEqual(
      expect.objectContaining({ group: 'apps', kind: 'StatefulSet', shortNames: ['sts'] }),
    );
    // Subresources are not kinds.
    expect(d.resources.some((r) => r.name.includes('/'))).toBe(false);
    // Every served version is read (plural.version.group reaches them), the preferred one marked.
    expect(api.requests.map((u) => u.pathname)).toContain('/apis/events.k8s.io/v1');
    expect(api.requests.map((u) => u.pathname)).toContain('/apis/events.k8s.io/v1beta1');
    expect(d.resources.find((r) => r.group === 'events.k8s.io')).toMatchObject({ version: 'v1', preferred: true });
    // Priority order: core first, then the groups as /apis lists them.
    const order = [...new Set(d.resources.map((r) => r.group))];
    expect(order.slice(0, 3)).toEqual(['', 'apps', 'events.k8s.io']);
    conn.close();
  });
});
