// What a view is, as data: its names, its keys, and for table views where the rows come
// from, how a row looks and what enter / d / y act on; text views produce lines. A view is
// one such definition plus one line in registry.ts; App.tsx runs every view the same way,
// so keys and windowing are written once.
import type { Finding, ObjectRef } from '../src/diagnose/types.js';
import type { KubeObject } from '../src/model/k8s.js';
import type { ResourceTableView } from '../src/store/resource-table.js';
import type { Snapshot } from '../src/store/snapshot.js';
import type { Column } from './components/table-layout.js';
import type { FindingIndex } from './data/finding-index.js';
import type { PodMetricsIndex } from './data/metrics.js';
import type { BY_CELL, SortKey } from './data/sort.js';
import type { LogState } from './hooks/useLogLines.js';
import { OBJECT_COMMANDS, TABLE_COMMANDS, type ViewKeys } from './keys/bindings.js';
import type { KubeContextInfo } from './render/contexts.js';
import type { RowView } from './render/row.js';
import type { PortForwardInfo } from './sources.js';
import type { ViewEntry } from './state.js';
import { compareText } from '../src/util/order.js';

/** What the views read, apart from the clock and the log: table rows are derived again only when this changes. */
export interface ViewData {
  snapshot: Snapshot;
  findings: FindingIndex;
  /** undefined = all namespaces. */
  namespace: string | undefined;
  contexts: readonly KubeContextInfo[];
  currentContext: string;
  portForwards: readonly PortForwardInfo[];
  /** Every view there is, for `?` (registry.ts). */
  views: ViewRegistry;
  /** The live Table of the `resource` view on screen (any kind, through discovery). */
  table?: ResourceTableView | undefined;
  /** The whole object a describe / YAML view shows, read from the server when it opened. */
  fetched?: FetchedObject | undefined;
  /** Pods' CPU and memory from metrics-server, in the pods view where the cluster serves it. */
  metrics?: PodMetricsIndex | undefined;
}

/** An object read on demand: loading, read, or the one-line reason it could not be. */
export type FetchedObject =
  | { state: 'loading'; subject: ObjectRef }
  | { state: 'ok'; subject: ObjectRef; object: KubeObject }
  | { state: 'error'; subject: ObjectRef; message: string };

export interface ViewContext extends ViewData {
  now: number;
  /** The log stream of a logs view on screen (empty elsewhere). */
  log: LogState;
}

/** Every view, by name and by the words `:` knows it by (registry.ts). */
export interface ViewRegistry {
  /** The view a ViewEntry names. */
  get(name: string): ViewDef | undefined;
  /** The view a `:` word names: its name or one of its aliases, in any case. */
  lookup(word: string): ViewDef | undefined;
  /** Views `:` reaches, in the order `?` lists them and completion offers their names. */
  readonly commands: readonly ViewDef[];
  /** Every view, detail views (describe, logs…) included. */
  readonly all: readonly ViewDef[];
}

/** How `:` reaches a view. */
export interface ViewCommand {
  /** Other names `:` accepts (singular, kubectl's short names), in the order completion offers them. */
  aliases: readonly string[];
  /** What `?` says the command shows; the view's name when absent. */
  shows?: string;
  /** `context`: the word after the name is a context to switch to (`:ctx minikube`). */
  argument?: 'context';
}

interface ViewBase {
  /** The view's id in ViewEntry.view, and its first name on the `:` line. */
  name: string;
  /** Views opened from a row (describe, logs…) have none. */
  command?: ViewCommand;
  /** Rows belong to a namespace: `0` shows every namespace, `:name <namespace>` one. */
  namespaced?: boolean;
  /** What the view's own keys do here (`l` only in pods); global keys need no entry. */
  keys?: ViewKeys;
}

export type ViewDef = TableViewDef<unknown> | TextViewDef;

/** What enter does: open another view (maybe in another namespace; null: every namespace), or switch context. */
export type Drill = { push: ViewEntry; namespace?: string | null } | { switchContext: string };

