// What a command does, as data: a key's command (`d`, `x`, `ctrl-d`, `j`…) or a `:` line, the
// cockpit as it is, and what the cockpit was started with (`ports`: the fix runner, the
// port-forward manager, actions, logs) go in; the state changes (reducer actions) and the
// effects (quit, switch context, open a dialog) come out. Nothing here renders or calls out,
// so every command is tested without Ink, and the caller carries the effects out.
import type { Finding, ObjectRef } from '../../src/diagnose/types.js';
import type { Pod } from '../../src/model/k8s.js';
import { BINDINGS, type CommandId } from '../keys/bindings.js';
import { objectKey, spanMarks, toggleMark } from '../data/marks.js';
import { secretKeys } from '../data/secret-value.js';
import { knownNamespaces } from '../data/objects.js';
import { parseCommand } from '../keys/commands.js';
import { ALL_CONTAINERS, pickContainer } from '../LogsView.js';
import type {
  CockpitActions,
  FixBackend,
  LogSource,
  PortForwardBackend,
  PortForwardInfo,
  ResourceSource,
  TerminalRequest,
} from '../sources.js';
import type { FixOutcome } from '../../src/fixes/types.js';
import type { FixPlan } from '../../src/diagnose/types.js';
import {
  cordonPlan,
  deleteManyPlan,
  drainPlan,
  rolloutRestartPlan,
  scalePlan,
  triggerCronJobPlan,
} from '../../src/fixes/actions.js';
import type { AskFirst } from '../dialogs/fix-session.js';
import type { Workload } from '../../src/model/k8s.js';
import {
  activeEntry,
  entry,
  isCursorCommand,
  moveCursor,
  type Flash,
  type SortOrder,
  type UiAction,
  type UiState,
} from '../state.js';
import type { ViewContext, ViewDef } from '../view-def.js';

/** A key's command, or the text typed after `:` (without the colon). */
export type Command = CommandId | { type: 'line'; text: string };

export interface CommandState {
  ui: UiState;
  /** The view on screen. */
  view: ViewDef;
  ctx: ViewContext;
  /**
   * The table's cursor or the text view's first line on screen, the highest either can be,
   * and how far pgup / pgdn move.
   */
  position: { at: number; last: number; page: number };
  /** The table row under the cursor. */
  selected: unknown;
  /** The table's rows as shown (sorted, filtered), for marking a span of them. */
  rows?: readonly unknown[];
  /** The objects of the marked rows still listed: ctrl-d deletes them all. */
  marked?: readonly ObjectRef[];
  /** The finding `x` fixes: the selected row's, or the one a finding view shows. */
  finding: Finding | undefined;
  readonly: boolean;
}

/** What the cockpit was started with; each is optional, and a command that needs a missing one says so. */
export interface CommandPorts {
  fixes?: FixBackend;
  forwards?: PortForwardBackend;
  actions?: CockpitActions;
  logs?: LogSource;
  /** Any kind through discovery; without it `:` reaches the built-in views only. */
  resources?: ResourceSource;
}

/** A dialog to open, with what it works on. */
export type DialogRequest =
  | { kind: 'fix'; finding: Finding; backend: FixBackend; readonly: boolean }
  /** An object action's plan (restart, drain, an edit…), at its preview. */
  | { kind: 'action'; plan: FixPlan; backend: FixBackend; readonly: boolean; onOutcome?(outcome: FixOutcome): void }
  /** An action that asks first (scale: how many). */
  | { kind: 'ask'; ask: AskFirst; backend: FixBackend; readonly: boolean }
  /** One of a few options (which container); `cursor`: the option chosen first. */
  | { kind: 'choose'; title: string; options: readonly string[]; cursor?: number; choose(option: string): void }
  /** A Secret's keys to choose from, a y/n question, then one key's value (never anywhere but this dialog). */
  | { kind: 'decode'; secret: ObjectRef; data: Readonly<Record<string, string>> }
  | { kind: 'portForward'; target: ObjectRef; backend: PortForwardBackend }
  | { kind: 'delete'; target: ObjectRef; delete: NonNullable<CockpitActions['delete']> }
  | { kind: 'stopForward'; forward: PortForwardInfo; backend: PortForwardBackend };

export type Effect =
  | { type: 'exit' }
  /** Leaves the screen to $EDITOR, then opens the edit's plan. */
  | {
      type: 'edit';
      target: ObjectRef;
      edit: NonNullable<CockpitActions['edit']>;
      backend: FixBackend;
      readonly: boolean;
    }
  /** Leaves the screen to an interactive terminal in a container. */
  | { type: 'terminal'; request: TerminalRequest; terminal: NonNullable<CockpitActions['terminal']> }
  | { type: 'switchContext'; name: string; switchContext: NonNullable<CockpitActions['switchContext']> }
  /** One of a few options, then what choosing it does to the cockpit (which container's log). */
  | { type: 'choose'; title: string; options: readonly string[]; cursor: number; then(option: string): UiAction[] }
  | { type: 'dialog'; dialog: DialogRequest };

