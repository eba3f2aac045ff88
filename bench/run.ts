// `npm run bench`: every benchmark, each printing its figures against the targets.
// Sizes can be lowered for a quick look: KCOCKPIT_BENCH_PODS=2000 npm run bench.
import { benchDiagnose } from './diagnose.js';
import { startSimProcess } from './sim-process.js';
import { registerWidthCache } from '../src/cli/width-cache/register.js';

// As bin/kcockpit.js does, before Ink is loaded (the cockpit bench imports it).
registerWidthCache();
const { benchCockpit } = await import('./cockpit.js');

const pods = Number(process.env['KCOCKPIT_BENCH_PODS'] ?? 10_000);
const runs = Number(process.env['KCOCKPIT_BENCH_RUNS'] ?? 3);

async function main(): Promise<void> {
  process.stdout.write(
    `kcockpit bench: simulated cluster of ${pods} pods (scenario large:${pods}), median of ${runs} runs\n\n`,
  );
  const sim = await startSimProcess(`large:${pods}`);
  try {
    const { rows, lines } = await benchDiagnose(sim, runs);
    process.stdout.write(`diagnose (issue #2)\n${lines.join('\n')}\n\n`);
    const floor = rows.find((r) => r.name.startsWith('plain GET'))?.figures.wallMs;
    const cockpit = await benchCockpit(sim, pods, floor);
    process.stdout.write(`cockpit (issue #3), ${pods} pods, terminal 200×62\n${cockpit.join('\n')}\n`);
  } finally {
    await sim.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
