// Server-side printing: the `Table` answer kubectl asks for first (Accept: as=Table). Columns
// and cells follow kube-apiserver's printers (pkg/printers/internalversion), including the
// pod STATUS column computed from container states (ImagePullBackOff, CrashLoopBackOff,
// Completed, Init:...), which is what `kubectl get pods` shows. Like the real server, every
// column is sent (priority-1 "wide" ones too); the client decides what to show.
import type { Container, KubeEvent, KubeObject, LabelSelector, Node, Pod, Workload } from '../model/k8s.js';
import { ageOf } from './clock.js';
import { jsonPathValues } from './jsonpath.js';
import type { ResourceDef } from './resources.js';
import type { Entry } from './state.js';
import {
  accessModes,
  ageCol,
  AGE_DESC,
  col,
  containersCol,
  formatLabels,
  formatLabelSelector,
  imagesCol,
  layoutContainers,
  nameCol,
  NAME_DESC,
  none,
  selectorCol,
  type Cell,
  type ColumnDef,
  type Obj,
  type Printer,
} from './table-columns.js';
import { MORE_PRINTERS } from './table-printers.js';

export { formatLabelSelector };

const POD_COLUMNS = [
  nameCol,
  col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
  col('Status', 'The aggregate status of the containers in this pod.'),
  col(
    'Restarts',
    'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
  ),
  ageCol,
  col('IP', 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', {
    priority: 1,
  }),
  col(
    'Node',
    'NodeName is a request to schedule this pod onto a specific node. If it is non-empty, the scheduler simply schedules this pod onto that node, assuming that it fits resource requirements.',
    { priority: 1 },
  ),
  col(
    'Nominated Node',
    'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.',
    { priority: 1 },
  ),
  col(
    'Readiness Gates',
    'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates',
    { priority: 1 },
  ),
];

const EVENT_COLUMNS = [
  col('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'),
  col('Type', 'Type of this event (Normal, Warning), new types could be added in the future'),
  col(
    'Reason',
    "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
  ),
  col('Object', 'The object that this event is about.'),
  col(
    'Subobject',
    'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].',
    { priority: 1 },
  ),
  col('Source', 'The component reporting this event. Should be a short machine understandable string.', {
    priority: 1,
  }),
  col('Message', 'A human-readable description of the status of this operation.'),
  col('First Seen', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', {
    priority: 1,
  }),
  col('Count', 'The number of times this event has occurred.', { priority: 1 }),
  col('Name', NAME_DESC, { priority: 1, format: 'name' }),
];

interface PodRow {
  cells: Cell[];
  conditions?: Obj[];
}

