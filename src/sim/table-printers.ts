// Server-side printers of the kinds beyond workloads: networking, storage, quota, autoscaling
// and policy objects, with the columns and cells of kube-apiserver's pkg/printers/internalversion
// (column descriptions are the API types' swagger docs, as the server sends them).
import type { KubeObject, LabelSelector } from '../model/k8s.js';
import { ageOf } from './clock.js';
import {
  accessModes,
  ageCol,
  AGE_DESC,
  col,
  containersCol,
  formatLabelSelector,
  imagesCol,
  layoutContainers,
  listWithMore,
  nameCol,
  selectorCol,
  type Obj,
  type Printer,
} from './table-columns.js';

const raw = (o: KubeObject): Obj => o as unknown as Obj;
const spec = (o: KubeObject): Obj => (raw(o)['spec'] ?? {}) as Obj;
const status = (o: KubeObject): Obj => (raw(o)['status'] ?? {}) as Obj;
const age = (o: KubeObject, now: number): string => ageOf(o.metadata.creationTimestamp, now);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const intOrString = (v: unknown): string => (v === undefined || v === null ? 'N/A' : String(v));

interface PodTemplateLike {
  spec?: { containers?: { name: string; image?: string }[] };
}

const ingressClasses: Printer = {
  columns: [
    nameCol,
    col('Controller', 'Controller that is responsible for handling this class'),
    col('Parameters', 'A reference to a resource with additional parameters'),
    ageCol,
  ],
  cells: (o, now) => {
    const s = spec(o) as { controller?: string; parameters?: { kind: string; apiGroup?: string; name: string } };
    const p = s.parameters;
    const parameters = p ? `${p.kind}${p.apiGroup ? `.${p.apiGroup}` : ''}/${p.name}` : '<none>';
    return [o.metadata.name, s.controller ?? '', parameters, age(o, now)];
  },
};

interface EndpointSubset {
  addresses?: { ip: string }[];
  ports?: { port: number }[];
}

/** formatEndpoints: ready `ip:port` pairs, three at most; `<none>` without subsets. */
function endpointsCell(subsets: EndpointSubset[] | undefined): string {
  if (!subsets?.length) return '<none>';
  const all: string[] = [];
  for (const ss of subsets) {
    const ips = (ss.addresses ?? []).map((a) => a.ip);
    if (!ss.ports?.length) all.push(...ips);
    else for (const p of ss.ports) all.push(...ips.map((ip) => `${ip}:${p.port}`));
  }
  return all.length > 3 ? `${all.slice(0, 3).join(',')} + ${all.length - 3} more...` : all.join(',');
}

const endpoints: Printer = {
  columns: [
    nameCol,
    col(
      'Endpoints',
      'The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service.',
    ),
    ageCol,
  ],
  cells: (o, now) => [o.metadata.name, endpointsCell(raw(o)['subsets'] as EndpointSubset[] | undefined), age(o, now)],
};

const endpointSlices: Printer = {
  columns: [
    nameCol,
    col(
      'AddressType',
      'addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name.',
    ),
    col(
      'Ports',
      'ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates "all ports". Each slice may include a maximum of 100 ports.',
    ),
    col(
      'Endpoints',
      'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.',
    ),
    ageCol,
  ],
  cells: (o, now) => {
    const r = raw(o);
    const ports = ((r['ports'] ?? []) as { port?: number; name?: string }[]).map((p) =>
      p.port !== undefined ? String(p.port) : (p.name ?? '*'),
    );
    const addrs = ((r['endpoints'] ?? []) as { addresses?: string[] }[]).flatMap((e) => e.addresses ?? []);
    return [
      o.metadata.name,
      String(r['addressType'] ?? ''),
      listWithMore(ports, 3),
      listWithMore(addrs, 3),
      age(o, now),
    ];
  },
};

