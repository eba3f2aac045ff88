// `npm run bench`: every benchmark, each printing its figures against the issue's targets.
// It runs the bundle (dist/bench-bundle/, built like the program), and starts the program
// itself (bin/kcockpit.js) wherever a figure is about what a user waits for.
// Sizes can be lowered for a quick look: KCOCKPIT_BENCH_PODS=2000 npm run bench.
import { benchCockpitProcess, hasScript } from './cockpit-process.js';
import { benchDiagnose, type Row } from './diagnose.js';
import { startSimProcess } from './sim-process.js';
import { benchStartup } from './startup.js';
import { benchCockpit } from './cockpit.js';

const pods = Number(process.env['KCOCKPIT_BENCH_PODS'] ?? 10_000);
const runs = Number(process.env['KCOCKPIT_BENCH_RUNS'] ?? 3);
/** A real API server's pace for a big list (issue #10: 74 MB of pods in 1.5–2.5 s). */
const SERVER_MB_PER_S = 40;
/** The issue's own server, at the fast end of that range: 74 MB of pods in 1.53 s. */
const ISSUE_SERVER_MB_PER_S = 48;

async function main(): Promise<void> {
  process.stdout.write(
    `kcockpit bench: simulated cluster of ${pods} pods (scenario large:${pods}), median of ${runs} runs\n\n`,
  );
  const sim = await startSimProcess(`large:${pods}`);
  try {
    const startup = await benchStartup(sim, sim.namespace, runs);
    process.stdout.write(`start-up (issue #10), namespace ${sim.namespace}\n${startup.join('\n')}\n\n`);
    const { rows, lines } = await benchDiagnose(sim, pods, runs);
    process.stdout.write(`diagnose -A (issues #2, #10)\n${lines.join('\n')}\n\n`);
    if (hasScript()) {
      const started = await benchCockpitProcess(sim, pods, runs, references(rows));
      process.stdout.write(
        `cockpit -A as a process (issue #10), ${pods} pods, a 200×62 pseudo-terminal\n${started.join('\n')}\n\n`,
      );
    } else {
      process.stdout.write('cockpit -A as a process: skipped, util-linux `script` is not installed\n\n');
    }
    await benchPacedServer(SERVER_MB_PER_S, 'a server that writes lists as a real one does', true);
    await benchPacedServer(ISSUE_SERVER_MB_PER_S, "a server as fast as the issue's", false);
    // Last: the cockpit built in this process leaves it holding ~500 MB, and V8's work on
    // that heap would share the machine with the processes measured above.
    const cockpit = await benchCockpit(sim, pods);
    process.stdout.write(`cockpit in this process (issue #3), ${pods} pods, terminal 200×62\n${cockpit.join('\n')}\n`);
  } finally {
    await sim.stop();
  }
}

/** What the cockpit's complete list is compared with: the plain GET, and the GET then JSON.parse. */
function references(rows: Row[]): { getMs: number; parsedMs: number } {
  const wall = (name: string) => rows.find((r) => r.name === name)!.figures.wallMs;
  return { getMs: wall('plain GET /api/v1/pods'), parsedMs: wall('GET, then JSON.parse') };
}

/**
 * The simulator serves lists several times faster than a real API server; paging ahead
 * only pays where the server, not the client, is the slow side. `title` names the pace;
 * kubectl's rows (a minute at 10,000 pods) are measured at one pace only.
 */
async function benchPacedServer(mbPerS: number, title: string, kubectl: boolean): Promise<void> {
  const server = await startSimProcess(`large:${pods}`, ['--list-rate', String(mbPerS)]);
  try {
    const { rows, lines } = await benchDiagnose(server, pods, runs, { kubectl });
    process.stdout.write(`diagnose -A against ${title} (lists at ${mbPerS} MB/s)\n${lines.join('\n')}\n`);
    if (hasScript()) {
      const started = await benchCockpitProcess(server, pods, runs, references(rows), false);
      process.stdout.write(`\ncockpit -A as a process, the same server\n${started.join('\n')}\n`);
    }
    process.stdout.write('\n');
  } finally {
    await server.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
