// pods/image-pull, classify: a container that cannot start because its image cannot be
// pulled, and why. The kubelet's Failed events (and the waiting message) say why; pull
// secrets in the snapshot tell a missing login apart from a secret that exists but is not
// used, or is used but does not exist.
import type { KubeEvent, Pod, SecretSummary, ServiceAccount, Workload } from '../../../src/model/k8s.js';
import type { Snapshot } from '../../../src/store/snapshot.js';
import type { RuleContext } from '../../../src/diagnose/types.js';
import type { ContainerCase } from '../../../src/diagnose/container-rule.js';
import { byName, podEvents, type ContainerSite } from '../../../src/diagnose/pod-facts.js';
import { parseImageRef, registryMatches, type ImageRef } from '../lib/image-ref.js';
import { refNames } from '../lib/pull-secret-plans.js';

export type PullVariant =
  | 'rate-limit'
  | 'not-found'
  | 'auth-required'
  | 'secret-not-referenced'
  | 'secret-missing'
  | 'unreachable'
  | 'invalid-name'
  | 'unknown';

/** What the error text alone says; the pull-secret variants need the snapshot too. */
export type PullMessageVariant = Exclude<PullVariant, 'secret-not-referenced' | 'secret-missing'>;
const PULL_WAITING_REASONS = new Set(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName']);
const PULL_SECRET_TYPES = new Set(['kubernetes.io/dockerconfigjson', 'kubernetes.io/dockercfg']);

// First match wins. Authentication comes before not-found because registries phrase a
// refusal as "repository does not exist or may require authorization"; a bare "not found"
// with no refusal words means the image or tag really is missing.
const MESSAGE_PATTERNS: readonly [PullMessageVariant, RegExp][] = [
  ['invalid-name', /invalid reference format|couldn't parse image reference/i],
  ['rate-limit', /toomanyrequests|pull rate limit|rate limit exceeded|429 too many requests/i],
  [
    'unreachable',
    /no such host|i\/o timeout|connection refused|tls handshake timeout|network is unreachable|no route to host/i,
  ],
  [
    'auth-required',
    /pull access denied|unauthorized|authentication required|requested access to the resource is denied|insufficient_scope|403 forbidden|no basic auth credentials/i,
  ],
  ['not-found', /manifest unknown|not found|repository does not exist/i],
];

/** Docker Hub gives this answer both for a private repository and for one that does not exist. */
const AMBIGUOUS_DENIAL = /repository does not exist or may require/i;

export function classifyPullMessage(text: string, waitingReason?: string): PullMessageVariant {
  if (waitingReason === 'InvalidImageName') return 'invalid-name';
  for (const [variant, pattern] of MESSAGE_PATTERNS) if (pattern.test(text)) return variant;
  return 'unknown';
}

export interface PullAnalysis extends ContainerCase {
  pod: Pod;
  site: ContainerSite;
  image: string;
  ref: ImageRef;
  variant: PullVariant;
  base: PullMessageVariant;
  /** The runtime's own words about the failure (latest pull error), for explanations. */
  rawMessage: string;
  /** Events that say why (pull errors, missing pull secrets), then the rest of the container's warnings. */
  causeEvents: KubeEvent[];
  /** False when nothing but "Back-off pulling image" is known (the pod's events expired or have not arrived). */
  informed: boolean;
  otherEvents: KubeEvent[];
  ambiguous: boolean;
  serviceAccountName: string;
  serviceAccount: ServiceAccount | undefined;
  podSecrets: string[];
  saSecrets: string[];
  templateListsOwnSecrets: boolean;
  /** Referenced pull secrets that do not exist. */
  missing: string[];
  /** A pull secret for this registry in the namespace that the pod does not use. */
  unreferenced: SecretSummary | undefined;
  /** The pull secret for this registry the pod does use. */
  used: string | undefined;
}

const MISSING_SECRETS_EVENT = /Unable to retrieve some image pull secrets \(([^)]*)\)/;

function missingFromEvents(events: readonly KubeEvent[]): string[] {
  const out: string[] = [];
  for (const e of events) {
    const m = e.reason === 'FailedToRetrieveImagePullSecret' ? MISSING_SECRETS_EVENT.exec(e.message ?? '') : null;
    if (m)
      out.push(
        ...m[1]!
          .split(',')
          .map((n) => n.trim().replace(/^<|>$/g, ''))
          .filter(Boolean),
      );
  }
  return out;
}

/** The pull-secret list of the template the pod was made from (its controller's), or the pod's own when bare. */
function templateSecrets(snapshot: Snapshot, pod: Pod): unknown {
  const controller = snapshot.ownerChain(pod)[0] as Workload | undefined;
  return controller ? controller.spec?.template?.spec?.imagePullSecrets : pod.spec?.imagePullSecrets;
}

/** Pull secrets by namespace, per snapshot: snapshots never change, and every failing replica asks. */
const pullSecretsBySnapshot = new WeakMap<Snapshot, Map<string, SecretSummary[]>>();

/** The namespace's pull secrets by name, so the one picked is the same on every run. */
function pullSecrets(snapshot: Snapshot, namespace: string): SecretSummary[] {
  let byNamespace = pullSecretsBySnapshot.get(snapshot);
  if (!byNamespace) pullSecretsBySnapshot.set(snapshot, (byNamespace = new Map()));
  let list = byNamespace.get(namespace);
  if (!list) {
    list = byName(
      snapshot.secrets.filter((s) => s.metadata.namespace === namespace && PULL_SECRET_TYPES.has(s.type ?? '')),
    );
    byNamespace.set(namespace, list);
  }
  return list;
}

function analyse(snapshot: Snapshot, pod: Pod, site: ContainerSite): PullAnalysis {
  const ns = pod.metadata.namespace ?? '';
  const image = site.spec?.image ?? site.status.image ?? '';
  const ref = parseImageRef(image);
  const waiting = site.status.state?.waiting;
  const containerEvents = podEvents(snapshot, pod, site).filter((e) => e.type === 'Warning');
  const pullErrors = containerEvents.filter((e) =>
    /^(Failed to pull image|Failed to apply default image tag)/.test(e.message ?? ''),
  );
  const waitingMessage = waiting?.message ?? '';
  const texts = [...pullErrors.map((e) => e.message ?? ''), waitingMessage];
  const base = classifyPullMessage(texts.join('\n'), waiting?.reason);
  const secretEvents = podEvents(snapshot, pod).filter((e) => e.reason === 'FailedToRetrieveImagePullSecret');

  const secretsReadable = !snapshot.forbidden.has('secrets');
  const exists = (name: string): boolean => snapshot.get('Secret', ns, name) !== undefined;
  const serviceAccountName = pod.spec?.serviceAccountName || 'default';
  const serviceAccount = snapshot.get<ServiceAccount>('ServiceAccount', ns, serviceAccountName);
  const podSecrets = refNames(pod.spec?.imagePullSecrets);
  const saSecrets = refNames(serviceAccount?.imagePullSecrets);
  const templateListsOwnSecrets = refNames(templateSecrets(snapshot, pod)).length > 0;
  // The kubelet names the pod's pull secrets it cannot find; the event outlives the problem
  // by up to an hour, so one that exists now is dropped. Nothing checks a ServiceAccount's
  // list until a pod is created, so there the snapshot is the only witness (it holds every
  // dockerconfigjson Secret the user may read).
  const missing = [
    ...new Set([
      ...missingFromEvents(secretEvents).filter((n) => !exists(n)),
      ...(secretsReadable && !templateListsOwnSecrets ? saSecrets.filter((n) => !exists(n)) : []),
    ]),
  ];
  const forRegistry = pullSecrets(snapshot, ns).filter((s) =>
    (s.registries ?? []).some((r) => registryMatches(r, ref.registry)),
  );
  const used = forRegistry.find((s) => podSecrets.includes(s.metadata.name))?.metadata.name;
  const unreferenced = forRegistry.find((s) => !podSecrets.includes(s.metadata.name));

  let variant: PullVariant = base;
  if (base === 'auth-required' || base === 'rate-limit' || base === 'unknown') {
    if (missing.length > 0) variant = 'secret-missing';
    else if (!used && unreferenced) variant = 'secret-not-referenced';
  }
  const latestError = pullErrors[pullErrors.length - 1]?.message;
  return {
    pod,
    site,
    image,
    ref,
    variant,
    base,
    rawMessage: latestError ?? waitingMessage,
    informed:
      pullErrors.length > 0 ||
      secretEvents.length > 0 ||
      (waiting?.reason !== 'ImagePullBackOff' && waitingMessage !== ''),
    causeEvents: [...pullErrors, ...secretEvents],
    otherEvents: containerEvents.filter((e) => !pullErrors.includes(e) && !secretEvents.includes(e)),
    ambiguous: AMBIGUOUS_DENIAL.test(texts.join('\n')),
    serviceAccountName,
    serviceAccount,
    podSecrets,
    saSecrets,
    templateListsOwnSecrets,
    missing,
    unreferenced,
    used,
  };
}

/** A container waiting on its image, and why the pull fails. */
export function classifyPull(pod: Pod, site: ContainerSite, ctx: RuleContext): PullAnalysis | undefined {
  return PULL_WAITING_REASONS.has(site.status.state?.waiting?.reason ?? '')
    ? analyse(ctx.snapshot, pod, site)
    : undefined;
}
