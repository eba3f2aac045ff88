import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Pod } from '../../src/model/k8s.js';
import { connect } from '../../src/kube/client.js';
import { KubeError } from '../../src/kube/errors.js';
import { listBody, podFromSample, sample, sendJson, startFakeApi, TOKEN, type FakeApi } from './fake-api.js';

let api: FakeApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const pods = Array.from({ length: 5 }, (_, i) => podFromSample(`web-${i}`, 'sample', String(100 + i)));

/** Pages of `limit`, with continue tokens as opaque as the real ones. */
function pagedPods(url: URL) {
  const limit = Number(url.searchParams.get('limit') ?? pods.length);
  const start = url.searchParams.get('continue')
    ? Number(Buffer.from(url.searchParams.get('continue')!, 'base64').toString())
    : 0;
  const end = Math.min(pods.length, start + limit);
  const more =
    end < pods.length
      ? { continue: Buffer.from(String(end)).toString('base64'), remainingItemCount: pods.length - end }
      : {};
  return listBody('Pod', pods.slice(start, end), '23553', more);
}

describe('Connection.list', () => {
  it('pages with limit/continue, hands each page over as it arrives, trims and stamps items', async () => {
    api = await startFakeApi((_req, res, url) => sendJson(res, 200, pagedPods(url)));
    const conn = api.connect();
    const pages: number[] = [];
    const result = await conn.list<Pod>('/api/v1/namespaces/sample/pods', {
      pageSize: 2,
      onPage: (items) => pages.push(items.length),
    });
    expect(pages).toEqual([2, 2, 1]);
    expect(result.resourceVersion).toBe('23553');
    expect(result.items.map((p) => p.metadata.name)).toEqual(['web-0', 'web-1', 'web-2', 'web-3', 'web-4']);
    for (const p of result.items) {
      expect(p.kind).toBe('Pod');
      expect(p.apiVersion).toBe('v1');
      expect(p.metadata.managedFields).toBeUndefined();
      expect(p.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toBeUndefined();
    }
    expect(api.requests.map((u) => u.searchParams.get('limit'))).toEqual(['2', '2', '2']);
    conn.close();
  });

  it('hands transform stamped items, and what transform throws is its own error, not the server’s', async () => {
    api = await startFakeApi((_req, res, url) => sendJson(res, 200, pagedPods(url)));
    const conn = api.connect();
    const seen: string[] = [];
    const result = await conn.list<string>('/api/v1/namespaces/sample/pods', {
      pageSize: 2,
      transform: (p) => {
        seen.push(`${p.kind}/${p.metadata.name}`);
        return p.metadata.name;
      },
    });
    expect(result.items).toEqual(['web-0', 'web-1', 'web-2', 'web-3', 'web-4']);
    expect(seen).toEqual(result.items.map((n) => `Pod/${n}`));
    const failing = conn.list('/api/v1/namespaces/sample/pods', {
      transform: () => {
        throw new RangeError('a rule of the transform');
      },
    });
    await expect(failing).rejects.toThrow(RangeError);
    conn.close();
  });

  it('asks for the next page as soon as the continue token arrives, before the items have', async () => {
    const arrived: string[] = [];
    api = await startFakeApi((_req, res, url) => {
      arrived.push(`request ${url.searchParams.get('continue') ?? 'first'}`);
      const text = JSON.stringify(pagedPods(url));
      const items = text.indexOf('"items":');
      // The head (kind, apiVersion, metadata with the token) now, the items a moment later.
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(text.slice(0, items));
      setTimeout(() => {
        arrived.push(`end ${url.searchParams.get('continue') ?? 'first'}`);
        res.end(text.slice(items));
      }, 100);
    });
    const conn = api.connect();
    const { items } = await conn.list<Pod>('/api/v1/namespaces/sample/pods', { pageSize: 3, pipeline: true });
    expect(items.map((p) => p.metadata.name)).toEqual(['web-0', 'web-1', 'web-2', 'web-3', 'web-4']);
    const next = `request ${Buffer.from('3').toString('base64')}`;
    expect(arrived.indexOf(next)).toBeGreaterThan(-1);
    expect(arrived.indexOf(next)).toBeLessThan(arrived.indexOf('end first'));
    // Without pipelining (lists read side by side), a page is asked for only after the last.
    arrived.length = 0;
    await conn.list<Pod>('/api/v1/namespaces/sample/pods', { pageSize: 3 });
    expect(arrived.indexOf(next)).toBeGreaterThan(arrived.indexOf('end first'));
    conn.close();
  });

  it('asks for one page ahead of the one it reads, never more, however fast the server', async () => {
    let open = 0;
    let most = 0;
    api = await startFakeApi((_req, res, url) => {
      open++;
      most = Math.max(most, open);
      const text = JSON.stringify(pagedPods(url));
      const items = text.indexOf('"items":');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(text.slice(0, items));
      setTimeout(() => {
        open--;
        res.end(text.slice(items));
      }, 50);
    });
    const conn = api.connect();
    const { items } = await conn.list<Pod>('/api/v1/namespaces/sample/pods', { pageSize: 1, pipeline: true });
    expect(items).toHaveLength(5);
    expect(most).toBe(2);
    conn.close();
  });

  it('asks for a smaller first page when told to, then pages of the usual size', async () => {
    api = await startFakeApi((_req, res, url) => sendJson(res, 200, pagedPods(url)));
    const conn = api.connect();
    const { items } = await conn.list<Pod>('/api/v1/namespaces/sample/pods', { firstPageSize: 1, pageSize: 3 });
    expect(items).toHaveLength(5);
    expect(api.requests.map((u) => u.searchParams.get('limit'))).toEqual(['1', '3', '3']);
    conn.close();
  });

  it('gathers the pages of a list in the same few buffers, one per page in flight', async () => {
    api = await startFakeApi((_req, res, url) => sendJson(res, 200, pagedPods(url)));
    const conn = api.connect();
    const allocate = vi.spyOn(Buffer, 'allocUnsafeSlow');
    try {
      const plain = await conn.list<Pod>('/api/v1/namespaces/sample/pods', { pageSize: 1 });
      const ahead = await conn.list<Pod>('/api/v1/namespaces/sample/pods', { pageSize: 1, pipeline: true });
      expect(plain.items.map((p) => p.metadata.name)).toEqual(pods.map((p) => p.metadata.name));
      expect(ahead.items.map((p) => p.metadata.name)).toEqual(pods.map((p) => p.metadata.name));
      // Ten pages: one buffer for the plain list, one more for the page read ahead.
      expect(allocate.mock.calls.length).toBeLessThanOrEqual(3);
    } finally {
      allocate.mockRestore();
      conn.close();
    }
  });

  it('drops the page it asked for ahead when the list fails', async () => {
    let aheadClosed = false;
    api = await startFakeApi((req, res, url) => {
      if (url.searchParams.get('continue')) {
        // The page asked for ahead: slow, and never needed.
        res.on('close', () => (aheadClosed = !res.writableEnded));
        setTimeout(() => !res.destroyed && sendJson(res, 200, pagedPods(url)), 2000);
        return;
      }
      const text = JSON.stringify(pagedPods(url));
      const items = text.indexOf('"items":');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(text.slice(0, items));
      // Then the items, cut off: not JSON.
      setTimeout(() => res.end(text.slice(items, items + 20)), 100);
    });
    const conn = api.connect();
    const started = Date.now();
    await expect(conn.list<Pod>('/api/v1/namespaces/sample/pods', { pageSize: 3, pipeline: true })).rejects.toThrow(
      /could not read \(not JSON\)/,
    );
    expect(Date.now() - started).toBeLessThan(1500);
    expect(api.requests).toHaveLength(2);
    await expect.poll(() => aheadClosed).toBe(true);
    conn.close();
  });

  it('the captured paged list keeps its continue token semantics', async () => {
    const captured = sample<{ metadata: { continue: string } }>('list-paged-limit1.json');
    api = await startFakeApi((_req, res, url) => {
      if (url.searchParams.get('continue') === captured.metadata.continue)
        sendJson(res, 200, listBody('Pod', [], '23553'));
      else sendJson(res, 200, captured);
    });
    const conn = api.connect();
    const { items } = await conn.list<Pod>('/api/v1/namespaces/sample/pods', { pageSize: 1 });
    expect(items.map((p) => `${p.kind}/${p.metadata.name}`)).toEqual(['Pod/big']);
    expect(api.requests[1]?.searchParams.get('continue')).toBe(captured.metadata.continue);
    conn.close();
  });

  it('starts over once when a continue token has expired (410)', async () => {
    let expiredOnce = false;
    api = await startFakeApi((_req, res, url) => {
      if (url.searchParams.get('continue') && !expiredOnce) {
        expiredOnce = true;
        sendJson(res, 410, {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message:
            'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
          reason: 'Expired',
          code: 410,
        });
        return;
      }
      sendJson(res, 200, pagedPods(url));
    });
    const conn = api.connect();
    const { items } = await conn.list<Pod>('/api/v1/namespaces/sample/pods', { pageSize: 3 });
    expect(items).toHaveLength(5);
    expect(new Set(items.map((p) => p.metadata.name)).size).toBe(5);
    conn.close();
  });

  it('reuses one keep-alive connection for all requests and sends the bearer token', async () => {
    const auth = new Set<string | undefined>();
    api = await startFakeApi((req, res, url) => {
      auth.add(req.headers.authorization);
      sendJson(res, 200, pagedPods(url));
    });
    const conn = api.connect();
    for (let i = 0; i < 3; i++) await conn.list('/api/v1/namespaces/sample/pods', { pageSize: 1 });
    expect(api.requests).toHaveLength(15);
    expect(api.connections()).toBe(1);
    expect([...auth]).toEqual([`Bearer ${TOKEN}`]);
    conn.close();
  });

  it('reads gzip-compressed answers (API servers compress large lists)', async () => {
    api = await startFakeApi((req, res, url) => {
      expect(req.headers['accept-encoding']).toContain('gzip');
      const body = gzipSync(JSON.stringify(pagedPods(url)));
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Encoding': 'gzip',
        'Content-Length': body.length,
      });
      res.end(body);
    });
    const conn = api.connect();
    expect((await conn.list('/api/v1/pods')).items).toHaveLength(5);
    conn.close();
  });

  it('turns a non-JSON answer into a one-line KubeError', async () => {
    api = await startFakeApi((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>proxy login</html>');
    });
    const conn = api.connect();
    await expect(conn.getJson('/api')).rejects.toThrow(KubeError);
    await expect(conn.getJson('/api')).rejects.toThrow(/could not read \(not JSON\)/);
    conn.close();
  });

  it('gives up on a server that accepts but never answers', async () => {
    api = await startFakeApi(() => undefined);
    const conn = api.connect({ requestTimeoutMs: 200 });
    await expect(conn.getJson('/api')).rejects.toMatchObject({
      kind: 'unreachable',
      message: expect.stringMatching(/did not answer within 200ms/),
    });
    conn.close();
  });
});

