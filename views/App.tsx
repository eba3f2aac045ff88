// The cockpit's root: subscribes to the snapshot source, diagnoses each snapshot version
// once, lays the screen out for the terminal's size, and owns the one key dispatcher.
// Every view is data (view-def.ts), so moving, filtering, drilling and opening details
// are written here once for all of them.
import React, { useEffect, useMemo, useRef, useState } from 'react';
import { useStateStore } from './hooks/useStateStore.js';
import { Box } from 'ink';
import type { Finding, ObjectRef } from '../src/diagnose/types.js';
import { kubectlName } from '../src/diagnose/evidence.js';
import type { Pod } from '../src/model/k8s.js';
import type { Snapshot } from '../src/store/snapshot.js';
import type { SnapshotSource } from '../src/store/source.js';
import { causeChain } from '../src/diagnose/engine.js';
import { VERSION } from '../src/cli/version.js';
import { CommandBar } from './components/CommandBar.js';
import { ConfirmDialog, confirmDialogHeight } from './components/ConfirmDialog.js';
import { FixDialog } from './components/FixDialog.js';
import { PortForwardDialog } from './components/PortForwardDialog.js';
import { FilterBar } from './components/FilterBar.js';
import { FindingPane } from './components/FindingPane.js';
import { Header } from './components/Header.js';
import { ScrollText, lastTop, wrapLines } from './components/ScrollText.js';
import { StatusBar } from './components/StatusBar.js';
import { Table } from './components/Table.js';
import { clampCursor } from './components/table-layout.js';
import { indexFindings } from './data/finding-index.js';
import { ConfirmSession } from './dialogs/confirm-session.js';
import { FixSession } from './dialogs/fix-session.js';
import { PortForwardSession } from './dialogs/port-forward-session.js';
import { errorLine } from './dialogs/store.js';
import { useLogLines } from './hooks/useLogLines.js';
import { useNow } from './hooks/useNow.js';
import { usePortForwards } from './hooks/usePortForwards.js';
import { useSnapshot } from './hooks/useSnapshot.js';
import { useTerminalSize } from './hooks/useTerminalSize.js';
import { BINDINGS, globalCommand, hintsFor, viewCommand, type CommandId } from './keys/bindings.js';
import { completeCommand, parseCommand } from './keys/commands.js';
import { useKeyDispatcher, type KeyLayer } from './keys/dispatcher.js';
import { editPrompt } from './keys/prompt.js';
import { filterRows, RowTextCache } from './render/filter.js';
import type { KubeContextInfo } from './render/contexts.js';
import { rowText } from './render/row.js';
import { forwardLabel } from './render/portforwards.js';
import type { CockpitActions, FixBackend, LogSource, PortForwardBackend, PortForwardInfo } from './sources.js';
import { activeEntry, entry, initialState, isCursorCommand, moveCursor, reduce, type Flash } from './state.js';
import { ThemeContext, detectColorLevel, themeFor, type Theme } from './theme.js';
import { logLines, logRequest, logsTitle, pickContainer } from './LogsView.js';
import { contextsView } from './ContextsView.js';
import { describeView } from './DescribeView.js';
import { eventsView } from './EventsView.js';
import { findingsView } from './FindingsView.js';
import { helmView } from './HelmView.js';
import { helpView } from './HelpView.js';
import { namespacesView } from './NamespacesView.js';
import { podsView } from './PodsView.js';
import { portForwardsView } from './PortForwardsView.js';
import { servicesView } from './ServicesView.js';
import { deploymentsView, statefulSetsView } from './WorkloadsView.js';
import { yamlView } from './YamlView.js';
import { findingView } from './FindingView.js';
import type { TableViewDef, TextViewDef, ViewContext } from './view-def.js';
import type { FindingsSource } from '../src/diagnose/live.js';
import { useFindings } from './hooks/useFindings.js';
import type { ViewKind } from './view-kinds.js';

