// @kubernetes/client-node 1.4 against the simulator, through the kubeconfig it writes.
import { PassThrough } from 'node:stream';
import {
  ApiException,
  CoreV1Api,
  KubeConfig,
  Log,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../../src/sim/server.js';
import { startScenario } from './helpers.js';

let srv: SimServer;
let kc: KubeConfig;
beforeAll(async () => {
  srv = await startScenario('s1-jaeger', { bookmarkIntervalMs: 300 });
  kc = new KubeConfig();
  kc.loadFromFile(srv.kubeconfigPath);
});
afterAll(() => srv.close());

describe('client-node against the simulator', () => {
  it('lists pods with CoreV1Api (paged), in the sim context and its default namespace', async () => {
    expect(kc.getCurrentContext()).toBe('sim');
    const api = kc.makeApiClient(CoreV1Api);
    const page = await api.listNamespacedPod({ namespace: 'observability', limit: 4 });
    expect(page.items).toHaveLength(4);
    expect(page.metadata?.remainingItemCount).toBe(2);
    const rest = await api.listNamespacedPod({
      namespace: 'observability',
      _continue: page.metadata?._continue as string,
    });
    expect(rest.items).toHaveLength(2);
    const all = await api.listPodForAllNamespaces();
    expect(all.items.length).toBe(13);
  });

  it('patches a ServiceAccount with a JSON patch through setHeaderOptions', async () => {
    const api = kc.makeApiClient(CoreV1Api);
    await api.createNamespacedSecret({
      namespace: 'observability',
      body: {
        metadata: { name: 'regcred' },
        type: 'kubernetes.io/dockerconfigjson',
        stringData: { '.dockerconfigjson': '{"auths":{"https://index.docker.io/v1/":{"auth":"bWU6dG9rZW4="}}}' },
      },
    });
    const sa = await api.patchNamespacedServiceAccount(
      {
        name: 'default',
        namespace: 'observability',
        body: [{ op: 'add', path: '/imagePullSecrets', value: [{ name: 'regcred' }] }],
      },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    expect(sa.imagePullSecrets).toEqual([{ name: 'regcred' }]);
  });

  it('raises ApiException 403 for the read-only context and 401 for the expired one', async () => {
    for (const [context, code] of [
      ['sim-viewer', 403],
      ['sim-expired', 401],
    ] as const) {
      const other = new KubeConfig();
      other.loadFromFile(srv.kubeconfigPath);
      other.setCurrentContext(context);
      const err = await other
        .makeApiClient(CoreV1Api)
        .listPodForAllNamespaces()
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiException);
      expect((err as ApiException<unknown>).code).toBe(code);
    }
  });

  it('watches with the Watch class: initial ADDED, then changes and bookmarks', async () => {
    const seen: string[] = [];
    let bookmarks = 0;
    const done = new Promise<void>((resolve) => {
      void new Watch(kc)
        .watch(
          '/api/v1/namespaces/observability/configmaps',
          { allowWatchBookmarks: true, timeoutSeconds: 2 },
          (type, obj: { metadata: { name: string } }) => {
            if (type === 'BOOKMARK') bookmarks++;
            else seen.push(`${type} ${obj.metadata.name}`);
          },
          () => resolve(),
        )
        .then(async () => {
          await new Promise((r) => setTimeout(r, 100));
          await kc
            .makeApiClient(CoreV1Api)
            .createNamespacedConfigMap({ namespace: 'observability', body: { metadata: { name: 'watched' } } });
        });
    });
    await done;
    expect(seen).toEqual(['ADDED kube-root-ca.crt', 'ADDED watched']);
    expect(bookmarks).toBeGreaterThan(0);
  });

  it('reads logs with the Log class', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const ended = new Promise((r) => out.on('end', r));
    await new Log(kc).log('observability', 'jaeger-collector-6b8f9d7c5f-2xk4q', 'jaeger-collector', out, {
      previous: true,
      tailLines: 1,
    });
    await ended;
    expect(Buffer.concat(chunks).toString()).toContain('no Elasticsearch node available');
  });
});
