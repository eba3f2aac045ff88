import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject, Pod } from '../../src/model/k8s.js';
import { generateLargeScenario } from '../../src/sim/generate.js';
import { listChunks, listPage } from '../../src/sim/list.js';
import { resolveScenario } from '../../src/sim/main.js';
import type { Scenario } from '../../src/sim/scenario.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { call, TABLE_ACCEPT } from './helpers.js';

let scenario: Scenario;
let generationMs: number;
let srv: SimServer;

beforeAll(async () => {
  const started = Date.now();
  scenario = generateLargeScenario({ pods: 10_000, namespaces: 200, events: 50_000, seed: 7 });
  generationMs = Date.now() - started;
  srv = await startSimServer({ scenario });
}, 60_000);
afterAll(() => srv?.close());

const count = (kind: string) => scenario.objects.filter((o) => o.kind === kind).length;

function statusOf(p: Pod): string {
  return (
    p.status?.containerStatuses?.[0]?.state?.waiting?.reason ??
    p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False')?.reason ??
    p.status?.phase ??
    ''
  );
}

describe('the large generated scenario', () => {
  it('has exactly the requested pods, namespaces and events, and is generated in seconds', () => {
    expect(count('Pod')).toBe(10_000);
    expect(count('Namespace')).toBe(200);
    expect(count('Event')).toBe(50_000);
    expect(count('Deployment')).toBe(count('ReplicaSet'));
    expect(generationMs).toBeLessThan(10_000);
  });

  it('is mostly healthy, with a few percent broken in each common way', () => {
    const tally = new Map<string, number>();
    for (const o of scenario.objects)
      if (o.kind === 'Pod') tally.set(statusOf(o as Pod), (tally.get(statusOf(o as Pod)) ?? 0) + 1);
    expect(tally.get('Running')).toBeGreaterThan(8000);
    for (const broken of ['ImagePullBackOff', 'CrashLoopBackOff', 'Unschedulable', 'CreateContainerConfigError']) {
      expect(tally.get(broken), broken).toBeGreaterThan(50);
      expect(tally.get(broken), broken).toBeLessThan(1000);
    }
  });

  it('is the same for the same seed', () => {
    const again = generateLargeScenario({ pods: 300, namespaces: 6, events: 1500, seed: 7 });
    const names = (s: Scenario) => s.objects.filter((o: KubeObject) => o.kind === 'Pod').map((o) => o.metadata.name);
    expect(names(again)).toEqual(names(generateLargeScenario({ pods: 300, namespaces: 6, events: 1500, seed: 7 })));
  });

  it('has real-sized pods (about 7 KB of JSON each, managedFields included) and builds the 10,000-pod list fast', () => {
    const pods = srv.state.registry.forKind('Pod');
    if (!pods) throw new Error('pods not served');
    const started = Date.now();
    const page = listPage(srv.state, pods, {});
    let bytes = 0;
    for (const chunk of listChunks(pods, page)) bytes += chunk.length;
    const ms = Date.now() - started;
    expect(page.entries).toHaveLength(10_000);
    expect(bytes / 10_000).toBeGreaterThan(6_000);
    expect(bytes / 10_000).toBeLessThan(10_000);
    expect(ms).toBeLessThan(5_000);
    expect((page.entries[0]?.obj.metadata.managedFields ?? []).length).toBe(2);
  });

  it('serves kubectl-sized pages with remainingItemCount, as JSON and as a Table', async () => {
    const list = (await call(srv, '/api/v1/pods?limit=500')).json<{
      items: unknown[];
      metadata: { remainingItemCount: number };
    }>();
    expect(list.items).toHaveLength(500);
    expect(list.metadata.remainingItemCount).toBe(9_500);
    const table = (await call(srv, '/api/v1/events?limit=500', { accept: TABLE_ACCEPT })).json<{ rows: unknown[] }>();
    expect(table.rows).toHaveLength(500);
  });

  it('resolves `large:N` to a generated scenario of N pods', () => {
    const small = resolveScenario('large:200');
    expect(small.objects.filter((o) => o.kind === 'Pod')).toHaveLength(200);
    expect(small.objects.filter((o) => o.kind === 'Event')).toHaveLength(1000);
  });
});
