// Services; enter shows the pods the service selects (the ones that answer its traffic).
import type { Service } from '../src/model/k8s.js';
import { refOf } from '../src/model/selectors.js';
import { serviceColumns, serviceRow } from './render/services.js';
import { entry } from './state.js';
import { byNamespaceAndName, inNamespace, nsTitle, type TableViewDef } from './view-def.js';

export const servicesView: TableViewDef<Service> = {
  type: 'table',
  name: 'services',
  command: { aliases: ['service', 'svc'] },
  namespaced: true,
  keys: {
    drill: 'Show the pods the service selects',
    describe: true,
    yaml: true,
    portForward: 'Port-forward to the service (through one of its ready pods; moves to a new pod if that one goes)',
  },
  title: (ctx) => nsTitle('services', ctx),
  columns: (ctx) => serviceColumns(ctx.namespace === undefined),
  rows: (ctx) => byNamespaceAndName(inNamespace(ctx.snapshot.services, ctx)),
  render: (svc, ctx) => serviceRow(svc, { now: ctx.now, allNamespaces: ctx.namespace === undefined }),
  labels: (svc) => svc.metadata.labels,
  target: (svc) => refOf(svc, 'Service'),
  drill: (svc) => ({ push: entry('pods', { scope: { kind: 'service', ref: refOf(svc, 'Service') } }) }),
  emptyText: (ctx) => `No services in ${ctx.namespace ? `namespace ${ctx.namespace}` : 'any namespace'}.`,
};
