// `?`: every key of the view it was opened from, straight from the bindings table and the
// view's definition, then the keys of the dialogs the view can open, then the `:` commands
// with their aliases, as the view registry lists them.
import type { Column } from './components/table-layout.js';
import { DIALOG_NAMES, dialogHelpFor, helpFor } from './keys/bindings.js';
import { entry } from './state.js';
import { keysOf, type TableViewDef, type ViewContext, type ViewDef } from './view-def.js';

export interface HelpRow {
  keys: string;
  description: string;
}

const COLUMNS: readonly Column[] = [
  { key: 'keys', title: 'KEY', width: 18 },
  { key: 'description', title: 'WHAT IT DOES', minWidth: 20, flex: 1 },
];

function commandRow(def: ViewDef): HelpRow {
  const aliases = def.command?.aliases ?? [];
  const also = aliases.length > 0 ? ` (also ${aliases.map((n) => `:${n}`).join(' ')})` : '';
  const arg =
    def.command?.argument === 'context'
      ? `; :${def.name} <name> switches`
      : def.namespaced
        ? `; :${def.name} <namespace>`
        : '';
  return { keys: `:${def.name}`, description: `Show ${def.command?.shows ?? def.name}${also}${arg}` };
}

/** The kinds a table view's rows name (a sample of them), so `?` offers only the actions that fit. */
function rowKinds(def: ViewDef, ctx: ViewContext): ReadonlySet<string> | undefined {
  if (def.type !== 'table' || !def.target) return undefined;
  const kinds = new Set<string>();
  for (const row of def.rows(ctx, entry(def.name)).slice(0, 500)) {
    const kind = def.target(row, ctx)?.kind;
    if (kind) kinds.add(kind);
  }
  return kinds;
}

export const helpView: TableViewDef<HelpRow> = {
  type: 'table',
  name: 'help',
  title: (_ctx, e) => `help(${e.helpFor ?? 'pods'})`,
  columns: () => COLUMNS,
  rows(ctx, e) {
    const about = ctx.views.get(e.helpFor ?? 'pods');
    const keys = about ? keysOf(about) : {};
    // Sort keys only for the columns the view has.
    const columns = about?.type === 'table' ? new Set(about.columns(ctx).map((c) => c.title)) : undefined;
    const kinds = about && rowKinds(about, ctx);
    return [
      ...helpFor(keys, kinds, undefined, columns).map((h) => ({
        keys: h.keys.join(' / '),
        description: h.description,
      })),
      ...dialogHelpFor(keys, undefined, undefined, kinds).map((h) => ({
        keys: h.keys.join(' / '),
        description: `${DIALOG_NAMES[h.dialog]}: ${h.description}`,
      })),
      ...ctx.views.commands.map(commandRow),
      { keys: ':q', description: 'Quit kcockpit' },
    ];
  },
  render: (row) => ({ cells: [row.keys, row.description] }),
  emptyText: () => 'No keys.',
};