export interface CommandResult {
  /** Applied in order through the reducer (state.ts). */
  actions: UiAction[];
  effects: Effect[];
}

const NOTHING: CommandResult = { actions: [], effects: [] };
const act = (...actions: UiAction[]): CommandResult => ({ actions, effects: [] });
const effect = (e: Effect): CommandResult => ({ actions: [], effects: [e] });
const say = (kind: Flash['kind'], text: string): CommandResult => act({ type: 'flash', flash: { kind, text } });
const unavailable = (what: string) => say('error', `${what} is not available in this build of kcockpit.`);

export function runCommand(command: Command, state: CommandState, ports: CommandPorts): CommandResult {
  return typeof command === 'string' ? runKey(command, state, ports) : runLine(command.text, state, ports);
}

function runKey(command: CommandId, s: CommandState, ports: CommandPorts): CommandResult {
  const active = activeEntry(s.ui);
  if (isCursorCommand(command)) {
    const next = moveCursor(command, s.position.at, s.position.last, s.position.page);
    // At the bottom, a text view follows new lines (logs); any move up stops following.
    return act(
      s.view.type === 'text'
        ? { type: 'cursor', cursor: next, follow: next >= s.position.last }
        : { type: 'cursor', cursor: next },
    );
  }
  const row = s.view.type === 'table' && s.selected !== undefined ? { def: s.view, value: s.selected } : undefined;
  const target = row?.def.target?.(row.value, s.ctx);
  switch (command) {
    case 'prompt.command':
    case 'prompt.filter':
      return act({ type: 'prompt.open', kind: command === 'prompt.command' ? 'command' : 'filter' });
    case 'help':
      return active.view === 'help' ? NOTHING : act({ type: 'push', entry: entry('help', { helpFor: active.view }) });
    case 'view.back':
      return act({ type: 'back' });
    case 'quit':
      return effect({ type: 'exit' });
    case 'namespace.all':
      return act({ type: 'namespace', namespace: undefined });
    case 'drill': {
      const drill = row?.def.drill?.(row.value, s.ctx);
      if (!drill) return NOTHING;
      if ('switchContext' in drill) return switchContext(drill.switchContext, s, ports);
      // Push first: switching namespace resets the cursor of the view on top, and the
      // namespaces list should keep its cursor for when the user comes back.
      const push: UiAction = { type: 'push', entry: drill.push };
      return drill.namespace === undefined
        ? act(push)
        : act(push, { type: 'namespace', namespace: drill.namespace ?? undefined });
    }
    case 'describe':
    case 'yaml':
      return target ? act({ type: 'push', entry: entry(command, { subject: target }) }) : NOTHING;
    case 'logs':
    case 'logs.previous': {
      if (!target) return NOTHING;
      if (!ports.logs) return say('error', 'Logs are not available: this kcockpit was started without a log source.');
      const pod = s.ctx.snapshot.get<Pod>('Pod', target.namespace, target.name);
      const previous = command === 'logs.previous';
      const container = pod && pickContainer(pod, previous);
      if (!container) return say('error', `Pod ${target.name} has no container to read logs from.`);
      const open = (c: string): UiAction => ({
        type: 'push',
        entry: entry('logs', { subject: target, container: c, previous, follow: true }),
      });
      const containers = (pod?.spec.containers ?? []).map((c) => c.name);
      // The previous log goes straight to the container that crashed: that is why it is asked for.
      if (previous || containers.length < 2) return act(open(container));
      const options = [...containers, ALL_CONTAINERS];
      return effect({
        type: 'choose',
        title: `Logs: which container of ${target.name}?`,
        options,
        cursor: Math.max(0, containers.indexOf(container)),
        then: (option) =>
          option === ALL_CONTAINERS
            ? [{ type: 'push', entry: entry('logs', { subject: target, containers, previous, follow: true }) }]
            : [open(option)],
      });
    }
    case 'fix':
      return fix(s, ports);
    case 'portForward':
      // Port-forwarding changes nothing in the cluster; read-only mode allows it, as k9s does.
      if (!target) return NOTHING;
      if (!ports.forwards) return unavailable('Port-forwarding');
      return effect({ type: 'dialog', dialog: { kind: 'portForward', target, backend: ports.forwards } });
    case 'delete': {
      const marked = s.marked ?? [];
      if (marked.length > 0) return deleteMarked(marked, s, ports);
      const forward = row?.def.forward?.(row.value);
      // Stopping a forward is not a change to the cluster either.
      if (forward && ports.forwards)
        return effect({ type: 'dialog', dialog: { kind: 'stopForward', forward, backend: ports.forwards } });
      if (!target) return NOTHING;
      if (s.readonly) return say('error', 'Read-only mode (--readonly): deleting is turned off.');
      if (!ports.actions?.delete) return unavailable('Deleting');
      return effect({ type: 'dialog', dialog: { kind: 'delete', target, delete: ports.actions.delete } });
    }
    case 'edit':
    case 'scale':
    case 'restart':
    case 'trigger':
    case 'cordon':
    case 'uncordon':
    case 'drain':
    case 'shell':
    case 'attach':
      return target ? objectAction(command, target, s, ports) : NOTHING;
    case 'decode': {
      const secret = row?.def.object?.(row.value);
      if (!target || !secret) return NOTHING;
      const data = secretKeys(secret);
      if (Object.keys(data).length === 0) return say('info', `Secret ${target.name} has no data to decode.`);
      return effect({ type: 'dialog', dialog: { kind: 'decode', secret: target, data } });
    }
    case 'sort.name':
    case 'sort.age':
    case 'sort.status':
    case 'sort.ready':
    case 'sort.restarts':
    case 'sort.cpu':
    case 'sort.mem':
    case 'sort.node':
    case 'sort.ip':
      return sortBy(command, s, active.sort);
    case 'mark.toggle':
      return target ? act({ type: 'marks', marks: toggleMark(active.marks ?? [], objectKey(target)) }) : NOTHING;
    case 'mark.span': {
      if (!row || !target) return NOTHING;
      const keys = (s.rows ?? []).map((r) => {
        const ref = row.def.target?.(r, s.ctx);
        return ref && objectKey(ref);
      });
      return act({ type: 'marks', marks: spanMarks(active.marks ?? [], keys, s.position.at) });
    }
    case 'mark.clear':
      return active.marks?.length ? act({ type: 'marks', marks: [] }) : NOTHING;
  }
}

