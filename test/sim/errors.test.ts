import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../../src/sim/server.js';
import { loadScenario } from '../../src/sim/scenario.js';
import { call, sample, startScenario } from './helpers.js';

let srv: SimServer;
beforeAll(async () => {
  srv = await startScenario('s1-jaeger');
});
afterAll(() => srv.close());

describe('Status errors match a real API server', () => {
  it('401 for the expired token', async () => {
    const res = await call(srv, '/api/v1/namespaces/observability/pods', { token: srv.users.expiredToken });
    expect(res.status).toBe(401);
    expect(res.json()).toEqual(sample('status-401-unauthorized.json'));
  });

  it('403 for the read-only user listing pods across the cluster', async () => {
    const res = await call(srv, '/api/v1/pods', { token: srv.users.viewerToken });
    expect(res.status).toBe(403);
    expect(res.json()).toEqual(sample('status-403-forbidden.json'));
  });

  it('the read-only user may read its namespace and nothing else', async () => {
    expect((await call(srv, '/api/v1/namespaces/observability/pods', { token: srv.users.viewerToken })).status).toBe(
      200,
    );
    expect((await call(srv, '/api', { token: srv.users.viewerToken })).status).toBe(200);
    const other = await call(srv, '/api/v1/namespaces/kube-system/secrets', { token: srv.users.viewerToken });
    expect(other.json()['message']).toBe(
      'secrets is forbidden: User "viewer" cannot list resource "secrets" in API group "" in the namespace "kube-system"',
    );
    const del = await call(srv, '/apis/apps/v1/namespaces/observability/deployments/jaeger-query', {
      method: 'DELETE',
      token: srv.users.viewerToken,
    });
    expect(del.status).toBe(403);
    expect(del.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'deployments.apps "jaeger-query" is forbidden: User "viewer" cannot delete resource "deployments" in API group "apps" in the namespace "observability"',
      reason: 'Forbidden',
      details: { name: 'jaeger-query', group: 'apps', kind: 'deployments' },
      code: 403,
    });
  });

  it("a scenario can leave pods/log out of the viewer's Role: the log answers 403, the pod itself does not", async () => {
    const denied = await startScenario('s1-jaeger', {
      scenario: { ...loadScenario('s1-jaeger'), viewerDenied: ['pods/log'] },
    });
    try {
      const pod = '/api/v1/namespaces/observability/pods/jaeger-query-5c9b7d8f4d-7mhtn';
      const log = await call(denied, `${pod}/log?container=jaeger-query&previous=true`, {
        token: denied.users.viewerToken,
      });
      expect(log.status).toBe(403);
      expect(log.json()).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'pods "jaeger-query-5c9b7d8f4d-7mhtn" is forbidden: User "viewer" cannot get resource "pods/log" in API group "" in the namespace "observability"',
        reason: 'Forbidden',
        details: { name: 'jaeger-query-5c9b7d8f4d-7mhtn', kind: 'pods' },
        code: 403,
      });
      expect((await call(denied, pod, { token: denied.users.viewerToken })).status).toBe(200);
      expect((await call(denied, `${pod}/log?container=jaeger-query&previous=true`)).status).toBe(200);
    } finally {
      await denied.close();
    }
  });

  it('anonymous callers get /version but not the API', async () => {
    expect((await call(srv, '/version', { token: null })).status).toBe(200);
    const res = await call(srv, '/api/v1/pods', { token: null });
    expect(res.status).toBe(403);
    expect(res.json()['message']).toBe(
      'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" at the cluster scope',
    );
  });

  it('404 for a missing pod', async () => {
    const res = await call(srv, '/api/v1/namespaces/observability/pods/nope');
    expect(res.status).toBe(404);
    expect(res.json()).toEqual(sample('status-404-notfound.json'));
  });

  it('409 AlreadyExists when creating an existing namespace', async () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sample' } };
    expect((await call(srv, '/api/v1/namespaces', { method: 'POST', body: ns })).status).toBe(201);
    const res = await call(srv, '/api/v1/namespaces', { method: 'POST', body: ns });
    expect(res.status).toBe(409);
    expect(res.json()).toEqual(sample('status-409-alreadyexists.json'));
  });

  it('409 Conflict when an update carries a stale resourceVersion', async () => {
    const path = '/api/v1/namespaces/observability/serviceaccounts/default';
    const sa = (await call(srv, path)).json<{ metadata: Record<string, unknown> }>();
    const stale = { ...sa, metadata: { ...sa.metadata, labels: { touched: 'once' } } };
    expect((await call(srv, path, { method: 'PUT', body: stale })).status).toBe(200);
    const res = await call(srv, path, {
      method: 'PUT',
      body: { ...stale, metadata: { ...stale.metadata, labels: { touched: 'twice' } } },
    });
    expect(res.status).toBe(409);
    expect(res.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Operation cannot be fulfilled on serviceaccounts "default": the object has been modified; please apply your changes to the latest version and try again',
      reason: 'Conflict',
      details: { name: 'default', kind: 'serviceaccounts' },
      code: 409,
    });
  });

  it('422 Invalid with causes for a badly named pod without containers', async () => {
    const res = await call(srv, '/api/v1/namespaces/observability/pods', {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'Bad_Name' }, spec: {} },
    });
    expect(res.status).toBe(422);
    expect(res.json()).toEqual(sample('status-422-invalid.json'));
  });

  it('a single invalid field is reported without brackets', async () => {
    const body = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'regcred' },
      type: 'kubernetes.io/dockerconfigjson',
      data: {},
    };
    const res = await call(srv, '/api/v1/namespaces/observability/secrets', { method: 'POST', body });
    expect(res.json()['message']).toBe('Secret "regcred" is invalid: data[.dockerconfigjson]: Required value');
  });

  it('400 for an unknown field selector, 404 Status for unknown paths', async () => {
    const bad = await call(srv, '/api/v1/pods?fieldSelector=spec.bogus%3Dx');
    expect(bad.status).toBe(400);
    expect(bad.json()['message']).toBe('field label not supported: spec.bogus');
    const missing = await call(srv, '/api/v1/widgets');
    expect(missing.status).toBe(404);
    expect(missing.json()['reason']).toBe('NotFound');
  });

  it('415 for a patch type the server does not take', async () => {
    const res = await call(srv, '/api/v1/namespaces/observability/serviceaccounts/default', {
      method: 'PATCH',
      body: 'metadata: {}',
      contentType: 'application/apply-patch+yaml',
    });
    expect(res.status).toBe(415);
    expect(res.json()['reason']).toBe('UnsupportedMediaType');
  });
});
