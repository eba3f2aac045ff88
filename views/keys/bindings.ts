// Keys are data: every command the cockpit knows, the keys that trigger it (k9s habits) and
// the words `?` shows. Global commands work everywhere; the others work in the views whose
// definition lists them (`keys` in view-def.ts), with that view's own wording. The one
// dispatcher (dispatcher.ts) resolves a key name to a command through this table.

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
  | 'delete'
  | 'edit'
  | 'scale'
  | 'restart'
  | 'trigger'
  | 'cordon'
  | 'uncordon'
  | 'drain'
  | 'shell'
  | 'attach'
  | 'decode'
  | 'sort.name'
  | 'sort.age'
  | 'sort.status'
  | 'sort.ready'
  | 'sort.restarts'
  | 'sort.cpu'
  | 'sort.mem'
  | 'sort.node'
  | 'sort.ip'
  | 'mark.toggle'
  | 'mark.span'
  | 'mark.clear';

export interface Binding {
  /** Key names as `keyName()` produces them; `G` is accepted for `shift-g`. */
  keys: readonly string[];
  description: string;
  /**
   * A global key works in every view. The others work only in views that offer them
   * (`ViewKeys`), and there they win over global keys.
   */
  global?: true;
  /**
   * An object action: offered in every table view whose rows name an object (`target`),
   * and only on rows of these kinds (every kind when absent). Two actions may share a key
   * when their kinds differ (`s`: shell on a pod, scale on a Deployment), as in k9s.
   */
  object?: { kinds?: readonly string[] };
  /**
   * A sort key (k9s's shift-letters): the column it sorts by, by title (the first one the
   * view has), and whether the first press sorts the largest first. Offered, like marks, in
   * every table view whose rows name an object.
   */
  sort?: { columns: readonly string[]; descending: boolean };
  /** Marking rows (space, ctrl-space, ctrl-\): offered where sort keys are. */
  mark?: true;
}

export type BindingTable = Readonly<Record<CommandId, Binding>>;

/**
 * The commands a view offers besides the global ones, each with what it does in that view
 * (`true`: the binding's own description).
 */
export type ViewKeys = Readonly<Partial<Record<CommandId, string | true>>>;

