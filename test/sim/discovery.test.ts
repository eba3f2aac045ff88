import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../../src/sim/server.js';
import { call, sample, startScenario } from './helpers.js';

type ResourceEntry = { name: string; [k: string]: unknown };
type ResourceList = { kind: string; apiVersion?: string; groupVersion: string; resources: ResourceEntry[] };

let s1: SimServer;
let healthy: SimServer;
beforeAll(async () => {
  [s1, healthy] = await Promise.all([startScenario('s1-jaeger'), startScenario('healthy')]);
});
afterAll(async () => {
  await Promise.all([s1.close(), healthy.close()]);
});

/** Every resource entry the simulator serves must be the real server's entry, field for field. */
function expectEntriesFromSample(ours: ResourceList, real: ResourceList): void {
  const realByName = new Map(real.resources.map((r) => [r.name, r]));
  for (const entry of ours.resources) {
    const expected = realByName.get(entry.name);
    if (expected) expect(entry, entry.name).toEqual(expected);
  }
}

describe('discovery', () => {
  it('answers /api like the sample, with its own address', async () => {
    const body = (await call(s1, '/api')).json<{
      kind: string;
      versions: string[];
      serverAddressByClientCIDRs: { serverAddress: string }[];
    }>();
    const real = sample('discovery_api.json') as typeof body;
    expect(Object.keys(body)).toEqual(Object.keys(real));
    expect(body.versions).toEqual(['v1']);
    expect(body.serverAddressByClientCIDRs[0]?.serverAddress).toBe(`127.0.0.1:${s1.port}`);
  });

  it('serves the core resources with the verbs, short names and subresources of a real server', async () => {
    const ours = (await call(s1, '/api/v1')).json<ResourceList>();
    const real = sample('discovery_api_v1.json') as ResourceList;
    expect(Object.keys(ours)).toEqual(Object.keys(real)); // no apiVersion in the core list
    expectEntriesFromSample(ours, real);
    const names = ours.resources.map((r) => r.name);
    for (const n of [
      'pods',
      'pods/log',
      'pods/status',
      'pods/portforward',
      'events',
      'secrets',
      'serviceaccounts',
      'configmaps',
      'namespaces',
      'nodes',
      'services',
      'persistentvolumeclaims',
    ]) {
      expect(names).toContain(n);
    }
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : 1)));
  });

  it('serves apps/v1 (with scale subresources) and batch/v1 like the samples', async () => {
    const apps = (await call(s1, '/apis/apps/v1')).json<ResourceList>();
    expectEntriesFromSample(apps, sample('discovery_apis_apps_v1.json') as ResourceList);
    expect(apps.resources.find((r) => r.name === 'deployments/scale')).toEqual({
      name: 'deployments/scale',
      singularName: '',
      namespaced: true,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    });
    const batch = (await call(s1, '/apis/batch/v1')).json<ResourceList>();
    expectEntriesFromSample(batch, sample('discovery_apis_batch_v1.json') as ResourceList);
    expect(batch.resources.map((r) => r.name)).toContain('jobs');
  });

  it('lists only the groups it serves, in the APIGroupList shape', async () => {
    const body = (await call(s1, '/apis')).json<{
      kind: string;
      apiVersion: string;
      groups: { name: string; versions: unknown[]; preferredVersion: unknown }[];
    }>();
    const real = sample('discovery_apis.json') as typeof body;
    const realApps = real.groups.find((g) => g.name === 'apps');
    expect(body.kind).toBe('APIGroupList');
    expect(body.groups.find((g) => g.name === 'apps')).toEqual(realApps);
    // Built-in groups in the real server's priority order, then the aggregated metrics API.
    const ours = body.groups.map((g) => g.name);
    expect(ours.slice(0, -1)).toEqual(real.groups.map((g) => g.name).filter((g) => ours.includes(g)));
    expect(ours).toEqual(expect.arrayContaining(['apps', 'batch', 'networking.k8s.io', 'apiextensions.k8s.io']));
    expect(ours.at(-1)).toBe('metrics.k8s.io');
  });

  it('does not serve cert-manager.io in S1: its paths are 404 like on a cluster without the CRDs', async () => {
    const res = await call(s1, '/apis/cert-manager.io/v1');
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server could not find the requested resource',
      reason: 'NotFound',
      details: {},
      code: 404,
    });
    expect((await call(s1, '/apis/cert-manager.io/v1/namespaces/observability/certificates')).status).toBe(404);
  });

  it('serves the CRD groups a scenario declares (cert-manager when it is installed)', async () => {
    const groups = (await call(healthy, '/apis')).json<{ groups: { name: string }[] }>().groups.map((g) => g.name);
    expect(groups).toContain('cert-manager.io');
    const certs = (await call(healthy, '/apis/cert-manager.io/v1')).json<ResourceList>();
    expect(certs.resources.find((r) => r.name === 'certificates')).toMatchObject({
      kind: 'Certificate',
      namespaced: true,
      shortNames: ['cert', 'certs'],
    });
    const list = (await call(healthy, '/apis/cert-manager.io/v1/namespaces/observability/certificates')).json<{
      kind: string;
      items: unknown[];
    }>();
    expect(list.kind).toBe('CertificateList');
    expect(list.items).toHaveLength(1);
  });

  it('answers an aggregated-discovery Accept with the legacy document as application/json', async () => {
    const res = await call(s1, '/apis', {
      accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
    });
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.json().kind).toBe('APIGroupList');
  });

  it('reports a version in the shape of /version', async () => {
    const body = (await call(s1, '/version', { token: null })).json();
    expect(Object.keys(body)).toEqual(Object.keys(sample('version.json') as object));
    expect(body['gitVersion']).toBe('v1.32.0');
  });
});
