// The endpoints and endpointslice controllers: for every Service with a selector, the pods it
// selects that have an IP, ready ones as addresses and the others as not-ready addresses, on
// the ports their containers declare for the Service's targetPorts. Shapes as a real cluster
// writes them (api-samples/endpoints-*.json, endpointslices-*.json): an Endpoints object with
// no `subsets` key when nothing is selected, one EndpointSlice with `endpoints: null` and
// `ports: null`, and `endpoints.kubernetes.io/last-change-trigger-time` once pods take part.
import type {
  EndpointAddress,
  Endpoints,
  EndpointSlice,
  KubeObject,
  Pod,
  Service,
  ServicePort,
} from '../../model/k8s.js';
import { matchesSelector } from '../../model/selectors.js';
import { rfc3339 } from '../clock.js';
import { randomSuffix } from '../defaults.js';
import type { SimState, WatchEvent } from '../state.js';
import { isReady, isTerminal, ownerRef, writeObject } from './util.js';

const MANAGED_BY = 'endpointslice-controller.k8s.io';
const TRIGGER = 'endpoints.kubernetes.io/last-change-trigger-time';

interface Member {
  pod: Pod;
  ip: string;
  ready: boolean;
  ports: { name?: string; port: number; protocol: string }[];
}

/** The container port a Service port's targetPort names or numbers, in this pod. */
function targetPortOf(pod: Pod, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of pod.spec.containers ?? [])
    for (const p of c.ports ?? [])
      if (p.name === target && (p.protocol ?? 'TCP') === (sp.protocol ?? 'TCP')) return p.containerPort;
  return undefined;
}

const selects = (svc: Service, labels: Record<string, string> | undefined): boolean =>
  !!svc.spec.selector &&
  Object.keys(svc.spec.selector).length > 0 &&
  matchesSelector(labels, { matchLabels: svc.spec.selector });

function membersOf(state: SimState, svc: Service): Member[] {
  const members: Member[] = [];
  for (const pod of state.objectsOf<Pod>('Pod', svc.metadata.namespace)) {
    const ip = pod.status?.podIP;
    if (!selects(svc, pod.metadata.labels) || !ip || isTerminal(pod) || pod.metadata.deletionTimestamp) continue;
    const ports = (svc.spec.ports ?? []).flatMap((sp) => {
      const port = targetPortOf(pod, sp);
      return port === undefined
        ? []
        : [{ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP' }];
    });
    members.push({ pod, ip, ready: isReady(pod) || !!svc.spec.publishNotReadyAddresses, ports });
  }
  return members.sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
}

const targetRef = (pod: Pod): NonNullable<EndpointAddress['targetRef']> => ({
  kind: 'Pod',
  namespace: pod.metadata.namespace ?? '',
  name: pod.metadata.name,
  uid: pod.metadata.uid ?? '',
  resourceVersion: pod.metadata.resourceVersion ?? '',
});

function address(m: Member): EndpointAddress {
  const a: EndpointAddress = { ip: m.ip };
  if (m.pod.spec.nodeName) a.nodeName = m.pod.spec.nodeName;
  a.targetRef = targetRef(m.pod);
  return a;
}

/** Subsets grouped by the ports their pods serve, ready and not-ready addresses side by side. */
function subsetsOf(members: Member[]): NonNullable<Endpoints['subsets']> {
  const byPorts = new Map<string, Member[]>();
  for (const m of members) {
    if (!m.ports.length && members.some((o) => o.ports.length)) continue;
    const key = JSON.stringify(m.ports);
    byPorts.set(key, [...(byPorts.get(key) ?? []), m]);
  }
  return [...byPorts.values()].map((group) => {
    const subset: NonNullable<Endpoints['subsets']>[number] = {};
    const ready = group.filter((m) => m.ready).map(address);
    const notReady = group.filter((m) => !m.ready).map(address);
    if (ready.length) subset.addresses = ready;
    if (notReady.length) subset.notReadyAddresses = notReady;
    if (group[0]?.ports.length) subset.ports = group[0].ports;
    return subset;
  });
}

function slicePorts(members: Member[]): EndpointSlice['ports'] {
  const first = members.find((m) => m.ports.length);
  return first
    ? first.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), protocol: p.protocol, port: p.port }))
    : null;
}

function sliceEndpoints(members: Member[]): EndpointSlice['endpoints'] {
  if (!members.length) return null;
  return members.map((m) => ({
    addresses: [m.ip],
    conditions: { ready: m.ready, serving: m.ready, terminating: false },
    targetRef: targetRef(m.pod),
    ...(m.pod.spec.nodeName ? { nodeName: m.pod.spec.nodeName } : {}),
  }));
}

