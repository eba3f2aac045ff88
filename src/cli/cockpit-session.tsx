// One cockpit on one connection: the LiveStore's watch loops, the background diagnosis, the
// fix runner, port-forwards and log streams wired to the Ink views, rendered through the
// FrameWriter with Ink's row cache. `kcockpit` (cockpit.tsx) and the benchmark
// (bench/cockpit.tsx) both start it here, so the bench measures what ships.
import type { Connection } from '../kube/client.js';
import { streamLogs } from '../kube/log-stream.js';
import { getObject } from '../kube/resource-table.js';
import { LiveResourceTable, tablePolling } from '../store/resource-table.js';
import { LiveDiagnosis } from '../diagnose/live.js';
import type { ObjectRef, Rule } from '../diagnose/types.js';
import { LiveStore } from '../store/live.js';
import { createFixBackend } from '../fixes/backend.js';
import { runPlan } from '../fixes/runner.js';
import { deletePodPlan } from '../fixes/actions.js';
import type { Prompter } from '../fixes/types.js';
import { PortForwardManager } from '../portforward/manager.js';
import type { KubeContextInfo } from '../../views/render/contexts.js';
import type { Theme } from '../../views/theme.js';
import { FrameWriter, type Terminal } from './frame-writer.js';
import { installInkRowCache } from './ink-row-cache.js';
import { collectOnceWhen, collectWhileLoading } from './collect-garbage.js';
import { VERSION } from './version.js';
import { createEditor, createTerminal, type Suspend } from './cockpit-actions.js';
import { lendInput } from './stdin-handover.js';

/**
 * Ink's render throttle. A frame costs a few milliseconds with the row cache, so the cap
 * only merges bursts: a key pressed right after a repaint waits at most 2 ms, where Ink's
 * default (30 fps) made it wait up to 33 ms. Store updates are coalesced before they get
 * here (src/store/live.ts), so this does not add frames on a busy cluster.
 */

export const COCKPIT_MAX_FPS = 500;

export interface CockpitOptions {
  conn: Connection;
  rules: readonly Rule[];
  /** The namespace whose objects are watched; undefined: every namespace. */
  watchNamespace: string | undefined;
  /** The namespace shown first; undefined: all namespaces. */
  namespace: string | undefined;
  readonly: boolean;
  /** --refresh: the poll interval of lists the user may list but not watch. */
  pollIntervalMs?: number;
  theme: Theme;
  /** Where frames go (a TTY, or the bench's counting terminal). */
  terminal: Terminal;
  /** Keys; default process.stdin. */
  stdin?: NodeJS.ReadStream;
  /** `:ctx <name>`: the caller closes this cockpit and opens one on that context. */
  onSwitchContext?: (name: string) => void;
  /** Called once the views are loaded, just before the first frame (e.g. to enter the full screen). */
  beforeFirstFrame?: () => void;
  /** Hands the terminal to a child program (cockpit.tsx: leaves the alternate screen); without it `e`, `s` and `a` are not offered. */
  suspendTerminal?: Suspend;
  /** `--kubeconfig`, passed on to kubectl for a shell. */
  kubeconfig?: string;
}

