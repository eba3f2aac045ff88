// Event → row. Warnings come first, newest first within each type: the line a user needs
// (`Failed to pull image ...`) must not drown under routine Normal events.
import type { KubeEvent } from '../../src/model/k8s.js';
import { eventTime } from '../../src/store/snapshot.js';
import { compareText } from '../../src/util/order.js';
import { humanAge } from '../../src/format/age.js';
import type { Column } from '../components/table-layout.js';
import { withNamespaceCell, withNamespaceColumn } from './columns.js';
import type { RowView } from './row.js';

export function sortEvents(events: readonly KubeEvent[]): KubeEvent[] {
  const warning = (e: KubeEvent) => (e.type === 'Warning' ? 0 : 1);
  return [...events].sort((a, b) => warning(a) - warning(b) || compareText(eventTime(b), eventTime(a)));
}

export function eventCount(e: KubeEvent): number {
  return e.count ?? e.series?.count ?? 1;
}

/** `pod/jaeger-query-5c9d8` as `kubectl get events` names the object. */
function eventObject(e: KubeEvent): string {
  return `${(e.involvedObject.kind ?? 'unknown').toLowerCase()}/${e.involvedObject.name ?? ''}`;
}

export function eventColumns(allNamespaces: boolean): readonly Column[] {
  return withNamespaceColumn(
    [
      { key: 'type', title: 'TYPE', width: 7 },
      { key: 'reason', title: 'REASON', minWidth: 14 },
      { key: 'object', title: 'OBJECT', minWidth: 16, truncate: 'middle' },
      { key: 'message', title: 'MESSAGE', minWidth: 16, flex: 3 },
      { key: 'count', title: 'COUNT', width: 5, align: 'right' },
      { key: 'lastSeen', title: 'LAST SEEN', width: 9 },
    ],
    allNamespaces,
    // The message is what matters: on a narrow terminal the namespace goes first.
    2,
  );
}

export function eventRow(e: KubeEvent, ctx: { now: number; allNamespaces: boolean }): RowView {
  const cells = withNamespaceCell(
    [
      e.type ?? '',
      e.reason ?? '',
      eventObject(e),
      e.message ?? '',
      String(eventCount(e)),
      humanAge(eventTime(e), ctx.now),
    ],
    e.metadata.namespace,
    ctx.allNamespaces,
  );
  return e.type === 'Warning' ? { cells, style: 'warning' } : { cells };
}
