// The `:` command language, k9s style: a resource name (singular, plural or kubectl's short
// name), optionally followed by a namespace (`:pods observability`) or, for contexts, the
// context to switch to; `:q` quits.
import { isNamespaced, type ResourceView } from '../view-kinds.js';

/** Names per view, canonical first; completion offers them in this order. */
export const ALIASES: readonly { view: ResourceView; names: readonly string[] }[] = [
  { view: 'pods', names: ['pods', 'pod', 'po'] },
  { view: 'events', names: ['events', 'event', 'ev'] },
  { view: 'helm', names: ['helm', 'releases', 'release', 'rel'] },
  { view: 'findings', names: ['findings', 'finding', 'diag', 'fd'] },
  { view: 'namespaces', names: ['namespaces', 'namespace', 'ns'] },
  { view: 'contexts', names: ['contexts', 'context', 'ctx'] },
  { view: 'portforwards', names: ['portforwards', 'portforward', 'pf'] },
  { view: 'deployments', names: ['deployments', 'deployment', 'deploy', 'dp'] },
  { view: 'statefulsets', names: ['statefulsets', 'statefulset', 'sts'] },
  { view: 'services', names: ['services', 'service', 'svc'] },
];

const QUIT = ['quit', 'q', 'q!'];

/** `all` (as in `k9s -n all`) and `-A` (as in kubectl) both mean every namespace. */
const ALL_NAMESPACES = ['all', '-A'];

export type ParsedCommand =
  | {
      type: 'view';
      view: ResourceView;
      /** undefined: keep the current namespace; null: all namespaces. */ namespace?: string | null;
    }
  | { type: 'context'; name: string }
  | { type: 'quit' };

export type ParseResult = { ok: true; command: ParsedCommand } | { ok: false; error: string };

const BY_NAME = new Map(ALIASES.flatMap(({ view, names }) => names.map((n) => [n, view] as const)));

export function parseCommand(text: string): ParseResult {
  const words = text.trim().replace(/^:/, '').split(/\s+/).filter(Boolean);
  const [head, arg, ...extra] = words;
  if (!head) return { ok: false, error: 'Type a command, e.g. :pods, :helm, :findings, :pods observability, :q' };
  const name = head.toLowerCase();
  if (QUIT.includes(name))
    return arg ? { ok: false, error: `:${name} takes no argument` } : { ok: true, command: { type: 'quit' } };
  const view = BY_NAME.get(name);
  if (!view)
    return { ok: false, error: `Unknown command ":${head}": try :pods, :events, :helm, :findings (? lists all)` };
  if (extra.length > 0)
    return {
      ok: false,
      error: `Too many words: ":${head}" takes at most one (${view === 'contexts' ? 'a context' : 'a namespace'})`,
    };
  if (arg === undefined) return { ok: true, command: { type: 'view', view } };
  if (view === 'contexts') return { ok: true, command: { type: 'context', name: arg } };
  if (!isNamespaced(view)) return { ok: false, error: `:${name} lists cluster-wide objects and takes no namespace` };
  return { ok: true, command: { type: 'view', view, namespace: ALL_NAMESPACES.includes(arg) ? null : arg } };
}

export interface CompletionSource {
  namespaces: readonly string[];
  contexts: readonly string[];
}

/**
 * The completed command line for Tab, or undefined when there is nothing to add. The first
 * word completes to a resource name; the second to a namespace (or a context for :ctx).
 */
export function completeCommand(text: string, source: CompletionSource): string | undefined {
  const words = text.split(' ');
  if (words.length === 1) {
    const prefix = text.toLowerCase();
    if (!prefix) return undefined;
    const candidates = [...ALIASES.flatMap((a) => a.names), ...QUIT];
    if (candidates.includes(prefix)) return undefined;
    return candidates.find((c) => c.startsWith(prefix));
  }
  if (words.length !== 2) return undefined;
  const [head = '', prefix = ''] = words;
  const view = BY_NAME.get(head.toLowerCase());
  if (!view) return undefined;
  const pool = view === 'contexts' ? source.contexts : isNamespaced(view) ? [...source.namespaces, 'all'] : [];
  if (pool.includes(prefix)) return undefined;
  const match = pool.find((c) => c.startsWith(prefix));
  return match === undefined ? undefined : `${head} ${match}`;
}
