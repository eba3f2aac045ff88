// `kcockpit` and `kcockpit demo`: the live, full-screen cockpit. Wires the cluster (LiveStore
// watch loops), the background diagnosis and the log streams to the Ink views, and keeps the
// terminal's manners: alternate screen, restored on every way out.
import { render } from 'ink';
import type { Connection } from '../kube/client.js';
import { KubeError } from '../kube/errors.js';
import { streamLogs } from '../kube/log-stream.js';
import { LiveDiagnosis } from '../diagnose/live.js';
import type { ObjectRef, Rule } from '../diagnose/types.js';
import { LiveStore } from '../store/live.js';
import { createFixBackend } from '../fixes/backend.js';
import { runPlan } from '../fixes/runner.js';
import { deletePodPlan } from '../fixes/actions.js';
import type { Prompter } from '../fixes/types.js';
import { PortForwardManager } from '../portforward/manager.js';
import { App } from '../../views/App.js';
import type { KubeContextInfo } from '../../views/render/contexts.js';
import { detectColorLevel, themeFor } from '../../views/theme.js';
import { CliError } from './errors.js';
import type { GlobalFlags } from './main.js';
import { rulesFor } from './rules.js';
import { openCluster } from './cluster.js';
import { VERSION } from './version.js';
import { FrameWriter } from './frame-writer.js';
import { installInkRowCache } from './ink-row-cache.js';
import { cockpitUnavailableReason, enterFullScreen, type TerminalSession } from './terminal.js';

function contextsOf(conn: Connection): KubeContextInfo[] {
  return conn.kc.getContexts().map((c) => {
    const info: KubeContextInfo = { name: c.name, cluster: c.cluster, user: c.user };
    if (c.namespace) info.namespace = c.namespace;
    return info;
  });
}

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

/** Deleting asks nothing more: the cockpit's own y/n came first, so the runner's confirm is yes. */
const alreadyConfirmed: Prompter = {
  confirm: async () => true,
  secret: async () => {
    throw new Error('no question expected');
  },
  text: async () => {
    throw new Error('no question expected');
  },
  choose: async () => {
    throw new Error('no question expected');
  },
};

/**
 * Ink's render throttle. A frame costs a few milliseconds with the row cache, so the cap
 * only merges bursts: a key pressed right after a repaint waits at most 2 ms, where Ink's
 * default (30 fps) made it wait up to 33 ms. Store updates are coalesced before they get
 * here (src/store/live.ts), so this does not add frames on a busy cluster.
 */
export const COCKPIT_MAX_FPS = 500;

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
  const store = new LiveStore({
    conn,
    ...(scope !== undefined ? { namespace: scope } : {}),
    ...(flags.refreshMs !== undefined ? { pollIntervalMs: flags.refreshMs } : {}),
  });
  const diagnosis = new LiveDiagnosis(store, rules);
  store.start();
  diagnosis.start();
  terminal();
  const screen = new FrameWriter(process.stdout);
  const result: SessionResult = {};
  const forwards = new PortForwardManager(conn);
  const fixes = createFixBackend(conn, { readonly: flags.readonly, startPortForward: (req) => forwards.start(req) });
  // ctrl-d: the cockpit has asked y/n already; the runner still dry-runs, refuses under
  // --readonly and writes the audit line.
  const deleteObject = async (ref: ObjectRef) => {
    const outcome = await runPlan(conn, deletePodPlan(ref), {
      readonly: flags.readonly,
      dryRun: false,
      yes: true,
      prompter: alreadyConfirmed,
    });
    if (outcome.result !== 'applied') throw new Error(outcome.summary);
  };
  const colorLevel = detectColorLevel({
    env: process.env,
    isTTY: process.stdout.isTTY === true,
    ...(flags.color !== undefined ? { flag: flags.color } : {}),
  });
  const ink = render(
    <App
      source={store}
      findings={diagnosis}
      version={VERSION}
      context={{ name: conn.contextName, cluster: conn.clusterName, user: conn.userName }}
      namespace={flags.allNamespaces ? undefined : (scope ?? info.namespace ?? conn.namespace)}
      readonly={flags.readonly}
      onExit={() => ink.unmount()}
      logs={{ stream: (ns, pod, container, o) => streamLogs(conn, ns, pod, container, o) }}
      contexts={contextsOf(conn)}
      fixes={fixes}
      forwards={forwards}
      actions={{
        delete: deleteObject,
        switchContext: (name) => {
          result.nextContext = name;
          ink.unmount();
        },
      }}
      theme={themeFor(colorLevel)}
    />,
    // Ink writes whole frames; the FrameWriter sends the terminal only the lines that changed.
    { exitOnCtrlC: false, stdout: screen as unknown as NodeJS.WriteStream, maxFps: COCKPIT_MAX_FPS },
  );
  try {
    await ink.waitUntilExit();
  } finally {
    await forwards.stopAll();
    screen.dispose();
    diagnosis.stop();
    store.stop();
    conn.close();
  }
  return result;
}

export async function runCockpit(flags: GlobalFlags): Promise<number> {
  const reason = cockpitUnavailableReason(process.stdout, process.stdin, process.env);
  if (reason) throw new CliError(reason);
  const rules = await rulesFor(flags, (line) => process.stderr.write(`kcockpit: warning: ${line}\n`));
  await installInkRowCache();
  let session: TerminalSession | undefined;
  // Enter the alternate screen only once the cluster answered: a bad kubeconfig or a dead
  // server is one line in the normal terminal, not a flash of an empty cockpit.
  const terminal = () => (session ??= enterFullScreen(process.stdout, process.stdin));
  let current: GlobalFlags = flags;
  try {
    for (;;) {
      const { nextContext } = await runOnce(current, rules, terminal);
      if (!nextContext) return 0;
      current = { ...current, context: nextContext, namespace: undefined, allNamespaces: false };
    }
  } finally {
    session?.restore();
  }
}
