// `kcockpit demo` and `kcockpit sim`: the built-in simulated cluster, so kcockpit can be
// tried and tested with no cluster at all.
import { runSim } from '../sim/main.js';
import { listScenarios } from '../sim/scenario.js';
import { CliError } from './errors.js';
import type { GlobalFlags } from './flags.js';
import { runDiagnose } from './diagnose.js';

const DEMO_SCENARIO = 's1-jaeger';

function scenarioArg(name: string | undefined): string {
  const scenario = name ?? DEMO_SCENARIO;
  if (!/^large(:\d+)?$/.test(scenario) && !listScenarios().includes(scenario) && !scenario.includes('/')) {
    throw new CliError(
      `unknown scenario "${scenario}"; built-in scenarios: ${[...listScenarios(), 'large[:N]'].join(', ')}`,
    );
  }
  return scenario;
}

/** `kcockpit demo [diagnose] [scenario]`: the cockpit, or a diagnosis, on the simulated cluster. */
export async function runDemo(args: string[], flags: GlobalFlags): Promise<number> {
  const diagnose = args[0] === 'diagnose';
  const [scenarioName, ...extra] = diagnose ? args.slice(1) : args;
  if (extra.length > 0) throw new CliError(`too many arguments to demo: ${extra.join(' ')}`);
  if (flags.context !== undefined || flags.kubeconfig !== undefined)
    throw new CliError('demo runs against its own simulated cluster; --context and --kubeconfig do not apply');
  // In the cockpit, stderr is under the UI: a simulated controller's hiccup must not scribble on it.
  const sim = await runSim({ scenario: scenarioArg(scenarioName), onControllerError: () => undefined });
  try {
    const scoped: GlobalFlags = { ...flags, kubeconfig: sim.kubeconfigPath, context: 'sim' };
    if (!scoped.namespace && !scoped.allNamespaces) scoped.namespace = sim.scenario.defaultNamespace;
    return await (diagnose ? runDiagnose(scoped) : (await import('./cockpit.js')).runCockpit(scoped));
  } finally {
    await sim.close();
  }
}

export async function runSimCommand(args: string[], flags: GlobalFlags): Promise<number> {
  const [scenarioName, ...extra] = args;
  if (extra.length > 0) throw new CliError(`too many arguments to sim: ${extra.join(' ')}`);
  const options: Parameters<typeof runSim>[0] = { scenario: scenarioArg(scenarioName) };
  if (flags.port !== undefined) options.port = flags.port;
  if (flags.listBytesPerSecond !== undefined) options.listBytesPerSecond = flags.listBytesPerSecond;
  const sim = await runSim(options);
  process.stdout.write(
    [
      `kcockpit sim: serving scenario ${scenarioName ?? DEMO_SCENARIO} at ${sim.url}`,
      `kubeconfig: ${sim.kubeconfigPath}  (contexts: sim, sim-viewer, sim-expired)`,
      `try: export KUBECONFIG=${sim.kubeconfigPath}; kubectl get pods -A`,
      'press Ctrl-C to stop',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    process.once('SIGHUP', stop);
  });
  await sim.close();
  return 0;
}