export class EndpointsController {
  /** The slice of each Service (namespace/service → slice name): finding it must not list every slice. */
  private readonly slices = new Map<string, string>();

  constructor(private readonly state: SimState) {}

  /** Startup: the slices this controller manages are learnt, then every Service with a selector gets its Endpoints and EndpointSlice. */
  resync(): void {
    for (const s of this.state.objectsOf<EndpointSlice>('EndpointSlice')) {
      const svc = s.metadata.labels?.['kubernetes.io/service-name'];
      if (svc && s.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === MANAGED_BY)
        this.slices.set(`${s.metadata.namespace}/${svc}`, s.metadata.name);
    }
    for (const svc of this.state.objectsOf<Service>('Service')) this.sync(svc);
  }

  handle(ev: WatchEvent): void {
    const obj = ev.entry.obj;
    switch (ev.entry.def.kind) {
      case 'Service':
        if (ev.type === 'DELETED') this.forget(obj as Service);
        else this.sync(obj as Service);
        break;
      case 'Pod': {
        const labels = [obj.metadata.labels, ev.prev?.obj.metadata.labels];
        for (const svc of this.state.objectsOf<Service>('Service', obj.metadata.namespace))
          if (labels.some((l) => selects(svc, l))) this.sync(svc);
        break;
      }
    }
  }

  private sync(svc: Service): void {
    if (!svc.spec.selector || !Object.keys(svc.spec.selector).length) return;
    const members = membersOf(this.state, svc);
    this.syncEndpoints(svc, members);
    this.syncSlice(svc, members);
  }

  private syncEndpoints(svc: Service, members: Member[]): void {
    const ns = svc.metadata.namespace as string;
    const existing = this.state.find('Endpoints', ns, svc.metadata.name) as Endpoints | undefined;
    const subsets = subsetsOf(members);
    const next: Endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        ...(existing?.metadata ?? { name: svc.metadata.name, namespace: ns }),
        ...(svc.metadata.labels ? { labels: { ...svc.metadata.labels } } : {}),
        annotations: { ...(existing?.metadata.annotations ?? {}), [TRIGGER]: rfc3339(this.state.now()) },
      },
      ...(subsets.length ? { subsets } : {}),
    };
    if (!existing) this.state.create(next);
    else if (JSON.stringify(existing.subsets ?? null) !== JSON.stringify(next.subsets ?? null))
      writeObject(this.state, existing, next);
  }

  private syncSlice(svc: Service, members: Member[]): void {
    const ns = svc.metadata.namespace as string;
    const existing = this.sliceOf(svc);
    const endpoints = sliceEndpoints(members);
    const ports = slicePorts(members);
    const labels = {
      ...(svc.metadata.labels ?? {}),
      'endpointslice.kubernetes.io/managed-by': MANAGED_BY,
      'kubernetes.io/service-name': svc.metadata.name,
    };
    const annotations = endpoints ? { [TRIGGER]: rfc3339(this.state.now()) } : undefined;
    if (!existing) {
      const name = `${svc.metadata.name}-${randomSuffix()}`;
      this.slices.set(`${ns}/${svc.metadata.name}`, name);
      this.state.create({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          name,
          generateName: `${svc.metadata.name}-`,
          namespace: ns,
          labels,
          ...(annotations ? { annotations } : {}),
          ownerReferences: [ownerRef(svc)],
        } as KubeObject['metadata'],
        addressType: 'IPv4',
        endpoints,
        ports,
      } as EndpointSlice);
      return;
    }
    if (JSON.stringify([existing.endpoints, existing.ports]) === JSON.stringify([endpoints, ports])) return;
    const { annotations: _old, ...meta } = existing.metadata;
    writeObject(this.state, existing, {
      ...existing,
      metadata: { ...meta, labels, ...(annotations ? { annotations } : {}) },
      endpoints,
      ports,
    } as EndpointSlice);
  }

  private sliceOf(svc: Service): EndpointSlice | undefined {
    const ns = svc.metadata.namespace;
    const name = this.slices.get(`${ns}/${svc.metadata.name}`);
    return name ? (this.state.find('EndpointSlice', ns, name) as EndpointSlice | undefined) : undefined;
  }

  /** A deleted Service takes its Endpoints along (its slices go with their owner reference). */
  private forget(svc: Service): void {
    const ns = svc.metadata.namespace;
    if (this.state.find('Endpoints', ns, svc.metadata.name)) this.state.delete('Endpoints', ns, svc.metadata.name);
  }
}
