// Server-side defaulting of specs (what a real API server fills in on create, so objects read
// back look like `kubectl get -o json` of a real cluster). Pure: each function returns a new object.
import { randomBytes } from 'node:crypto';
import type { Container, KubeObject, PodSpec } from '../model/k8s.js';
import { withDefaults as withCrdDefaults, type Crd } from './crds.js';

type Obj = Record<string, unknown>;

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** The 5-character suffix generateName and ReplicaSet pods get (utilrand.String). */
export function randomSuffix(length = 5): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHANUMS[b % ALPHANUMS.length];
  return out;
}

function imageTag(image: string): string | undefined {
  if (image.includes('@')) return 'digest';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  return colon >= 0 ? image.slice(colon + 1) : undefined;
}

function defaultContainer(c: Container): Container {
  const out = { ...c } as Container & Obj;
  if (out['resources'] === undefined) out['resources'] = {};
  out['terminationMessagePath'] ??= '/dev/termination-log';
  out['terminationMessagePolicy'] ??= 'File';
  if (out['imagePullPolicy'] === undefined) {
    const tag = imageTag(c.image ?? '');
    out['imagePullPolicy'] = tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent';
  }
  if (c.ports) out.ports = c.ports.map((p) => ({ ...p, protocol: p.protocol ?? 'TCP' }));
  return out;
}

/** Defaults of a PodSpec, in a pod or in a workload's template. */
export function defaultPodSpec(spec: PodSpec): PodSpec {
  const s = { ...spec } as PodSpec & Obj;
  s.containers = (spec.containers ?? []).map(defaultContainer);
  if (spec.initContainers) s.initContainers = spec.initContainers.map(defaultContainer);
  s.restartPolicy ??= 'Always';
  s['terminationGracePeriodSeconds'] ??= 30;
  s['dnsPolicy'] ??= 'ClusterFirst';
  s['securityContext'] ??= {};
  s['schedulerName'] ??= 'default-scheduler';
  s['enableServiceLinks'] ??= true;
  return s;
}

const withSpec = (obj: KubeObject, spec: Obj): KubeObject => ({ ...obj, spec }) as KubeObject;

function defaultTemplate(spec: Obj): Obj {
  const template = (spec['template'] ?? {}) as { metadata?: Obj; spec?: PodSpec };
  return {
    ...spec,
    template: {
      ...template,
      metadata: { creationTimestamp: null, ...(template.metadata ?? {}) },
      spec: defaultPodSpec(template.spec ?? ({ containers: [] } as PodSpec)),
    },
  };
}

let nextClusterIp = 10;

function allocateClusterIp(): string {
  nextClusterIp++;
  return `10.96.${Math.floor(nextClusterIp / 250)}.${(nextClusterIp % 250) + 1}`;
}

