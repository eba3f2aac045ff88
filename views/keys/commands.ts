// The `:` command language, k9s style: a view's name (singular, plural or kubectl's short
// name, as its definition lists them), optionally followed by a namespace
// (`:pods observability`) or, for contexts, the context to switch to; `:q` quits. The words
// come from the view registry, so a new view is reachable without a change here.
import type { ResourceCatalog } from '../../src/model/resource-catalog.js';
import { resourceKey } from '../data/resources.js';
import type { ViewDef, ViewRegistry } from '../view-def.js';

const QUIT = ['quit', 'q', 'q!'];

/** `all` (as in `k9s -n all`) and `-A` (as in kubectl) both mean every namespace. */
const ALL_NAMESPACES = ['all', '-A'];

export type ParsedCommand =
  | {
      type: 'view';
      view: string;
      /** undefined: keep the current namespace; null: all namespaces. */ namespace?: string | null;
      /** The `resource` view: which kind (data/resources.ts's resourceKey). */
      resource?: string;
      /** Said in the status line: which of several kinds the name picked, and how to name the others. */
      note?: string;
    }
  | { type: 'context'; name: string }
  | { type: 'quit' };

export type ParseResult = { ok: true; command: ParsedCommand } | { ok: false; error: string };

/** The words `:` knows a view by, canonical first. */
function commandNames(def: ViewDef): readonly string[] {
  return def.command ? [def.name, ...def.command.aliases] : [];
}

/**
 * `catalog`: what the server serves, for names no view has (`:cm`, `:crd`, `:certificates`);
 * views keep their own names first (`:pods`, `:helm`, `:pf`).
 */
export function parseCommand(text: string, views: ViewRegistry, catalog?: ResourceCatalog): ParseResult {
  const words = text.trim().replace(/^:/, '').split(/\s+/).filter(Boolean);
  const [head, arg, ...extra] = words;
  if (!head) return { ok: false, error: 'Type a command, e.g. :pods, :helm, :findings, :pods observability, :q' };
  const name = head.toLowerCase();
  if (QUIT.includes(name))
    return arg ? { ok: false, error: `:${name} takes no argument` } : { ok: true, command: { type: 'quit' } };
  const def = views.lookup(name);
  if (!def?.command)
    return catalog
      ? parseResource(head, arg, extra, catalog)
      : { ok: false, error: `Unknown command ":${head}": try :pods, :events, :helm, :findings (? lists all)` };
  const takesContext = def.command.argument === 'context';
  if (extra.length > 0)
    return {
      ok: false,
      error: `Too many words: ":${head}" takes at most one (${takesContext ? 'a context' : 'a namespace'})`,
    };
  if (arg === undefined) return { ok: true, command: { type: 'view', view: def.name } };
  if (takesContext) return { ok: true, command: { type: 'context', name: arg } };
  if (!def.namespaced) return { ok: false, error: `:${name} lists cluster-wide objects and takes no namespace` };
  return { ok: true, command: { type: 'view', view: def.name, namespace: ALL_NAMESPACES.includes(arg) ? null : arg } };
}

function parseResource(head: string, arg: string | undefined, extra: string[], catalog: ResourceCatalog): ParseResult {
  const found = catalog.resolve(head);
  if (!found.ok)
    return catalog.resources.length
      ? { ok: false, error: `:${head}: ${found.message}` }
      : {
          ok: false,
          error: `:${head}: the server's resource types are not read yet (connecting); try again in a moment`,
        };
  const r = found.resource;
  const key = resourceKey(r);
  if (extra.length > 0) return { ok: false, error: `Too many words: ":${head}" takes at most one (a namespace)` };
  if (arg !== undefined && !r.namespaced)
    return { ok: false, error: `:${head} lists cluster-wide objects (${key}) and takes no namespace` };
  const command: ParsedCommand = { type: 'view', view: 'resource', resource: key };
  if (found.alternatives.length > 0)
    command.note = `:${head} is ${key} (${r.group || 'core'}/${r.version}); also served: ${found.alternatives.join(', ')} — type that name for it.`;
  if (arg !== undefined) command.namespace = ALL_NAMESPACES.includes(arg) ? null : arg;
  return { ok: true, command };
}

export interface CompletionSource {
  namespaces: readonly string[];
  contexts: readonly string[];
  /** What the server serves: completion offers its names after the views'. */
  catalog?: ResourceCatalog;
}

/**
 * The completed command line for Tab, or undefined when there is nothing to add. The first
 * word completes to a view's name; the second to a namespace (or a context for :ctx).
 */
export function completeCommand(text: string, source: CompletionSource, views: ViewRegistry): string | undefined {
  const words = text.split(' ');
  if (words.length === 1) {
    const prefix = text.toLowerCase();
    if (!prefix) return undefined;
    const candidates = [...views.commands.flatMap(commandNames), ...QUIT];
    if (candidates.includes(prefix)) return undefined;
    const own = candidates.find((c) => c.startsWith(prefix));
    if (own !== undefined || !source.catalog) return own;
    const served = source.catalog.complete(prefix, 2);
    return served[0] && served[0].text !== prefix ? served[0].text : undefined;
  }
  if (words.length !== 2) return undefined;
  const [head = '', prefix = ''] = words;
  const def = views.lookup(head.toLowerCase());
  const resource = def?.command ? undefined : source.catalog?.resolve(head);
  const takesNamespace = def?.command ? def.namespaced : resource?.ok === true && resource.resource.namespaced;
  const pool =
    def?.command?.argument === 'context' ? source.contexts : takesNamespace ? [...source.namespaces, 'all'] : [];
  if (pool.includes(prefix)) return undefined;
  const match = pool.find((c) => c.startsWith(prefix));
  return match === undefined ? undefined : `${head} ${match}`;
}