const persistentVolumes: Printer = {
  columns: [
    nameCol,
    col(
      'Capacity',
      "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity",
    ),
    col(
      'Access Modes',
      'accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes',
    ),
    col(
      'Reclaim Policy',
      'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming',
    ),
    col(
      'Status',
      'phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase',
    ),
    col(
      'Claim',
      'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding',
    ),
    col('StorageClass', 'StorageClass of the pv'),
    col('VolumeAttributesClass', 'VolumeAttributesClass of the pv'),
    col(
      'Reason',
      'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.',
    ),
    ageCol,
    col(
      'VolumeMode',
      'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.',
      { priority: 1 },
    ),
  ],
  cells: (o, now) => {
    const s = spec(o) as {
      capacity?: { storage?: string };
      accessModes?: string[];
      persistentVolumeReclaimPolicy?: string;
      claimRef?: { namespace?: string; name?: string };
      storageClassName?: string;
      volumeAttributesClassName?: string;
      volumeMode?: string;
    };
    const st = status(o) as { phase?: string; reason?: string };
    return [
      o.metadata.name,
      s.capacity?.storage ?? '0',
      accessModes(s.accessModes),
      s.persistentVolumeReclaimPolicy ?? '',
      o.metadata.deletionTimestamp ? 'Terminating' : (st.phase ?? ''),
      s.claimRef ? `${s.claimRef.namespace ?? ''}/${s.claimRef.name ?? ''}` : '',
      s.storageClassName ?? '',
      s.volumeAttributesClassName ?? '<unset>',
      st.reason ?? '',
      age(o, now),
      s.volumeMode ?? '<unset>',
    ];
  },
};

export const isDefaultClass = (o: KubeObject): boolean =>
  o.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true' ||
  o.metadata.annotations?.['storageclass.beta.kubernetes.io/is-default-class'] === 'true';

