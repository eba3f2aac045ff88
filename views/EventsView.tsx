// Events, warnings first then newest: the cluster's own account of what went wrong.
import type { KubeEvent } from '../src/model/k8s.js';
import { eventColumns, eventRow, sortEvents } from './render/events.js';
import { inNamespace, nsTitle, type TableViewDef } from './view-def.js';

export const eventsView: TableViewDef<KubeEvent> = {
  type: 'table',
  name: 'events',
  command: { aliases: ['event', 'ev'] },
  namespaced: true,
  keys: { describe: 'Describe the object the event is about', yaml: true },
  title: (ctx) => nsTitle('events', ctx),
  columns: (ctx) => eventColumns(ctx.namespace === undefined),
  rows: (ctx) => sortEvents(inNamespace(ctx.snapshot.events, ctx)),
  render: (e, ctx) => eventRow(e, { now: ctx.now, allNamespaces: ctx.namespace === undefined }),
  labels: (e) => e.metadata.labels,
  // d and y show the object the event is about: that is what the user wants to look at.
  target: ({ involvedObject: o }) =>
    o.name ? { kind: o.kind ?? 'Unknown', name: o.name, namespace: o.namespace } : undefined,
  emptyText: (ctx) =>
    `No events in ${ctx.namespace ? `namespace ${ctx.namespace}` : 'any namespace'} (events expire after an hour).`,
};