/** A sort key: by its column when the view has one; the same key again reverses the order. */
function sortBy(command: CommandId, s: CommandState, current: SortOrder | undefined): CommandResult {
  const wanted = BINDINGS[command].sort;
  if (s.view.type !== 'table' || !wanted) return NOTHING;
  const titles = new Set(s.view.columns(s.ctx).map((c) => c.title));
  const column = wanted.columns.find((c) => titles.has(c));
  if (!column) return say('info', `This view has no ${wanted.columns[0]} column to sort by.`);
  const descending = current?.column === column ? !current.descending : wanted.descending;
  return act({ type: 'sort', sort: { column, descending } });
}

/** ctrl-d with marked rows: one plan that deletes them all, through the fix runner's dialog. */
function deleteMarked(marked: readonly ObjectRef[], s: CommandState, ports: CommandPorts): CommandResult {
  if (s.readonly) return say('error', 'Read-only mode (--readonly): deleting is turned off.');
  if (!ports.fixes) return unavailable('Deleting');
  return effect({
    type: 'dialog',
    dialog: { kind: 'action', plan: deleteManyPlan(marked), backend: ports.fixes, readonly: s.readonly },
  });
}

/** What `s 3` would be in kubectl: a count, 0 or more. */
export function replicasAnswer(ref: ObjectRef, answer: string): FixPlan | { error: string } {
  if (!/^\d+$/.test(answer) || Number(answer) > 100_000)
    return { error: `Not scaled: "${answer}" is not a replica count (a whole number, 0 or more).` };
  return scalePlan(ref, Number(answer));
}

