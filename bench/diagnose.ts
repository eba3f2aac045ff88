// Benchmark for issues #2 and #10: `kcockpit diagnose -A --output json` over 10,000 pods in
// 200 namespaces with 50,000 events, beside three references against the same simulated
// server: a plain GET of /api/v1/pods (the floor: the list itself), `kubectl get pods -A`,
// and `kubectl get pods -A -o json`. Targets: diagnose ≤ 1.3× the plain GET; peak RSS
// ≤ 250 MB. The simulator serves lists several times faster than a real API server, so the
// client's own CPU time per 10,000 pods is shown too: it does not depend on the server.
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

export async function benchDiagnose(
  sim: SimProcess,
  pods: number,
  runs: number,
): Promise<{ rows: Row[]; lines: string[] }> {
  const env = { ...process.env, KUBECONFIG: sim.kubeconfigPath, NO_COLOR: '1' };
  const rows: Row[] = [];
  const get = await measureMedian(
    runs,
    process.execPath,
    ['--input-type=module', '-e', PLAIN_GET, sim.url, sim.token],
    { ...env, NODE_EXTRA_CA_CERTS: sim.caFile },
  );
  if (get.exitCode !== 0) throw new Error(`the plain GET failed: ${get.stderr.trim()}`);
  rows.push({ name: 'plain GET /api/v1/pods', figures: get });
  if (hasKubectl()) {
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
  lines.push(`  diagnose / plain GET      = ${ratio.toFixed(2)}× (target ≤ 1.30×)  ${ratio <= 1.3 ? 'MET' : 'MISSED'}`);
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
