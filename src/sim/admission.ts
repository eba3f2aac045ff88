// The admission chain, in kube-apiserver's order. Mutating plugins run before the object's
// generated name is chosen (so their refusals quote the bare `generateName` prefix, as
// `error looking up service account` does on a real cluster); validating plugins run after it
// (so quota and Pod Security refusals quote the final name):
//   mutating:   LimitRanger (defaults), ServiceAccount, DefaultTolerationSeconds, Priority,
//               DefaultStorageClass, MutatingAdmissionWebhook
//   validating: LimitRanger, PodSecurity, ValidatingAdmissionWebhook, ResourceQuota
// The ServiceAccount plugin copies the account's imagePullSecrets into a pod only here, when
// the pod lists none: an existing pod never picks up a secret added to its ServiceAccount later.
import type {
  Container,
  KubeObject,
  PersistentVolumeClaim,
  Pod,
  PodSpec,
  ServiceAccount,
  StorageClass,
} from '../model/k8s.js';
import { admitLimits, defaultLimits } from './admission-limitrange.js';
import { admitPodSecurity } from './admission-podsecurity.js';
import { admitQuota } from './admission-quota.js';
import { admitWebhooks, type Operation } from './admission-webhooks.js';
import { randomSuffix } from './defaults.js';
import type { ResourceDef } from './resources.js';
import type { SimState } from './state.js';
import { forbiddenBy } from './status.js';
import { isDefaultClass } from './table-printers.js';

const TOKEN_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

const DEFAULT_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

function tokenVolume(name: string): Record<string, unknown> {
  return {
    name,
    projected: {
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        {
          downwardAPI: {
            items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
          },
        },
      ],
      defaultMode: 420,
    },
  };
}

function mountToken(c: Container, volume: string): Container {
  const mounts = (c.volumeMounts ?? []) as { name: string; mountPath: string; readOnly?: boolean }[];
  if (mounts.some((m) => m.mountPath === TOKEN_MOUNT)) return c;
  return { ...c, volumeMounts: [...mounts, { name: volume, readOnly: true, mountPath: TOKEN_MOUNT }] };
}

const isCorePod = (def: ResourceDef): boolean => def.kind === 'Pod' && !def.group;

/** DefaultStorageClass: a claim that names no class gets the default one, when there is one. */
function defaultStorageClass(state: SimState, pvc: PersistentVolumeClaim): PersistentVolumeClaim {
  if (pvc.spec.storageClassName !== undefined && pvc.spec.storageClassName !== null) return pvc;
  const def = state.objectsOf<StorageClass>('StorageClass').find(isDefaultClass);
  return def ? { ...pvc, spec: { ...pvc.spec, storageClassName: def.metadata.name } } : pvc;
}

/** StorageObjectInUseProtection: a claim is not removed while a pod uses it. */
function inUseProtection(pvc: PersistentVolumeClaim): PersistentVolumeClaim {
  const finalizers = (pvc.metadata as { finalizers?: string[] }).finalizers ?? [];
  if (finalizers.includes('kubernetes.io/pvc-protection')) return pvc;
  return {
    ...pvc,
    metadata: {
      ...pvc.metadata,
      finalizers: [...finalizers, 'kubernetes.io/pvc-protection'],
    } as PersistentVolumeClaim['metadata'],
  };
}

/** The mutating plugins, on a create whose name may still be only a `generateName` prefix. */
export function admitMutating(state: SimState, def: ResourceDef, obj: KubeObject, op: Operation): KubeObject {
  let out = obj;
  if (op === 'CREATE' && isCorePod(def)) out = admitPodCreate(state, def, defaultLimits(state, out as Pod));
  if (op === 'CREATE' && def.kind === 'PersistentVolumeClaim' && !def.group)
    out = inUseProtection(defaultStorageClass(state, out as PersistentVolumeClaim));
  admitWebhooks(state, 'mutating', def, op, out);
  return out;
}

/** The validating plugins, once the object has its final name. */
export function admitValidating(state: SimState, def: ResourceDef, obj: KubeObject, op: Operation): void {
  if (op === 'CREATE' && isCorePod(def)) {
    admitLimits(state, def, obj as Pod);
    admitPodSecurity(state, def, obj as Pod);
  }
  admitWebhooks(state, 'validating', def, op, obj);
  if (op === 'CREATE') admitQuota(state, def, obj);
}

function admitPodCreate(state: SimState, podsDef: ResourceDef, pod: Pod): Pod {
  const ns = pod.metadata.namespace ?? 'default';
  const spec = { ...pod.spec } as PodSpec & Record<string, unknown>;
  const saName = spec.serviceAccountName || (spec['serviceAccount'] as string | undefined) || 'default';
  const saDef = state.registry.forKind('ServiceAccount');
  const sa = saDef ? (state.get(saDef, ns, saName)?.obj as ServiceAccount | undefined) : undefined;
  if (!sa) {
    const shownName = pod.metadata.name || (pod.metadata as { generateName?: string }).generateName || '';
    throw forbiddenBy(
      podsDef,
      shownName,
      `error looking up service account ${ns}/${saName}: serviceaccount "${saName}" not found`,
    );
  }
  spec.serviceAccountName = saName;
  spec['serviceAccount'] = saName;
  if (!spec.imagePullSecrets?.length && sa.imagePullSecrets?.length)
    spec.imagePullSecrets = sa.imagePullSecrets.map((s) => ({ name: s.name }));

  const automount =
    (spec['automountServiceAccountToken'] ??
      (sa as KubeObject & { automountServiceAccountToken?: boolean }).automountServiceAccountToken) !== false;
  const hasTokenMount = spec.containers.some((c) => (c.volumeMounts ?? []).some((m) => m.mountPath === TOKEN_MOUNT));
  if (automount && !hasTokenMount) {
    const volume = `kube-api-access-${randomSuffix()}`;
    spec.volumes = [...(spec.volumes ?? []), tokenVolume(volume) as unknown as NonNullable<PodSpec['volumes']>[number]];
    spec.containers = spec.containers.map((c) => mountToken(c, volume));
    if (spec.initContainers) spec.initContainers = spec.initContainers.map((c) => mountToken(c, volume));
  }

  const tolerations = [...(spec.tolerations ?? [])];
  for (const t of DEFAULT_TOLERATIONS)
    if (!tolerations.some((x) => x.key === t.key && x.effect === t.effect)) tolerations.push(t);
  spec.tolerations = tolerations;
  spec['priority'] ??= 0;
  spec['preemptionPolicy'] ??= 'PreemptLowerPriority';
  return { ...pod, spec };
}