const storageClasses: Printer = {
  columns: [
    nameCol,
    col('Provisioner', 'provisioner indicates the type of the provisioner.'),
    col(
      'ReclaimPolicy',
      'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.',
    ),
    col(
      'VolumeBindingMode',
      'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature.',
    ),
    col('AllowVolumeExpansion', 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
    ageCol,
  ],
  cells: (o, now) => {
    const r = raw(o) as {
      provisioner?: string;
      reclaimPolicy?: string;
      volumeBindingMode?: string;
      allowVolumeExpansion?: boolean;
    };
    return [
      isDefaultClass(o) ? `${o.metadata.name} (default)` : o.metadata.name,
      r.provisioner ?? '',
      r.reclaimPolicy ?? 'Delete',
      r.volumeBindingMode ?? 'Immediate',
      r.allowVolumeExpansion ?? false,
      age(o, now),
    ];
  },
};

const resourceQuotas: Printer = {
  columns: [
    nameCol,
    col('Request', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    col(
      'Limit',
      'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
    ),
    ageCol,
  ],
  cells: (o, now) => {
    const st = status(o) as { hard?: Record<string, string>; used?: Record<string, string> };
    const requests: string[] = [];
    const limits: string[] = [];
    for (const r of Object.keys(st.hard ?? {}).sort()) {
      const text = `${r}: ${st.used?.[r] ?? '0'}/${st.hard?.[r]}`;
      (r.split('.')[0] === 'limits' && r.includes('.') ? limits : requests).push(text);
    }
    return [o.metadata.name, requests.join(', '), limits.join(', '), age(o, now)];
  },
};

/** Resources without a printer get the default table: the name and when it was created (RFC 3339). */
const defaultTable: Printer = {
  columns: [nameCol, col('Created At', AGE_DESC, { type: 'date' })],
  cells: (o) => [o.metadata.name, o.metadata.creationTimestamp ?? ''],
};

interface MetricTarget {
  type?: string;
  averageUtilization?: number;
  averageValue?: string;
  value?: string;
}
interface MetricSpec {
  type: string;
  resource?: { name: string; target: MetricTarget };
  containerResource?: { name: string; target: MetricTarget };
  pods?: { target: MetricTarget };
  object?: { target: MetricTarget };
  external?: { target: MetricTarget };
}
interface MetricStatus {
  resource?: { current: MetricTarget };
  containerResource?: { current: MetricTarget };
  pods?: { current: MetricTarget };
  object?: { current: MetricTarget };
  external?: { current: MetricTarget };
}

function resourceMetric(name: string, target: MetricTarget, current: MetricTarget | undefined): string {
  if (target.averageValue !== undefined)
    return `${name}: ${current?.averageValue ?? '<unknown>'}/${target.averageValue}`;
  const now = current?.averageUtilization !== undefined ? `${current.averageUtilization}%` : '<unknown>';
  const want = target.averageUtilization !== undefined ? `${target.averageUtilization}%` : '<auto>';
  return `${name}: ${now}/${want}`;
}

/** formatHPAMetrics: the first two metrics as current/target, `<unknown>` where no value was read. */
function hpaTargets(specs: MetricSpec[] | undefined, statuses: MetricStatus[] | undefined): string {
  if (!specs?.length) return '<none>';
  const list = specs.map((m, i) => {
    const cur = statuses?.[i];
    const avgOrValue = (t: MetricTarget, c: MetricTarget | undefined) =>
      t.averageValue !== undefined
        ? `${c?.averageValue ?? '<unknown>'}/${t.averageValue} (avg)`
        : `${c?.value ?? '<unknown>'}/${t.value ?? ''}`;
    switch (m.type) {
      case 'Resource':
        return resourceMetric(m.resource?.name ?? '', m.resource?.target ?? {}, cur?.resource?.current);
      case 'ContainerResource':
        return resourceMetric(
          m.containerResource?.name ?? '',
          m.containerResource?.target ?? {},
          cur?.containerResource?.current,
        );
      case 'Pods':
        return `${cur?.pods?.current.averageValue ?? '<unknown>'}/${m.pods?.target.averageValue ?? ''}`;
      case 'Object':
        return avgOrValue(m.object?.target ?? {}, cur?.object?.current);
      case 'External':
        return avgOrValue(m.external?.target ?? {}, cur?.external?.current);
      default:
        return '<unknown type>';
    }
  });
  return list.length > 2 ? `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...` : list.join(', ');
}

const horizontalPodAutoscalers: Printer = {
  columns: [
    nameCol,
    col(
      'Reference',
      'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.',
    ),
    col(
      'Targets',
      'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more information about how each type of metric must respond.',
    ),
    col(
      'MinPods',
      'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling is active as long as at least one metric value is available.',
    ),
    col(
      'MaxPods',
      'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.',
    ),
    col(
      'Replicas',
      'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.',
    ),
    ageCol,
  ],
  cells: (o, now) => {
    const s = spec(o) as {
      scaleTargetRef?: { kind: string; name: string };
      minReplicas?: number;
      maxReplicas?: number;
      metrics?: MetricSpec[];
    };
    const st = status(o) as { currentReplicas?: number; currentMetrics?: MetricStatus[] };
    return [
      o.metadata.name,
      `${s.scaleTargetRef?.kind ?? ''}/${s.scaleTargetRef?.name ?? ''}`,
      hpaTargets(s.metrics, st.currentMetrics),
      s.minReplicas !== undefined ? String(s.minReplicas) : '<unset>',
      num(s.maxReplicas),
      num(st.currentReplicas),
      age(o, now),
    ];
  },
};

const podDisruptionBudgets: Printer = {
  columns: [
    nameCol,
    col('Min Available', 'The minimum number of pods that must be available.'),
    col('Max Unavailable', 'The maximum number of pods that may be unavailable.'),
    col('Allowed Disruptions', 'Calculated number of pods that may be disrupted at this time.', { type: 'integer' }),
    ageCol,
  ],
  cells: (o, now) => {
    const s = spec(o);
    return [
      o.metadata.name,
      intOrString(s['minAvailable']),
      intOrString(s['maxUnavailable']),
      num(status(o)['disruptionsAllowed']),
      age(o, now),
    ];
  },
};

const networkPolicies: Printer = {
  columns: [
    nameCol,
    col(
      'Pod-Selector',
      'Selects the pods to which this NetworkPolicy object applies.  The array of ingress rules is applied to any pods selected by this field. Multiple network policies can select the same set of pods.  In this case, the ingress rules for each are combined additively. This field is NOT optional and follows standard label selector semantics. An empty podSelector matches all pods in this namespace.',
    ),
    ageCol,
  ],
  cells: (o, now) => [
    o.metadata.name,
    formatLabelSelector((spec(o)['podSelector'] as LabelSelector | undefined) ?? {}),
    age(o, now),
  ],
};

/** By plural resource name; only consulted for the built-in groups. */
export const MORE_PRINTERS: Record<string, Printer> = {
  ingressclasses: ingressClasses,
  endpoints,
  endpointslices: endpointSlices,
  persistentvolumes: persistentVolumes,
  storageclasses: storageClasses,
  resourcequotas: resourceQuotas,
  limitranges: defaultTable,
  horizontalpodautoscalers: horizontalPodAutoscalers,
  poddisruptionbudgets: podDisruptionBudgets,
  networkpolicies: networkPolicies,
};