/** A kubeconfig whose user gets its token from an exec credential plugin (a node script), like aws/gke/kubelogin. */
function execKubeconfig(server: string, plugin: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kcockpit-exec-'));
  const file = path.join(dir, 'config');
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      `clusters: [{name: c, cluster: {server: "${server}", insecure-skip-tls-verify: true}}]`,
      'users:',
      '- name: sso-user',
      '  user:',
      '    exec:',
      '      apiVersion: client.authentication.k8s.io/v1beta1',
      `      command: ${JSON.stringify(process.execPath)}`,
      `      args: [${JSON.stringify(plugin)}]`,
      '      interactiveMode: Never',
      'contexts: [{name: c, context: {cluster: c, user: sso-user}}]',
      'current-context: c',
    ].join('\n'),
  );
  return file;
}

describe('credentials from files', () => {
  it('a certificate file that does not exist is a config error naming it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kcockpit-ca-'));
    const file = path.join(dir, 'config');
    writeFileSync(
      file,
      [
        'apiVersion: v1',
        'clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443", certificate-authority: certs/ca.crt}}]',
        `users: [{name: u, user: {token: ${TOKEN}}}]`,
        'contexts: [{name: c, context: {cluster: c, user: u}}]',
        'current-context: c',
      ].join('\n'),
    );
    const conn = connect({ kubeconfig: file });
    await expect(conn.getJson('/api')).rejects.toMatchObject({
      kind: 'config',
      message: `a file the kubeconfig names does not exist (${path.join(dir, 'certs', 'ca.crt')}): fix the path in the kubeconfig or regenerate it`,
    });
    conn.close();
  });
});

