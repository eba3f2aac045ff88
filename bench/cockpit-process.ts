// The cockpit as a user meets it: `kcockpit -A` started as a process in a pseudo-terminal
// (util-linux `script`), 200×62, against the simulator. Timed from the process's start (the
// kernel's own start time of its pid) to the first table row and to the complete pod list,
// read from the bytes it writes to the terminal; its peak RSS after 15 s live is the
// kernel's high-water mark.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { outOfReach } from './diagnose.js';
import { median, readHwmKb } from './measure.js';
import type { SimProcess } from './sim-process.js';

const BIN = fileURLToPath(new URL('../../bin/kcockpit.js', import.meta.url));
const COLUMNS = 200;
const ROWS = 62;
/** The kernel counts process times in these (USER_HZ; 100 on Linux). */
const TICKS_PER_SECOND = 100;

export interface CockpitRun {
  firstRowMs: number;
  /** The process's CPU time (user + system) when the first row was on screen. */
  firstRowCpuMs: number;
  completeMs: number;
  /** Peak RSS after `liveMs` with the list complete; undefined when not asked for. */
  peakRssMb: number | undefined;
}

export function hasScript(): boolean {
  return spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Fields of /proc/<pid>/stat from the third on (the command name may hold spaces). */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** How long ago the process started (field 22, starttime), from /proc (10 ms resolution). */
function ageMs(pid: number): number {
  const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  return (uptime - Number(statFields(pid)[19]) / TICKS_PER_SECOND) * 1000;
}

/** The process's own CPU time so far (fields 14 and 15, utime and stime). */
function cpuMs(pid: number): number {
  const fields = statFields(pid);
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001b(\[[0-9;?]*[A-Za-z]|[()][A-Za-z0-9]|[=>78])/g;

export async function runCockpitProcess(sim: SimProcess, totalPods: number, liveMs: number): Promise<CockpitRun> {
  const dir = mkdtempSync(join(tmpdir(), 'kcockpit-bench-'));
  const pidFile = join(dir, 'pid');
  // The shell's pid is the cockpit's: it records it, sizes the terminal, then execs node.
  const command = `echo $$ > '${pidFile}'; stty cols ${COLUMNS} rows ${ROWS}; exec '${process.execPath}' '${BIN}' -A`;
  const env: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: sim.kubeconfigPath, TERM: 'xterm-256color' };
  delete env['CI']; // Ink draws nothing interactive when CI is set at all.
  const child = spawn('script', ['-qfec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let pid: number | undefined;
  const cockpitPid = () => (pid ??= Number(readFileSync(pidFile, 'utf8').trim()) || undefined);
  let screen = '';
  let firstRowMs: number | undefined;
  let firstRowCpuMs = 0;
  let completeMs: number | undefined;
  const done = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      screen = (screen + chunk.toString('utf8')).slice(-16_384);
      const shown = [...screen.replace(ESCAPES, '').matchAll(/pods\(all\) \[\d+\/(\d+)\]/g)].at(-1);
      const total = Number(shown?.[1] ?? 0);
      if (total === 0) return;
      if (firstRowMs === undefined) {
        firstRowMs = ageMs(cockpitPid()!);
        firstRowCpuMs = cpuMs(cockpitPid()!);
      }
      if (total >= totalPods && completeMs === undefined) {
        completeMs = ageMs(cockpitPid()!);
        resolve();
      }
    });
    // After the list was complete this changes nothing: the promise is settled.
    child.on('exit', (code) =>
      reject(
        new Error(
          `the cockpit exited (${code}) before the list was complete: ${screen.replace(ESCAPES, ' ').slice(-300)}`,
        ),
      ),
    );
  });
  const timeout = setTimeout(() => child.kill('SIGKILL'), 180_000);
  try {
    await done;
    let peakRssMb: number | undefined;
    if (liveMs > 0) {
      await new Promise((r) => setTimeout(r, liveMs));
      peakRssMb = readHwmKb(cockpitPid()!) / 1024;
    }
    const exited = new Promise((r) => child.once('exit', r));
    child.stdin.write('q');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    return { firstRowMs: firstRowMs!, firstRowCpuMs, completeMs: completeMs!, peakRssMb };
  } finally {
    clearTimeout(timeout);
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `runs` starts; with `peakRss`, the last one stays live for 15 s for its peak RSS. */
export async function benchCockpitProcess(
  sim: SimProcess,
  totalPods: number,
  runs: number,
  /** The plain GET of the pod list; the same GET then JSON.parse, the least a client that reads the pods as JSON waits. */
  reference: { getMs: number; parsedMs: number },
  peakRss = true,
): Promise<string[]> {
  const { getMs: floorMs, parsedMs } = reference;
  const all: CockpitRun[] = [];
  for (let i = 0; i < runs; i++)
    all.push(await runCockpitProcess(sim, totalPods, peakRss && i === runs - 1 ? 15_000 : 0));
  const first = median(all.map((r) => r.firstRowMs));
  const complete = median(all.map((r) => r.completeMs));
  const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');
  const each = (f: (r: CockpitRun) => number) => all.map((r) => f(r).toFixed(0)).join(', ');
  const lines = [
    `  first table row                ${`${first.toFixed(0)} ms`.padStart(9)}  from process start (runs: ${each((r) => r.firstRowMs)} ms; cpu ${each((r) => r.firstRowCpuMs)} ms)  target ≤ 500 ms  ${verdict(first <= 500)}`,
    `  complete pod list              ${`${complete.toFixed(0)} ms`.padStart(9)}  = ${(complete / floorMs).toFixed(2)}× the plain GET (runs: ${each((r) => r.completeMs)} ms)  target ≤ 1.30×  ${verdict(complete / floorMs <= 1.3)}${outOfReach(floorMs, parsedMs)}`,
  ];
  const rss = all.at(-1)!.peakRssMb;
  if (rss !== undefined)
    lines.push(
      `  peak RSS after 15 s live       ${`${rss.toFixed(0)} MB`.padStart(9)}  target ≤ 250 MB  ${verdict(rss <= 250)}`,
    );
  return lines;
}
