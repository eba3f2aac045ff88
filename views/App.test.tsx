import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { Snapshot } from '../src/store/snapshot.js';
import type { ConnectionState } from '../src/store/source.js';
import type { LogSource, LogStreamOptions } from './sources.js';
import {
  FixedFindings,
  FixedSource,
  NOW,
  collectorFinding,
  esFinding,
  findings,
  manyPods,
  scenarioInput,
  scenarioSnapshot,
} from './testing/fixtures.js';
import { KEY, frame, press, resize, waitForFrame } from './testing/ink.js';
import { startApp, type StartOptions } from './testing/app.js';

afterEach(() => cleanup());

// The cockpit at 80×24 unless a test asks for another size.
const start = (options: StartOptions = {}) => startApp({ columns: 80, rows: 24, ...options });

const lines = (f: string) => f.split('\n');
/** The table row the cursor is on (marked with '>'). */
const cursorRow = (f: string) => lines(f).find((l) => l.startsWith('>')) ?? '';

describe('cockpit layout', () => {
  it('fits 80×24 in 23 lines: header, pods table, finding pane below, status line', async () => {
    const { app } = await start({ namespace: 'observability' });
    const f = frame(app);
    expect(lines(f)).toHaveLength(23);
    expect(lines(f)[0]).toBe('kcockpit 0.1.0  ctx minikube │ cluster minikube │ user minikube');
    expect(lines(f)[1]).toBe('ns observability  ● 2 critical  ▲ 1 warning  ● live');
    expect(lines(f)[2]).toBe('pods(observability) [1/5]');
    expect(cursorRow(f)).toMatch(/^>● elasticsearch-master-0 +0\/1 +Running +0 +27m/);
    // The pane sits under the table and explains the selected pod's finding.
    const pane = lines(f).findIndex((l) => l.includes('● critical  3 replicas with hard anti-affinity'));
    expect(pane).toBeGreaterThan(lines(f).findIndex((l) => l.includes('jaeger-op-jaeger')));
    expect(lines(f).every((l) => l.length <= 80)).toBe(true);
    expect(lines(f)[22]).toMatch(/^<:> command <\/> filter <\?> help/);
  });

  it('puts the pane beside the table on a wide terminal, and keeps rows − 1 lines', async () => {
    const { app } = await start({ namespace: 'observability', columns: 160, rows: 40 });
    const f = frame(app);
    expect(lines(f)).toHaveLength(39);
    // Each screen line carries a table line on the left and a pane line on the right.
    expect(lines(f)[2]).toMatch(/^pods\(observability\) \[1\/5\] +● critical {2}3 replicas/);
    expect(cursorRow(f)).toMatch(/^>● elasticsearch-master-0 .{40,} {2}\S/);
  });

  it('follows a terminal resize and shows every namespace by default', async () => {
    const { app } = await start({ columns: 160, rows: 40 });
    await resize(app, 80, 24);
    const f = frame(app);
    expect(lines(f)).toHaveLength(23);
    expect(f).toContain('ns all');
    expect(f).toContain('pods(all) [1/6]');
    expect(lines(f)[3]).toMatch(/NAMESPACE +NAME/);
  });

  it('shows the connection state and read-only mode in the header', async () => {
    const source = new FixedSource(scenarioSnapshot(), {
      state: 'reconnecting',
      reason: 'watch pods: connection reset',
      since: NOW,
    });
    const { app } = await start({ source, readonly: true, columns: 120 });
    expect(lines(frame(app))[1]).toBe(
      'ns all  [readonly]  ● 2 critical  ▲ 1 warning  ◐ reconnecting: watch pods: connection reset',
    );
  });
});