describe('exec credential plugins', () => {
  it('sends the plugin’s token, and the plugin runs once for many requests', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kcockpit-plugin-'));
    const runs = path.join(dir, 'runs');
    const plugin = path.join(dir, 'plugin.cjs');
    writeFileSync(
      plugin,
      `require('fs').appendFileSync(${JSON.stringify(runs)}, 'x');
process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: 'exec-token-77' } }));`,
    );
    const auth = new Set<string | undefined>();
    api = await startFakeApi((req, res, url) => {
      auth.add(req.headers.authorization);
      sendJson(res, 200, pagedPods(url));
    });
    const conn = connect({ kubeconfig: execKubeconfig(api.url, plugin) });
    await Promise.all([
      conn.list('/api/v1/pods', { pageSize: 1 }),
      conn.list('/api/v1/pods', { pageSize: 2 }),
      conn.getJson('/api/v1/pods'),
    ]);
    expect([...auth]).toEqual(['Bearer exec-token-77']);
    expect(readFileSync(runs, 'utf8')).toBe('x');
    conn.close();
  });

  it('a failing plugin is a one-line error with its own words', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kcockpit-plugin-'));
    const plugin = path.join(dir, 'plugin.cjs');
    writeFileSync(plugin, `process.stderr.write('error: SSO session expired; run aws sso login\\n'); process.exit(1);`);
    api = await startFakeApi((_req, res) => sendJson(res, 200, {}));
    const conn = connect({ kubeconfig: execKubeconfig(api.url, plugin) });
    await expect(conn.getJson('/api')).rejects.toMatchObject({
      kind: 'unauthorized',
      message:
        'could not get credentials for user "sso-user" from the kubeconfig (error: SSO session expired; run aws sso login): run its credential plugin by hand to see why, or log in again',
    });
    expect(api.requests).toHaveLength(0);
    conn.close();
  });
});