export const BINDINGS: BindingTable = {
  'cursor.down': { keys: ['j', 'down'], description: 'Move down one row', global: true },
  'cursor.up': { keys: ['k', 'up'], description: 'Move up one row', global: true },
  'cursor.pageDown': { keys: ['pagedown', 'ctrl-f'], description: 'Move down one page', global: true },
  'cursor.pageUp': { keys: ['pageup', 'ctrl-b'], description: 'Move up one page', global: true },
  'cursor.top': { keys: ['g', 'home'], description: 'Go to the first row', global: true },
  'cursor.bottom': { keys: ['G', 'end'], description: 'Go to the last row (logs: follow new lines)', global: true },
  'prompt.command': {
    keys: [':'],
    description: 'Command: switch view (:pods, :helm, :pods <namespace>, :q)',
    global: true,
  },
  'prompt.filter': {
    keys: ['/'],
    description: 'Filter rows: text, !text (inverse), -l key=value (labels)',
    global: true,
  },
  help: { keys: ['?'], description: 'Show the keys of this view', global: true },
  'view.back': { keys: ['escape'], description: 'Clear the filter, or go back to the previous view', global: true },
  quit: { keys: ['q', 'ctrl-c'], description: 'Quit kcockpit', global: true },
  'namespace.all': { keys: ['0'], description: 'Show all namespaces' },
  drill: { keys: ['enter'], description: 'Open the selected row' },
  describe: { keys: ['d'], description: 'Describe the selected object (with its events)' },
  yaml: { keys: ['y'], description: 'Show the YAML of the selected object' },
  logs: { keys: ['l'], description: "Show the pod's logs (several containers: choose one, or all of them)" },
  'logs.previous': { keys: ['p'], description: "Show the previous container's logs (why it crashed)" },
  // `f` is k9s's "show port-forwards": kept free so k9s hands do not run a fix by accident.
  fix: { keys: ['x'], description: 'Fix the selected problem (shows the plan and asks first)' },
  portForward: {
    keys: ['shift-f'],
    description: 'Port-forward to the selected pod: choose ports, local ports and address',
  },
  delete: {
    keys: ['ctrl-d'],
    description: 'Delete the selected pod (asks first); with marked rows, all of them as one plan',
  },
  edit: {
    keys: ['e'],
    description: "Edit the object's YAML in $EDITOR, then see the diff and apply it (kubectl edit)",
    object: {},
  },
  scale: {
    keys: ['s'],
    description: 'Scale: asks for the replica count (kubectl scale)',
    object: { kinds: ['Deployment', 'StatefulSet', 'ReplicaSet'] },
  },
  restart: {
    keys: ['r'],
    description: 'Restart its pods the controller way (kubectl rollout restart)',
    object: { kinds: ['Deployment', 'StatefulSet', 'DaemonSet'] },
  },
  trigger: {
    keys: ['t'],
    description: 'Run the CronJob now (kubectl create job --from=cronjob/…)',
    object: { kinds: ['CronJob'] },
  },
  cordon: { keys: ['c'], description: 'Cordon the node (kubectl cordon)', object: { kinds: ['Node'] } },
  uncordon: { keys: ['u'], description: 'Uncordon the node (kubectl uncordon)', object: { kinds: ['Node'] } },
  drain: {
    keys: ['r'],
    description: 'Drain the node: cordon, then evict its pods; budgets honoured (kubectl drain)',
    object: { kinds: ['Node'] },
  },
  shell: {
    keys: ['s'],
    description: 'Shell into a container of the pod (kubectl exec -it … -- sh)',
    object: { kinds: ['Pod'] },
  },
  attach: {
    keys: ['a'],
    description: "Attach to the container's main process (kubectl attach -it)",
    object: { kinds: ['Pod'] },
  },
  // k9s decodes with `x`, which is kcockpit's fix: shift-x is the nearest key a k9s hand finds.
  decode: {
    keys: ['shift-x'],
    description: "Show one key's decoded value (asks which key, then y/n; never logged)",
    object: { kinds: ['Secret'] },
  },
  // k9s's sort keys; the same key again reverses the order.
  'sort.name': { keys: ['shift-n'], description: 'Sort by NAME', sort: { columns: ['NAME'], descending: false } },
  'sort.age': {
    keys: ['shift-a'],
    description: 'Sort by AGE (newest first)',
    sort: { columns: ['AGE'], descending: false },
  },
  'sort.status': {
    keys: ['shift-s'],
    description: 'Sort by STATUS',
    sort: { columns: ['STATUS'], descending: false },
  },
  'sort.ready': { keys: ['shift-r'], description: 'Sort by READY', sort: { columns: ['READY'], descending: false } },
  'sort.restarts': {
    keys: ['shift-t'],
    description: 'Sort by RESTARTS (most first)',
    sort: { columns: ['RESTARTS'], descending: true },
  },
  'sort.cpu': {
    keys: ['shift-c'],
    description: 'Sort by CPU (most first)',
    sort: { columns: ['CPU'], descending: true },
  },
  'sort.mem': {
    keys: ['shift-m'],
    description: 'Sort by MEM (most first)',
    sort: { columns: ['MEM', 'MEMORY'], descending: true },
  },
  'sort.node': { keys: ['shift-o'], description: 'Sort by NODE', sort: { columns: ['NODE'], descending: false } },
  'sort.ip': { keys: ['shift-i'], description: 'Sort by IP', sort: { columns: ['IP'], descending: false } },
  'mark.toggle': {
    keys: ['space'],
    description: 'Mark or unmark the row (ctrl-d then deletes every marked row)',
    mark: true,
  },
  'mark.span': {
    keys: ['ctrl-space'],
    description: 'Mark every row from the last marked one to the cursor',
    mark: true,
  },
  'mark.clear': { keys: ['ctrl-\\'], description: 'Clear the marks', mark: true },
};

/** The object actions, in the table's order. */
export const OBJECT_COMMANDS: readonly CommandId[] = (Object.entries(BINDINGS) as [CommandId, Binding][])
  .filter(([, b]) => b.object)
  .map(([c]) => c);

/** Sort keys and marks: every table view whose rows name an object offers them. */
export const TABLE_COMMANDS: readonly CommandId[] = (Object.entries(BINDINGS) as [CommandId, Binding][])
  .filter(([, b]) => b.sort || b.mark)
  .map(([c]) => c);

