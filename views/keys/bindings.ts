// Keys are data: every command the cockpit knows, the keys that trigger it (k9s habits),
// the views it is available in, and the words `?` shows. The one dispatcher
// (dispatcher.ts) resolves a key name to a command through this table.
import { NAMESPACED_VIEWS, type ViewKind } from '../view-kinds.js';

export type CommandId =
  | 'cursor.up'
  | 'cursor.down'
  | 'cursor.pageUp'
  | 'cursor.pageDown'
  | 'cursor.top'
  | 'cursor.bottom'
  | 'prompt.command'
  | 'prompt.filter'
  | 'help'
  | 'view.back'
  | 'quit'
  | 'namespace.all'
  | 'drill'
  | 'describe'
  | 'yaml'
  | 'logs'
  | 'logs.previous'
  | 'fix'
  | 'portForward'
  | 'delete';

export interface Binding {
  /** Key names as `keyName()` produces them; `G` is accepted for `shift-g`. */
  keys: readonly string[];
  description: string;
  /** `all`: a global key. Otherwise the views it works in; those win over global keys. */
  views: 'all' | readonly ViewKind[];
  /** Wording for views where the command does something more specific. */
  perView?: Partial<Record<ViewKind, string>>;
}

export type BindingTable = Readonly<Record<CommandId, Binding>>;

const DRILLABLE: readonly ViewKind[] = ['pods', 'namespaces', 'helm', 'findings', 'deployments', 'statefulsets', 'services', 'contexts'];
const OBJECT_VIEWS: readonly ViewKind[] = ['pods', 'events', 'findings', 'namespaces', 'deployments', 'statefulsets', 'services'];

export const BINDINGS: BindingTable = {
  'cursor.down': { keys: ['j', 'down'], description: 'Move down one row', views: 'all' },
  'cursor.up': { keys: ['k', 'up'], description: 'Move up one row', views: 'all' },
  'cursor.pageDown': { keys: ['pagedown', 'ctrl-f'], description: 'Move down one page', views: 'all' },
  'cursor.pageUp': { keys: ['pageup', 'ctrl-b'], description: 'Move up one page', views: 'all' },
  'cursor.top': { keys: ['g', 'home'], description: 'Go to the first row', views: 'all' },
  'cursor.bottom': { keys: ['G', 'end'], description: 'Go to the last row (logs: follow new lines)', views: 'all' },
  'prompt.command': { keys: [':'], description: 'Command: switch view (:pods, :helm, :pods <namespace>, :q)', views: 'all' },
  'prompt.filter': { keys: ['/'], description: 'Filter rows: text, !text (inverse), -l key=value (labels)', views: 'all' },
  help: { keys: ['?'], description: 'Show the keys of this view', views: 'all' },
  'view.back': { keys: ['escape'], description: 'Clear the filter, or go back to the previous view', views: 'all' },
  quit: { keys: ['q', 'ctrl-c'], description: 'Quit kcockpit', views: 'all' },
  'namespace.all': { keys: ['0'], description: 'Show all namespaces', views: NAMESPACED_VIEWS },
  drill: {
    keys: ['enter'],
    description: 'Open the selected row',
    views: DRILLABLE,
    perView: {
      pods: "Show the pod's findings",
      namespaces: 'Show the pods of the namespace',
      helm: "Show the pods of the release's workloads",
      findings: 'Read the whole finding: cause chain, evidence, fix plans',
      deployments: 'Show the pods of the deployment',
      statefulsets: 'Show the pods of the statefulset',
      services: 'Show the pods the service selects',
      contexts: 'Switch to the context',
    },
  },
  describe: { keys: ['d'], description: 'Describe the selected object (with its events)', views: OBJECT_VIEWS, perView: { events: 'Describe the object the event is about' } },
  yaml: { keys: ['y'], description: 'Show the YAML of the selected object', views: [...OBJECT_VIEWS, 'helm'] },
  logs: { keys: ['l'], description: "Show the pod's logs (the failing container first)", views: ['pods'] },
  'logs.previous': { keys: ['p'], description: "Show the previous container's logs (why it crashed)", views: ['pods'] },
  // `f` is k9s's "show port-forwards": kept free so k9s hands do not run a fix by accident.
  fix: { keys: ['x'], description: 'Fix the selected problem (shows the plan and asks first)', views: ['pods', 'findings', 'finding'] },
  portForward: { keys: ['shift-f'], description: 'Port-forward to the selected pod', views: ['pods'] },
  delete: { keys: ['ctrl-d'], description: 'Delete the selected pod (asks first)', views: ['pods'] },
};

/** `G` → `shift-g`: the table may name a shifted letter either way. */
export function canonicalKey(name: string): string {
  return /^[A-Z]$/.test(name) ? `shift-${name.toLowerCase()}` : name;
}

function availableIn(binding: Binding, view: ViewKind): boolean {
  return binding.views === 'all' || binding.views.includes(view);
}

function matches(binding: Binding, key: string): boolean {
  return binding.keys.some((k) => canonicalKey(k) === key);
}

/** The command a key triggers through a binding made for this view (the view layer). */
export function viewCommand(key: string, view: ViewKind, table: BindingTable = BINDINGS): CommandId | undefined {
  return (Object.entries(table) as [CommandId, Binding][]).find(([, b]) => b.views !== 'all' && b.views.includes(view) && matches(b, key))?.[0];
}

/** The command a key triggers everywhere (the global layer, asked after the view's). */
export function globalCommand(key: string, table: BindingTable = BINDINGS): CommandId | undefined {
  return (Object.entries(table) as [CommandId, Binding][]).find(([, b]) => b.views === 'all' && matches(b, key))?.[0];
}

export interface HelpEntry {
  command: CommandId;
  keys: readonly string[];
  description: string;
}

/** Every key that works in a view, for `?`. */
export function helpFor(view: ViewKind, table: BindingTable = BINDINGS): HelpEntry[] {
  return (Object.entries(table) as [CommandId, Binding][])
    .filter(([, b]) => availableIn(b, view))
    .map(([command, b]) => ({ command, keys: b.keys, description: b.perView?.[view] ?? b.description }));
}

/** The short hints for the status bar: the first key of a few commands. */
export function hintsFor(view: ViewKind, commands: readonly CommandId[], table: BindingTable = BINDINGS): string {
  return commands
    .filter((c) => availableIn(table[c], view))
    .map((c) => `<${table[c].keys[0]}> ${c.split('.').pop()}`)
    .join(' ');
}
