// The cockpit's UI state and its transitions, as a pure reducer: a stack of views (enter
// pushes, esc pops), the namespace shown, an open prompt and a one-line flash message.
import type { ObjectRef } from '../src/diagnose/types.js';
import type { CommandId } from './keys/bindings.js';
import type { PodScope, RowScope } from './data/objects.js';

/** A view's name in the registry (registry.ts): `pods`, `describe`, `help`… */
export type ViewName = string;

export interface ViewEntry {
  view: ViewName;
  /** Selected row (tables) or first visible line (text views). */
  cursor: number;
  /** The `/` filter of this view. */
  filter: string;
  /**
   * The resource a `resource` view lists, as `plural` or `plural.group` (data/resources.ts):
   * kinds the cockpit has no view of its own for, reached through discovery.
   */
  resource?: string;
  /** Pods views opened by a drill: whose pods they are. */
  scope?: PodScope;
  /** Other table views opened by a drill (a CronJob's Jobs, an Ingress's Services): which rows. */
  within?: RowScope;
  /** The object a describe / YAML / logs view shows, or the pod a findings view is about. */
  subject?: ObjectRef;
  /** Logs: which container, and whether the previous (crashed) run. */
  container?: string;
  previous?: boolean;
  /** Text views: keep showing the newest lines as they arrive (logs open this way). */
  follow?: boolean;
  /** The finding a finding view shows in full. */
  findingId?: string;
  /** Help: the view whose keys are listed. */
  helpFor?: ViewName;
  /** Logs: every container of the pod at once, each line prefixed with its container's name. */
  containers?: readonly string[];
  /** Tables: the column the rows are sorted by (its title), and which way. */
  sort?: SortOrder;
  /** Tables: the marked rows, by their object's key (data/marks.ts); ctrl-d acts on them all. */
  marks?: readonly string[];
}

export interface SortOrder {
  /** A column title: `NAME`, `AGE`, `RESTARTS`… */
  column: string;
  descending: boolean;
}

export interface Prompt {
  kind: 'command' | 'filter';
  text: string;
}

export interface Flash {
  kind: 'error' | 'info';
  text: string;
}

export interface UiState {
  /** Never empty: the last entry is the view on screen. */
  stack: readonly ViewEntry[];
  /** The namespace shown by namespaced views; undefined = all namespaces. */
  namespace: string | undefined;
  prompt?: Prompt;
  flash?: Flash;
}

export type UiAction =
  | { type: 'push'; entry: ViewEntry }
  /** `:pods` starts a new stack, as in k9s: esc then does not wander back through old views. */
  | { type: 'reset'; entry: ViewEntry }
  | { type: 'back' }
  /** `unless`: only while the entry still holds that cursor (a correction made after a render). */
  | { type: 'cursor'; cursor: number; follow?: boolean; unless?: { cursor: number } }
  | { type: 'sort'; sort: SortOrder }
  /** `unless`: only while the entry still holds those very marks. */
  | { type: 'marks'; marks: readonly string[]; unless?: { marks: readonly string[] } }
  | { type: 'namespace'; namespace: string | undefined }
  | { type: 'prompt.open'; kind: Prompt['kind'] }
  | { type: 'prompt.text'; text: string }
  | { type: 'prompt.close' }
  | { type: 'flash'; flash: Flash | undefined };

export function entry(view: ViewName, extra: Partial<ViewEntry> = {}): ViewEntry {
  return { view, cursor: 0, filter: '', ...extra };
}

export function initialState(namespace: string | undefined, first: ViewEntry = entry('pods')): UiState {
  return { stack: [first], namespace };
}

export function activeEntry(state: UiState): ViewEntry {
  // The stack is never empty (see reducer), so the fallback is only for the type checker.
  return state.stack[state.stack.length - 1] ?? entry('pods');
}

function replaceActive(state: UiState, change: Partial<ViewEntry>): UiState {
  return { ...state, stack: [...state.stack.slice(0, -1), { ...activeEntry(state), ...change }] };
}

export function reduce(state: UiState, action: UiAction): UiState {
  switch (action.type) {
    case 'push':
      return { ...state, stack: [...state.stack, action.entry], prompt: undefined };
    case 'reset':
      return { ...state, stack: [action.entry], prompt: undefined };
    case 'back': {
      const active = activeEntry(state);
      // Esc first clears a filter (k9s habit), then leaves the view.
      if (active.filter) return replaceActive(state, { filter: '', cursor: 0 });
      return state.stack.length > 1 ? { ...state, stack: state.stack.slice(0, -1) } : state;
    }
    case 'cursor':
      if (action.unless && activeEntry(state).cursor !== action.unless.cursor) return state;
      return replaceActive(
        state,
        action.follow === undefined ? { cursor: action.cursor } : { cursor: action.cursor, follow: action.follow },
      );
    case 'sort':
      return replaceActive(state, { sort: action.sort });
    case 'marks':
      if (action.unless && activeEntry(state).marks !== action.unless.marks) return state;
      return replaceActive(state, { marks: action.marks });
    case 'namespace':
      return { ...replaceActive(state, { cursor: 0 }), namespace: action.namespace };
    case 'prompt.open':
      // The filter prompt starts from the current filter, so `/` then edits it.
      return {
        ...state,
        prompt: { kind: action.kind, text: action.kind === 'filter' ? activeEntry(state).filter : '' },
      };
    case 'prompt.text': {
      if (!state.prompt) return state;
      const typed = { ...state, prompt: { ...state.prompt, text: action.text } };
      // The filter applies as it is typed, like k9s; the cursor goes back to the first match.
      return state.prompt.kind === 'filter' ? replaceActive(typed, { filter: action.text, cursor: 0 }) : typed;
    }
    case 'prompt.close':
      return { ...state, prompt: undefined };
    case 'flash':
      return { ...state, flash: action.flash };
  }
}

export type CursorCommand = Extract<CommandId, `cursor.${string}`>;

export function isCursorCommand(c: CommandId): c is CursorCommand {
  return c.startsWith('cursor.');
}

/**
 * The cursor after a movement key. `last` is the highest position: the last row of a
 * table, or the last line that can be at the top of a text view.
 */
export function moveCursor(command: CursorCommand, cursor: number, last: number, page: number): number {
  const clamp = (n: number) => Math.max(0, Math.min(n, Math.max(0, last)));
  switch (command) {
    case 'cursor.down':
      return clamp(cursor + 1);
    case 'cursor.up':
      return clamp(cursor - 1);
    case 'cursor.pageDown':
      return clamp(cursor + Math.max(1, page));
    case 'cursor.pageUp':
      return clamp(cursor - Math.max(1, page));
    case 'cursor.top':
      return 0;
    case 'cursor.bottom':
      return clamp(last);
  }
}
