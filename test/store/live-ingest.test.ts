import { afterEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/kube/client.js';
import type { KubeObject, Pod } from '../../src/model/k8s.js';
import { LiveStore } from '../../src/store/live.js';
import { startFakeApi, until, type FakeApi } from '../kube/fake-api.js';
import { clusterHandler, type Watches } from '../kube/fake-cluster.js';
import { collectorLog, collectorPod, s1Objects } from '../kube/s1-objects.js';

const COLLECTOR_LOG = 'observability/jaeger-collector-6d9c7b8f5-x2k8q/jaeger-collector';

let api: FakeApi | undefined;
let conn: Connection | undefined;
let store: LiveStore | undefined;
afterEach(async () => {
  store?.stop();
  conn?.close();
  await api?.close();
  api = conn = store = undefined;
});

async function liveStore(logs: Record<string, string>): Promise<Watches> {
  const { handler, watches } = clusterHandler({ objects: s1Objects(), logs });
  api = await startFakeApi(handler);
  conn = api.connect();
  store = new LiveStore({ conn, namespace: 'observability', backoffInitialMs: 50, backoffMaxMs: 200 });
  store.start();
  await until(() => store!.connection().state === 'live' && watches.open('pods') === 1, 5000, 'live');
  return watches;
}

const lastLogLine = () => store!.current().logTail('observability', 'jaeger-collector-6d9c7b8f5-x2k8q', 'jaeger-collector', true)?.lines.at(-1) ?? '';

/** The collector pod as the API server sends it after the kubelet's next status update. */
function collectorUpdate(resourceVersion: string, restartCount: number): Pod {
  const pod = structuredClone(collectorPod) as Pod;
  pod.metadata.resourceVersion = resourceVersion;
  pod.status!.containerStatuses![0]!.restartCount = restartCount;
  return pod;
}

describe('LiveStore ingest', () => {
  it('fetches a crashed container’s log again after its next restart, and not after other changes', async () => {
    const logs = { [COLLECTOR_LOG]: collectorLog };
    const watches = await liveStore(logs);
    await until(() => lastLogLine().includes('connection refused'), 5000, 'the first crash log');

    // The same crash seen again (a status update without a new restart): nothing is fetched.
    logs[COLLECTOR_LOG] = '{"level":"fatal","msg":"Failed to init storage factory","error":"no space left on device"}\n';
    watches.push('pods', 'MODIFIED', collectorUpdate('2001', 212));
    await new Promise((r) => setTimeout(r, 300));
    expect(lastLogLine()).toContain('connection refused');

    // Restart 213: the new previous log is fetched.
    watches.push('pods', 'MODIFIED', collectorUpdate('2002', 213));
    await until(() => lastLogLine().includes('no space left on device'), 5000, 'the log of the new crash');
  });

  it('keeps listed and watched objects equal to what the server sent', async () => {
    const watches = await liveStore({ [COLLECTOR_LOG]: collectorLog });
    const updated = collectorUpdate('2001', 213);
    watches.push('pods', 'MODIFIED', updated);
    await until(() => store!.current().pods.some((p) => p.metadata.resourceVersion === '2001'), 5000, 'the update');
    // Listed objects share their strings in the background once the store is live.
    await new Promise((r) => setTimeout(r, 100));
    const withoutManagedFields = (o: KubeObject) => {
      const { managedFields: _managedFields, ...metadata } = o.metadata;
      return { ...o, metadata };
    };
    const byName = (a: KubeObject, b: KubeObject) => a.metadata.name.localeCompare(b.metadata.name);
    const sent = s1Objects()['pods']!.map((p) => (p.metadata.name === updated.metadata.name ? updated : p)).map(withoutManagedFields).sort(byName);
    expect([...store!.current().pods].sort(byName)).toStrictEqual(sent);
  });
});
