// Sort keys, marks and bulk delete, a pod's several logs: k9s habits in the whole cockpit.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { KubeObject, Pod, TableRow } from '../src/model/k8s.js';
import type { ResourceTableView } from '../src/store/resource-table.js';
import type { LogSource, ResourceSource } from './sources.js';
import { startApp, screenLines } from './testing/app.js';
import { FakeFixBackend } from './testing/fakes.js';
import { FixedSource, pods, scenarioSnapshot } from './testing/fixtures.js';
import { KEY, frame, press, waitForFrame } from './testing/ink.js';

afterEach(() => cleanup());

const CTRL_SPACE = '\u0000';
const CTRL_BACKSLASH = '\u001c';

/** The pod names of the table, top to bottom. */
const names = (f: string) =>
  screenLines(f)
    .map((l) => /^[ >+»][●▲○ ] (\S+)/.exec(l)?.[1])
    .filter((n): n is string => n !== undefined && !n.startsWith('NAME'));
const cursorName = (f: string) => /^[>»][●▲○ ] (\S+)/m.exec(f)?.[1];

function podNamed(name: string, restarts = 0): Pod {
  const base = pods.find((p) => p.metadata.name === 'elasticsearch-master-0')!;
  return {
    ...base,
    metadata: { ...base.metadata, name, uid: `uid-${name}` },
    status: {
      ...base.status,
      containerStatuses: (base.status?.containerStatuses ?? []).map((c) => ({ ...c, restartCount: restarts })),
    },
  } as Pod;
}

// Wide, so whole names show beside the pane.
const start = (source = new FixedSource(scenarioSnapshot()), extra = {}) =>
  startApp({ source, namespace: 'observability', columns: 180, rows: 30, ...extra });

describe('sort keys', () => {
  it('shift-t sorts by restarts, most first, and marks the header; again reverses; the cursor keeps its pod', async () => {
    const { app } = await start();
    let f = frame(app);
    expect(cursorName(f)).toBe('elasticsearch-master-0');
    await press(app, 'T');
    f = await waitForFrame(app, (x) => x.includes('RESTARTS↓'));
    expect(names(f)[0]).toMatch(/^jaeger-collector/);
    expect(cursorName(f)).toBe('elasticsearch-master-0');
    await press(app, 'T');
    f = await waitForFrame(app, (x) => x.includes('RESTARTS↑'));
    expect(names(f).at(-1)).toMatch(/^jaeger-collector/);
    // Another key sorts by its column, the first way.
    await press(app, 'N');
    f = await waitForFrame(app, (x) => x.includes('NAME↑'));
    expect(f).not.toContain('RESTARTS↑');
    expect(names(f)).toEqual([...names(f)].sort());
  });

  it('keeps the order and the cursor’s pod through live updates', async () => {
    const source = new FixedSource(scenarioSnapshot());
    const { app } = await start(source);
    await press(app, 'N', 'N', 'g');
    let f = await waitForFrame(app, (x) => x.includes('NAME↓') && /^>. jaeger-op/m.test(x));
    // A new pod sorts in ahead of the cursor's: the cursor stays on its pod, one row down.
    source.update(scenarioSnapshot({ pods: [...pods, podNamed('zookeeper-0')], version: 2 }));
    f = await waitForFrame(app, (x) => x.includes('zookeeper-0'));
    expect(names(f)[0]).toBe('zookeeper-0');
    expect(cursorName(f)).toMatch(/^jaeger-op/);
    expect(f).toContain('NAME↓');
    // And moves from there.
    await press(app, 'j');
    await waitForFrame(app, (x) => cursorName(x)?.startsWith('jaeger-collector') === true);
  });

  it('says so when the view has no such column', async () => {
    const { app } = await start();
    await press(app, ':', ...'ns', KEY.enter);
    await waitForFrame(app, (x) => x.includes('namespaces ['));
    await press(app, 'T');
    await waitForFrame(app, (x) => x.includes('This view has no RESTARTS column to sort by.'));
  });
});

describe('marks', () => {
  it('space marks and unmarks, ctrl-space marks a span, ctrl-\\ clears', async () => {
    const { app } = await start();
    await press(app, ' ');
    let f = await waitForFrame(app, (x) => x.includes('1 marked'));
    expect(f).toMatch(/^»● elasticsearch-master-0/m);
    await press(app, 'j', 'j', 'j');
    f = await waitForFrame(app, (x) => /^>. jaeger-collector/m.test(x));
    expect(f).toMatch(/^\+● elasticsearch-master-0/m);
    await press(app, CTRL_SPACE);
    f = await waitForFrame(app, (x) => x.includes('4 marked'));
    expect(f).toMatch(/^\+● elasticsearch-master-2/m);
    expect(f).toMatch(/^ ● jaeger-op/m);
    await press(app, ' ');
    await waitForFrame(app, (x) => x.includes('3 marked'));
    await press(app, CTRL_BACKSLASH);
    f = await waitForFrame(app, (x) => !x.includes('marked'));
    expect(f).not.toMatch(/^\+/m);
  });

  it('drops the mark of a pod that is gone', async () => {
    const source = new FixedSource(scenarioSnapshot());
    const { app } = await start(source);
    await press(app, ' ', 'j', ' ');
    await waitForFrame(app, (x) => x.includes('2 marked'));
    source.update(
      scenarioSnapshot({ pods: pods.filter((p) => p.metadata.name !== 'elasticsearch-master-1'), version: 2 }),
    );
    const f = await waitForFrame(app, (x) => x.includes('1 marked'));
    expect(names(f)).not.toContain('elasticsearch-master-1');
    // It stays dropped when a pod of that name comes back.
    source.update(scenarioSnapshot({ version: 3 }));
    await waitForFrame(app, (x) => x.includes('elasticsearch-master-1'));
    expect(frame(app)).toContain('1 marked');
  });

  it('ctrl-d deletes every marked pod as one plan through the fix runner', async () => {
    const fixes = new FakeFixBackend();
    fixes.previews = [];
    const { app } = await start(undefined, { fixes });
    await press(app, 'j', ' ', 'j', ' ', KEY.ctrlD);
    const f = await waitForFrame(app, (x) => x.includes('Delete 2 Pods'));
    expect(f).toContain('kubectl delete pod elasticsearch-master-1 -n observability');
    expect(f).toContain('kubectl delete pod elasticsearch-master-2 -n observability');
    expect(fixes.previewed).toEqual(['delete-many']);
    expect(fixes.runs).toEqual([]);
  });

  it('refuses the bulk delete under --readonly', async () => {
    const fixes = new FakeFixBackend();
    const { app } = await start(undefined, { fixes, readonly: true });
    await press(app, ' ', 'j', ' ', KEY.ctrlD);
    await waitForFrame(app, (x) => x.includes('Read-only mode (--readonly): deleting is turned off.'));
    expect(fixes.previewed).toEqual([]);
  });
});