export interface AppProps {
  source: SnapshotSource;
  /** Called once per snapshot version (src/diagnose/engine.ts); used when `findings` is not given. */
  diagnose: (snapshot: Snapshot) => Finding[];
  /**
   * Findings computed in the background (src/diagnose/live.ts). The live cockpit uses this so
   * a large cluster's diagnosis never blocks rendering or keys.
   */
  findings?: FindingsSource;
  context: { name: string; cluster: string; user: string };
  /** The namespace to start in; undefined = all namespaces. */
  namespace?: string;
  readonly: boolean;
  /** `q`, ctrl-c or `:q`: the caller unmounts Ink and restores the terminal. */
  onExit(): void;
  logs?: LogSource;
  /** Every kubeconfig context, for `:ctx`; defaults to the current one only. */
  contexts?: readonly KubeContextInfo[];
  /**
   * The fix runner: `x` opens the fix dialog (plans, preview, run). Without it, `x` says
   * fixing is not available. Under --readonly the dialog shows plans and previews only.
   */
  fixes?: FixBackend;
  /** The port-forward manager: `shift-f` opens the port-forward dialog, `:pf` lists and stops forwards. */
  forwards?: PortForwardBackend;
  /** Deleting a pod (after the y/n dialog) and switching context. */
  actions?: CockpitActions;
  /** Defaults to what the environment allows (NO_COLOR, TTY, COLORTERM, TERM). */
  theme?: Theme;
  /** Clock for ages; tests pin it. */
  now?: () => number;
}

type OpenDialog = FixSession | PortForwardSession | ConfirmSession;

// Help is a table too; `unknown` rows because each view has its own row type.
const TABLE_VIEWS: Partial<Record<ViewKind, TableViewDef<unknown>>> = {
  pods: podsView,
  events: eventsView,
  helm: helmView,
  findings: findingsView,
  namespaces: namespacesView,
  contexts: contextsView,
  portforwards: portForwardsView,
  deployments: deploymentsView,
  statefulsets: statefulSetsView,
  services: servicesView,
  help: helpView,
};

const TEXT_VIEWS: Partial<Record<ViewKind, TextViewDef>> = {
  describe: describeView,
  yaml: yamlView,
  finding: findingView,
};

const HEADER_LINES = 2;
const STATUS_LINES = 1;
/** From this width the finding pane sits beside the table; below it, under the table. */
const WIDE_COLUMNS = 120;
const FLASH_MS = 5000;
const HINTS: readonly CommandId[] = [
  'prompt.command',
  'prompt.filter',
  'help',
  'drill',
  'describe',
  'yaml',
  'logs',
  'fix',
  'view.back',
  'quit',
];
const NO_ROWS: readonly unknown[] = [];

function defaultTheme(): Theme {
  return themeFor(detectColorLevel({ env: process.env, isTTY: process.stdout.isTTY === true }));
}

