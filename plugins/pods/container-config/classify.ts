// pods/create-container-config, classify: a container the kubelet cannot create because a
// ConfigMap, a Secret or one of their keys is missing (CreateContainerConfigError), a volume
// whose ConfigMap or Secret is missing (FailedMount), or runAsNonRoot with a root image.
import type { ConfigMapSummary, KubeEvent, Pod, SecretSummary } from '../../../src/model/k8s.js';
import type { Snapshot } from '../../../src/store/snapshot.js';
import type { RuleContext } from '../../../src/diagnose/types.js';
import type { ContainerCase } from '../../../src/diagnose/container-rule.js';
import {
  byName,
  containerSites,
  podContainers,
  podEvents,
  type ContainerSite,
} from '../../../src/diagnose/pod-facts.js';
import { nearestName } from '../../../src/diagnose/nearest.js';
import { certificateSecret, manifestDocs } from '../../crds/lib/manifest.js';
import { containerRefs, mayNameSecret, volumeRefs, type ConfigRef, type SourceKind } from '../lib/config-refs.js';

export type ConfigVariant =
  'missing-configmap' | 'missing-secret' | 'missing-key' | 'missing-volume-source' | 'run-as-non-root' | 'unknown';

/** What is missing: an object, or a key of one. */
export interface Missing {
  kind: SourceKind;
  name: string;
  namespace: string;
  key?: string;
  /** The volume that needs it (FailedMount). */
  volume?: string;
}

export interface ConfigAnalysis extends ContainerCase {
  pod: Pod;
  site: ContainerSite;
  variant: ConfigVariant;
  missing: Missing | undefined;
  /** The kubelet's own words. */
  message: string;
  /** Events that name the cause, then related ones. */
  events: KubeEvent[];
  otherEvents: KubeEvent[];
  /** Where the pod references the missing object (or key). */
  refs: ConfigRef[];
  /** The snapshot shows the object (and key) exists now: the kubelet retries by itself. */
  resolvedNow: boolean;
  /** The Secret is a certificate that cert-manager is meant to issue. */
  certManager: CertManagerHint | undefined;
  /** The name (and key) exists as the other kind: a Secret reference to a ConfigMap, or the reverse. */
  otherKind: OtherKind | undefined;
  /** The existing ConfigMap whose name is closest to the missing one's (did you mean). */
  meant: string | undefined;
}

export interface OtherKind {
  kind: SourceKind;
  name: string;
  /** Its keys, when the snapshot lists them. */
  keys?: string[];
  /**
   * How kcockpit knows it exists when it cannot list it (kcockpit lists only pull secrets):
   * a running container that needs it, e.g. `pod api-0, spec.containers[0].env[1].valueFrom.secretKeyRef`.
   */
  witness?: string;
}

export interface CertManagerHint {
  /** A Certificate in the workload's Helm release manifest that writes this Secret. */
  certificate?: string;
  release?: string;
  /** Discovery has no cert-manager.io group. */
  groupMissing: boolean;
}

const KIND_OF: Record<string, SourceKind> = { configmap: 'ConfigMap', secret: 'Secret' };

/** `configmap "app-config" not found`, `secret "db-creds" not found`, `couldn't find key password in Secret shop/db-creds`. */
export function parseConfigError(message: string, namespace: string): { variant: ConfigVariant; missing?: Missing } {
  const notFound = /\b(configmap|secret) "([^"]+)" not found/i.exec(message);
  if (notFound) {
    const kind = KIND_OF[notFound[1]!.toLowerCase()]!;
    return {
      variant: kind === 'ConfigMap' ? 'missing-configmap' : 'missing-secret',
      missing: { kind, name: notFound[2]!, namespace },
    };
  }
  const noKey = /couldn't find key (\S+) in (ConfigMap|Secret) (?:([^/\s]+)\/)?(\S+)/i.exec(message);
  if (noKey) {
    const kind = KIND_OF[noKey[2]!.toLowerCase()]!;
    return {
      variant: 'missing-key',
      missing: { kind, name: noKey[4]!, namespace: noKey[3] ?? namespace, key: noKey[1]! },
    };
  }
  if (/runAsNonRoot/i.test(message)) return { variant: 'run-as-non-root' };
  return { variant: 'unknown' };
}

