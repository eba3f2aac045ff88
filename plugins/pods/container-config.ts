// pods/create-container-config: containers that cannot be created because a ConfigMap, a
// Secret or one of their keys is missing (CreateContainerConfigError), and pods stuck in
// ContainerCreating because a volume's ConfigMap or Secret is missing (FailedMount).
import type { ConfigMapSummary, KubeEvent, KubeObject, Pod, SecretSummary } from '../../src/model/k8s.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import type {
  Evidence,
  FixPlan,
  FixStep,
  JsonPatchOp,
  ObjectRef,
  RawFinding,
  Rule,
  Severity,
} from '../../src/diagnose/types.js';
import { fieldEvidence, findingId, nsFlag, refKey, refOf, subjectOf } from '../../src/diagnose/evidence.js';
import { certificateSecret, manifestDocs } from '../crds/lib/manifest.js';
import { containerRefs, sameRef, volumeRefs, type ConfigRef, type SourceKind } from './lib/config-refs.js';
import {
  byName,
  clip,
  containerSites,
  eventsEvidence,
  findingObjects,
  isTerminating,
  podContainers,
  podEvents,
  podsPhrase,
  subjectRef,
  waitingEvidence,
  type ContainerSite,
} from './lib/pod-facts.js';
import {
  jsonPatchCommand,
  patchableWorkload,
  rollsPodsOnTemplateChange,
  recreatePods,
  templateContainer,
} from './lib/workload.js';

export const RULE_ID = 'pods/create-container-config';

export type ConfigVariant =
  'missing-configmap' | 'missing-secret' | 'missing-key' | 'missing-volume-source' | 'run-as-non-root' | 'unknown';

/** What is missing: an object, or a key of one. */
interface Missing {
  kind: SourceKind;
  name: string;
  namespace: string;
  key?: string;
  /** The volume that needs it (FailedMount). */
  volume?: string;
}

interface ConfigAnalysis {
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
}

interface CertManagerHint {
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

function keysOf(snapshot: Snapshot, m: Missing): string[] | undefined {
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
function absenceIsKnown(snapshot: Snapshot, kind: SourceKind): boolean {
  return kind === 'ConfigMap' && !snapshot.forbidden.has('configmaps');
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
    });
  }
  return out;
}

