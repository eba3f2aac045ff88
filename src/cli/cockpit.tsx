// `kcockpit` and `kcockpit demo`: the live, full-screen cockpit (cockpit-session.tsx) on the
// user's terminal, with the terminal's manners: alternate screen, restored on every way out;
// `:ctx` closes the session and opens one on the chosen context.
import type { Connection } from '../kube/client.js';
import { KubeError } from '../kube/errors.js';
import type { Rule } from '../diagnose/types.js';
import { detectColorLevel, themeFor } from '../../views/theme.js';
import { CliError } from './errors.js';
import type { GlobalFlags } from './flags.js';
import { rulesFor } from './rules.js';
import { openCluster } from './cluster.js';
import { startCockpit } from './cockpit-session.js';
import { debugLines } from './debug.js';
import { speedupsAtEnd, speedupsAtStart } from './speedups.js';
import { cockpitUnavailableReason, enterFullScreen, type TerminalSession } from './terminal.js';

/**
 * Watch every namespace when the user may list pods cluster-wide, so `0` and `:pods <ns>`
 * switch instantly, as in k9s; a user allowed into one namespace watches that one.
 */
async function watchScope(conn: Connection): Promise<string | undefined> {
  try {
    await conn.getJson('/api/v1/pods', { limit: 1 }, { action: 'list pods' });
    return undefined;
  } catch (err) {
    if (err instanceof KubeError && err.kind === 'forbidden') return conn.namespace;
    throw err;
  }
}

interface SessionResult {
  /** The context to switch to, when the user chose one with `:ctx`. */
  nextContext?: string;
}

async function runOnce(
  flags: GlobalFlags,
  rules: readonly Rule[],
  terminal: () => TerminalSession,
): Promise<SessionResult> {
  const info = openCluster(flags);
  const { conn } = info;
  const scope = await watchScope(conn);
  const result: SessionResult = {};
  const colorLevel = detectColorLevel({
    env: process.env,
    isTTY: process.stdout.isTTY === true,
    ...(flags.color !== undefined ? { flag: flags.color } : {}),
  });
  const cockpit = await startCockpit({
    conn,
    rules,
    watchNamespace: scope,
    namespace: flags.allNamespaces ? undefined : (scope ?? info.namespace ?? conn.namespace),
    readonly: flags.readonly,
    ...(flags.refreshMs !== undefined ? { pollIntervalMs: flags.refreshMs } : {}),
    theme: themeFor(colorLevel),
    terminal: process.stdout,
    onSwitchContext: (name) => (result.nextContext = name),
    beforeFirstFrame: terminal,
    suspendTerminal: (run) => terminal().suspend(run),
    ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}),
  });
  try {
    await cockpit.waitUntilExit();
  } finally {
    await cockpit.close();
  }
  return result;
}

export async function runCockpit(flags: GlobalFlags): Promise<number> {
  const reason = cockpitUnavailableReason(process.stdout, process.stdin, process.env);
  if (reason) throw new CliError(reason);
  const rules = await rulesFor(flags, (line) => process.stderr.write(`kcockpit: warning: ${line}\n`));
  let session: TerminalSession | undefined;
  // Enter the alternate screen only once the cluster answered: a bad kubeconfig or a dead
  // server is one line in the normal terminal, not a flash of an empty cockpit.
  const terminal = () => {
    if (session) return session;
    debugLines(speedupsAtStart());
    return (session = enterFullScreen(process.stdout, process.stdin));
  };
  let current: GlobalFlags = flags;
  try {
    for (;;) {
      const { nextContext } = await runOnce(current, rules, terminal);
      if (!nextContext) return 0;
      current = { ...current, context: nextContext, namespace: undefined, allNamespaces: false };
    }
  } finally {
    session?.restore();
    debugLines(speedupsAtEnd());
  }
}
