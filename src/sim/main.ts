// The simulator as its own process (`kcockpit sim`, `kcockpit demo`, the benchmarks): resolve a
// scenario by name, path or `large[:pods]`, and start the server.
import { generateLargeScenario } from './generate.js';
import { loadScenario, type Scenario } from './scenario.js';
import { startSimServer, type SimServer } from './server.js';

const LARGE = /^large(?::(\d+))?$/;

/** `large` is 10,000 pods in 200 namespaces with 50,000 events; `large:N` scales the same shape to N pods. */
export function resolveScenario(nameOrPath: string, now: number = Date.now()): Scenario {
  const m = LARGE.exec(nameOrPath);
  if (!m) return loadScenario(nameOrPath, now);
  const pods = m[1] ? Number(m[1]) : 10_000;
  return generateLargeScenario({ pods, namespaces: Math.max(1, Math.min(200, Math.round(pods / 50))), events: pods * 5, seed: 1, now });
}

export function runSim(args: { scenario: string; port?: number; kubeconfigDir?: string }): Promise<SimServer> {
  return startSimServer({
    scenario: resolveScenario(args.scenario),
    ...(args.port !== undefined ? { port: args.port } : {}),
    ...(args.kubeconfigDir !== undefined ? { kubeconfigDir: args.kubeconfigDir } : {}),
  });
}
