// Benchmark for issue #3: the live cockpit over 10,000 pods / 50,000 events, driven by keys
// and by pod updates. The cockpit the program ships (startCockpit, with the row cache, and
// the string-width cache since this bench is bundled like the program) runs in this process
// against the simulator (its own process); the "terminal" is a fake one that timestamps and
// counts what it gets. Start-up, first row and memory as a user meets them are measured on
// the real process (cockpit-process.ts).
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { connect } from '../src/kube/client.js';
import { startCockpit } from '../src/cli/cockpit-session.js';
import { speedupsAtEnd, speedupsAtStart } from '../src/cli/speedups.js';
import { capYoungGeneration } from '../src/cli/young-generation.js';
import { builtinRules } from '../plugins/index.js';
import { themeFor } from '../views/theme.js';
import type { Pod } from '../src/model/k8s.js';
import { median } from './measure.js';
import type { SimProcess } from './sim-process.js';

const COLUMNS = 200;
const ROWS = 62;

class FakeTerminal extends EventEmitter {
  readonly columns = COLUMNS;
  readonly rows = ROWS;
  private waiters: (() => void)[] = [];
  write(): boolean {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
    return true;
  }
  /** Resolves at the next write. */
  next(): Promise<void> {
    return new Promise((r) => this.waiters.push(r));
  }
}

