// Benchmark for issues #2 and #10: `kcockpit diagnose -A --output json` over 10,000 pods in
// 200 namespaces with 50,000 events, beside references against the same simulated server: a
// plain GET of /api/v1/pods (the floor: the list itself), the same GET then JSON.parse (the
// least a JSON client does), `kubectl get pods -A`, and `kubectl get pods -A -o json`.
// Targets: diagnose ≤ 1.3× the plain GET; peak RSS ≤ 250 MB. The simulator serves lists
// several times faster than a real API server, so the client's own CPU time per 10,000 pods
// is shown too: it does not depend on the server.
import { fileURLToPath } from 'node:url';
import { hasKubectl, measureMedian, type RunFigures } from './measure.js';
import type { SimProcess } from './sim-process.js';

const BIN = fileURLToPath(new URL('../../bin/kcockpit.js', import.meta.url));

export interface Row {
  name: string;
  figures: RunFigures;
}

/** A separate process that GETs the whole pod list and discards it: what the wire alone costs. */
const PLAIN_GET = `
const [url, token] = process.argv.slice(1);
const res = await fetch(url + '/api/v1/pods', { headers: { authorization: 'Bearer ' + token } });
if (!res.ok) throw new Error('GET /api/v1/pods: HTTP ' + res.status);
let bytes = 0;
for await (const chunk of res.body) bytes += chunk.length;
process.stdout.write(String(bytes));
`;

/**
 * The same GET, then JSON.parse of the list and nothing else: the least a client that reads
 * the pods as JSON does. Where this is above the target, no JSON client meets it.
 */
const GET_AND_PARSE = `
const [url, token] = process.argv.slice(1);
const res = await fetch(url + '/api/v1/pods', { headers: { authorization: 'Bearer ' + token } });
if (!res.ok) throw new Error('GET /api/v1/pods: HTTP ' + res.status);
process.stdout.write(String(JSON.parse(await res.text()).items.length));
`;

/**
 * A note for a ratio to the plain GET that no client could meet: when parsing the list alone
 * (the GET then JSON.parse, less the GET) takes longer than 1.3× the GET, even a client that
 * parsed while the bytes arrived and did nothing else would miss. Empty otherwise.
 */
export function outOfReach(getMs: number, parsedMs: number): string {
  const parse = (parsedMs - getMs) / getMs;
  return parse > 1.3
    ? `  (out of reach of any JSON client here: JSON.parse of the list alone takes ${parse.toFixed(2)}× the GET)`
    : '';
}

export interface BenchDiagnoseOptions {
  /** Also `kubectl get pods -A` (and `-o json`) where kubectl is installed: they take a minute at 10,000 pods. */
  kubectl?: boolean;
}

export async function benchDiagnose(
  sim: SimProcess,
  pods: number,
  runs: number,
  opts: BenchDiagnoseOptions = {},
): Promise<{ rows: Row[]; lines: string[] }> {
  const env = { ...process.env, KUBECONFIG: sim.kubeconfigPath, NO_COLOR: '1' };
  const rows: Row[] = [];
  for (const [name, script] of [
    ['plain GET /api/v1/pods', PLAIN_GET],
    ['GET, then JSON.parse', GET_AND_PARSE],
  ] as const) {
    const figures = await measureMedian(
      runs,
      process.execPath,
      ['--input-type=module', '-e', script, sim.url, sim.token],
      { ...env, NODE_EXTRA_CA_CERTS: sim.caFile },
    );
    if (figures.exitCode !== 0) throw new Error(`${name} failed: ${figures.stderr.trim()}`);
    rows.push({ name, figures });
  }
  if ((opts.kubectl ?? true) && hasKubectl()) {
    rows.push({
      name: 'kubectl get pods -A',
      figures: await measureMedian(runs, 'kubectl', ['get', 'pods', '-A'], env),
    });
    rows.push({
      name: 'kubectl get pods -A -o json',
      figures: await measureMedian(runs, 'kubectl', ['get', 'pods', '-A', '-o', 'json'], env),
    });
  }
  const diagnose = await measureMedian(
    runs,
    process.execPath,
    [BIN, 'diagnose', '-A', '--output', 'json', '--fail-on', 'never'],
    env,
  );
  if (diagnose.exitCode !== 0)
    throw new Error(`kcockpit diagnose failed (${diagnose.exitCode}): ${diagnose.stderr.trim()}`);
  rows.push({ name: 'kcockpit diagnose -A -o json', figures: diagnose });

  const floor = rows[0]!.figures.wallMs;
  const lines = rows.map(
    (r) =>
      `  ${r.name.padEnd(32)} ${(r.figures.wallMs / 1000).toFixed(2).padStart(6)} s  ${(r.figures.wallMs / floor).toFixed(2).padStart(5)}×  cpu ${(r.figures.cpuMs / 1000).toFixed(2).padStart(5)} s  peak RSS ${r.figures.peakRssMb.toFixed(0).padStart(4)} MB`,
  );
  const ratio = diagnose.wallMs / floor;
  lines.push('');
  lines.push(
    `  diagnose / plain GET      = ${ratio.toFixed(2)}× (target ≤ 1.30×)  ${ratio <= 1.3 ? 'MET' : 'MISSED'}${outOfReach(floor, rows[1]!.figures.wallMs)}`,
  );
  lines.push(
    `  diagnose peak RSS         = ${diagnose.peakRssMb.toFixed(0)} MB (target ≤ 250 MB)  ${diagnose.peakRssMb <= 250 ? 'MET' : 'MISSED'}`,
  );
  lines.push(
    `  diagnose CPU per 10,000 pods = ${((diagnose.cpuMs / 1000) * (10_000 / pods)).toFixed(2)} s (the client's own work, start-up included; no target)`,
  );
  for (const name of ['kubectl get pods -A', 'kubectl get pods -A -o json']) {
    const k = rows.find((r) => r.name === name);
    if (k)
      lines.push(
        `  diagnose / ${name.padEnd(27)} = ${(diagnose.wallMs / k.figures.wallMs).toFixed(2)}× (should be < 1)`,
      );
  }
  return { rows, lines };
}
