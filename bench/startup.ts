// Start-up as a script meets it (issue #10): `kcockpit --version`, and `kcockpit diagnose`
// of one small namespace beside `kubectl get pods` of the same namespace, against the same
// simulated server. Node's own start (`node -e 0`) is shown as the floor every Node program
// pays on this machine.
import { fileURLToPath } from 'node:url';
import { hasKubectl, measureMedian, type RunFigures } from './measure.js';
import type { SimProcess } from './sim-process.js';

const BIN = fileURLToPath(new URL('../../bin/kcockpit.js', import.meta.url));

const row = (name: string, f: RunFigures, note: string) =>
  `  ${name.padEnd(44)} ${(f.wallMs / 1000).toFixed(2).padStart(5)} s  cpu ${(f.cpuMs / 1000).toFixed(2)} s  peak RSS ${f.peakRssMb.toFixed(0).padStart(3)} MB  ${note}`;
const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');

export async function benchStartup(sim: SimProcess, namespace: string, runs: number): Promise<string[]> {
  const env = { ...process.env, KUBECONFIG: sim.kubeconfigPath, NO_COLOR: '1' };
  const node = await measureMedian(runs, process.execPath, ['-e', '0'], env);
  const version = await measureMedian(runs, process.execPath, [BIN, '--version'], env);
  const diagnose = await measureMedian(
    runs,
    process.execPath,
    [BIN, 'diagnose', '-n', namespace, '-o', 'json', '--fail-on', 'never'],
    env,
  );
  if (diagnose.exitCode !== 0)
    throw new Error(`kcockpit diagnose -n ${namespace} failed (${diagnose.exitCode}): ${diagnose.stderr.trim()}`);
  const lines = [
    row('node -e 0 (the floor)', node, ''),
    row('kcockpit --version', version, `target ≤ 0.15 s  ${verdict(version.wallMs <= 150)}`),
  ];
  if (hasKubectl()) {
    const kubectl = await measureMedian(runs, 'kubectl', ['get', 'pods', '-n', namespace, '-o', 'json'], env);
    lines.push(row(`kubectl get pods -n ${namespace} -o json`, kubectl, ''));
    const ratio = diagnose.wallMs / kubectl.wallMs;
    lines.push(
      row(
        `kcockpit diagnose -n ${namespace} -o json`,
        diagnose,
        `= ${ratio.toFixed(1)}× kubectl  target ≤ 3× and ≤ 100 MB  ${verdict(ratio <= 3 && diagnose.peakRssMb <= 100)}`,
      ),
    );
  } else {
    lines.push(
      row(
        `kcockpit diagnose -n ${namespace} -o json`,
        diagnose,
        `(kubectl not installed: no ratio)  target ≤ 100 MB  ${verdict(diagnose.peakRssMb <= 100)}`,
      ),
    );
  }
  return lines;
}