function objectAction(command: CommandId, target: ObjectRef, s: CommandState, ports: CommandPorts): CommandResult {
  if (command === 'shell' || command === 'attach') {
    // A shell can change anything inside the container: read-only mode keeps it closed, as k9s does.
    if (s.readonly) return say('error', `Read-only mode (--readonly): ${command} is turned off.`);
    if (!ports.actions?.terminal) return unavailable(command === 'shell' ? 'A shell' : 'Attach');
    const pod = s.ctx.snapshot.get<Pod>('Pod', target.namespace, target.name);
    const containers = (pod?.spec.containers ?? []).map((c) => c.name);
    if (containers.length === 0) return say('error', `Pod ${target.name} has no container to ${command} to.`);
    const request: TerminalRequest = { pod: target, containers, mode: command === 'shell' ? 'exec' : 'attach' };
    return effect({ type: 'terminal', request, terminal: ports.actions.terminal });
  }
  if (!ports.fixes) return unavailable('Changing objects');
  const backend = ports.fixes;
  const readonly = s.readonly;
  if (command === 'edit') {
    if (target.kind === 'Secret')
      return say('error', "kcockpit does not edit Secrets: it never shows a Secret's values. Use kubectl edit.");
    if (readonly) return say('error', 'Read-only mode (--readonly): editing is turned off.');
    if (!ports.actions?.edit) return unavailable('Editing');
    return effect({ type: 'edit', target, edit: ports.actions.edit, backend, readonly });
  }
  if (command === 'scale') {
    const current = s.ctx.snapshot.get<Workload>(target.kind, target.namespace, target.name)?.spec.replicas;
    const ask: AskFirst = {
      title: `Scale ${target.kind} ${target.name}`,
      question: `Replicas for ${target.kind.toLowerCase()}/${target.name}${current !== undefined ? ` (now ${current})` : ''}:`,
      defaultValue: current !== undefined ? String(current) : '',
      plan: (answer) => replicasAnswer(target, answer),
    };
    return effect({ type: 'dialog', dialog: { kind: 'ask', ask, backend, readonly } });
  }
  const plan =
    command === 'restart'
      ? rolloutRestartPlan(target)
      : command === 'trigger'
        ? triggerCronJobPlan(target, s.ctx.now)
        : command === 'drain'
          ? drainPlan(target)
          : cordonPlan(target, command === 'cordon');
  return effect({ type: 'dialog', dialog: { kind: 'action', plan, backend, readonly } });
}

function fix(s: CommandState, ports: CommandPorts): CommandResult {
  const f = s.finding;
  if (!f) return say('info', 'Nothing to fix here: kcockpit found no problem for this row.');
  if (f.fixes.length === 0) {
    const cause =
      f.causedBy.length > 0
        ? ' It follows from its cause (under "Why"): fix that one first.'
        : ' Its explanation says what to do by hand.';
    return say('info', `kcockpit has no fix plan for "${f.title}".${cause}`);
  }
  if (!ports.fixes) return unavailable('Fixing');
  // Read-only mode still opens the dialog: plans and previews are only reading.
  return effect({ type: 'dialog', dialog: { kind: 'fix', finding: f, backend: ports.fixes, readonly: s.readonly } });
}

// Not a change to the cluster: allowed in read-only mode.
function switchContext(name: string, s: CommandState, ports: CommandPorts): CommandResult {
  if (name === s.ctx.currentContext) return say('info', `Already on context ${name}.`);
  const run = ports.actions?.switchContext;
  return run ? effect({ type: 'switchContext', name, switchContext: run }) : unavailable('Switching context');
}

function runLine(text: string, s: CommandState, ports: CommandPorts): CommandResult {
  const parsed = parseCommand(text, s.ctx.views, ports.resources ? s.ctx.snapshot.catalog : undefined);
  if (!parsed.ok) return say('error', parsed.error);
  const c = parsed.command;
  if (c.type === 'quit') return effect({ type: 'exit' });
  if (c.type === 'context') {
    if (!s.ctx.contexts.some((k) => k.name === c.name))
      return say('error', `No context "${c.name}" in the kubeconfig. :ctx lists them.`);
    return switchContext(c.name, s, ports);
  }
  const { snapshot } = s.ctx;
  // A user who may read one namespace only: the store watches that one (src/cli/cockpit.tsx),
  // so another would show the views it feeds empty. Kinds reached by name ask the server.
  if (typeof c.namespace === 'string' && !c.resource && snapshot.namespace && c.namespace !== snapshot.namespace)
    return say(
      'error',
      `Your user may not list pods in every namespace, so kcockpit watches "${snapshot.namespace}" only. Other kinds by name (:cm ${c.namespace}) ask the server.`,
    );
  const known = typeof c.namespace === 'string' ? knownNamespaces(snapshot) : [];
  // A cluster that shows no namespace at all (nothing listed yet), or will not say which
  // exist (namespaces may not be listed), cannot say no.
  const cannotTell = known.length === 0 || snapshot.forbidden.has('namespaces');
  if (typeof c.namespace === 'string' && !cannotTell && !known.includes(c.namespace))
    return say('error', `Namespace "${c.namespace}" not found. :ns lists the namespaces.`);
  const reset: UiAction = { type: 'reset', entry: entry(c.view, c.resource ? { resource: c.resource } : {}) };
  const note: UiAction[] = c.note ? [{ type: 'flash', flash: { kind: 'info', text: c.note } }] : [];
  return c.namespace === undefined
    ? act(reset, ...note)
    : act({ type: 'namespace', namespace: c.namespace ?? undefined }, reset, ...note);
}
