// `?`: every key of the view it was opened from, straight from the bindings table, then the
// keys of the dialogs the view can open, then the `:` commands with their aliases.
import type { Column } from './components/table-layout.js';
import { DIALOG_NAMES, dialogHelpFor, helpFor } from './keys/bindings.js';
import { ALIASES } from './keys/commands.js';
import type { TableViewDef } from './view-def.js';
import { isNamespaced } from './view-kinds.js';

export interface HelpRow {
  keys: string;
  description: string;
}

const COLUMNS: readonly Column[] = [
  { key: 'keys', title: 'KEY', width: 18 },
  { key: 'description', title: 'WHAT IT DOES', minWidth: 20, flex: 1 },
];

const VIEW_NAMES: Record<string, string> = {
  helm: 'Helm releases',
  findings: 'problems kcockpit found, causes first',
  portforwards: 'running port-forwards',
};

export const helpView: TableViewDef<HelpRow> = {
  type: 'table',
  title: (_ctx, e) => `help(${e.helpFor ?? 'pods'})`,
  columns: () => COLUMNS,
  rows: (_ctx, e) => [
    ...helpFor(e.helpFor ?? 'pods').map((h) => ({ keys: h.keys.join(' / '), description: h.description })),
    ...dialogHelpFor(e.helpFor ?? 'pods').map((h) => ({
      keys: h.keys.join(' / '),
      description: `${DIALOG_NAMES[h.dialog]}: ${h.description}`,
    })),
    ...ALIASES.map(({ view, names }) => {
      const also =
        names.length > 1
          ? ` (also ${names
              .slice(1)
              .map((n) => `:${n}`)
              .join(' ')})`
          : '';
      const arg =
        view === 'contexts' ? `; :${names[0]} <name> switches` : isNamespaced(view) ? `; :${names[0]} <namespace>` : '';
      return { keys: `:${names[0]}`, description: `Show ${VIEW_NAMES[view] ?? view}${also}${arg}` };
    }),
    { keys: ':q', description: 'Quit kcockpit' },
  ],
  render: (row) => ({ cells: [row.keys, row.description] }),
  emptyText: () => 'No keys.',
};