export interface Cockpit {
  store: LiveStore;
  diagnosis: LiveDiagnosis;
  screen: FrameWriter;
  /** Close the views (what `q` does). */
  unmount(): void;
  /** Resolves when the views have closed (`q`, `:q`, unmount). */
  waitUntilExit(): Promise<void>;
  /** Stop forwards, watches and the diagnosis; close the connection. */
  close(): Promise<void>;
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

function contextsOf(conn: Connection): KubeContextInfo[] {
  return conn.kc.getContexts().map((c) => {
    const info: KubeContextInfo = { name: c.name, cluster: c.cluster, user: c.user };
    if (c.namespace) info.namespace = c.namespace;
    return info;
  });
}

/**
 * Starts the watches first, then loads the views: Ink, React and Yoga's WebAssembly (about
 * 0.15 s of start-up, decisions/0011) load while the first pages are on their way.
 */
export async function startCockpit(o: CockpitOptions): Promise<Cockpit> {
  const { conn } = o;
  const store = new LiveStore({
    conn,
    ...(o.watchNamespace !== undefined ? { namespace: o.watchNamespace } : {}),
    ...(o.pollIntervalMs !== undefined ? { pollIntervalMs: o.pollIntervalMs } : {}),
  });
  const diagnosis = new LiveDiagnosis(store, o.rules);
  store.start();
  diagnosis.start();
  const settled = [
    // After the pod list: collecting while it loads would delay the table.
    collectWhileLoading(store, () => {
      const c = store.connection();
      if (c.state !== 'connecting') return 'loaded';
      return c.podsListed ? 'loading' : 'before';
    }),
    collectOnceWhen(store, () => store.connection().state === 'live'),
    collectOnceWhen(diagnosis, () => diagnosis.current().version >= 0),
  ];
  const screen = new FrameWriter(o.terminal);
  const stdin = o.stdin ?? process.stdin;
  // $EDITOR and a container's terminal get the whole terminal: Ink's frames wait, keys go to them.
  const suspend: Suspend | undefined = o.suspendTerminal
    ? async (run) => {
        const input = await lendInput(stdin);
        screen.hold();
        try {
          return await o.suspendTerminal!(run);
        } finally {
          input.restore();
          screen.release();
        }
      }
    : undefined;
  const openTerminal = suspend ? createTerminal(conn, o.kubeconfig, suspend) : undefined;
  const forwards = new PortForwardManager(conn);
  const fixes = createFixBackend(conn, { readonly: o.readonly, startPortForward: (req) => forwards.start(req) });
  // ctrl-d: the cockpit has asked y/n already; the runner still dry-runs, refuses under
  // --readonly and writes the audit line.
  const deleteObject = async (ref: ObjectRef) => {
    const outcome = await runPlan(conn, deletePodPlan(ref), {
      readonly: o.readonly,
      dryRun: false,
      yes: true,
      prompter: alreadyConfirmed,
    });
    if (outcome.result !== 'applied') throw new Error(outcome.summary);
  };
  const close = async () => {
    await forwards.stopAll();
    screen.dispose();
    for (const stop of settled) stop();
    diagnosis.stop();
    store.stop();
    conn.close();
  };
  let views: [typeof import('ink'), typeof import('../../views/App.js'), boolean];
  try {
    views = await Promise.all([import('ink'), import('../../views/App.js'), installInkRowCache()]);
  } catch (err) {
    await close();
    throw err;
  }
  const [{ render }, { App }] = views;
  o.beforeFirstFrame?.();
  const ink = render(
    <App
      source={store}
      findings={diagnosis}
      version={VERSION}
      context={{ name: conn.contextName, cluster: conn.clusterName, user: conn.userName }}
      namespace={o.namespace}
      readonly={o.readonly}
      onExit={() => ink.unmount()}
      logs={{ stream: (ns, pod, container, opts) => streamLogs(conn, ns, pod, container, opts) }}
      resources={{
        table: (resource, namespace, { includeObject, objectsOnly, keep }) =>
          new LiveResourceTable({
            conn,
            resource,
            includeObject,
            ...(objectsOnly ? { objectsOnly } : {}),
            ...(keep ? { keep } : {}),
            ...(namespace !== undefined ? { namespace } : {}),
            ...tablePolling(resource, o.pollIntervalMs),
          }),
        get: (resource, namespace, name) => getObject(conn, resource, namespace, name),
      }}
      contexts={contextsOf(conn)}
      fixes={fixes}
      forwards={forwards}
      actions={{
        delete: deleteObject,
        ...(suspend
          ? {
              edit: createEditor(conn, suspend),
              terminal: (t: { pod: ObjectRef; container: string; mode: 'exec' | 'attach' }) =>
                openTerminal!({ pod: t.pod, container: t.container, mode: t.mode }),
            }
          : {}),
        switchContext: (name) => {
          o.onSwitchContext?.(name);
          ink.unmount();
        },
      }}
      theme={o.theme}
    />,
    // Ink writes whole frames; the FrameWriter sends the terminal only the lines that changed.
    {
      exitOnCtrlC: false,
      stdout: screen as unknown as NodeJS.WriteStream,
      ...(o.stdin ? { stdin: o.stdin } : {}),
      maxFps: COCKPIT_MAX_FPS,
    },
  );
  return {
    store,
    diagnosis,
    screen,
    unmount: () => ink.unmount(),
    waitUntilExit: async () => {
      await ink.waitUntilExit();
    },
    close,
  };
}