/** Kind-specific defaulting on create. */
export function applyDefaults(obj: KubeObject): KubeObject {
  const o = obj as KubeObject & Obj;
  const spec = (o['spec'] ?? {}) as Obj;
  switch (obj.kind) {
    case 'CustomResourceDefinition':
      return withCrdDefaults(obj as Crd);
    case 'Pod': {
      const podSpec = defaultPodSpec(spec as unknown as PodSpec);
      // A pod's container with a limit and no request requests the limit (SetDefaults_Pod; not templates).
      const requestLimits = (c: Container): Container => {
        const res = c.resources ?? {};
        return res.limits ? { ...c, resources: { ...res, requests: { ...res.limits, ...(res.requests ?? {}) } } } : c;
      };
      podSpec.containers = podSpec.containers.map(requestLimits);
      if (podSpec.initContainers) podSpec.initContainers = podSpec.initContainers.map(requestLimits);
      return withSpec(obj, podSpec as unknown as Obj);
    }
    case 'Deployment':
      return withSpec(obj, {
        replicas: 1,
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
        ...defaultTemplate(spec),
      });
    case 'StatefulSet':
      return withSpec(obj, {
        replicas: 1,
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
        revisionHistoryLimit: 10,
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        ...defaultTemplate(spec),
      });
    case 'ReplicaSet':
      return withSpec(obj, { replicas: 1, ...defaultTemplate(spec) });
    case 'DaemonSet':
      return withSpec(obj, {
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
        revisionHistoryLimit: 10,
        ...defaultTemplate(spec),
      });
    case 'Job': {
      // The selector and labels that tie a Job to its pods name the Job's own uid (job strategy's generateSelector).
      const uid = obj.metadata.uid ?? '';
      const ownLabels = {
        'batch.kubernetes.io/controller-uid': uid,
        'batch.kubernetes.io/job-name': obj.metadata.name,
        'controller-uid': uid,
        'job-name': obj.metadata.name,
      };
      const manual = spec['manualSelector'] === true;
      const template = (spec['template'] ?? {}) as { metadata?: Obj };
      const tmplLabels = { ...(manual ? {} : ownLabels), ...((template.metadata?.['labels'] as Obj) ?? {}) };
      const withLabels = {
        ...spec,
        template: { ...template, metadata: { ...(template.metadata ?? {}), labels: tmplLabels } },
      };
      const job = withSpec(obj, {
        parallelism: 1,
        completions: 1,
        backoffLimit: 6,
        ...(manual ? {} : { selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } } }),
        completionMode: 'NonIndexed',
        suspend: false,
        ...defaultTemplate(withLabels),
      });
      return obj.metadata.labels && Object.keys(obj.metadata.labels).length
        ? job
        : ({ ...job, metadata: { ...job.metadata, labels: tmplLabels } } as KubeObject);
    }
    case 'CronJob': {
      const jt = (spec['jobTemplate'] ?? {}) as { metadata?: Obj; spec?: Obj };
      return withSpec(obj, {
        concurrencyPolicy: 'Allow',
        suspend: false,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
        ...spec,
        jobTemplate: {
          ...jt,
          metadata: { creationTimestamp: null, ...(jt.metadata ?? {}) },
          spec: defaultTemplate(jt.spec ?? {}),
        },
      });
    }
    case 'PersistentVolume':
      return withSpec(obj, { persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem', ...spec });
    case 'StorageClass':
      return { reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate', ...o } as KubeObject;
    case 'Ingress':
      return withSpec(obj, {
        ...spec,
        ...(spec['rules']
          ? {
              rules: (spec['rules'] as { http?: { paths?: Obj[] } }[]).map((r) =>
                r.http
                  ? {
                      ...r,
                      http: {
                        ...r.http,
                        paths: (r.http.paths ?? []).map((p) => ({ pathType: 'ImplementationSpecific', ...p })),
                      },
                    }
                  : r,
              ),
            }
          : {}),
      });

    case 'Service': {
      const headless = spec['clusterIP'] === 'None';
      const ip = (spec['clusterIP'] as string | undefined) ?? allocateClusterIp();
      const ports = ((spec['ports'] ?? []) as Obj[]).map((p) => ({
        protocol: 'TCP',
        ...p,
        targetPort: p['targetPort'] ?? p['port'],
      }));
      return withSpec(obj, {
        type: 'ClusterIP',
        sessionAffinity: 'None',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        internalTrafficPolicy: 'Cluster',
        ...spec,
        ports,
        clusterIP: ip,
        clusterIPs: headless ? ['None'] : [ip],
      });
    }
    case 'Namespace':
      return {
        ...obj,
        metadata: {
          ...obj.metadata,
          labels: { 'kubernetes.io/metadata.name': obj.metadata.name, ...(obj.metadata.labels ?? {}) },
        },
        spec: { finalizers: ['kubernetes'], ...spec },
      } as KubeObject;
    case 'Secret': {
      const { stringData, ...rest } = o as Obj;
      const data = { ...((o['data'] ?? {}) as Record<string, string>) };
      for (const [k, v] of Object.entries((stringData ?? {}) as Record<string, string>))
        data[k] = Buffer.from(v, 'utf8').toString('base64');
      return {
        ...rest,
        type: o['type'] ?? 'Opaque',
        ...(Object.keys(data).length ? { data } : {}),
      } as unknown as KubeObject;
    }
    case 'PersistentVolumeClaim':
      return withSpec(obj, { ...spec, volumeMode: spec['volumeMode'] ?? 'Filesystem' });
    default:
      return obj;
  }
}