export interface TableViewDef<R> extends ViewBase {
  type: 'table';
  /** k9s-style title: `pods(observability)`. */
  title(ctx: ViewContext, entry: ViewEntry): string;
  columns(ctx: ViewContext): readonly Column[];
  /** Every row of the view, sorted, before the `/` filter. */
  rows(ctx: ViewContext, entry: ViewEntry): readonly R[];
  render(row: R, ctx: ViewContext): RowView;
  /** Labels for `/-l key=value`. */
  labels?(row: R): Record<string, string> | undefined;
  /** The object `d` and `y` (and pod keys) act on. */
  target?(row: R, ctx: ViewContext): ObjectRef | undefined;
  /** The whole object a row holds, where the view has it (a Secret's data, for shift-x). */
  object?(row: R): KubeObject | undefined;
  /**
   * A row's sort key for the column titled `column`, read from the row itself, for big lists;
   * BY_CELL: sort that column by its rendered cell (data/sort.ts), which costs a render per row.
   */
  sortKey?(row: R, column: string, ctx: ViewContext): SortKey | typeof BY_CELL;
  drill?(row: R, ctx: ViewContext): Drill | undefined;
  /** The port-forward a row is (`:pf`), which ctrl-d stops. */
  forward?(row: R): PortForwardInfo | undefined;
  /** The finding about a row: its marker, and what `x` fixes (the pane's, where there is one). */
  finding?(row: R, ctx: ViewContext): Finding | undefined;
  /** The pane that explains the selected row's finding; views without it have none. */
  pane?: FindingPaneDef<R>;
  emptyText(ctx: ViewContext, entry: ViewEntry): string;
}

export interface FindingPaneDef<R> {
  finding(row: R, ctx: ViewContext): Finding | undefined;
  /** Where the rest of it is when the pane is too short, e.g. `enter: the whole finding`. */
  more: string;
}

export interface TextViewDef extends ViewBase {
  type: 'text';
  title(ctx: ViewContext, entry: ViewEntry): string;
  /** The text, one string per line (wrapped to the width by the view). */
  lines(ctx: ViewContext, entry: ViewEntry): readonly string[];
  /** The finding the text is about, which `x` fixes. */
  finding?(ctx: ViewContext, entry: ViewEntry): Finding | undefined;
}

/** Every key a view offers besides the global ones: its own, and `0` where rows belong to a namespace. */
export function keysOf(def: ViewDef): ViewKeys {
  // Rows that name an object get the object actions (each checks the row's kind when
  // pressed), sorting and marks.
  const actions = def.type === 'table' && def.target ? OBJECT_ACTIONS : {};
  return def.namespaced ? { 'namespace.all': true, ...actions, ...def.keys } : { ...actions, ...def.keys };
}

const OBJECT_ACTIONS: ViewKeys = Object.fromEntries([...OBJECT_COMMANDS, ...TABLE_COMMANDS].map((c) => [c, true]));

/** The finding `x` acts on and the pane explains: the selected row's, or the text view's. */
export function findingOf(def: ViewDef, ctx: ViewContext, entry: ViewEntry, selected: unknown): Finding | undefined {
  if (def.type === 'text') return def.finding?.(ctx, entry);
  if (selected === undefined) return undefined;
  return (def.pane?.finding ?? def.finding)?.(selected, ctx);
}

export function nsTitle(view: string, ctx: ViewContext): string {
  return `${view}(${ctx.namespace ?? 'all'})`;
}

/** Objects of a namespaced list in the current namespace (all of them for all namespaces). */
export function inNamespace<T extends { metadata: { namespace?: string } }>(
  items: readonly T[],
  ctx: ViewContext,
): readonly T[] {
  return ctx.namespace === undefined ? items : items.filter((i) => i.metadata.namespace === ctx.namespace);
}

/**
 * Sort by namespace then name, as kubectl lists them. The store hands lists over in the API
 * server's own order (namespace, then name) with new objects at the end, so the input is
 * nearly sorted and the engine's merge sort does little more than one pass: comparing in
 * place, without building a key per object, keeps a 10,000-pod re-sort under a millisecond.
 */
export function byNamespaceAndName<T extends { metadata: { name: string; namespace?: string } }>(
  items: readonly T[],
): T[] {
  return [...items].sort(
    (a, b) =>
      compareText(a.metadata.namespace ?? '', b.metadata.namespace ?? '') ||
      compareText(a.metadata.name, b.metadata.name),
  );
}