export function App(props: AppProps) {
  const { source, context, readonly, onExit, logs, actions } = props;
  const size = useTerminalSize();
  const { snapshot, connection } = useSnapshot(source);
  const now = useNow(props.now);
  const forwards = usePortForwards(props.forwards);
  const theme = useMemo(() => props.theme ?? defaultTheme(), [props.theme]);
  const contexts = useMemo(() => props.contexts ?? [context], [props.contexts, context]);
  const [state, dispatch, uiState] = useStateStore(reduce, () => initialState(props.namespace));
  const active = activeEntry(state);
  const [dialog, setDialogState] = useState<OpenDialog | undefined>(undefined);
  const dialogRef = useRef<OpenDialog | undefined>(undefined);
  const setDialog = (next: OpenDialog | undefined) => {
    dialogRef.current = next;
    setDialogState(next);
  };

  // Read through a ref: an inline `diagnose` prop must not re-run the rules on every render.
  const diagnoseRef = useRef(props.diagnose);
  diagnoseRef.current = props.diagnose;
  const background = useFindings(props.findings);
  const diagnosis = useMemo(() => {
    if (background) return { findings: indexFindings(background.findings), error: background.errors[0] };
    try {
      return { findings: indexFindings(diagnoseRef.current(snapshot)), error: undefined };
    } catch (err) {
      return {
        findings: indexFindings([]),
        error: `Diagnosis failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
      };
    }
  }, [snapshot, background]);
  const findings = diagnosis.findings;

  const ctx: ViewContext = useMemo(
    () => ({
      snapshot,
      findings,
      namespace: state.namespace,
      now,
      contexts,
      currentContext: context.name,
      portForwards: forwards,
    }),
    [snapshot, findings, state.namespace, now, contexts, context.name, forwards],
  );

  // Layout: the root is one line shorter than the terminal, or Ink 6.8 clears the screen
  // on every frame (flicker).
  const height = Math.max(4, size.rows - 1);
  const width = size.columns;
  // A y/n question sits under the view; the fix and port-forward dialogs take the body's place.
  const confirmRows = dialog?.kind === 'confirm' ? confirmDialogHeight(dialog) : 0;
  const bodyHeight = Math.max(1, height - HEADER_LINES - STATUS_LINES - (state.prompt ? 1 : 0) - confirmRows);

  // Table views: rows depend on the data and the entry, not on the clock.
  const tableDef = TABLE_VIEWS[active.view];
  const allRows = useMemo(
    () => (tableDef ? tableDef.rows(ctx, active) : NO_ROWS),
    // Not `ctx`: it changes with the clock, and 10,000 rows must not be re-sorted every tick.
    [
      tableDef,
      snapshot,
      findings,
      state.namespace,
      contexts,
      forwards,
      active.view,
      active.scope,
      active.subject,
      active.helpFor,
    ],
  );
  // One text cache per view: the same object reads differently in another view's columns.
  const rowTexts = useMemo(() => new RowTextCache(), [tableDef]);
  const rows = useMemo(
    () =>
      tableDef
        ? filterRows(allRows, active.filter, {
            searchText: (r) => rowTexts.text(r, (row) => rowText(tableDef.render(row, ctx))),
            labels: (r) => tableDef.labels?.(r),
          })
        : NO_ROWS,
    [allRows, active.filter, tableDef, rowTexts],
  );
  const cursor = clampCursor(active.cursor, rows.length);
  const selected: unknown = rows[cursor];
  const finding =
    tableDef?.finding && selected !== undefined
      ? tableDef.finding(selected, ctx)
      : active.view === 'finding' && active.findingId
        ? findings.get(active.findingId)
        : undefined;
  const chain = useMemo(() => (finding ? causeChain(finding, findings.all) : []), [finding, findings]);
  const hasPane = tableDef?.finding !== undefined;
  // Text views scroll; describe, YAML, logs and a whole finding are text views.
  const isText = tableDef === undefined;
  const wide = width >= WIDE_COLUMNS;
  const paneWidth = hasPane && wide ? Math.floor(width * 0.4) : width;
  const paneHeight = hasPane && !wide ? Math.floor(bodyHeight * 0.45) : bodyHeight;
  const tableWidth = hasPane && wide ? width - paneWidth : width;
  const tableHeight = hasPane && !wide ? bodyHeight - paneHeight : bodyHeight;

  // Text views (describe, YAML, logs): wrapped lines, a window of them on screen.
  const logState = useLogLines(logs, logRequest(active));
  const textDef = TEXT_VIEWS[active.view];
  const rawLines = useMemo(
    () =>
      textDef ? textDef.lines(ctx, active) : active.view === 'logs' ? logLines(logState, active.previous ?? false) : [],
    [textDef, ctx, active.view, active.subject, active.findingId, active.previous, logState],
  );
  const lines = useMemo(
    () => wrapLines(filterRows(rawLines, active.filter, { searchText: (l) => l.toLowerCase() }), width),
    [rawLines, active.filter, width],
  );
  const textBody = Math.max(0, bodyHeight - 1);
  const maxTop = lastTop(lines.length, textBody);
  const top = active.follow ? maxTop : Math.min(active.cursor, maxTop);

  const flash = (f: Flash) => dispatch({ type: 'flash', flash: f });
  useEffect(() => {
    if (!state.flash) return;
    const timer = setTimeout(() => dispatch({ type: 'flash', flash: undefined }), FLASH_MS);
    return () => clearTimeout(timer);
  }, [state.flash]);

  // For `:pods <namespace>`: checked and completed against what the cluster has.
  const knownNamespaces = useMemo(
    () =>
      [
        ...new Set([
          ...snapshot.namespaces.map((n) => n.metadata.name),
          ...snapshot.pods.map((p) => p.metadata.namespace ?? ''),
        ]),
      ]
        .filter(Boolean)
        .sort(),
    [snapshot],
  );
  const completionSource = useMemo(
    () => ({ namespaces: knownNamespaces, contexts: contexts.map((k) => k.name) }),
    [knownNamespaces, contexts],
  );

  const fixKey = BINDINGS.fix.keys[0] ?? 'x';
  const fixHint = !props.fixes
    ? `(${fixKey}) fix — not available in this build; the commands above do it by hand`
    : readonly
      ? `(${fixKey}) fix — read-only (--readonly): shows the plan and what it would change, applies nothing`
      : `(${fixKey}) fix — shows the plan and asks before it changes anything`;

  const unavailable = (what: string) =>
    flash({ kind: 'error', text: `${what} is not available in this build of kcockpit.` });

  /** Refuse a change to the cluster in read-only mode or when its owner is missing; otherwise run it. */
  const mutate = (what: string, run: (() => void) | undefined) => {
    if (readonly) flash({ kind: 'error', text: `Read-only mode (--readonly): ${what.toLowerCase()} is turned off.` });
    else if (!run) unavailable(what);
    else run();
  };

  const closeDialog = () => setDialog(undefined);

  const openFix = (f: Finding) => {
    if (f.fixes.length === 0) {
      const cause =
        f.causedBy.length > 0
          ? ' It follows from its cause (under "Why"): fix that one first.'
          : ' Its explanation says what to do by hand.';
      flash({ kind: 'info', text: `kcockpit has no fix plan for "${f.title}".${cause}` });
    } else if (!props.fixes) unavailable('Fixing');
    // Read-only mode still opens the dialog: plans and previews are only reading.
    else
      setDialog(new FixSession({ finding: f, backend: props.fixes, readonly, onClose: closeDialog, onFlash: flash }));
  };

  const askDelete = (target: ObjectRef, del: NonNullable<CockpitActions['delete']>) => {
    const what = kubectlName(target);
    const deleted = () => flash({ kind: 'info', text: `Deleted ${what}.` });
    const failed = (err: unknown) => flash({ kind: 'error', text: `Could not delete ${what}: ${errorLine(err)}` });
    const yes = () => {
      flash({ kind: 'info', text: `Deleting ${what}…` });
      try {
        const result = del(target);
        if (result instanceof Promise) result.then(deleted, failed);
      } catch (err) {
        failed(err);
      }
    };
    setDialog(
      new ConfirmSession(
        { title: 'Delete', question: `Delete ${what}${target.namespace ? ` in ${target.namespace}` : ''}?` },
        yes,
        closeDialog,
      ),
    );
  };

  const askStop = (pf: PortForwardInfo, backend: PortForwardBackend) => {
    const label = forwardLabel(pf);
    const yes = () => {
      const stopped = () => flash({ kind: 'info', text: `Stopped forwarding ${label}.` });
      const failed = (err: unknown) =>
        flash({ kind: 'error', text: `Could not stop forwarding ${label}: ${errorLine(err)}` });
      try {
        const result = backend.stop(pf.id);
        if (result instanceof Promise) result.then(stopped, failed);
        else stopped();
      } catch (err) {
        failed(err);
      }
    };
    setDialog(
      new ConfirmSession({ title: 'Stop port-forward', question: `Stop forwarding ${label}?` }, yes, closeDialog),
    );
  };

  // Not a change to the cluster: allowed in read-only mode.
  const switchContext = (name: string) => {
    if (name === context.name) flash({ kind: 'info', text: `Already on context ${name}.` });
    else if (actions?.switchContext) actions.switchContext(name);
    else unavailable('Switching context');
  };

  const runCommand = (command: CommandId): boolean => {
    if (isCursorCommand(command)) {
      if (isText) {
        const next = moveCursor(command, top, maxTop, textBody);
        // At the bottom, a text view follows new lines (logs); any move up stops following.
        dispatch({ type: 'cursor', cursor: next, follow: next >= maxTop });
      } else {
        dispatch({
          type: 'cursor',
          cursor: moveCursor(command, cursor, rows.length - 1, Math.max(1, tableHeight - 2)),
        });
      }
      return true;
    }
    const target = tableDef?.target && selected !== undefined ? tableDef.target(selected, ctx) : undefined;
    switch (command) {
      case 'prompt.command':
      case 'prompt.filter':
        dispatch({ type: 'prompt.open', kind: command === 'prompt.command' ? 'command' : 'filter' });
        return true;
      case 'help':
        if (active.view !== 'help') dispatch({ type: 'push', entry: entry('help', { helpFor: active.view }) });
        return true;
      case 'view.back':
        dispatch({ type: 'back' });
        return true;
      case 'quit':
        onExit();
        return true;
      case 'namespace.all':
        dispatch({ type: 'namespace', namespace: undefined });
        return true;
      case 'drill': {
        const drill = tableDef?.drill && selected !== undefined ? tableDef.drill(selected, ctx) : undefined;
        if (!drill) return true;
        if ('switchContext' in drill) {
          switchContext(drill.switchContext);
          return true;
        }
        // Push first: switching namespace resets the cursor of the view on top, and the
        // namespaces list should keep its cursor for when the user comes back.
        dispatch({ type: 'push', entry: drill.push });
        if (drill.namespace !== undefined) dispatch({ type: 'namespace', namespace: drill.namespace });
        return true;
      }
      case 'describe':
      case 'yaml':
        if (target) dispatch({ type: 'push', entry: entry(command, { subject: target }) });
        return true;
      case 'logs':
      case 'logs.previous': {
        if (!target) return true;
        const pod = snapshot.get<Pod>('Pod', target.namespace, target.name);
        const previous = command === 'logs.previous';
        const container = pod && pickContainer(pod, previous);
        if (!logs)
          flash({ kind: 'error', text: 'Logs are not available: this kcockpit was started without a log source.' });
        else if (!container) flash({ kind: 'error', text: `Pod ${target.name} has no container to read logs from.` });
        else dispatch({ type: 'push', entry: entry('logs', { subject: target, container, previous, follow: true }) });
        return true;
      }
      case 'fix':
        if (!finding) flash({ kind: 'info', text: 'Nothing to fix here: kcockpit found no problem for this row.' });
        else openFix(finding);
        return true;
      case 'portForward':
        // Port-forwarding changes nothing in the cluster; read-only mode allows it, as k9s does.
        if (target && props.forwards)
          setDialog(new PortForwardSession({ target, backend: props.forwards, onClose: closeDialog, onFlash: flash }));
        else if (target) unavailable('Port-forwarding');
        return true;
      case 'delete': {
        const forward = tableDef?.forward && selected !== undefined ? tableDef.forward(selected) : undefined;
        // Stopping a forward is not a change to the cluster either.
        if (forward && props.forwards) askStop(forward, props.forwards);
        else if (target) {
          const del = actions?.delete;
          mutate('Deleting', del && (() => askDelete(target, del)));
        }
        return true;
      }
    }
  };

  const submitCommand = (text: string) => {
    const parsed = parseCommand(text);
    if (!parsed.ok) return flash({ kind: 'error', text: parsed.error });
    const c = parsed.command;
    if (c.type === 'quit') return onExit();
    if (c.type === 'context') {
      if (!contexts.some((k) => k.name === c.name))
        return flash({ kind: 'error', text: `No context "${c.name}" in the kubeconfig. :ctx lists them.` });
      return switchContext(c.name);
    }
    if (typeof c.namespace === 'string') {
      if (knownNamespaces.length > 0 && !knownNamespaces.includes(c.namespace))
        return flash({ kind: 'error', text: `Namespace "${c.namespace}" not found. :ns lists the namespaces.` });
    }
    if (c.namespace !== undefined) dispatch({ type: 'namespace', namespace: c.namespace ?? undefined });
    dispatch({ type: 'reset', entry: entry(c.view) });
  };

  const promptLayer: KeyLayer = {
    id: 'prompt',
    handle(press) {
      // The prompt as it is now: the key before this one may have opened it.
      const prompt = uiState.get().prompt;
      if (!prompt) return false;
      const outcome = editPrompt(prompt.text, press);
      switch (outcome.type) {
        case 'edit':
          dispatch({ type: 'prompt.text', text: outcome.text });
          break;
        case 'complete': {
          const completed = prompt.kind === 'command' ? completeCommand(prompt.text, completionSource) : undefined;
          if (completed) dispatch({ type: 'prompt.text', text: completed });
          break;
        }
        case 'submit':
          dispatch({ type: 'prompt.close' });
          if (prompt.kind === 'command') submitCommand(outcome.text);
          break;
        case 'cancel':
          if (prompt.kind === 'filter') dispatch({ type: 'prompt.text', text: '' });
          dispatch({ type: 'prompt.close' });
          break;
        case 'ignore':
          break;
      }
      // An open prompt takes every key: typing `q` must not quit.
      return true;
    },
  };
  const viewLayer: KeyLayer = {
    id: 'view',
    handle: (press) => {
      const command = viewCommand(press.name, active.view);
      return command !== undefined && runCommand(command);
    },
  };
  const globalLayer: KeyLayer = {
    id: 'global',
    handle: (press) => {
      const command = globalCommand(press.name);
      return command !== undefined && runCommand(command);
    },
  };
  // An open dialog takes keys before anything else. Read through the ref: a key typed right
  // after the one that opened it must reach it before the next render.
  const dialogLayer: KeyLayer = { id: 'dialog', handle: (press) => dialogRef.current?.handle(press) ?? false };
  // Background diagnosis makes way while keys come in (src/diagnose/live.ts).
  useKeyDispatcher([dialogLayer, promptLayer, viewLayer, globalLayer], props.findings?.noteInput?.bind(props.findings));

  const completion =
    state.prompt?.kind === 'command' ? completeCommand(state.prompt.text, completionSource) : undefined;
  const statusFlash = state.flash ?? (diagnosis.error ? { kind: 'error' as const, text: diagnosis.error } : undefined);

  let body: React.ReactNode;
  if (tableDef) {
    const table = (
      <Table
        title={tableDef.title(ctx, active)}
        columns={tableDef.columns(ctx)}
        rows={rows}
        renderRow={(r) => tableDef.render(r, ctx)}
        cursor={cursor}
        width={tableWidth}
        height={tableHeight}
        emptyText={
          allRows.length > 0
            ? `No rows match the filter "${active.filter}" (esc clears it).`
            : tableDef.emptyText(ctx, active)
        }
        filter={active.filter}
      />
    );
    body = hasPane ? (
      <Box flexDirection={wide ? 'row' : 'column'} height={bodyHeight}>
        {table}
        <FindingPane
          finding={finding}
          chain={chain}
          width={paneWidth}
          height={paneHeight}
          now={now}
          fixHint={fixHint}
          moreHint={active.view === 'pods' ? "enter: the pod's findings" : 'enter: the whole finding'}
          emptyText={selected === undefined ? '' : 'No problem found for the selected row.'}
        />
      </Box>
    ) : (
      table
    );
  } else {
    const title = active.view === 'logs' ? logsTitle(active) : (textDef?.title(ctx, active) ?? active.view);
    body = (
      <ScrollText title={title} lines={lines} top={top} width={width} height={bodyHeight} filter={active.filter} />
    );
  }

  return (
    <ThemeContext.Provider value={theme}>
      <Box flexDirection="column" width={width} height={height}>
        <Header
          context={context}
          namespace={state.namespace}
          connection={connection}
          counts={findings.counts}
          diagnosing={connection.state === 'connecting' || background?.version === -1}
          version={VERSION}
          readonly={readonly}
          width={width}
        />
        {state.prompt?.kind === 'command' && <CommandBar text={state.prompt.text} completion={completion} />}
        {state.prompt?.kind === 'filter' && (
          <FilterBar text={state.prompt.text} matches={tableDef ? rows.length : lines.length} />
        )}
        <Box height={bodyHeight} flexDirection="column">
          {dialog?.kind === 'fix' ? (
            <FixDialog session={dialog} width={width} height={bodyHeight} />
          ) : dialog?.kind === 'portForward' ? (
            <PortForwardDialog session={dialog} width={width} height={bodyHeight} />
          ) : (
            body
          )}
        </Box>
        {dialog?.kind === 'confirm' && <ConfirmDialog session={dialog} width={width} />}
        <StatusBar flash={statusFlash} hints={hintsFor(active.view, HINTS)} />
      </Box>
    </ThemeContext.Provider>
  );
}