/** printPod: READY, STATUS and RESTARTS exactly as kubectl shows them. */
export function podRow(pod: Pod, now: number): PodRow {
  const status = pod.status ?? {};
  const spec = pod.spec ?? ({ containers: [] } as Pod['spec']);
  let restarts = 0;
  let readyContainers = 0;
  let lastRestart = 0;
  let reason: string = status.reason || status.phase || '';
  const noteRestart = (finishedAt: string | undefined) => {
    const t = finishedAt ? Date.parse(finishedAt) : NaN;
    if (!Number.isNaN(t) && t > lastRestart) lastRestart = t;
  };

  let initializing = false;
  const inits = status.initContainerStatuses ?? [];
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i] as NonNullable<typeof status.initContainerStatuses>[number];
    restarts += c.restartCount ?? 0;
    noteRestart(c.lastState?.terminated?.finishedAt);
    const term = c.state?.terminated;
    const wait = c.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (term)
      reason = term.reason
        ? `Init:${term.reason}`
        : term.signal
          ? `Init:Signal:${term.signal}`
          : `Init:ExitCode:${term.exitCode}`;
    else if (wait?.reason && wait.reason !== 'PodInitializing') reason = `Init:${wait.reason}`;
    else reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    initializing = true;
    break;
  }

  if (!initializing) {
    restarts = 0;
    let hasRunning = false;
    const cs = status.containerStatuses ?? [];
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i] as (typeof cs)[number];
      restarts += c.restartCount ?? 0;
      noteRestart(c.lastState?.terminated?.finishedAt);
      const wait = c.state?.waiting;
      const term = c.state?.terminated;
      if (wait?.reason) reason = wait.reason;
      else if (term?.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const ready = (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
      reason = ready ? 'Running' : 'NotReady';
    }
  }
  if (pod.metadata.deletionTimestamp) reason = status.reason === 'NodeLost' ? 'Unknown' : 'Terminating';

  const restartsCell = lastRestart
    ? `${restarts} (${ageOf(new Date(lastRestart).toISOString(), now)} ago)`
    : String(restarts);
  const gates = (spec as { readinessGates?: { conditionType: string }[] }).readinessGates ?? [];
  const gatesCell = gates.length
    ? `${gates.filter((g) => (status.conditions ?? []).some((c) => c.type === g.conditionType && c.status === 'True')).length}/${gates.length}`
    : '<none>';
  const podIP = (status as { podIPs?: { ip: string }[] }).podIPs?.[0]?.ip ?? status.podIP;
  const row: PodRow = {
    cells: [
      pod.metadata.name,
      `${readyContainers}/${spec.containers?.length ?? 0}`,
      reason,
      restartsCell,
      ageOf(pod.metadata.creationTimestamp, now),
      none(podIP),
      none(spec.nodeName),
      none((status as { nominatedNodeName?: string }).nominatedNodeName),
      gatesCell,
    ],
  };
  if (status.phase === 'Succeeded')
    row.conditions = [
      { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
    ];
  if (status.phase === 'Failed')
    row.conditions = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
  return row;
}

function eventCells(e: KubeEvent, now: number): Cell[] {
  const micro = (t: string | null | undefined) => ageOf(t, now);
  const first = e.firstTimestamp ? ageOf(e.firstTimestamp, now) : micro(e.eventTime);
  let last = e.lastTimestamp ? ageOf(e.lastTimestamp, now) : first;
  let count = e.count ?? 0;
  if (e.series) {
    last = micro(e.series.lastObservedTime);
    count = e.series.count ?? 0;
  } else if (count === 0) count = 1;
  const io = e.involvedObject ?? {};
  const target = io.name ? `${(io.kind ?? '').toLowerCase()}/${io.name}` : (io.kind ?? '').toLowerCase();
  const component = e.source?.component || e.reportingComponent || '';
  const instance = e.source?.host || (e as { reportingInstance?: string }).reportingInstance || '';
  const source = component ? (instance ? `${component}, ${instance}` : component) : '';
  return [
    last,
    e.type ?? '',
    e.reason ?? '',
    target,
    io.fieldPath ?? '',
    source,
    (e.message ?? '').trim(),
    first,
    count,
    e.metadata.name,
  ];
}

function nodeCells(n: Node, now: number): Cell[] {
  const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
  let status = ready
    ? ready.status === 'True'
      ? 'Ready'
      : ready.status === 'False'
        ? 'NotReady'
        : 'Unknown'
    : 'Unknown';
  if (n.spec?.unschedulable) status += ',SchedulingDisabled';
  const labels = n.metadata.labels ?? {};
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels)) {
    if (k.startsWith('node-role.kubernetes.io/')) roles.add(k.slice('node-role.kubernetes.io/'.length));
    if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  const status2 = n.status as
    { addresses?: { type: string; address: string }[]; nodeInfo?: Record<string, string> } | undefined;
  const addr = (type: string) => status2?.addresses?.find((a) => a.type === type)?.address ?? '<none>';
  const info = status2?.nodeInfo ?? {};
  return [
    n.metadata.name,
    status,
    roles.size ? [...roles].sort().join(',') : '<none>',
    ageOf(n.metadata.creationTimestamp, now),
    info['kubeletVersion'] ?? '',
    addr('InternalIP'),
    addr('ExternalIP'),
    info['osImage'] ?? '<unknown>',
    info['kernelVersion'] ?? '<unknown>',
    info['containerRuntimeVersion'] ?? '<unknown>',
  ];
}

