// Process measurement for benchmarks: wall time, CPU time and peak RSS of a child process,
// read from /proc (VmHWM is the kernel's own high-water mark, so polling only has to catch
// the end; a reaped child's CPU time is added to this process's cutime and cstime).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface RunFigures {
  wallMs: number;
  /** User + system CPU time of the child (10 ms resolution). */
  cpuMs: number;
  peakRssMb: number;
  exitCode: number | null;
  stdoutBytes: number;
  stderr: string;
}

export function readHwmKb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** CPU time of this process's reaped children so far, in ms (fields 16 and 17 of /proc/self/stat, in 1/100 s). */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

export function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<RunFigures> {
  return new Promise((resolve, reject) => {
    const cpuBefore = childrenCpuMs();
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let peakKb = 0;
    let stdoutBytes = 0;
    let stderr = '';
    const poll = setInterval(() => {
      if (child.pid) peakKb = Math.max(peakKb, readHwmKb(child.pid));
    }, 5);
    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (child.pid) peakKb = Math.max(peakKb, readHwmKb(child.pid));
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4000) stderr += chunk.toString('utf8');
    });
    child.on('error', (err) => {
      clearInterval(poll);
      reject(err);
    });
    child.on('exit', (code) => {
      clearInterval(poll);
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      // 'exit' comes after libuv has reaped the child: its CPU time is counted by now.
      resolve({
        wallMs,
        cpuMs: childrenCpuMs() - cpuBefore,
        peakRssMb: peakKb / 1024,
        exitCode: code,
        stdoutBytes,
        stderr,
      });
    });
  });
}

export function hasKubectl(): boolean {
  return spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export async function measureMedian(
  runs: number,
  cmd: string,
  args: string[],
  env?: NodeJS.ProcessEnv,
): Promise<RunFigures & { runs: RunFigures[] }> {
  const all: RunFigures[] = [];
  for (let i = 0; i < runs; i++) all.push(await measure(cmd, args, env));
  const wall = median(all.map((r) => r.wallMs));
  const byWall = all.find((r) => r.wallMs === wall) ?? all[0]!;
  return {
    ...byWall,
    wallMs: wall,
    cpuMs: median(all.map((r) => r.cpuMs)),
    peakRssMb: Math.max(...all.map((r) => r.peakRssMb)),
    runs: all,
  };
}
