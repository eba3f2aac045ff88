// The cockpit's root: wires the data (snapshot, background findings, port-forwards, the
// clock) to the view on screen, and draws header, prompt, body, dialog and status line.
// What a view shows is its definition (registry.ts); how the screen is cut up, useLayout;
// the rows, useRows; what a key does, commands/run-command.ts through the key layers.
import React, { useMemo } from 'react';
import { Box } from 'ink';
import type { FindingsSource } from '../src/diagnose/live.js';
import type { SnapshotSource } from '../src/store/source.js';
import { CommandBar } from './components/CommandBar.js';
import { ConfirmDialog, confirmDialogHeight } from './components/ConfirmDialog.js';
import { FilterBar } from './components/FilterBar.js';
import { FixDialog } from './components/FixDialog.js';
import { Header } from './components/Header.js';
import { PortForwardDialog } from './components/PortForwardDialog.js';
import { StatusBar } from './components/StatusBar.js';
import { ViewBody } from './components/ViewBody.js';
import { ChooseDialog, chooseDialogHeight } from './components/ChooseDialog.js';
import { RevealDialog } from './components/RevealDialog.js';
import { useCommandKeys } from './hooks/useCommandKeys.js';
import { useDialogs } from './hooks/useDialogs.js';
import { useFindings } from './hooks/useFindings.js';
import { useFlashExpiry } from './hooks/useFlash.js';
import { useLayout } from './hooks/useLayout.js';
import { position, useRows, useRowsFollowUp } from './hooks/useRows.js';
import { useSnapshot } from './hooks/useSnapshot.js';
import { useStateStore } from './hooks/useStateStore.js';
import { useViewContext } from './hooks/useViewContext.js';
import { hintsFor, STATUS_HINTS } from './keys/bindings.js';
import type { KubeContextInfo } from './render/contexts.js';
import { missingView, VIEWS } from './registry.js';
import type { CockpitActions, FixBackend, LogSource, PortForwardBackend, ResourceSource } from './sources.js';
import { activeEntry, initialState, reduce, type Flash } from './state.js';
import { ThemeContext, environmentTheme, type Theme } from './theme.js';
import { findingOf, keysOf } from './view-def.js';

export interface AppProps {
  source: SnapshotSource;
  /** The diagnosis, run in the background (src/diagnose/live.ts) so it never blocks rendering or keys. */
  findings: FindingsSource;
  context: { name: string; cluster: string; user: string };
  /** kcockpit's version, for the header. */
  version: string;
  /** The namespace to start in; undefined = all namespaces. */
  namespace?: string;
  readonly: boolean;
  /** `q`, ctrl-c or `:q`: the caller unmounts Ink and restores the terminal. */
  onExit(): void;
  logs?: LogSource;
  /** Every kubeconfig context, for `:ctx`; defaults to the current one only. */
  contexts?: readonly KubeContextInfo[];
  /** The fix runner for `x`; without it, `x` says fixing is not available. Under --readonly it only previews. */
  fixes?: FixBackend;
  /** The port-forward manager: `shift-f` opens the port-forward dialog, `:pf` lists and stops forwards. */
  forwards?: PortForwardBackend;
  /** Deleting a pod (after the y/n dialog) and switching context. */
  actions?: CockpitActions;
  /** Any kind the server serves (`:cm`, `:crd`…) and whole objects for describe / YAML; without it only the built-in views. */
  resources?: ResourceSource;
  /** Defaults to what the environment allows (NO_COLOR, TTY, COLORTERM, TERM). */
  theme?: Theme;
  /** Clock for ages; tests pin it. */
  now?: () => number;
}