/** The commands the status line hints at, where the view offers them. */
export const STATUS_HINTS: readonly CommandId[] = [
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

/** `G` → `shift-g`: the table may name a shifted letter either way. */
export function canonicalKey(name: string): string {
  return /^[A-Z]$/.test(name) ? `shift-${name.toLowerCase()}` : name;
}

function availableIn(command: CommandId, binding: Binding, keys: ViewKeys): boolean {
  return binding.global === true || keys[command] !== undefined;
}

function matches(binding: Binding, key: string): boolean {
  return binding.keys.some((k) => canonicalKey(k) === key);
}

function entries(table: BindingTable): [CommandId, Binding][] {
  return Object.entries(table) as [CommandId, Binding][];
}

/** An object action fits the selected row's kind (other commands fit every row). */
function fitsKind(binding: Binding, kind: string | undefined): boolean {
  const kinds = binding.object?.kinds;
  return kinds === undefined || (kind !== undefined && kinds.includes(kind));
}

/** The command a key triggers through a binding the view offers (the view layer), for a row of `kind`. */
export function viewCommand(
  key: string,
  keys: ViewKeys,
  kind?: string,
  table: BindingTable = BINDINGS,
): CommandId | undefined {
  return entries(table).find(
    ([c, b]) => !b.global && keys[c] !== undefined && fitsKind(b, kind) && matches(b, key),
  )?.[0];
}

/** The command a key triggers everywhere (the global layer, asked after the view's). */
export function globalCommand(key: string, table: BindingTable = BINDINGS): CommandId | undefined {
  return entries(table).find(([, b]) => b.global && matches(b, key))?.[0];
}

export interface HelpEntry {
  command: CommandId;
  keys: readonly string[];
  description: string;
}

/**
 * Every key that works in a view, for `?`, in the table's order; with `kinds` (of the view's
 * rows), only the object actions that fit one of them.
 */
export function helpFor(
  keys: ViewKeys,
  kinds?: ReadonlySet<string>,
  table: BindingTable = BINDINGS,
  columns?: ReadonlySet<string>,
): HelpEntry[] {
  return (
    entries(table)
      .filter(([c, b]) => availableIn(c, b, keys))
      .filter(([, b]) => !kinds || !b.object?.kinds || b.object.kinds.some((k) => kinds.has(k)))
      // With `columns` (the view's titles), only the sort keys that have a column to sort.
      .filter(([, b]) => !columns || !b.sort || b.sort.columns.some((c) => columns.has(c)))
      .map(([command, b]) => {
        const wording = keys[command];
        const kinds = b.object?.kinds ? ` [${b.object.kinds.join(', ')}]` : '';
        return {
          command,
          keys: b.keys,
          description: `${typeof wording === 'string' ? wording : b.description}${kinds}`,
        };
      })
  );
}

/** The short hints for the status bar: the first key of a few commands. */
export function hintsFor(keys: ViewKeys, commands: readonly CommandId[], table: BindingTable = BINDINGS): string {
  return commands
    .filter((c) => availableIn(c, table[c], keys))
    .map((c) => `<${table[c].keys[0]}> ${c.split('.').pop()}`)
    .join(' ');
}

// Dialogs sit over the view and take every key first (the dispatcher's first layer). Their
// keys are data too, so `?` can list them and the dialogs' hint lines read from one place.

export type DialogKind = 'confirm' | 'fix' | 'portForward' | 'choose' | 'reveal';

export type DialogCommandId =
  | 'dialog.down'
  | 'dialog.up'
  | 'dialog.pageDown'
  | 'dialog.pageUp'
  | 'dialog.top'
  | 'dialog.bottom'
  | 'dialog.enter'
  | 'dialog.yes'
  | 'dialog.no'
  | 'dialog.close'
  | 'portForward.toggle'
  | 'portForward.localPort'
  | 'portForward.address'
  | 'portForward.takeProposal';

export interface DialogBinding {
  keys: readonly string[];
  description: string;
  dialogs: readonly DialogKind[];
  perDialog?: Partial<Record<DialogKind, string>>;
  /** The word the dialog's hint line shows, e.g. `<space> toggle`. */
  hint: string;
}

export type DialogBindingTable = Readonly<Record<DialogCommandId, DialogBinding>>;

export const DIALOG_BINDINGS: DialogBindingTable = {
  'dialog.down': {
    keys: ['j', 'down'],
    description: 'Move down (in a preview: scroll one line)',
    dialogs: ['fix', 'portForward', 'choose', 'reveal'],
    hint: 'down',
  },
  'dialog.up': {
    keys: ['k', 'up'],
    description: 'Move up (in a preview: scroll one line)',
    dialogs: ['fix', 'portForward', 'choose', 'reveal'],
    hint: 'up',
  },
  'dialog.pageDown': {
    keys: ['pagedown', 'ctrl-f'],
    description: 'Scroll the preview down one page',
    dialogs: ['fix'],
    hint: 'page',
  },
  'dialog.pageUp': {
    keys: ['pageup', 'ctrl-b'],
    description: 'Scroll the preview up one page',
    dialogs: ['fix'],
    hint: 'page up',
  },
  'dialog.top': { keys: ['g', 'home'], description: 'Go to the start of the preview', dialogs: ['fix'], hint: 'top' },
  'dialog.bottom': { keys: ['G', 'end'], description: 'Go to the end of the preview', dialogs: ['fix'], hint: 'end' },
  'dialog.enter': {
    keys: ['enter'],
    description: 'Choose',
    dialogs: ['fix', 'portForward', 'choose', 'reveal'],
    perDialog: {
      choose: 'Take the option under the cursor (a container, a Secret key)',
      reveal: 'Close the value',
      fix: 'Choose the plan; on its preview, run it (a dry run first, then it asks y/n before changing anything)',
      portForward: 'Start forwarding the selected ports',
    },
    hint: 'choose',
  },
  'dialog.yes': {
    keys: ['y'],
    description: 'Yes: answer the question',
    dialogs: ['confirm', 'fix', 'portForward'],
    hint: 'yes',
  },
  'dialog.no': {
    keys: ['n'],
    description: 'No: answer the question',
    dialogs: ['confirm', 'fix', 'portForward'],
    hint: 'no',
  },
  'dialog.close': {
    keys: ['escape'],
    description: 'Close the dialog; a question still open is answered no',
    dialogs: ['confirm', 'fix', 'portForward', 'choose', 'reveal'],
    perDialog: {
      portForward: 'Stop editing the field, or close the dialog',
      reveal: 'Close the value: it is forgotten',
    },
    hint: 'close',
  },
  'portForward.toggle': {
    keys: ['space'],
    description: 'Select or unselect the port under the cursor',
    dialogs: ['portForward'],
    hint: 'toggle',
  },
  'portForward.localPort': {
    keys: ['e'],
    description: 'Edit the local port of the port under the cursor',
    dialogs: ['portForward'],
    hint: 'local port',
  },
  'portForward.address': {
    keys: ['a'],
    description: 'Edit the bind address (127.0.0.1: this machine only)',
    dialogs: ['portForward'],
    hint: 'address',
  },
  'portForward.takeProposal': {
    keys: ['p'],
    description: 'Use the free local port proposed when the chosen one is busy',
    dialogs: ['portForward'],
    hint: 'use free port',
  },
};

/** The command that opens each dialog, so `?` lists a dialog's keys in the views it opens from. */
export const DIALOG_OPENERS: Readonly<Record<DialogKind, CommandId>> = {
  confirm: 'delete',
  fix: 'fix',
  portForward: 'portForward',
  choose: 'shell',
  reveal: 'decode',
};

export const DIALOG_NAMES: Readonly<Record<DialogKind, string>> = {
  confirm: 'y/n question',
  fix: 'Fix dialog',
  portForward: 'Port-forward dialog',
  choose: 'Chooser',
  reveal: 'Secret value',
};

/** The command a key triggers in an open dialog. */
export function dialogCommand(
  key: string,
  dialog: DialogKind,
  table: DialogBindingTable = DIALOG_BINDINGS,
): DialogCommandId | undefined {
  return (Object.entries(table) as [DialogCommandId, DialogBinding][]).find(
    ([, b]) => b.dialogs.includes(dialog) && b.keys.some((k) => canonicalKey(k) === key),
  )?.[0];
}

export interface DialogHelpEntry {
  dialog: DialogKind;
  command: DialogCommandId;
  keys: readonly string[];
  description: string;
}

/** Every key of the dialogs a view can open, for `?`. */
export function dialogHelpFor(
  keys: ViewKeys,
  table: DialogBindingTable = DIALOG_BINDINGS,
  views: BindingTable = BINDINGS,
  kinds?: ReadonlySet<string>,
): DialogHelpEntry[] {
  // With `kinds` (of the view's rows), only dialogs whose opener fits one of them (no Secret value among pods).
  const dialogs = (Object.keys(DIALOG_OPENERS) as DialogKind[]).filter((d) => {
    const opener = views[DIALOG_OPENERS[d]];
    return (
      availableIn(DIALOG_OPENERS[d], opener, keys) &&
      (!kinds || !opener.object?.kinds || opener.object.kinds.some((k) => kinds.has(k)))
    );
  });
  return dialogs.flatMap((dialog) =>
    (Object.entries(table) as [DialogCommandId, DialogBinding][])
      .filter(([, b]) => b.dialogs.includes(dialog))
      .map(([command, b]) => ({ dialog, command, keys: b.keys, description: b.perDialog?.[dialog] ?? b.description })),
  );
}

/**
 * A dialog's hint line, `<enter> choose <escape> close`, from the first key of each command;
 * `[command, word]` names what the key does at that moment (`<enter> apply`).
 */
export function dialogHints(
  commands: readonly (DialogCommandId | readonly [DialogCommandId, string])[],
  table: DialogBindingTable = DIALOG_BINDINGS,
): string {
  return commands
    .map((c) => {
      const [command, word] = typeof c === 'string' ? [c, table[c].hint] : c;
      return `<${table[command].keys[0] ?? ''}> ${word}`;
    })
    .join(' ');
}
