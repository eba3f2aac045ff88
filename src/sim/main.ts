// The simulator as its own process (`kcockpit sim`, `kcockpit demo`, the benchmarks): resolve a
// scenario by name, path or `large[:pods]`, and start the server.
import { generateLargeScenario } from './generate.js';
import { loadScenario, type Scenario } from './scenario.js';
import { startSimServer, type SimServer } from './server.js';
import { startDemoPortBackend } from './portforward.js';

const LARGE = /^large(?::(\d+))?$/;

/** `large` is 10,000 pods in 200 namespaces with 50,000 events; `large:N` scales the same shape to N pods. */
export function resolveScenario(nameOrPath: string, now: number = Date.now()): Scenario {
  const m = LARGE.exec(nameOrPath);
  if (!m) return loadScenario(nameOrPath, now);
  const pods = m[1] ? Number(m[1]) : 10_000;
  return generateLargeScenario({
    pods,
    namespaces: Math.max(1, Math.min(200, Math.round(pods / 50))),
    events: pods * 5,
    seed: 1,
    now,
  });
}

/**
 * The simulator as a program serves: port-forwards reach a small local page for every pod
 * port, so `kcockpit port-forward` and the cockpit's shift-f answer in the demo too.
 */
export async function runSim(args: {
  scenario: string;
  port?: number;
  kubeconfigDir?: string;
  onControllerError?: (e: unknown) => void;
  listBytesPerSecond?: number;
}): Promise<SimServer & { scenario: Scenario }> {
  const scenario = resolveScenario(args.scenario);
  const demo = await startDemoPortBackend();
  const sim = await startSimServer({
    scenario,
    portForwardBackends: demo.backends,
    ...(args.port !== undefined ? { port: args.port } : {}),
    ...(args.kubeconfigDir !== undefined ? { kubeconfigDir: args.kubeconfigDir } : {}),
    ...(args.onControllerError !== undefined ? { onControllerError: args.onControllerError } : {}),
    ...(args.listBytesPerSecond !== undefined ? { listBytesPerSecond: args.listBytesPerSecond } : {}),
  });
  return {
    ...sim,
    scenario,
    async close() {
      await sim.close();
      await demo.close();
    },
  };
}