export function App(props: AppProps) {
  const { context, readonly } = props;
  const theme = useMemo(() => props.theme ?? environmentTheme(), [props.theme]);
  const contexts = useMemo(() => props.contexts ?? [context], [props.contexts, context]);
  const { snapshot, connection } = useSnapshot(props.source);
  const diagnosis = useFindings(props.findings);
  const [state, dispatch, store] = useStateStore(reduce, () => initialState(props.namespace));
  const active = activeEntry(state);
  const view = VIEWS.get(active.view) ?? missingView(active.view);
  const { data, ctx } = useViewContext({
    snapshot,
    diagnosis,
    namespace: state.namespace,
    contexts,
    currentContext: context.name,
    views: VIEWS,
    entry: active,
    forwards: props.forwards,
    logs: props.logs,
    resources: props.resources,
    clock: props.now,
  });

  const flash = (f: Flash) => dispatch({ type: 'flash', flash: f });
  useFlashExpiry(state.flash, dispatch);
  const dialogs = useDialogs(flash);
  const dialog = dialogs.dialog;
  const layout = useLayout({
    prompt: state.prompt !== undefined,
    questionLines:
      dialog?.kind === 'confirm'
        ? confirmDialogHeight(dialog)
        : dialog?.kind === 'choose'
          ? chooseDialogHeight(dialog)
          : 0,
    pane: view.type === 'table' && view.pane !== undefined,
  });
  const rows = useRows(view, ctx, data, active, { width: layout.body.width, textLines: layout.textLines });
  useRowsFollowUp(rows, active, dispatch);
  const selected = rows.type === 'table' ? rows.selected : undefined;
  const finding = findingOf(view, ctx, active, selected);
  const complete = useCommandKeys({
    store,
    at: {
      ui: state,
      view,
      ctx,
      position: position(rows, layout),
      selected,
      finding,
      readonly,
      ...(rows.type === 'table' ? { rows: rows.rows, marked: rows.marked } : {}),
    },
    // The props are the ports: the fix runner, the port-forward manager, actions and logs.
    ports: props,
    dialogs,
    onExit: props.onExit,
    flash,
    // Background diagnosis makes way while keys come in (src/diagnose/live.ts).
    onInput: props.findings.noteInput?.bind(props.findings),
  });

  const prompt = state.prompt;
  const status =
    state.flash ?? (diagnosis.errors[0] ? { kind: 'error' as const, text: diagnosis.errors[0] } : undefined);
  const { width, height } = layout.body;
  return (
    <ThemeContext.Provider value={theme}>
      <Box flexDirection="column" width={layout.root.width} height={layout.root.height}>
        <Header
          context={context}
          namespace={state.namespace}
          connection={connection}
          counts={ctx.findings.counts}
          diagnosing={connection.state === 'connecting' || diagnosis.version === -1}
          version={props.version}
          readonly={readonly}
          width={width}
        />
        {prompt?.kind === 'command' && <CommandBar text={prompt.text} completion={complete(prompt.text)} />}
        {prompt?.kind === 'filter' && (
          <FilterBar text={prompt.text} matches={rows.type === 'table' ? rows.rows.length : rows.lines.length} />
        )}
        <Box height={height} flexDirection="column">
          {dialog?.kind === 'fix' ? (
            <FixDialog session={dialog} width={width} height={height} />
          ) : dialog?.kind === 'portForward' ? (
            <PortForwardDialog session={dialog} width={width} height={height} />
          ) : dialog?.kind === 'reveal' ? (
            <RevealDialog session={dialog} width={width} height={height} />
          ) : (
            <ViewBody
              view={rows}
              ctx={ctx}
              entry={active}
              layout={layout}
              finding={finding}
              canFix={props.fixes !== undefined}
              readonly={readonly}
            />
          )}
        </Box>
        {dialog?.kind === 'confirm' && <ConfirmDialog session={dialog} width={width} />}
        {dialog?.kind === 'choose' && <ChooseDialog session={dialog} width={width} />}
        <StatusBar flash={status} hints={hintsFor(keysOf(view), STATUS_HINTS)} />
      </Box>
    </ThemeContext.Provider>
  );
}