class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read(): string | null {
    const d = this.data;
    this.data = null;
    return d;
  }
  type(s: string): void {
    this.data = s;
    this.emit('readable');
    this.emit('data', s);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

/** PATCH a pod's status through the API, as a kubelet would. */
function patcher(sim: SimProcess) {
  const agent = new https.Agent({ keepAlive: true, ca: readFileSync(sim.caFile), maxSockets: 16 });
  return (pod: Pod, reason: string) =>
    new Promise<void>((resolve, reject) => {
      const statuses = (pod.status?.containerStatuses ?? []).map((c, i) =>
        i === 0 ? { ...c, ready: false, state: { waiting: { reason, message: 'bench' } } } : c,
      );
      const body = JSON.stringify({ status: { containerStatuses: statuses } });
      const req = https.request(
        `${sim.url}/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/status`,
        {
          method: 'PATCH',
          agent,
          headers: { authorization: `Bearer ${sim.token}`, 'content-type': 'application/merge-patch+json' },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 200
              ? resolve()
              : reject(new Error(`PATCH ${pod.metadata.name}: HTTP ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

export async function benchCockpit(sim: SimProcess, totalPods: number): Promise<string[]> {
  let peakRss = 0;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const term = new FakeTerminal();
  const stdin = new FakeStdin();

  // As `kcockpit` does when it opens a cluster (src/cli/cluster.ts): keys are timed with the same young generation.
  capYoungGeneration();
  const conn = connect({ kubeconfig: sim.kubeconfigPath, context: 'sim' });
  let speedups: string[] = [];
  const cockpit = await startCockpit({
    conn,
    rules: builtinRules,
    watchNamespace: undefined,
    namespace: undefined,
    readonly: true,
    theme: themeFor('256'),
    terminal: term,
    stdin: stdin as unknown as NodeJS.ReadStream,
    beforeFirstFrame: () => (speedups = speedupsAtStart()),
  });
  const { store, diagnosis, screen } = cockpit;
  const frameText = () =>
    screen
      .lines()
      .join('\n')
      .replace(/\u001b\[[0-9;]*m/g, '');
  const shownTotal = () => Number(/pods\(all\) \[\d+\/(\d+)\]/.exec(frameText())?.[1] ?? 0);

  await until(() => shownTotal() >= totalPods, 120_000, 'the full pod table');
  await until(() => diagnosis.current().version >= 0, 60_000, 'the first diagnosis');
  await sleep(1500);

  // A single pod update: the first row's pod changes status; time until it is on screen.
  const patch = patcher(sim);
  const firstRowPod = (): Pod => {
    const line =
      frameText()
        .split('\n')
        .find((l) => /^>/.test(l)) ?? '';
    const name = line
      .slice(1)
      .trim()
      .split(/\s+/)
      .find((t) => store.current().pods.some((p) => p.metadata.name === t));
    const pod = store.current().pods.find((p) => p.metadata.name === name);
    if (!pod) throw new Error(`cannot find the selected pod on screen: ${line}`);
    return pod;
  };
  const updateLatency: number[] = [];
  const updateBytes: number[] = [];
  for (let i = 0; i < 10; i++) {
    const pod = firstRowPod();
    const reason = `Bench${i}x`;
    const before = screen.bytesWritten;
    const sent = performance.now();
    await patch(pod, reason);
    await until(() => frameText().includes(reason), 10_000, `pod update ${i} on screen`);
    updateLatency.push(performance.now() - sent);
    await sleep(300);
    updateBytes.push(screen.bytesWritten - before);
  }

  // Keys: j pressed 200 times, each after the previous repaint.
  const keyLatency: number[] = [];
  const keyBytes: number[] = [];
  for (let i = 0; i < 200; i++) {
    const painted = term.next();
    const sent = performance.now();
    const bytesBefore = screen.bytesWritten;
    stdin.type(i % 50 === 49 ? 'g' : 'j');
    await Promise.race([painted, sleep(1000)]);
    keyLatency.push(performance.now() - sent);
    keyBytes.push(screen.bytesWritten - bytesBefore);
  }
  stdin.type('g');
  await sleep(300);

  // Filtering: `/`, then a namespace typed and erased again, ten times; every key refilters
  // the 10,000 rows.
  const pressAndPaint = async (key: string): Promise<number> => {
    const painted = term.next();
    const sent = performance.now();
    stdin.type(key);
    await Promise.race([painted, sleep(1000)]);
    return performance.now() - sent;
  };
  await pressAndPaint('/');
  const filterLatency: number[] = [];
  const typed = 'ads-00';
  for (let round = 0; round < 10; round++) {
    for (const ch of typed) filterLatency.push(await pressAndPaint(ch));
    for (let i = 0; i < typed.length; i++) filterLatency.push(await pressAndPaint('\u007f'));
  }
  stdin.type('\u001b');
  await sleep(300);

  // 200 pod updates a second for 10 s; once a second the first row's pod changes too, and
  // the time until that change is on screen is the lag. It must not grow.
  // The churn never touches the marker pod: its own update would hide the marker.
  const markerName = firstRowPod().metadata.name;
  const pods = store
    .current()
    .pods.filter((p) => p.metadata.name !== markerName)
    .slice(0, 2000);
  const lag: number[] = [];
  let failures = 0;
  for (let second = 0; second < 10; second++) {
    const start = performance.now();
    const marker = `Churn${second}y`;
    const markerPod = firstRowPod();
    const sent = performance.now();
    void patch(markerPod, marker).catch(() => failures++);
    const seen = until(() => frameText().includes(marker), 10_000, `churn marker ${second}`).then(
      () => lag.push(performance.now() - sent),
      () => lag.push(Number.POSITIVE_INFINITY),
    );
    for (let k = 0; k < 20; k++) {
      for (let j = 0; j < 10; j++)
        void patch(pods[(second * 200 + k * 10 + j) % pods.length]!, `Churn${(k + j) % 3}`).catch(() => failures++);
      await sleep(Math.max(0, start + (k + 1) * 50 - performance.now()));
    }
    await seen;
  }

  // What is really kept, as opposed to garbage V8 has not collected yet (node --expose-gc).
  const gc = (globalThis as { gc?: () => void }).gc;
  let retainedMb: number | undefined;
  if (gc) {
    gc();
    retainedMb = process.memoryUsage().heapUsed / 1048576;
  }
  cockpit.unmount();
  await cockpit.close();
  clearInterval(rssTimer);

  const ms = (x: number) => `${x.toFixed(0)} ms`;
  const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');
  const lines = [
    ...[...speedups, ...speedupsAtEnd()].map((l) => `  ${l}`),
    `  one pod update on screen       ${ms(median(updateLatency)).padStart(9)} median, ${ms(Math.max(...updateLatency))} max  target ≤ 100 ms  ${verdict(median(updateLatency) <= 100)}`,
    `  bytes for a one-row change     ${`${median(updateBytes).toFixed(0)} B`.padStart(9)} median  target < 2048 B  ${verdict(median(updateBytes) < 2048)}`,
    `  keypress to repaint (j)        ${`${p95(keyLatency).toFixed(1)} ms`.padStart(9)} p95 (median ${median(keyLatency).toFixed(1)} ms)  target < 16 ms  ${verdict(p95(keyLatency) < 16)}`,
    `  bytes per j (scrolling too)    ${`${median(keyBytes).toFixed(0)} B`.padStart(9)} median, ${Math.max(...keyBytes)} B max  (no target; for slow links)`,
    `  keypress to repaint (/ filter) ${`${p95(filterLatency).toFixed(1)} ms`.padStart(9)} p95 (median ${median(filterLatency).toFixed(1)} ms)  target < 16 ms  ${verdict(p95(filterLatency) < 16)}`,
    `  lag under 200 updates/s        ${lag.map((l) => (Number.isFinite(l) ? l.toFixed(0) : '>10000')).join(' ')} ms (s 1..10)  ${failures ? `${failures} patches failed  ` : ''}target: no growth  ${verdict(lag.length === 10 && lag.every(Number.isFinite) && lag.at(-1)! <= Math.max(250, 2 * lag[0]!))}`,
    `  peak RSS, this process         ${`${(peakRss / 1048576).toFixed(0)} MB`.padStart(9)}  (the bench's own work too; the cockpit process's is above)` +
      (retainedMb !== undefined ? `  heap kept after a full GC: ${retainedMb.toFixed(0)} MB` : ''),
  ];
  return lines;
}
