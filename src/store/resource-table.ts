// The live rows of any one resource in the server's Table form, for a view of a kind that has
// no renderer of its own (`:cm`, `:crd`, `:certificates`): one Table list+watch, rows kept by
// uid, and an immutable view published at most once per `coalesceMs`, sorted by namespace and
// name. The loop's state is part of the view, so a 403 is one line the view can show (with the
// RBAC verb missing), and a list the user may not watch says it is polled.
import type { Connection } from '../kube/client.js';
import type { ListWatch, ListWatchTiming, LoopState } from '../kube/listwatch.js';
import { watchResourceTable } from '../kube/resource-table.js';
import type { ApiResourceInfo, TableColumn, TableRow } from '../model/k8s.js';
import { compareText } from '../util/order.js';

export interface ResourceTableView {
  resource: ApiResourceInfo;
  /** Namespace listed; undefined = all namespaces (or a cluster-scoped resource). */
  namespace: string | undefined;
  /** The server's columns; empty until the first page arrives. */
  columns: readonly TableColumn[];
  /** Sorted by namespace, then name. */
  rows: readonly TableRow[];
  state: LoopState;
  /** Whether the first complete list has arrived (an empty `rows` then means none exist). */
  loaded: boolean;
  /** Bumped on every publish. */
  version: number;
}

export interface LiveResourceTableOptions extends ListWatchTiming {
  conn: Connection;
  resource: ApiResourceInfo;
  namespace?: string;
  labelSelector?: string;
  /** Whole objects in the rows (for renderers that read spec or status) instead of metadata. */
  includeObject?: 'Metadata' | 'Object';
  /** Rows of whole objects from the plain list, without the server's cells and columns. */
  objectsOnly?: boolean;
  /** At most one publish per this many ms (default 75, as the live store). */
  coalesceMs?: number;
  /** What is kept of each row as it arrives (default: the row as the server sent it). */
  keep?: (row: TableRow) => TableRow;
}

/**
 * metrics-server takes a sample every 15 s (its default --metric-resolution): polling its API
 * more often re-reads the same numbers, and for 10,000 pods each read is megabytes to parse.
 */
export const METRICS_RESOLUTION_MS = 15_000;

/** How often a table of `resource` is polled when it cannot be watched. */
export function tablePolling(
  resource: Pick<ApiResourceInfo, 'group'>,
  pollIntervalMs: number | undefined,
): { pollIntervalMs?: number } {
  if (resource.group === 'metrics.k8s.io')
    return { pollIntervalMs: Math.max(pollIntervalMs ?? 0, METRICS_RESOLUTION_MS) };
  return pollIntervalMs !== undefined ? { pollIntervalMs } : {};
}

const rowKey = (r: TableRow): string =>
  r.object.metadata.uid ?? `${r.object.metadata.namespace ?? ''}/${r.object.metadata.name}`;

function byNamespaceAndName(a: TableRow, b: TableRow): number {
  return (
    compareText(a.object.metadata.namespace ?? '', b.object.metadata.namespace ?? '') ||
    compareText(a.object.metadata.name, b.object.metadata.name)
  );
}

export class LiveResourceTable {
  private readonly rows = new Map<string, TableRow>();
  private readonly listeners = new Set<() => void>();
  private readonly loop: ListWatch<TableRow>;
  private readonly coalesceMs: number;
  private current: ResourceTableView;
  private columns: readonly TableColumn[] = [];
  private state: LoopState = { state: 'listing' };
  private loaded = false;
  private timer: NodeJS.Timeout | undefined;
  private lastPublish = 0;

  constructor(opts: LiveResourceTableOptions) {
    const {
      conn,
      resource,
      namespace,
      labelSelector,
      includeObject,
      objectsOnly,
      coalesceMs,
      keep = (r) => r,
      ...timing
    } = opts;
    this.coalesceMs = coalesceMs ?? 75;
    const scope = resource.namespaced ? namespace : undefined;
    this.current = { resource, namespace: scope, columns: [], rows: [], state: this.state, loaded: false, version: 0 };
    this.loop = watchResourceTable({
      ...timing,
      conn,
      resource,
      ...(scope !== undefined ? { namespace: scope } : {}),
      ...(labelSelector ? { labelSelector } : {}),
      ...(includeObject ? { includeObject } : {}),
      ...(objectsOnly ? { objectsOnly } : {}),
      onColumns: (columns) => {
        this.columns = columns;
        this.schedule();
      },
      onReplace: (items) => {
        this.rows.clear();
        for (const r of items) this.rows.set(rowKey(r), keep(r));
        this.loaded = true;
        this.schedule(true);
      },
      onEvent: (type, row) => {
        if (type === 'DELETED') this.rows.delete(rowKey(row));
        else this.rows.set(rowKey(row), keep(row));
        this.schedule();
      },
      onState: (state) => {
        this.state = state;
        this.schedule(true);
      },
    });
  }

  get view(): ResourceTableView {
    return this.current;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    this.loop.start();
  }

  stop(): void {
    this.loop.stop();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Publish now when `urgent` (a complete list, a state change) or once `coalesceMs` has passed; else soon. */
  private schedule(urgent = false): void {
    const wait = urgent ? 0 : Math.max(0, this.lastPublish + this.coalesceMs - Date.now());
    if (wait === 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.publish();
    } else
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.publish();
      }, wait);
  }

  private publish(): void {
    this.lastPublish = Date.now();
    this.current = {
      ...this.current,
      columns: this.columns,
      rows: [...this.rows.values()].sort(byNamespaceAndName),
      state: this.state,
      loaded: this.loaded,
      version: this.current.version + 1,
    };
    for (const l of [...this.listeners]) l();
  }
}