describe('logs of a pod with several containers', () => {
  const sidecarPod = (): Pod => {
    const base = podNamed('api-0');
    return {
      ...base,
      metadata: { ...base.metadata, annotations: { 'kubectl.kubernetes.io/default-container': 'api' } },
      spec: {
        ...base.spec,
        containers: [
          { name: 'proxy', image: 'envoy' },
          { name: 'api', image: 'api:1' },
        ],
      },
      status: { phase: 'Running' },
    } as Pod;
  };
  const logs: LogSource = {
    stream(_ns, _pod, container) {
      const iterable = (async function* () {
        yield `hello from ${container}`;
      })();
      return Object.assign(iterable, { stop: () => undefined });
    },
  };

  it('l asks which container, starting on the default one; the last choice reads them all, prefixed', async () => {
    const source = new FixedSource(scenarioSnapshot({ pods: [sidecarPod(), ...pods] }));
    const { app } = await start(source, { logs });
    await waitForFrame(app, (x) => /^>. api-0/m.test(x));
    await press(app, 'l');
    let f = await waitForFrame(app, (x) => x.includes('Logs: which container of api-0?'));
    expect(f).toMatch(/> api\b/);
    expect(f).toContain('  proxy');
    expect(f).toContain('  (all containers)');
    await press(app, KEY.enter);
    f = await waitForFrame(app, (x) => x.includes('hello from api'));
    expect(f).toContain('logs api-0/api');
    await press(app, KEY.escape, 'l', 'j', KEY.enter);
    f = await waitForFrame(app, (x) => x.includes('[proxy] hello from proxy') && x.includes('[api] hello from api'));
    expect(f).toContain('logs api-0 (all containers: proxy, api)');
  });
});

describe('metrics columns', () => {
  const METRICS = {
    name: 'pods',
    group: 'metrics.k8s.io',
    version: 'v1beta1',
    kind: 'PodMetrics',
    namespaced: true,
    verbs: ['get', 'list'],
  };
  const usage: Record<string, [string, string]> = {
    'elasticsearch-master-0': ['412m', '1500Mi'],
    'jaeger-collector-6b7f9c8d5-x2x7k': ['3m', '20Mi'],
  };
  const resources: ResourceSource = {
    // What the view asks to keep of each row is all it gets, as from the cockpit's table.
    table(resource, namespace, { keep = (r: TableRow) => r }) {
      const rows: TableRow[] = Object.entries(usage)
        .map(([name, [cpu, memory]]) => ({
          cells: [name],
          object: {
            apiVersion: 'metrics.k8s.io/v1beta1',
            kind: 'PodMetrics',
            metadata: { name, namespace: 'observability' },
            containers: [{ name: 'main', usage: { cpu, memory } }],
          } as KubeObject,
        }))
        .map(keep);
      const view: ResourceTableView = {
        resource,
        namespace,
        columns: [],
        rows,
        state: { state: 'polling', reason: 'no watch', everyMs: 2000 },
        loaded: true,
        version: 1,
      };
      return { view, subscribe: () => () => {}, start() {}, stop() {} };
    },
    get: () => Promise.reject(new Error('not here')),
  };

  it('shows CPU and MEM where metrics-server answers; shift-c sorts by CPU, most first', async () => {
    const source = new FixedSource(scenarioSnapshot({ apiResources: [METRICS] }));
    // Wide: the metrics columns give way first on a narrow terminal.
    const { app } = await start(source, { resources, columns: 260 });
    let f = await waitForFrame(app, (x) => /CPU\s+MEM/.test(x));
    expect(f).toMatch(/elasticsearch-master-0\s+0\/1\s+Running\s+0\s+412m\s+1500Mi/);
    // No metrics for a pod (not running): n/a, as k9s shows it.
    expect(f).toMatch(/elasticsearch-master-1\s+0\/1\s+Pending\s+0\s+n\/a\s+n\/a/);
    await press(app, 'C');
    f = await waitForFrame(app, (x) => x.includes('CPU↓'));
    expect(names(f).slice(0, 2)).toEqual(['elasticsearch-master-0', 'jaeger-collector-6b7f9c8d5-x2x7k']);
  });

  it('has no such columns where the cluster serves no metrics, and says so for shift-c', async () => {
    const { app } = await start(undefined, { resources });
    expect(frame(app)).not.toMatch(/CPU\s+MEM/);
    await press(app, 'C');
    await waitForFrame(app, (x) => x.includes('This view has no CPU column to sort by.'));
  });
});
