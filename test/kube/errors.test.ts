import net from 'node:net';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '../../src/kube/client.js';
import { KubeError } from '../../src/kube/errors.js';
import { kubeconfigFor, sample, sampleLines, sendJson, startFakeApi, TOKEN, type FakeApi } from './fake-api.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

let api: FakeApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** A port nothing listens on: bind, read the port, close. */
async function deadPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function failure(p: Promise<unknown>): Promise<KubeError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(KubeError);
    const err = e as KubeError;
    expect(err.message).not.toContain('\n');
    expect(err.message).not.toContain(TOKEN);
    return err;
  }
  throw new Error('expected a failure');
}

function statusServer(file: string, code: number) {
  return startFakeApi((_req, res) => sendJson(res, code, sample(file)));
}

describe('KubeError.fromApi through a real connection', () => {
  it('connection refused on a dead port', async () => {
    const port = await deadPort();
    const dir = mkdtempSync(path.join(tmpdir(), 'kcockpit-dead-'));
    writeFileSync(path.join(dir, 'config'), kubeconfigFor(`http://127.0.0.1:${port}`));
    const conn = connect({ kubeconfig: path.join(dir, 'config') });
    const err = await failure(conn.getJson('/api/v1/namespaces/sample/pods'));
    expect(err.kind).toBe('unreachable');
    expect(err.message).toBe(
      `cannot reach the API server at http://127.0.0.1:${port} (connection refused): is the cluster running? check your kubeconfig's server address`,
    );
    conn.close();
  });

  it('401: expired credentials', async () => {
    api = await statusServer('status-401-unauthorized.json', 401);
    const conn = api.connect();
    const err = await failure(conn.getJson('/api/v1/pods'));
    expect(err).toMatchObject({ kind: 'unauthorized', code: 401 });
    expect(err.message).toBe(
      'the API server rejected your credentials (401 Unauthorized): your token may have expired; log in again or refresh your kubeconfig',
    );
    // The memoized credentials are refreshed once before giving up.
    expect(api.requests.length).toBe(2);
    conn.close();
  });

  it('403 at the cluster scope suggests a namespace', async () => {
    api = await statusServer('status-403-forbidden.json', 403);
    const conn = api.connect();
    const err = await failure(conn.getJson('/api/v1/pods'));
    expect(err).toMatchObject({ kind: 'forbidden', code: 403, reason: 'Forbidden' });
    expect(err.message).toBe(
      'forbidden: pods is forbidden: User "viewer" cannot list resource "pods" in API group "" at the cluster scope (try -n <namespace>)',
    );
    conn.close();
  });

  it('404 from a generated API (ApiException) maps the same way', async () => {
    const auth: (string | undefined)[] = [];
    api = await startFakeApi((req, res) => {
      auth.push(req.headers.authorization);
      sendJson(res, 404, sample('status-404-notfound.json'));
    });
    const conn = api.connect();
    const err = await failure(
      conn
        .api(CoreV1Api)
        .readNamespacedPod({ name: 'nope', namespace: 'sample' })
        .catch((e: unknown) => {
          throw KubeError.fromApi(e, 'read pod nope');
        }),
    );
    expect(err).toMatchObject({ kind: 'notfound', code: 404, reason: 'NotFound' });
    expect(err.message).toBe('not found: pods "nope" not found (check the name, the namespace (-n) and the context)');
    // The generated client sent the kubeconfig's credentials.
    expect(auth).toEqual([`Bearer ${TOKEN}`]);
    conn.close();
  });

  it('409 and 422 Status bodies', () => {
    expect(
      KubeError.fromApi({ code: 409, body: JSON.stringify(sample('status-409-alreadyexists.json')) }),
    ).toMatchObject({
      kind: 'conflict',
      message: 'conflict: namespaces "sample" already exists',
    });
    const invalid = KubeError.fromApi(sample('status-422-invalid.json'));
    expect(invalid.kind).toBe('invalid');
    expect(invalid.message).toMatch(/^invalid: Pod "Bad_Name" is invalid: \[metadata.name: Invalid value/);
  });

  it('5xx without a Status body, and a watch ERROR Status', () => {
    expect(KubeError.fromApi({ code: 503, body: 'service unavailable' }, 'list pods').message).toBe(
      'the API server failed while trying to list pods (503 Service Unavailable): it may be starting, overloaded or broken; try again in a moment',
    );
    const event = JSON.parse(sampleLines('watch-410-gone.jsonl')[0]!) as { object: unknown };
    const gone = KubeError.fromApi(event.object, 'watch pods');
    expect(gone).toMatchObject({ kind: 'server', code: 410, reason: 'Expired' });
    expect(gone.message).toContain('too old resource version: 1 (747)');
  });

  it('never shows a token, even when a plugin echoes one', () => {
    const err = KubeError.fromApi(
      new Error(`exec plugin: got Authorization: Bearer ${TOKEN}\nand {"token":"${TOKEN}"}`),
    );
    expect(err.message).not.toContain(TOKEN);
    expect(err.message).not.toContain('\n');
  });
});