/** The first container (init containers first) that mounts the volume, else the first container. */
function siteMounting(pod: Pod, sites: ContainerSite[], volume: string): ContainerSite | undefined {
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

// ---------------------------------------------------------------------------------------
// Words

function describeMissing(m: Missing): string {
  return m.key !== undefined ? `key ${m.key} of ${m.kind} ${m.name}` : `${m.kind} ${m.name}`;
}

function titleOf(a: ConfigAnalysis): string {
  const c = a.site.name;
  const m = a.missing;
  switch (a.variant) {
    case 'missing-configmap':
    case 'missing-secret':
      return `${c} cannot start: ${m!.kind} ${m!.name} not found`;
    case 'missing-key':
      return `${c} cannot start: key ${m!.key} missing from ${m!.kind} ${m!.name}`;
    case 'missing-volume-source':
      return `${c} cannot start: volume ${m!.volume} needs ${m!.kind} ${m!.name}, which does not exist`;
    case 'run-as-non-root':
      return `${c} cannot start: runAsNonRoot is set but the image runs as root`;
    case 'unknown':
      return `${c} cannot start: CreateContainerConfigError`;
  }
}

function refPhrase(r: ConfigRef): string {
  if (r.via === 'env') return `environment variable ${r.envName ?? '?'} (${r.path})`;
  if (r.via === 'envFrom') return `envFrom (${r.path})`;
  return `volume ${r.volume ?? '?'} (${r.path})`;
}

function certManagerText(h: CertManagerHint, m: Missing): string {
  const who = h.certificate
    ? `cert-manager is meant to create Secret ${m.name}: the Certificate ${h.certificate}${h.release ? ` in Helm release ${h.release}` : ''} writes it.`
    : `Secret ${m.name} looks like a TLS certificate that cert-manager would create.`;
  const state = h.groupMissing
    ? ' cert-manager is not installed (the cluster serves no cert-manager.io API), so nobody creates it; the finding of rule crds/missing-api-group covers installing it, after which the Secret appears and the pod starts by itself.'
    : h.certificate
      ? ` cert-manager is installed, so check why the Certificate is not ready (kubectl describe certificate ${h.certificate}${nsFlag(m.namespace)}).`
      : '';
  return who + state;
}

function explanationOf(snapshot: Snapshot, a: ConfigAnalysis, pods: readonly Pod[]): string {
  const c = a.site.name;
  const m = a.missing;
  const where = `${podsPhrase(pods)}`;
  const parts: string[] = [];
  if (a.variant === 'missing-volume-source') {
    parts.push(
      `The ${where} cannot start: before starting containers the kubelet mounts each volume, and volume ${m!.volume} is filled from ${m!.kind} ${m!.name}, which does not exist in namespace ${m!.namespace} ("${clip(a.message, 300)}"). So the pod waits in ContainerCreating and container ${c} never starts.`,
    );
  } else if (m) {
    parts.push(
      `Container ${c} (${where}) cannot be created (CreateContainerConfigError): before starting a container, Kubernetes fills in its environment from the ConfigMaps and Secrets it references, and ${describeMissing(m)} is missing: "${clip(a.message, 300)}".`,
    );
  } else {
    parts.push(
      `Container ${c} (${where}) cannot be created (CreateContainerConfigError): the kubelet could not build its configuration: "${clip(a.message, 300)}".`,
    );
  }
  if (m && a.refs.length > 0) parts.push(`It is referenced by ${a.refs.map(refPhrase).join(', ')}.`);
  if (a.variant === 'missing-key') {
    const keys = keysOf(snapshot, m!);
    if (keys)
      parts.push(
        `${m!.kind} ${m!.name} exists, with the keys ${keys.length ? keys.join(', ') : '(none)'}; ${m!.key} is not among them (a typo, or a key that was never added).`,
      );
  }
  if (a.variant === 'run-as-non-root')
    parts.push(
      `The pod's securityContext demands a non-root user (runAsNonRoot: true), but the image starts as root (or names its user in a way Kubernetes cannot check). Set securityContext.runAsUser to a non-zero UID the image supports, or use an image built to run as a non-root user.`,
    );
  if (a.variant === 'unknown')
    parts.push('kcockpit does not recognise this message; kubectl describe pod shows the full picture.');
  if (a.certManager && m) parts.push(certManagerText(a.certManager, m));
  else if (a.resolvedNow && m)
    parts.push(
      `${describeMissing(m)} exists now, so the kubelet picks it up at its next retry (within a minute or two); nothing else is needed.`,
    );
  else if (m) {
    const optional =
      a.variant !== 'missing-volume-source' ? ', or mark the reference optional if the app can run without it' : '';
    const create = m.key !== undefined ? `Add key ${m.key} to ${m.kind} ${m.name}` : `Create ${m.kind} ${m.name}`;
    parts.push(`${create}${optional}; the kubelet retries on its own and the container starts once it is there.`);
  }
  return parts.join(' ');
}

// ---------------------------------------------------------------------------------------
// Evidence

function evidenceOf(snapshot: Snapshot, a: ConfigAnalysis): Evidence[] {
  const ev: Evidence[] = a.variant === 'missing-volume-source' ? [] : [...waitingEvidence(a.pod, a.site)];
  ev.push(...eventsEvidence(a.events, 3), ...eventsEvidence(a.otherEvents, 1));
  for (const r of a.refs)
    ev.push(
      fieldEvidence(
        a.pod,
        r.path,
        `${r.kind} ${r.name}${r.key !== undefined ? `, key ${r.key}` : ''}${r.optional ? ' (optional)' : ''}`,
        'spec',
      ),
    );
  const m = a.missing;
  const keys = m ? keysOf(snapshot, m) : undefined;
  if (m && (keys !== undefined || absenceIsKnown(snapshot, m.kind))) {
    const ref: ObjectRef = { kind: m.kind, name: m.name, namespace: m.namespace };
    ev.push({
      source: 'status',
      ref,
      text: keys === undefined ? 'not found' : `exists; keys: ${keys.join(', ') || '(none)'}`,
    });
  }
  const h = a.certManager;
  if (h?.groupMissing) ev.push({ source: 'discovery', text: 'API group cert-manager.io is not served' });
  if (h?.certificate)
    ev.push({
      source: 'helm',
      text: `Certificate ${h.certificate} (secretName: ${m!.name})${h.release ? ` in release ${h.release}` : ''}`,
    });
  return ev;
}

// ---------------------------------------------------------------------------------------
// Fixes

function createCommand(m: Missing, refs: readonly ConfigRef[]): string {
  const keys = [...new Set(refs.map((r) => r.key).filter((k): k is string => k !== undefined))];
  // A reference to the whole object (envFrom, a volume without items) needs keys nobody named.
  const wholeObject = refs.length === 0 || refs.some((r) => r.key === undefined);
  const fromVolume = refs.length > 0 && refs.every((r) => r.via === 'volume');
  const sources = fromVolume
    ? [...keys.map((k) => `--from-file=${k}=<file>`), ...(wholeObject ? ['--from-file=<file>'] : [])]
    : [...keys.map((k) => `--from-literal=${k}=<value>`), ...(wholeObject ? ['--from-literal=<KEY>=<value>'] : [])];
  const what = m.kind === 'ConfigMap' ? `configmap ${m.name}` : `secret generic ${m.name}`;
  return `kubectl create ${what}${nsFlag(m.namespace)} ${sources.join(' ')}`;
}

function addKeyCommand(m: Missing): string {
  // Both are maps of strings, so a merge patch adds the key without touching the others;
  // stringData lets a Secret take the value in plain text and stores it encoded.
  const field = m.kind === 'ConfigMap' ? 'data' : 'stringData';
  return `kubectl patch ${m.kind.toLowerCase()} ${m.name}${nsFlag(m.namespace)} --type=merge -p '${JSON.stringify({ [field]: { [m.key!]: '<value>' } })}'`;
}

function createPlan(a: ConfigAnalysis): FixPlan {
  const m = a.missing!;
  const what = describeMissing(m);
  const command = a.variant === 'missing-key' ? addKeyCommand(m) : createCommand(m, a.refs);
  return {
    id: a.variant === 'missing-key' ? 'add-missing-key' : `create-${m.kind.toLowerCase()}`,
    title: a.variant === 'missing-key' ? `Add key ${m.key} to ${m.kind} ${m.name}` : `Create ${what}`,
    explanation: `Only you know the ${m.kind === 'Secret' ? 'secret ' : ''}values the app expects; kcockpit never invents them. Once ${what} exists, the kubelet starts the container at its next retry.`,
    commands: [command],
    steps: [
      {
        action: 'manual',
        description: `Create ${what} in namespace ${m.namespace} with the values the app expects (the command shows the shape; replace the placeholders).`,
      },
    ],
    mutates: false,
  };
}

/** Mark env/envFrom references optional in the workload's template, when it has the same references. */
function optionalPlan(
  snapshot: Snapshot,
  owner: KubeObject,
  a: ConfigAnalysis,
  pods: readonly Pod[],
): FixPlan | undefined {
  if (a.refs.length === 0 || a.refs.some((r) => r.via === 'volume')) return undefined;
  const w = patchableWorkload(owner);
  const tc = w ? templateContainer(w, a.site.name, a.site.init) : undefined;
  if (!w || !tc) return undefined;
  const templateRefs = containerRefs(tc.container, 'template', tc.pointer);
  const ops: JsonPatchOp[] = [tc.guard];
  for (const r of a.refs) {
    const t = templateRefs.find((x) => sameRef(x, r));
    if (!t) return undefined;
    ops.push(
      { op: 'test', path: `${t.pointer}/name`, value: t.name },
      { op: 'add', path: `${t.pointer}/optional`, value: true },
    );
  }
  const ref = refOf(w);
  const steps: FixStep[] = [
    {
      action: 'json-patch',
      ref,
      patch: ops,
      description: `Mark ${a.refs.map(refPhrase).join(', ')} optional in ${ref.kind} ${ref.name}.`,
    },
  ];
  const commands = [jsonPatchCommand(ref, ops)];
  if (!rollsPodsOnTemplateChange(w)) {
    const recreate = recreatePods(snapshot, pods, 'no longer requires it');
    steps.push(...recreate.steps);
    commands.push(...recreate.commands);
  }
  return {
    id: 'mark-reference-optional',
    title: `Let ${a.site.name} start without ${describeMissing(a.missing!)}`,
    explanation: `An optional reference lets the container start when the ${a.missing!.kind} or key is absent; the variable is then left unset. Choose this only if the app works without it.`,
    commands,
    steps,
    mutates: true,
  };
}

function plansOf(snapshot: Snapshot, owner: KubeObject, a: ConfigAnalysis, pods: readonly Pod[]): FixPlan[] {
  const m = a.missing;
  if (a.resolvedNow) return [];
  if (a.certManager && m)
    return [
      {
        id: 'install-cert-manager-first',
        title: `Let cert-manager create Secret ${m.name}`,
        explanation: a.certManager.groupMissing
          ? 'The Secret is issued by cert-manager, which is not installed; installing it is the fix of the crds/missing-api-group finding. Creating the Secret by hand would leave an unmanaged, never-renewed certificate.'
          : 'cert-manager is installed; the Certificate that writes this Secret is not ready yet.',
        commands: a.certManager.certificate
          ? [`kubectl describe certificate ${a.certManager.certificate}${nsFlag(m.namespace)}`]
          : [],
        steps: [
          {
            action: 'manual',
            description: `Install cert-manager (see the crds/missing-api-group finding) or fix the Certificate; the pod starts once Secret ${m.name} exists.`,
          },
        ],
        mutates: false,
      },
    ];
  if (a.variant === 'run-as-non-root')
    return [
      {
        id: 'run-as-non-root-user',
        title: `Run ${a.site.name} as a non-root user`,
        explanation: 'Which UID works depends on the image; kcockpit does not guess it.',
        commands: [`kubectl explain pod.spec.containers.securityContext.runAsUser`],
        steps: [
          {
            action: 'manual',
            description: `Set securityContext.runAsUser of ${a.site.name} to a non-zero UID the image supports, or use an image that runs as a non-root user.`,
          },
        ],
        mutates: false,
      },
    ];
  if (!m)
    return [
      {
        id: 'inspect-config-error',
        title: `Read why ${a.site.name} cannot be created`,
        explanation: "The pod's events carry the kubelet's complete message.",
        commands: [`kubectl describe pod ${a.pod.metadata.name}${nsFlag(a.pod.metadata.namespace)}`],
        steps: [{ action: 'manual', description: 'Read the Failed events of the pod and fix what they name.' }],
        mutates: false,
      },
    ];
  const optional = optionalPlan(snapshot, owner, a, pods);
  return optional ? [createPlan(a), optional] : [createPlan(a)];
}

function severityOf(a: ConfigAnalysis): Severity {
  return a.resolvedNow ? 'info' : 'critical';
}

export const rule: Rule = {
  id: RULE_ID,
  title: 'Container configuration cannot be built',
  diagnose(ctx) {
    const snapshot = ctx.snapshot;
    const groups = new Map<string, { owner: KubeObject; analyses: ConfigAnalysis[] }>();
    const add = (owner: KubeObject, a: ConfigAnalysis): void => {
      const key = `${refKey(refOf(owner))}|${a.site.name}|${a.variant}`;
      const g = groups.get(key);
      if (g) g.analyses.push(a);
      else groups.set(key, { owner, analyses: [a] });
    };
    for (const pod of byName(snapshot.pods)) {
      if (isTerminating(pod)) continue;
      const owner = subjectOf(snapshot, pod);
      for (const site of containerSites(pod)) {
        if (site.status.state?.waiting?.reason === 'CreateContainerConfigError')
          add(owner, analyseWaiting(snapshot, pod, site));
      }
      if (stuckCreating(pod)) for (const a of analyseMounts(snapshot, pod)) add(owner, a);
    }
    const findings: RawFinding[] = [];
    for (const { owner, analyses } of groups.values()) {
      const a = analyses[0]!;
      const pods = [...new Set(analyses.map((x) => x.pod))];
      const subject = subjectRef(owner, pods);
      const finding: RawFinding = {
        id: findingId(RULE_ID, subject, `${a.site.name}/${a.variant}`),
        ruleId: RULE_ID,
        severity: severityOf(a),
        subject,
        title: titleOf(a),
        explanation: explanationOf(snapshot, a, pods),
        evidence: evidenceOf(snapshot, a),
        objects: findingObjects(owner, pods),
        fixes: plansOf(snapshot, owner, a, pods),
      };
      if (a.missing && !a.resolvedNow)
        finding.dependsOn = [{ kind: a.missing.kind, name: a.missing.name, namespace: a.missing.namespace }];
      findings.push(finding);
    }
    return findings;
  },
};