const FAILED_MOUNT = /MountVolume\.SetUp failed for volume "([^"]+)" : (configmap|secret) "([^"]+)" not found/i;

export function keysOf(snapshot: Snapshot, m: Missing): string[] | undefined {
  const obj = snapshot.get<ConfigMapSummary | SecretSummary>(m.kind, m.namespace, m.name);
  return obj ? (Array.isArray(obj.keys) ? obj.keys : []) : undefined;
}

/** Whether the snapshot shows the object (and key) exists now. */
function existsNow(snapshot: Snapshot, m: Missing): boolean {
  const keys = keysOf(snapshot, m);
  return keys !== undefined && (m.key === undefined || keys.includes(m.key));
}

/**
 * Whether absence from the snapshot means absence from the cluster. ConfigMaps are all
 * listed (when readable); of Secrets the store keeps only pull secrets, so for a Secret the
 * kubelet's own message is the witness.
 */
export function absenceIsKnown(snapshot: Snapshot, kind: SourceKind): boolean {
  return kind === 'ConfigMap' && !snapshot.forbidden.has('configmaps');
}

/** Only ConfigMaps are all listed (Secrets are not kept), so only their names can be offered. */
function meantConfigMap(snapshot: Snapshot, m: Missing | undefined): string | undefined {
  if (!m || m.key !== undefined || !absenceIsKnown(snapshot, m.kind)) return undefined;
  const names = byName(snapshot.inNamespace('ConfigMap', m.namespace));
  return nearestName(
    m.name,
    names.map((c) => c.metadata.name),
  );
}

function matchesMissing(ref: ConfigRef, m: Missing): boolean {
  return (
    ref.kind === m.kind &&
    ref.name === m.name &&
    (m.key === undefined || ref.key === m.key) &&
    (m.volume === undefined || ref.volume === m.volume)
  );
}

function certManagerHint(snapshot: Snapshot, pod: Pod, m: Missing): CertManagerHint | undefined {
  if (m.kind !== 'Secret' || m.key !== undefined) return undefined;
  // An empty group list means discovery was not read, not that cert-manager is absent.
  const groupMissing = snapshot.apiGroups.size > 0 && !snapshot.hasGroup('cert-manager.io');
  const release = snapshot.helmReleaseOf(pod);
  const certificate = release
    ? manifestDocs(release).find(
        (d) =>
          d.kind === 'Certificate' && d.apiVersion.startsWith('cert-manager.io/') && certificateSecret(d) === m.name,
      )
    : undefined;
  if (release && certificate) return { groupMissing, certificate: certificate.name ?? m.name, release: release.name };
  return groupMissing && /-(cert|certs|tls)$/.test(m.name) ? { groupMissing } : undefined;
}

/**
 * Whether the missing ConfigMap (Secret) exists as a Secret (ConfigMap) of the same name, with
 * the key when one is wanted. A Secret kcockpit cannot list is proven by a running container
 * whose start required it: the kubelet does not start a container whose non-optional
 * references are missing.
 */
function otherKindOf(snapshot: Snapshot, pod: Pod, m: Missing, refs: readonly ConfigRef[]): OtherKind | undefined {
  if (m.volume !== undefined) return undefined;
  const kind: SourceKind = m.kind === 'Secret' ? 'ConfigMap' : 'Secret';
  const listed = snapshot.get<ConfigMapSummary | SecretSummary>(kind, m.namespace, m.name);
  if (listed) {
    const keys = Array.isArray(listed.keys) ? listed.keys : [];
    const wanted = [...refs.map((r) => r.key), m.key].filter((k): k is string => k !== undefined);
    return wanted.every((k) => keys.includes(k)) ? { kind, name: m.name, keys } : undefined;
  }
  if (kind !== 'Secret') return undefined;
  for (const other of snapshot.podsIn(m.namespace)) {
    if (other === pod) continue;
    for (const site of containerSites(other)) {
      if (!site.status.state?.running && !site.status.state?.terminated) continue;
      if (!site.spec || !site.specPath || !mayNameSecret(site.spec, m.name)) continue;
      const ref = containerRefs(site.spec, site.specPath, pointerOf(site.specPath)).find(
        (r) => r.kind === 'Secret' && r.name === m.name && !r.optional && (m.key === undefined || r.key === m.key),
      );
      if (ref) return { kind, name: m.name, witness: `pod ${other.metadata.name}, ${ref.path}` };
    }
  }
  return undefined;
}

/** `spec.containers[0]` → `/spec/containers/0` */
function pointerOf(fieldPath: string): string {
  return `/${fieldPath
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .join('/')}`;
}

function analyseWaiting(snapshot: Snapshot, pod: Pod, site: ContainerSite): ConfigAnalysis {
  const ns = pod.metadata.namespace ?? '';
  const events = podEvents(snapshot, pod, site).filter((e) => e.type === 'Warning' && e.reason === 'Failed');
  const latest = events[events.length - 1]?.message?.replace(/^Error: /, '');
  const message = site.status.state?.waiting?.message || latest || '';
  const { variant, missing } = parseConfigError(message, ns);
  const refs =
    missing && site.spec && site.specPath
      ? containerRefs(site.spec, site.specPath, pointerOf(site.specPath)).filter((r) => matchesMissing(r, missing))
      : [];
  return {
    pod,
    site,
    variant,
    missing,
    message,
    events,
    otherEvents: [],
    refs,
    resolvedNow: missing ? existsNow(snapshot, missing) : false,
    certManager: missing ? certManagerHint(snapshot, pod, missing) : undefined,
    otherKind: missing && refs.length > 0 ? otherKindOf(snapshot, pod, missing, refs) : undefined,
    meant: meantConfigMap(snapshot, missing),
  };
}

/** A pod waiting to be set up: not running yet, its containers (if reported) still being created. */
function stuckCreating(pod: Pod): boolean {
  if (pod.status?.phase !== 'Pending') return false;
  return containerSites(pod).every((s) =>
    ['ContainerCreating', 'PodInitializing'].includes(s.status.state?.waiting?.reason ?? ''),
  );
}

/** Missing volume sources from FailedMount events, grouped by the first container that mounts the volume. */
function analyseMounts(snapshot: Snapshot, pod: Pod): ConfigAnalysis[] {
  const ns = pod.metadata.namespace ?? '';
  const failed = podEvents(snapshot, pod).filter(
    (e) => e.reason === 'FailedMount' && FAILED_MOUNT.test(e.message ?? ''),
  );
  const byVolume = new Map<string, KubeEvent[]>();
  for (const e of failed) {
    const volume = FAILED_MOUNT.exec(e.message ?? '')![1]!;
    byVolume.set(volume, [...(byVolume.get(volume) ?? []), e]);
  }
  const sites = containerSites(pod);
  const out: ConfigAnalysis[] = [];
  for (const [volume, events] of byVolume) {
    const m = FAILED_MOUNT.exec(events[events.length - 1]!.message ?? '')!;
    const missing: Missing = { kind: KIND_OF[m[2]!.toLowerCase()]!, name: m[3]!, namespace: ns, volume };
    const site = siteMounting(pod, sites, volume);
    if (!site) continue;
    out.push({
      pod,
      site,
      variant: 'missing-volume-source',
      missing,
      message: events[events.length - 1]!.message ?? '',
      events,
      otherEvents: podEvents(snapshot, pod).filter(
        (e) => e.reason === 'FailedMount' && !events.includes(e) && (e.message ?? '').includes(volume),
      ),
      refs: volumeRefs(pod.spec ?? { containers: [] }).filter((r) => matchesMissing(r, missing)),
      resolvedNow: existsNow(snapshot, missing),
      certManager: certManagerHint(snapshot, pod, missing),
      otherKind: undefined,
      meant: meantConfigMap(snapshot, missing),
    });
  }
  return out;
}

/** The first container (init containers first) that mounts the volume, else the first container. */
function siteMounting(pod: Pod, sites: readonly ContainerSite[], volume: string): ContainerSite | undefined {
  for (const init of [true, false]) {
    const specs = podContainers(pod, init);
    const index = specs.findIndex(
      (c) => Array.isArray(c?.volumeMounts) && c.volumeMounts.some((vm) => vm?.name === volume),
    );
    if (index >= 0) {
      const spec = specs[index]!;
      return sites.find((s) => s.init === init && s.name === spec.name) ?? syntheticSite(spec.name, init, index, spec);
    }
  }
  const first = podContainers(pod, false)[0];
  return first
    ? (sites.find((s) => !s.init && s.name === first.name) ?? syntheticSite(first.name, false, 0, first))
    : undefined;
}

/** Pods still being set up may report no container statuses yet. */
function syntheticSite(name: string, init: boolean, index: number, spec: ContainerSite['spec']): ContainerSite {
  const field = init ? 'initContainers' : 'containers';
  return {
    name,
    init,
    status: { name, ready: false, restartCount: 0 },
    statusPath: `status.${field === 'containers' ? 'containerStatuses' : 'initContainerStatuses'}[${index}]`,
    spec,
    specPath: `spec.${field}[${index}]`,
  };
}

/** A container waiting in CreateContainerConfigError, and why. */
export function classifyConfigError(pod: Pod, site: ContainerSite, ctx: RuleContext): ConfigAnalysis | undefined {
  return site.status.state?.waiting?.reason === 'CreateContainerConfigError'
    ? analyseWaiting(ctx.snapshot, pod, site)
    : undefined;
}

/** A pod stuck in ContainerCreating because a volume's ConfigMap or Secret is missing. */
export function classifyMissingVolumes(pod: Pod, ctx: RuleContext): ConfigAnalysis[] {
  return stuckCreating(pod) ? analyseMounts(ctx.snapshot, pod) : [];
}