describe('cursor keys', () => {
  it('j/k/g/G/pgdn/ctrl-f move the cursor', async () => {
    const { app } = await start({ namespace: 'observability' });
    await press(app, 'j');
    expect(cursorRow(frame(app))).toContain('elasticsearch-master-1');
    await press(app, 'j', 'j', 'k');
    expect(cursorRow(frame(app))).toContain('elasticsearch-master-2');
    await press(app, 'G');
    expect(cursorRow(frame(app))).toContain('jaeger-op-jaeger');
    expect(frame(app)).toContain('[5/5]');
    await press(app, 'g');
    expect(frame(app)).toContain('[1/5]');
    await press(app, KEY.pageDown);
    expect(frame(app)).toContain('[5/5]');
    await press(app, 'g', KEY.ctrlF);
    expect(frame(app)).toContain('[5/5]');
    await press(app, KEY.up);
    expect(frame(app)).toContain('[4/5]');
  });

  it('renders 10,000 pods as one screen and reaches the end with G', async () => {
    const source = new FixedSource(new Snapshot({ pods: manyPods(10_000), version: 1, takenAt: NOW }));
    const { app } = await start({ source, found: [] });
    const f = frame(app);
    expect(lines(f)).toHaveLength(23);
    expect(f).toContain('pods(all) [1/10000]');
    expect(f).not.toContain('pod-05000');
    await press(app, 'G');
    expect(frame(app)).toContain('[10000/10000]');
    expect(cursorRow(frame(app))).toContain('pod-09999');
    expect(frame(app)).not.toContain('pod-05000');
    await press(app, '/', ...'pod-05000', KEY.enter);
    expect(cursorRow(frame(app))).toContain('pod-05000');
  });
});

describe('filter', () => {
  it('/ filters as you type, enter keeps it, esc clears it', async () => {
    const { app } = await start({ namespace: 'observability' });
    await press(app, '/', ...'crash');
    let f = frame(app);
    expect(f).toContain('/crash');
    expect(f).toContain('1 match');
    expect(f).toContain('pods(observability) </crash> [1/1]');
    expect(cursorRow(f)).toContain('jaeger-collector');
    await press(app, KEY.enter);
    f = frame(app);
    expect(f).not.toContain('1 match');
    expect(f).toContain('</crash>');
    await press(app, KEY.escape);
    expect(frame(app)).toContain('pods(observability) [1/5]');
  });

  it('filters by label with -l and inverts with !', async () => {
    const { app } = await start({ namespace: 'observability' });
    await press(app, '/', ...'-l app=elasticsearch-master', KEY.enter);
    expect(frame(app)).toContain('[1/3]');
    await press(app, KEY.escape, '/', ...'!pending', KEY.enter);
    expect(frame(app)).toContain('[1/3]');
    expect(frame(app)).not.toContain('elasticsearch-master-1');
  });

  it('types keys that are bound elsewhere into the prompt instead of running them', async () => {
    const { app, onExit } = await start({ namespace: 'observability' });
    await press(app, '/', 'q', 'j');
    expect(onExit).not.toHaveBeenCalled();
    expect(frame(app)).toContain('/qj');
    await press(app, KEY.escape);
    expect(frame(app)).toContain('[1/5]');
  });
});

describe('command bar', () => {
  it(':helm switches to Helm releases; failed releases read as failed', async () => {
    const { app } = await start({ namespace: 'observability' });
    await press(app, ':', ...'helm', KEY.enter);
    const f = await waitForFrame(app, (x) => x.includes('helm(observability)'));
    expect(f).toMatch(/jaeger +observability +2 failed +jaeger-0\.65\.4/);
  });

  it(':pods observability switches namespace; 0 goes back to all', async () => {
    const { app } = await start();
    await press(app, ':', ...'pods observability', KEY.enter);
    let f = await waitForFrame(app, (x) => x.includes('pods(observability) [1/5]'));
    expect(f).toContain('ns observability');
    await press(app, '0');
    f = frame(app);
    expect(f).toContain('pods(all) [1/6]');
    expect(f).toContain('ns all');
  });

  it('completes with Tab and shows the completion as ghost text', async () => {
    const { app } = await start();
    await press(app, ':', 'e');
    expect(frame(app)).toContain(':events');
    await press(app, KEY.tab, ' ', 'o', 'b');
    expect(frame(app)).toContain(':events observability');
    await press(app, KEY.tab, KEY.enter);
    expect(await waitForFrame(app, (x) => x.includes('events(observability)'))).toContain(
      'events(observability) [1/7]',
    );
  });

  it('explains an unknown command or namespace in one line on the status bar', async () => {
    const { app } = await start();
    await press(app, ':', ...'pdos', KEY.enter);
    expect(lines(frame(app))[22]).toBe('! Unknown command ":pdos": try :pods, :events, :helm, :findings (? lists all)');
    await press(app, ':', ...'pods nope', KEY.enter);
    expect(lines(frame(app))[22]).toBe('! Namespace "nope" not found. :ns lists the namespaces.');
    expect(frame(app)).toContain('pods(all)');
  });

  it(':q and q quit', async () => {
    const { app, onExit } = await start();
    await press(app, ':', 'q', KEY.enter);
    expect(onExit).toHaveBeenCalledTimes(1);
    await press(app, 'q');
    expect(onExit).toHaveBeenCalledTimes(2);
    await press(app, KEY.ctrlC);
    expect(onExit).toHaveBeenCalledTimes(3);
  });
});

