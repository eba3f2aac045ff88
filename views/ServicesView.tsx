// Services; enter shows the pods the service selects (the ones that answer its traffic). An
// ingress's drill opens it on the services the ingress routes to.
import type { Service } from '../src/model/k8s.js';
import { refOf } from '../src/model/selectors.js';
import { inRowScope, rowScopeLabel } from './data/objects.js';
import { serviceColumns, serviceRow } from './render/services.js';
import { entry } from './state.js';
import { byNamespaceAndName, inNamespace, nsTitle } from './view-def.js';
import { withFindingMarks } from './finding-marks.js';

export const servicesView = withFindingMarks<Service>({
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
  title: (ctx, e) => nsTitle('services', ctx) + (e.within ? ` › ${rowScopeLabel(e.within)}` : ''),
  columns: (ctx) => serviceColumns(ctx.namespace === undefined),
  rows(ctx, e) {
    const services = byNamespaceAndName(inNamespace(ctx.snapshot.services, ctx));
    const within = e.within;
    return within ? services.filter((svc) => inRowScope(svc, within)) : services;
  },
  render: (svc, ctx) => serviceRow(svc, { now: ctx.now, allNamespaces: ctx.namespace === undefined }),
  labels: (svc) => svc.metadata.labels,
  target: (svc) => refOf(svc, 'Service'),
  drill: (svc) => ({ push: entry('pods', { scope: { kind: 'service', ref: refOf(svc, 'Service') } }) }),
  emptyText: (ctx, e) =>
    e.within
      ? `No services for ${rowScopeLabel(e.within)}${e.within.kind === 'named' ? ` (it names ${e.within.names.join(', ')})` : ''}.`
      : `No services in ${ctx.namespace ? `namespace ${ctx.namespace}` : 'any namespace'}.`,
});
