// The admission plugins whose effects kcockpit's fixes depend on, applied on pod CREATE only:
// ServiceAccount (default the account, copy its imagePullSecrets when the pod lists none,
// mount the API token), DefaultTolerationSeconds and Priority. Because the pull secrets are
// copied only here, an existing pod never picks up a secret added to its ServiceAccount later.
import type { Container, KubeObject, Pod, PodSpec, ServiceAccount } from '../model/k8s.js';
import { randomSuffix } from './defaults.js';
import type { ResourceDef } from './resources.js';
import type { SimState } from './state.js';
import { forbiddenBy } from './status.js';

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

export function admitPodCreate(state: SimState, podsDef: ResourceDef, pod: Pod): Pod {
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