describe('navigation', () => {
  it('? lists every key of the current view; esc goes back', async () => {
    const { app } = await start({ namespace: 'observability', rows: 80 });
    await press(app, '?');
    const f = await waitForFrame(app, (x) => x.includes('help(pods)'));
    expect(f).toMatch(/shift-f +Port-forward to the selected pod/);
    expect(f).toMatch(/l +Show the pod's logs/);
    expect(f).toMatch(/x +Fix the selected problem/);
    expect(f).toMatch(/:pods +Show pods \(also :pod :po\); :pods <namespace>/);
    await press(app, KEY.escape);
    expect(frame(app)).toContain('pods(observability)');
  });

  it('enter drills: namespace → its pods, release → its pods, pod → its findings → the whole finding', async () => {
    const { app } = await start({ rows: 40 });
    await press(app, ':', ...'ns', KEY.enter);
    let f = await waitForFrame(app, (x) => x.includes('namespaces [1/3]'));
    expect(f).toMatch(/observability +Active +37h +5 +● 2 critical {2}▲ 1 warning/);
    await press(app, 'G', KEY.enter);
    f = await waitForFrame(app, (x) => x.includes('pods(observability) [1/5]'));
    await press(app, KEY.escape);
    f = await waitForFrame(app, (x) => x.includes('namespaces'));
    expect(f).toContain('ns observability');
    expect(cursorRow(f)).toMatch(/^>observability/);

    await press(app, ':', ...'helm', KEY.enter, 'G', KEY.enter);
    f = await waitForFrame(app, (x) => x.includes('pods(observability) › release jaeger-op'));
    expect(f).toContain('[1/1]');
    expect(cursorRow(f)).toContain('jaeger-op-jaeger');

    await press(app, KEY.enter);
    f = await waitForFrame(app, (x) => x.includes('findings › observability/pod/jaeger-op-jaeger'));
    expect(f).toContain('[1/1]');
    expect(cursorRow(f)).toMatch(/● critical deployment\/jaeger-op-jaeger-operator +Docker Hub pull rate limit/);

    await press(app, KEY.enter);
    f = await waitForFrame(app, (x) => x.includes('finding › observability/deployment/jaeger-op-jaeger-operator'));
    expect(f).toContain('$ kubectl create secret docker-registry regcred');
    await press(app, KEY.escape, KEY.escape, KEY.escape);
    expect(frame(app)).toContain('helm(observability)');
  });

  it("shows a symptom pod's cause chain and lists the root with its symptom", async () => {
    const { app } = await start({ namespace: 'observability', rows: 40 });
    await press(app, 'j', 'j', 'j');
    let f = frame(app);
    expect(cursorRow(f)).toContain('jaeger-collector');
    expect(f).toContain('Why: caused by');
    expect(f).toContain('← ● observability/statefulset/elasticsearch-master: 3 replicas with hard');
    await press(app, KEY.enter);
    f = await waitForFrame(app, (x) => x.includes('findings › observability/pod/jaeger-collector'));
    expect(f).toContain('[1/2]');
    expect(f).toMatch(/>● critical +statefulset\/elasticsearch-master +3 replicas/);
    expect(f).toMatch(/ ▲ warning +└ deployment\/jaeger-collector +Collector crashes/);
  });

  it(':findings lists roots with symptoms folded under them', async () => {
    const { app } = await start({ namespace: 'observability', columns: 180, rows: 40 });
    await press(app, ':', ...'fd', KEY.enter);
    const f = await waitForFrame(app, (x) => x.includes('findings(observability) [1/3]'));
    const rows = lines(f).slice(4, 7);
    expect(rows[0]).toMatch(/^>● critical +workloads\/anti-\S+ +statefulset\/elasticsearch-master +3 replicas/);
    expect(rows[1]).toMatch(/^ ▲ warning +pods\/crashloop +└ deployment\/jaeger-collector +Collector crashes/);
    expect(rows[2]).toMatch(/^ ● critical +pods\/image-pull +deployment\/jaeger-op-jaeger-operator +Docker Hub/);
  });
});

describe('detail views', () => {
  it('d describes the pod with its events; j scrolls; esc goes back', async () => {
    const { app } = await start({ namespace: 'observability' });
    await press(app, 'G', 'd');
    const f = await waitForFrame(app, (x) => x.includes('describe pod/jaeger-op-jaeger-operator-7d7b58d48b-89p9p'));
    expect(f).toContain('Name:             jaeger-op-jaeger-operator-7d7b58d48b-89p9p');
    expect(f).toMatch(/\[1-19\/\d+\]/);
    await press(app, 'G');
    expect(frame(app)).toMatch(/Warning +Failed .*Failed to pull image/);
    await press(app, 'g', 'j');
    expect(frame(app)).toMatch(/\[2-20\/\d+\]/);
    await press(app, KEY.escape);
    expect(frame(app)).toContain('pods(observability)');
  });

  it('y shows YAML; on the events view d and y show the object the event is about', async () => {
    const { app } = await start({ namespace: 'observability' });
    await press(app, 'y');
    let f = await waitForFrame(app, (x) => x.includes('yaml pod/elasticsearch-master-0'));
    expect(f).toContain('apiVersion: v1');
    await press(app, KEY.escape, ':', ...'ev', KEY.enter);
    await waitForFrame(app, (x) => x.includes('events(observability)'));
    await press(app, 'd');
    f = await waitForFrame(app, (x) => x.includes('describe pod/elasticsearch-master-0'));
    expect(f).toContain('Status:           Running');
  });

  it("l streams the failing container's log; p asks for the previous one", async () => {
    const calls: string[] = [];
    let stopped = 0;
    const logs: LogSource = {
      stream(namespace: string, pod: string, container: string, options: LogStreamOptions) {
        calls.push(`${namespace}/${pod}/${container} previous=${options.previous} follow=${options.follow}`);
        const lines = options.previous
          ? ['{"level":"fatal","msg":"Failed to init storage factory","error":"no Elasticsearch node available"}']
          : ['{"level":"info","msg":"Starting jaeger-collector"}'];
        const iterable = (async function* () {
          yield* lines;
        })();
        return Object.assign(iterable, { stop: () => void stopped++ });
      },
    };
    const { app } = await start({ namespace: 'observability', logs });
    await press(app, 'j', 'j', 'j', 'p');
    let f = await waitForFrame(app, (x) => x.includes('— end of log —'));
    expect(f).toContain('logs jaeger-collector-6b7f9c8d5-x2x7k/jaeger-collector (previous)');
    expect(f).toContain('Elasticsearch node available');
    await press(app, KEY.escape, 'l');
    f = await waitForFrame(app, (x) => x.includes('Starting jaeger-collector'));
    expect(calls).toEqual([
      'observability/jaeger-collector-6b7f9c8d5-x2x7k/jaeger-collector previous=true follow=false',
      'observability/jaeger-collector-6b7f9c8d5-x2x7k/jaeger-collector previous=false follow=true',
    ]);
    expect(stopped).toBe(1);
  });

  it('l without a log source says so instead of opening an empty view', async () => {
    const { app } = await start({ namespace: 'observability' });
    await press(app, 'l');
    expect(lines(frame(app))[22]).toBe('! Logs are not available: this kcockpit was started without a log source.');
  });
});

describe('live data', () => {
  it('shows what changed when the background diagnosis publishes new findings', async () => {
    const source = new FixedSource(scenarioSnapshot());
    const diagnosis = new FixedFindings(findings);
    const { app } = await start({ source, findings: diagnosis, namespace: 'observability' });
    expect(frame(app)).toContain('● 2 critical  ▲ 1 warning');

    const fixed = scenarioInput().pods!.filter((p) => !p.metadata.name.startsWith('jaeger-op'));
    const state: ConnectionState = { state: 'live' };
    source.update(new Snapshot({ ...scenarioInput(), pods: fixed, version: 2, takenAt: NOW }), state);
    // The table does not wait for the diagnosis: the new pods first, their findings after.
    let f = await waitForFrame(app, (x) => x.includes('[1/4]'));
    expect(f).toContain('● 2 critical  ▲ 1 warning');
    // Let the repaints the new pods cause settle, so only the new findings can change the header.
    await new Promise((resolve) => setTimeout(resolve, 200));
    diagnosis.publish([esFinding, collectorFinding]);
    f = await waitForFrame(app, (x) => x.includes('● 1 critical  ▲ 1 warning'));
    expect(f).toContain('[1/4]');
  });

  it('says in the header when a list is polled because it may not be watched', async () => {
    const source = new FixedSource(scenarioSnapshot(), { state: 'live' });
    const { app } = await start({ source, columns: 120 });
    expect(frame(app)).toContain('● live');
    source.update(source.current(), { state: 'live', polling: { resources: ['pods'], everyMs: 2000 } });
    expect(await waitForFrame(app, (f) => f.includes('polling pods every 2s (no watch permission)'))).toBeTruthy();
  });

  it('tells a background diagnosis of every key, so it can make way', async () => {
    const state = { version: 1, findings, errors: [], durationMs: 0 };
    const noteInput = vi.fn();
    const { app } = await start({ findings: { current: () => state, subscribe: () => () => undefined, noteInput } });
    await press(app, 'j', 'j', 'k');
    expect(noteInput).toHaveBeenCalledTimes(3);
  });

  it('keeps running and says so when a rule fails', async () => {
    const diagnosis = new FixedFindings([], ['rule pods/crashloop failed: rule exploded']);
    const { app } = await start({ findings: diagnosis });
    expect(lines(frame(app))[22]).toBe('! rule pods/crashloop failed: rule exploded');
    expect(frame(app)).toContain('no problems found');
  });
});

describe('other resource views', () => {
  it(':deploy and :sts list workloads; enter shows their pods', async () => {
    const { app } = await start({ namespace: 'observability', rows: 30 });
    await press(app, ':', ...'deploy', KEY.enter);
    let f = await waitForFrame(app, (x) => x.includes('deployments(observability) [1/2]'));
    expect(f).toMatch(/jaeger-collector +0\/1 +1 +0 +2\dm/);
    await press(app, KEY.enter);
    f = await waitForFrame(app, (x) => x.includes('pods(observability) › deployment/jaeger-collector [1/1]'));
    await press(app, ':', ...'sts', KEY.enter, KEY.enter);
    f = await waitForFrame(app, (x) => x.includes('pods(observability) › statefulset/elasticsearch-master [1/3]'));
    expect(f).toContain('elasticsearch-master-2');
  });

  it(':svc lists services; enter shows the pods behind one', async () => {
    const { app } = await start({ namespace: 'observability' });
    await press(app, ':', ...'svc', KEY.enter);
    const f = await waitForFrame(app, (x) => x.includes('services(observability) [1/1]'));
    expect(f).toMatch(/elasticsearch-master +ClusterIP +10\.96\.120\.14 +9200\/TCP/);
    await press(app, KEY.enter);
    await waitForFrame(app, (x) => x.includes('pods(observability) › service/elasticsearch-master [1/3]'));
  });

  it(':ctx lists contexts with the current one marked; enter and :ctx <name> switch', async () => {
    const switchContext = vi.fn();
    const contexts = [
      { name: 'kind-dev', cluster: 'kind-dev', user: 'kind-dev' },
      { name: 'minikube', cluster: 'minikube', user: 'minikube', namespace: 'default' },
    ];
    const { app } = await start({ contexts, actions: { switchContext } });
    await press(app, ':', ...'ctx', KEY.enter);
    const f = await waitForFrame(app, (x) => x.includes('contexts [1/2]'));
    expect(f).toMatch(/\* +minikube +minikube +minikube +default/);
    await press(app, KEY.enter);
    expect(switchContext).toHaveBeenCalledWith('kind-dev');
    await press(app, ':', ...'ctx nope', KEY.enter);
    expect(lines(frame(app))[22]).toBe('! No context "nope" in the kubeconfig. :ctx lists them.');
  });
});
