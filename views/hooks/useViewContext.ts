// What every view reads, gathered once per render: the snapshot, the findings, the namespace,
// contexts, running port-forwards, the clock and (in a logs view) the log stream. `data` is
// the part without the clock and the log, which table rows are derived from (useRows).
import { useMemo } from 'react';
import type { FindingsState } from '../../src/diagnose/live.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import { indexFindings } from '../data/finding-index.js';
import { indexPodMetrics, metricsRow } from '../data/metrics.js';
import { logRequest } from '../LogsView.js';
import type { KubeContextInfo } from '../render/contexts.js';
import type { LogSource, PortForwardSource, ResourceSource } from '../sources.js';
import type { ViewEntry } from '../state.js';
import type { ViewContext, ViewData, ViewRegistry } from '../view-def.js';
import { useFetchedObject } from './useFetchedObject.js';
import { useLogLines } from './useLogLines.js';
import { useNow } from './useNow.js';
import { usePortForwards } from './usePortForwards.js';
import { useResourceTable } from './useResourceTable.js';

export interface ViewContextInput {
  snapshot: Snapshot;
  diagnosis: FindingsState;
  namespace: string | undefined;
  contexts: readonly KubeContextInfo[];
  currentContext: string;
  views: ViewRegistry;
  /** The view on screen: a logs view streams its container's log. */
  entry: ViewEntry;
  forwards: PortForwardSource | undefined;
  logs: LogSource | undefined;
  /** Any kind through discovery: the `resource` view's rows, describe / YAML's whole object. */
  resources: ResourceSource | undefined;
  clock: (() => number) | undefined;
}

export function useViewContext(input: ViewContextInput): { data: ViewData; ctx: ViewContext } {
  const { snapshot, diagnosis, namespace, contexts, currentContext, views } = input;
  const findings = useMemo(() => indexFindings(diagnosis.findings), [diagnosis]);
  const portForwards = usePortForwards(input.forwards);
  const now = useNow(input.clock);
  const log = useLogLines(input.logs, logRequest(input.entry));
  const { view, resource, subject } = input.entry;
  const table = useResourceTable(
    input.resources,
    snapshot.catalog,
    view === 'resource' ? resource : undefined,
    namespace,
  );
  // The pods view polls metrics-server while it is on screen, where the cluster serves it.
  const metricsKey =
    view === 'pods' && snapshot.catalog.byGroupResource('metrics.k8s.io', 'pods') ? 'pods.metrics.k8s.io' : undefined;
  const metricsTable = useResourceTable(input.resources, snapshot.catalog, metricsKey, namespace, metricsRow);
  const metrics = useMemo(
    () =>
      metricsTable?.loaded && metricsTable.state.state !== 'forbidden'
        ? indexPodMetrics(metricsTable.rows.map((r) => r.object))
        : undefined,
    [metricsTable],
  );
  const reading = view === 'describe' || view === 'yaml' ? subject : undefined;
  const fetched = useFetchedObject(input.resources, snapshot.catalog, reading);
  const data = useMemo(
    () => ({ snapshot, findings, namespace, contexts, currentContext, portForwards, views, table, fetched, metrics }),
    [snapshot, findings, namespace, contexts, currentContext, portForwards, views, table, fetched, metrics],
  );
  const ctx = useMemo(() => ({ ...data, now, log }), [data, now, log]);
  return { data, ctx };
}