function serviceCells(o: Obj & KubeObject, now: number): Cell[] {
  const spec = (o['spec'] ?? {}) as {
    type?: string;
    clusterIPs?: string[];
    externalIPs?: string[];
    ports?: { port: number; protocol?: string; nodePort?: number }[];
    selector?: Record<string, string>;
  };
  const type = spec.type ?? 'ClusterIP';
  const external = spec.externalIPs?.length
    ? spec.externalIPs.join(',')
    : type === 'LoadBalancer'
      ? '<pending>'
      : '<none>';
  const ports = (spec.ports ?? [])
    .map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`))
    .join(',');
  return [
    o.metadata.name,
    type,
    none(spec.clusterIPs?.[0]),
    external,
    ports || '<none>',
    ageOf(o.metadata.creationTimestamp, now),
    formatLabels(spec.selector),
  ];
}

const raw = (o: KubeObject): Obj => o as unknown as Obj;
const count = (m: unknown): number => (m && typeof m === 'object' ? Object.keys(m).length : 0);
const workload = (o: KubeObject) => o as Workload & { status?: Obj };
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

const dateCol = (name: string, description: string): ColumnDef => col(name, description, { type: 'date' });

const CRD_COLUMN_DESC = (path: string) => `Custom resource definition column (in JSONPath format): ${path}`;

/** The server's default table convertor (kinds without a printer of their own, such as CRDs): Name and Created At. */
const defaultConvertor: Printer = {
  columns: [nameCol, dateCol('Created At', AGE_DESC)],
  cells: (o) => [o.metadata.name, o.metadata.creationTimestamp ?? ''],
};

const PRINTERS: Record<string, Printer> = {
  pods: { columns: POD_COLUMNS, cells: (o, now) => podRow(o as Pod, now).cells },
  events: { columns: EVENT_COLUMNS, cells: (o, now) => eventCells(o as KubeEvent, now) },
  namespaces: {
    columns: [nameCol, col('Status', 'The status of the namespace'), ageCol],
    cells: (o, now) => [
      o.metadata.name,
      (raw(o)['status'] as { phase?: string } | undefined)?.phase ?? '',
      ageOf(o.metadata.creationTimestamp, now),
    ],
  },
  nodes: {
    columns: [
      nameCol,
      col('Status', 'The status of the node'),
      col('Roles', 'The roles of the node'),
      ageCol,
      col('Version', 'Kubelet Version reported by the node.'),
      col('Internal-IP', 'List of addresses reachable to the node.', { priority: 1 }),
      col('External-IP', 'List of addresses reachable to the node.', { priority: 1 }),
      col('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', {
        priority: 1,
      }),
      col('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", {
        priority: 1,
      }),
      col(
        'Container-Runtime',
        'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
        { priority: 1 },
      ),
    ],
    cells: (o, now) => nodeCells(o as Node, now),
  },
  services: {
    columns: [
      nameCol,
      col('Type', 'type determines how the Service is exposed.'),
      col('Cluster-IP', 'clusterIP is the IP address of the service.'),
      col(
        'External-IP',
        'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
      ),
      col('Port(s)', 'The list of ports that are exposed by this service.'),
      ageCol,
      selectorCol('Route service traffic to pods with label keys and values matching this selector.'),
    ],
    cells: (o, now) => serviceCells(o as Obj & KubeObject, now),
  },
  secrets: {
    columns: [
      nameCol,
      col(
        'Type',
        'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types',
      ),
      col(
        'Data',
        "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4",
      ),
      ageCol,
    ],
    cells: (o, now) => [
      o.metadata.name,
      (raw(o)['type'] as string) ?? '',
      count(raw(o)['data']),
      ageOf(o.metadata.creationTimestamp, now),
    ],
  },
  configmaps: {
    columns: [
      nameCol,
      col(
        'Data',
        "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.",
      ),
      ageCol,
    ],
    cells: (o, now) => [
      o.metadata.name,
      count(raw(o)['data']) + count(raw(o)['binaryData']),
      ageOf(o.metadata.creationTimestamp, now),
    ],
  },
  serviceaccounts: {
    columns: [
      nameCol,
      col(
        'Secrets',
        'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
      ),
      ageCol,
    ],
    cells: (o, now) => [
      o.metadata.name,
      (raw(o)['secrets'] as unknown[] | undefined)?.length ?? 0,
      ageOf(o.metadata.creationTimestamp, now),
    ],
  },
  persistentvolumeclaims: {
    columns: [
      nameCol,
      col('Status', 'phase represents the current phase of PersistentVolumeClaim.'),
      col('Volume', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
      col('Capacity', 'capacity represents the actual resources of the underlying volume.'),
      col('Access Modes', 'accessModes contains the actual access modes the volume backing the PVC has.'),
      col('StorageClass', 'StorageClass of the pvc'),
      col('VolumeAttributesClass', 'VolumeAttributesClass of the pvc'),
      ageCol,
      col('VolumeMode', 'volumeMode defines what type of volume is required by the claim.', { priority: 1 }),
    ],
    cells: (o, now) => {
      const spec = (raw(o)['spec'] ?? {}) as { volumeName?: string; storageClassName?: string; volumeMode?: string };
      const status = (raw(o)['status'] ?? {}) as {
        phase?: string;
        capacity?: { storage?: string };
        accessModes?: string[];
      };
      const bound = Boolean(spec.volumeName);
      const modes = accessModes(status.accessModes);
      return [
        o.metadata.name,
        status.phase ?? '',
        spec.volumeName ?? '',
        bound ? (status.capacity?.storage ?? '') : '',
        bound ? modes : '',
        spec.storageClassName ?? '',
        '<unset>',
        ageOf(o.metadata.creationTimestamp, now),
        spec.volumeMode ?? '<unset>',
      ];
    },
  },
  deployments: {
    columns: [
      nameCol,
      col('Ready', 'Number of the pod with ready state'),
      col(
        'Up-to-date',
        'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
      ),
      col(
        'Available',
        'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
      ),
      ageCol,
      containersCol,
      imagesCol,
      selectorCol(
        'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.',
      ),
    ],
    cells: (o, now) => {
      const w = workload(o);
      const [names, images] = layoutContainers(w.spec.template?.spec?.containers);
      return [
        o.metadata.name,
        `${num(w.status?.['readyReplicas'])}/${w.spec.replicas ?? 0}`,
        num(w.status?.['updatedReplicas']),
        num(w.status?.['availableReplicas']),
        ageOf(o.metadata.creationTimestamp, now),
        names,
        images,
        formatLabelSelector(w.spec.selector),
      ];
    },
  },
  replicasets: {
    columns: [
      nameCol,
      col('Desired', 'Replicas is the number of desired replicas.', { type: 'integer' }),
      col('Current', 'Replicas is the most recently observed number of replicas.', { type: 'integer' }),
      col('Ready', 'The number of ready replicas for this replica set.', { type: 'integer' }),
      ageCol,
      containersCol,
      imagesCol,
      selectorCol('Selector is a label query over pods that should match the replica count.'),
    ],
    cells: (o, now) => {
      const w = workload(o);
      const [names, images] = layoutContainers(w.spec.template?.spec?.containers);
      return [
        o.metadata.name,
        w.spec.replicas ?? 0,
        num(w.status?.['replicas']),
        num(w.status?.['readyReplicas']),
        ageOf(o.metadata.creationTimestamp, now),
        names,
        images,
        formatLabelSelector(w.spec.selector),
      ];
    },
  },
  statefulsets: {
    columns: [nameCol, col('Ready', 'Number of the pod with ready state'), ageCol, containersCol, imagesCol],
    cells: (o, now) => {
      const w = workload(o);
      const [names, images] = layoutContainers(w.spec.template?.spec?.containers);
      return [
        o.metadata.name,
        `${num(w.status?.['readyReplicas'])}/${w.spec.replicas ?? 0}`,
        ageOf(o.metadata.creationTimestamp, now),
        names,
        images,
      ];
    },
  },
  daemonsets: {
    columns: [
      nameCol,
      col('Desired', 'The total number of nodes that should be running the daemon pod.', { type: 'integer' }),
      col('Current', 'The number of nodes that are running at least 1 daemon pod.', { type: 'integer' }),
      col(
        'Ready',
        'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.',
        { type: 'integer' },
      ),
      col('Up-to-date', 'The total number of nodes that are running updated daemon pod', { type: 'integer' }),
      col(
        'Available',
        'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.',
        { type: 'integer' },
      ),
      col('Node Selector', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
      ageCol,
      containersCol,
      imagesCol,
      selectorCol('A label query over pods that are managed by the daemon set.'),
    ],
    cells: (o, now) => {
      const w = workload(o);
      const s = w.status ?? {};
      const [names, images] = layoutContainers(w.spec.template?.spec?.containers);
      return [
        o.metadata.name,
        num(s['desiredNumberScheduled']),
        num(s['currentNumberScheduled']),
        num(s['numberReady']),
        num(s['updatedNumberScheduled']),
        num(s['numberAvailable']),
        formatLabels(w.spec.template?.spec?.nodeSelector),
        ageOf(o.metadata.creationTimestamp, now),
        names,
        images,
        formatLabelSelector(w.spec.selector),
      ];
    },
  },
  jobs: {
    columns: [
      nameCol,
      col('Completions', 'The number of pods which reached phase Succeeded.'),
      col('Duration', 'Time required to complete the job.'),
      ageCol,
      containersCol,
      imagesCol,
      selectorCol(
        'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors',
      ),
    ],
    cells: (o, now) => {
      const spec = (raw(o)['spec'] ?? {}) as {
        completions?: number;
        template?: { spec?: { containers?: Container[] } };
        selector?: LabelSelector;
      };
      const status = (raw(o)['status'] ?? {}) as { succeeded?: number; startTime?: string; completionTime?: string };
      const [names, images] = layoutContainers(spec.template?.spec?.containers);
      const duration = !status.startTime
        ? ''
        : status.completionTime
          ? ageOf(status.startTime, Date.parse(status.completionTime))
          : ageOf(status.startTime, now);
      return [
        o.metadata.name,
        `${status.succeeded ?? 0}/${spec.completions ?? 1}`,
        duration,
        ageOf(o.metadata.creationTimestamp, now),
        names,
        images,
        formatLabelSelector(spec.selector),
      ];
    },
  },
};

const webhookPrinter: Printer = {
  columns: [
    nameCol,
    col('Webhooks', 'Webhooks indicates the number of webhooks registered in this configuration', { type: 'integer' }),
    ageCol,
  ],
  cells: (o, now) => [
    o.metadata.name,
    (raw(o)['webhooks'] as unknown[] | undefined)?.length ?? 0,
    ageOf(o.metadata.creationTimestamp, now),
  ],
};
PRINTERS['mutatingwebhookconfigurations'] = webhookPrinter;
PRINTERS['validatingwebhookconfigurations'] = webhookPrinter;
PRINTERS['customresourcedefinitions'] = defaultConvertor;

/** printIngress: up to three hosts then `+ N more...`, `80` or `80, 443` when TLS is configured. */
PRINTERS['ingresses'] = {
  columns: [
    nameCol,
    col('Class', 'The name of the IngressClass resource that should be used for additional configuration'),
    col('Hosts', 'Hosts that incoming requests are matched against before the ingress rule'),
    col('Address', 'Address is a list containing ingress points for the load-balancer'),
    col('Ports', 'Ports of TLS configurations that open'),
    ageCol,
  ],
  cells: (o, now) => {
    const spec = (raw(o)['spec'] ?? {}) as { ingressClassName?: string; rules?: { host?: string }[]; tls?: unknown[] };
    const lb = (raw(o)['status'] as { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } | undefined)
      ?.loadBalancer?.ingress;
    const hosts = (spec.rules ?? []).map((r) => r.host).filter((h): h is string => Boolean(h));
    const hostCell =
      hosts.length === 0
        ? '*'
        : hosts.length > 3
          ? `${hosts.slice(0, 3).join(',')} + ${hosts.length - 3} more...`
          : hosts.join(',');
    return [
      o.metadata.name,
      spec.ingressClassName ?? '<none>',
      hostCell,
      (lb ?? []).map((i) => i.ip || i.hostname || '').join(','),
      spec.tls?.length ? '80, 443' : '80',
      ageOf(o.metadata.creationTimestamp, now),
    ];
  },
};

PRINTERS['cronjobs'] = {
  columns: [
    nameCol,
    col('Schedule', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    col(
      'Suspend',
      'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.',
      { type: 'boolean' },
    ),
    col('Active', 'A list of pointers to currently running jobs.', { type: 'integer' }),
    col('Last Schedule', 'Information when was the last time the job was successfully scheduled.'),
    ageCol,
    containersCol,
    imagesCol,
    selectorCol(
      'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors',
    ),
  ],
  cells: (o, now) => {
    const spec = (raw(o)['spec'] ?? {}) as {
      schedule?: string;
      suspend?: boolean;
      jobTemplate?: { spec?: { selector?: LabelSelector; template?: { spec?: { containers?: Container[] } } } };
    };
    const status = (raw(o)['status'] ?? {}) as { active?: unknown[]; lastScheduleTime?: string };
    const [names, images] = layoutContainers(spec.jobTemplate?.spec?.template?.spec?.containers);
    return [
      o.metadata.name,
      spec.schedule ?? '',
      spec.suspend ? 'True' : 'False',
      status.active?.length ?? 0,
      status.lastScheduleTime ? ageOf(status.lastScheduleTime, now) : '<none>',
      ageOf(o.metadata.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(spec.jobTemplate?.spec?.selector),
    ];
  },
};

PRINTERS['apiservices'] = {
  columns: [
    nameCol,
    col('Service', 'The reference to the service that hosts this API endpoint.'),
    col('Available', 'Whether this service is available.'),
    ageCol,
  ],
  cells: (o, now) => {
    const spec = (raw(o)['spec'] ?? {}) as { service?: { namespace?: string; name?: string } | null };
    const available = (
      raw(o)['status'] as { conditions?: { type: string; status: string; reason?: string }[] } | undefined
    )?.conditions?.find((c) => c.type === 'Available');
    const state = !available
      ? 'Unknown'
      : available.status === 'True'
        ? 'True'
        : `${available.status} (${available.reason ?? ''})`;
    return [
      o.metadata.name,
      spec.service ? `${spec.service.namespace}/${spec.service.name}` : 'Local',
      state,
      ageOf(o.metadata.creationTimestamp, now),
    ];
  },
};

/** A custom resource's Table: Name plus its CRD's additionalPrinterColumns (by default, Age). */
function customPrinter(d: ResourceDef): Printer {
  const columns = d.printerColumns ?? [
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: AGE_DESC },
  ];
  return {
    columns: [
      nameCol,
      ...columns.map((c) =>
        col(c.name, c.description || CRD_COLUMN_DESC(c.jsonPath), {
          type: c.type,
          format: c.format ?? '',
          priority: c.priority ?? 0,
        }),
      ),
    ],
    cells: (o, now) => [o.metadata.name, ...columns.map((c) => customCell(o, c.type, c.jsonPath, now))],
  };
}

/** The apiextensions table convertor's cell: typed by the column, null when missing or of another type. */
function customCell(o: KubeObject, type: string, path: string, now: number): Cell | null {
  const [value] = jsonPathValues(o, path);
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'string':
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      return typeof value === 'string' ? (Number.isNaN(Date.parse(value)) ? '<invalid>' : ageOf(value, now)) : null;
    default:
      return null;
  }
}

/** Built-in kinds the simulator has no printer for: their name and age. */
const genericPrinter: Printer = {
  columns: [nameCol, ageCol],
  cells: (o, now) => [o.metadata.name, ageOf(o.metadata.creationTimestamp, now)],
};

/** metrics-server's tables: Name, each resource as a quantity, and the window. */
function metricsPrinter(kind: string): Printer {
  const quantity = (name: string): ColumnDef => ({ ...col(name, ''), format: 'quantity' });
  return {
    columns: [
      { ...nameCol, description: 'Name of the resource' },
      quantity('cpu'),
      quantity('memory'),
      { ...col('Window', ''), format: 'duration' },
    ],
    cells: (o) => {
      const m = raw(o) as {
        usage?: Record<string, string>;
        containers?: { usage?: Record<string, string> }[];
        window?: string;
      };
      const usage = kind === 'NodeMetrics' ? (m.usage ?? {}) : sumUsage(m.containers ?? []);
      return [o.metadata.name, usage['cpu'] ?? '0', usage['memory'] ?? '0', m.window ?? ''];
    },
  };
}

/** A pod's usage over its containers, in the units the containers give (n for cpu, Ki for memory). */
function sumUsage(containers: { usage?: Record<string, string> }[]): Record<string, string> {
  let cpu = 0;
  let memory = 0;
  for (const c of containers) {
    cpu += Number.parseInt(c.usage?.['cpu'] ?? '0', 10) || 0;
    memory += Number.parseInt(c.usage?.['memory'] ?? '0', 10) || 0;
  }
  return { cpu: `${cpu}n`, memory: `${memory}Ki` };
}

function printerFor(d: ResourceDef): Printer {
  if (d.computed) return metricsPrinter(d.kind);
  if (d.origin === 'crd') return customPrinter(d);
  return PRINTERS[d.resource] ?? MORE_PRINTERS[d.resource] ?? genericPrinter;
}

export type IncludeObject = 'Object' | 'Metadata' | 'None';

export interface TableOptions {
  def: ResourceDef;
  apiVersion: string;
  includeObject: IncludeObject;
  now: number;
  /** Watch events after the first omit the column definitions (the server's NoHeaders). */
  noHeaders?: boolean;
  listMeta: Obj;
}

function rowJson(d: ResourceDef, entry: Entry, opts: TableOptions): string {
  const cells =
    d.resource === 'pods' && !d.group
      ? podRow(entry.obj as Pod, opts.now)
      : { cells: printerFor(d).cells(entry.obj, opts.now) };
  let object: string;
  if (opts.includeObject === 'None') object = 'null';
  else if (opts.includeObject === 'Object') object = entry.fullJson();
  else
    object = `{"kind":"PartialObjectMetadata","apiVersion":"${opts.apiVersion}","metadata":${JSON.stringify(entry.obj.metadata)}}`;
  const conditions =
    'conditions' in cells && cells.conditions ? `"conditions":${JSON.stringify(cells.conditions)},` : '';
  return `{"cells":${JSON.stringify(cells.cells)},${conditions}"object":${object}}`;
}

/** The Table JSON, as chunks (a 10,000-row table is written without one giant string). */
export function* tableChunks(entries: Iterable<Entry>, opts: TableOptions): Generator<string> {
  const columns = opts.noHeaders ? 'null' : JSON.stringify(printerFor(opts.def).columns);
  yield `{"kind":"Table","apiVersion":"${opts.apiVersion}","metadata":${JSON.stringify(opts.listMeta)},"columnDefinitions":${columns},"rows":[`;
  let first = true;
  let buf = '';
  for (const e of entries) {
    buf += (first ? '' : ',') + rowJson(opts.def, e, opts);
    first = false;
    if (buf.length > 65_536) {
      yield buf;
      buf = '';
    }
  }
  yield `${buf}]}`;
}

export const tableJson = (entries: Iterable<Entry>, opts: TableOptions): string =>
  [...tableChunks(entries, opts)].join('');
