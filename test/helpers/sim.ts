import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { loadScenario } from '../../src/sim/scenario.js';

/** Start the simulated API server on a free loopback port with a built-in scenario. */
export function startSim(scenario: string): Promise<SimServer> {
  return startSimServer({ scenario: loadScenario(scenario), port: 0 });
}
