// pods/image-pull: containers that cannot start because their image cannot be pulled.
// The kubelet's Failed events (and the waiting message) say why; pull secrets in the
// snapshot tell a missing login apart from a secret that exists but is not used, or is
// used but does not exist.
import type { KubeEvent, KubeObject, Pod, SecretSummary, ServiceAccount, Workload } from '../../src/model/k8s.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import type { Evidence, FixPlan, FixStep, RawFinding, Rule } from '../../src/diagnose/types.js';
import {
  fieldEvidence,
  findingId,
  kubectlName,
  nsFlag,
  refKey,
  refOf,
  subjectOf,
} from '../../src/diagnose/evidence.js';
import { findValues } from './lib/helm-values.js';
import {
  parseImageRef,
  pullSecretServer,
  registryLabel,
  registryMatches,
  registrySlug,
  withTag,
  type ImageRef,
} from './lib/image-ref.js';
import {
  byName,
  clip,
  containerSites,
  eventsEvidence,
  findingObjects,
  isTerminating,
  podEvents,
  podRef,
  podsPhrase,
  subjectRef,
  waitingEvidence,
  type ContainerSite,
} from './lib/pod-facts.js';
import { createPullSecretStep, pullSecretPlans, refNames, type PullSecretSituation } from './lib/pull-secret-plans.js';
import { helmUpgradeCommand, patchableWorkload, recreatePods } from './lib/workload.js';

export const RULE_ID = 'pods/image-pull';

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

interface PullAnalysis {
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

class PullAnalyzer {
  private readonly pullSecretsByNamespace = new Map<string, SecretSummary[]>();

  constructor(private readonly snapshot: Snapshot) {}

  private pullSecrets(namespace: string): SecretSummary[] {
    let list = this.pullSecretsByNamespace.get(namespace);
    if (!list) {
      list = byName(
        this.snapshot.secrets.filter((s) => s.metadata.namespace === namespace && PULL_SECRET_TYPES.has(s.type ?? '')),
      );
      this.pullSecretsByNamespace.set(namespace, list);
    }
    return list;
  }

  analyse(pod: Pod, site: ContainerSite): PullAnalysis {
    const snapshot = this.snapshot;
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
    const forRegistry = this.pullSecrets(ns).filter((s) =>
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
}

function imageLabel(ref: ImageRef): string {
  const repo = ref.repository.replace(/^library\//, '');
  return ref.tag ? `${repo}:${ref.tag}` : repo;
}

function titleOf(a: PullAnalysis): string {
  const reg = registryLabel(a.ref.registry);
  const label: Record<PullVariant, string> = {
    'rate-limit': `${reg} pull rate limit`,
    'not-found': 'image or tag not found',
    'auth-required': a.used ? `${reg} rejected the credentials in ${a.used}` : `${reg} requires credentials`,
    'secret-not-referenced': `pull secret ${a.unreferenced?.metadata.name ?? ''} exists but is not used`,
    'secret-missing': `pull secret ${a.missing[0] ?? ''} does not exist`,
    unreachable: `registry ${a.ref.registry} unreachable`,
    'invalid-name': 'invalid image name',
    unknown: 'image pull failed',
  };
  return `${a.site.name} cannot pull ${a.image}: ${label[a.variant]}`;
}

function intro(a: PullAnalysis, pods: readonly Pod[]): string {
  const where = `container ${a.site.name} (${podsPhrase(pods)})`;
  switch (a.site.status.state?.waiting?.reason) {
    case 'InvalidImageName':
      return `The image name "${a.image}" of ${where} is not a valid image reference, so Kubernetes does not even try to download it (InvalidImageName) and the container cannot start.`;
    case 'ErrImagePull':
      return `Kubernetes could not download (pull) the image ${a.image} for ${where}, so the container cannot start. ErrImagePull means the last attempt failed; Kubernetes keeps retrying with growing pauses.`;
    default:
      return `Kubernetes could not download (pull) the image ${a.image} for ${where}, so the container cannot start. ImagePullBackOff means a pull failed and Kubernetes now retries with growing pauses (up to 5 minutes apart).`;
  }
}

function failureSummary(base: PullMessageVariant, registry: string): string {
  if (base === 'rate-limit')
    return `The pull hit ${registryLabel(registry)}'s limit for anonymous (not logged-in) downloads.`;
  if (base === 'auth-required') return `The registry ${registry} refused the download because it wants credentials.`;
  return 'The pull failed.';
}

function unreachableDetail(text: string): string {
  if (/no such host/i.test(text)) return 'its name does not resolve (no such host)';
  if (/connection refused/i.test(text)) return 'the connection was refused';
  if (/tls handshake timeout/i.test(text)) return 'the TLS handshake timed out';
  if (/i\/o timeout/i.test(text)) return 'the connection timed out';
  return 'the network path to it failed';
}

function helmImageHint(snapshot: Snapshot, owner: KubeObject, a: PullAnalysis): string {
  const release = snapshot.helmReleaseOf(owner);
  if (!release) return '';
  const hit = a.ref.tag ? findValues(release.values, (_k, v) => v === a.ref.tag || v === a.image)[0] : undefined;
  return hit
    ? ` The workload belongs to the Helm release ${release.name}, whose values set ${hit.path}=${String(hit.value)}: correct it there, or the next helm upgrade brings the wrong image back.`
    : ` The workload belongs to the Helm release ${release.name} (chart ${release.chartName ?? 'unknown'}): set the image in its values (often image.tag), or the next helm upgrade brings the wrong image back.`;
}

function explanationOf(snapshot: Snapshot, owner: KubeObject, a: PullAnalysis, pods: readonly Pod[]): string {
  const reg = registryLabel(a.ref.registry);
  const repo = imageLabel({ registry: a.ref.registry, repository: a.ref.repository });
  const ns = a.pod.metadata.namespace ?? '';
  const ambiguous = a.ambiguous
    ? ` ${reg} gives this same answer for a repository that does not exist, so first check that ${repo} is spelled right.`
    : '';
  const parts = [intro(a, pods)];
  switch (a.variant) {
    case 'rate-limit':
      parts.push(
        a.used
          ? `${reg} refused the download with "toomanyrequests" even though these pods log in with the credentials in Secret ${a.used}: that account's pull limit is used up too. Wait for the limit window to pass, use an account with a higher limit, or pull through a registry mirror.`
          : `${reg} refused the download with "toomanyrequests": it limits how many images anonymous (not logged-in) clients may pull from one IP address in a time window, and this cluster's address has used that up — common on minikube, CI runners and shared networks. Logged-in pulls get a higher limit: create a pull secret with your ${reg} username and an access token and let the pods use it (or wait for the window to pass).`,
      );
      break;
    case 'not-found':
      parts.push(
        `The registry answered that ${imageLabel(a.ref)} does not exist: the image name or the tag is wrong (a typo, or a tag that was never published or has been removed). Look up the tags ${reg} lists for ${repo} and set a correct one.${helmImageHint(snapshot, owner, a)}`,
      );
      if (a.unreferenced && !a.used)
        parts.push(
          `Some registries also answer "not found" for private images requested without credentials: Secret ${a.unreferenced.metadata.name} holds credentials for ${a.ref.registry}, but these pods do not use it.`,
        );
      break;
    case 'auth-required':
      parts.push(
        a.used
          ? `${reg} refused the credentials in Secret ${a.used} that these pods use: they are wrong, expired, or have no access to ${repo}.${ambiguous} Put valid credentials into ${a.used}; the kubelet reads the secret at every pull attempt, so the pods recover on their next retry.`
          : `${reg} refused the download because it needs credentials: ${repo} is private (or needs a login) and these pods have no pull secret for ${a.ref.registry}.${ambiguous} Create a pull secret with a username and access token that can read ${repo}, and let the pods use it.`,
      );
      break;
    case 'secret-not-referenced': {
      const name = a.unreferenced?.metadata.name ?? '';
      const saHasIt = a.saSecrets.includes(name);
      parts.push(
        `${failureSummary(a.base, a.ref.registry)} Secret ${name} in namespace ${ns} holds credentials for ${a.ref.registry}, but these pods do not use it: ${
          saHasIt
            ? `ServiceAccount ${a.serviceAccountName} lists it, but the pods were created before it did, and a ServiceAccount's pull secrets reach a pod only when the pod is created.`
            : `neither the pod nor its ServiceAccount ${a.serviceAccountName} lists it under imagePullSecrets.`
        } Attach it and recreate the pods.`,
      );
      break;
    }
    case 'secret-missing': {
      const name = a.missing[0] ?? '';
      const others = a.missing.length > 1 ? ` (and ${a.missing.slice(1).join(', ')})` : '';
      const via = a.podSecrets.includes(name) ? 'the pod lists' : `ServiceAccount ${a.serviceAccountName} lists`;
      const existing = a.unreferenced
        ? ` If the name is a typo, use the existing pull secret ${a.unreferenced.metadata.name} instead.`
        : '';
      parts.push(
        `${via} the pull secret ${name}${others}, but no such Secret exists in namespace ${ns} ("Unable to retrieve some image pull secrets"), so the pull went out without credentials and failed. Create ${name} with credentials for ${a.ref.registry}.${existing}`,
      );
      break;
    }
    case 'unreachable':
      parts.push(
        `The node could not reach the registry ${a.ref.registry}: ${unreachableDetail(a.rawMessage)}. Images are pulled by the node itself (kubelet and container runtime), not from inside a pod, so the node's DNS, network, proxy and firewall settings apply. Check the registry host in the image name, then the node's access to it.`,
      );
      break;
    case 'invalid-name':
      parts.push(
        `${a.rawMessage ? `The runtime said: ${clip(a.rawMessage, 300)}. ` : ''}An image reference must be lowercase, without spaces, in the form [registry/]repository[:tag][@digest]. Correct the image of ${a.site.name}.${helmImageHint(snapshot, owner, a)}`,
      );
      break;
    case 'unknown':
      parts.push(
        `The container runtime reported: ${clip(a.rawMessage || '(no message)', 500)}. This is not one of the common causes kcockpit recognises; check the image name, whether the registry is up, and whether it needs credentials.`,
      );
      break;
  }
  return parts.join(' ');
}

function evidenceOf(snapshot: Snapshot, a: PullAnalysis): Evidence[] {
  // The event that names the cause (e.g. toomanyrequests) leads: it is the line that tells.
  const ev: Evidence[] = [...eventsEvidence(a.causeEvents), ...waitingEvidence(a.pod, a.site)];
  if (a.site.specPath) ev.push(fieldEvidence(a.pod, `${a.site.specPath}.image`, a.image, 'spec'));
  ev.push(...eventsEvidence(a.otherEvents, 2));
  const ns = a.pod.metadata.namespace;
  const listText = (names: string[]): string => (names.length ? names.join(', ') : 'not set');
  switch (a.variant) {
    case 'rate-limit':
    case 'auth-required':
      ev.push(fieldEvidence(a.pod, 'spec.imagePullSecrets', listText(a.podSecrets), 'spec'));
      if (a.serviceAccount) ev.push(fieldEvidence(a.serviceAccount, 'imagePullSecrets', listText(a.saSecrets), 'spec'));
      break;
    case 'secret-not-referenced': {
      const s = a.unreferenced!;
      ev.push(fieldEvidence(s, 'type', `${s.type ?? ''}; registries: ${(s.registries ?? []).join(', ')}`, 'spec'));
      ev.push(fieldEvidence(a.pod, 'spec.imagePullSecrets', listText(a.podSecrets), 'spec'));
      if (a.serviceAccount) ev.push(fieldEvidence(a.serviceAccount, 'imagePullSecrets', listText(a.saSecrets), 'spec'));
      break;
    }
    case 'secret-missing':
      for (const name of a.missing) {
        const i = a.podSecrets.indexOf(name);
        if (i >= 0) ev.push(fieldEvidence(a.pod, `spec.imagePullSecrets[${i}].name`, name, 'spec'));
        else if (a.serviceAccount)
          ev.push(fieldEvidence(a.serviceAccount, `imagePullSecrets[${a.saSecrets.indexOf(name)}].name`, name, 'spec'));
      }
      if (!snapshot.forbidden.has('secrets'))
        ev.push({
          source: 'status',
          ref: { kind: 'Secret', name: a.missing[0] ?? '', ...(ns ? { namespace: ns } : {}) },
          text: 'not found',
        });
      break;
    default:
      break;
  }
  return ev;
}

/** A name for a new pull secret that does not collide with an existing Secret. */
function newSecretName(snapshot: Snapshot, namespace: string, registry: string): string {
  const exists = (name: string): boolean => snapshot.get('Secret', namespace, name) !== undefined;
  if (!exists('regcred')) return 'regcred';
  const base = `regcred-${registrySlug(registry)}`;
  let name = base;
  for (let i = 2; exists(name); i++) name = `${base}-${i}`;
  return name;
}

function manualPlan(id: string, title: string, explanation: string, commands: string[], steps: string[]): FixPlan {
  return {
    id,
    title,
    explanation,
    commands,
    steps: steps.map((description): FixStep => ({ action: 'manual', description })),
    mutates: false,
  };
}

function setImageCommands(snapshot: Snapshot, owner: KubeObject, a: PullAnalysis, newImage: string): string[] {
  const target = patchableWorkload(owner) ? refOf(owner) : podRef(a.pod);
  const commands = [`kubectl set image ${kubectlName(target)} ${a.site.name}=${newImage}${nsFlag(target.namespace)}`];
  const release = snapshot.helmReleaseOf(owner);
  const hit = release && a.ref.tag ? findValues(release.values, (_k, v) => v === a.ref.tag)[0] : undefined;
  if (release && hit) commands.push(helmUpgradeCommand(release, [`${hit.path}=<correct-tag>`]));
  return commands;
}

function plansOf(snapshot: Snapshot, owner: KubeObject, a: PullAnalysis, pods: readonly Pod[]): FixPlan[] {
  const ns = a.pod.metadata.namespace ?? '';
  const server = pullSecretServer(a.ref.registry);
  const situation = (secretName: string, createSecret: boolean): PullSecretSituation => ({
    snapshot,
    namespace: ns,
    owner,
    pods,
    serviceAccountName: a.serviceAccountName,
    serviceAccount: a.serviceAccount,
    secretName,
    registry: a.ref.registry,
    server,
    createSecret,
    templateListsOwnSecrets: a.templateListsOwnSecrets,
  });
  switch (a.variant) {
    case 'rate-limit':
      if (a.used)
        return [
          manualPlan(
            'wait-for-pull-limit',
            `Wait for ${registryLabel(a.ref.registry)}'s pull limit to reset, or use an account with a higher limit`,
            'The pods already log in; the kubelet keeps retrying and the pull succeeds once the limit window has passed.',
            [`kubectl get pods${nsFlag(ns)} -w`],
            [`Wait, or put credentials of an account with a higher limit into Secret ${a.used}.`],
          ),
        ];
      return pullSecretPlans(situation(newSecretName(snapshot, ns, a.ref.registry), true));
    case 'auth-required':
      if (a.used)
        return [
          manualPlan(
            'replace-pull-credentials',
            `Put valid credentials into Secret ${a.used}`,
            'The kubelet reads pull secrets at every attempt, so the pods recover on their next retry once the secret holds credentials the registry accepts; nothing needs recreating.',
            [
              `kubectl create secret docker-registry ${a.used} --docker-server=${server} --docker-username=<user> --docker-password=<token>${nsFlag(ns)} --dry-run=client -o yaml | kubectl apply -f -`,
            ],
            [
              `Replace the credentials in Secret ${a.used} with a username and access token that can read ${imageLabel({ registry: a.ref.registry, repository: a.ref.repository })}.`,
            ],
          ),
        ];
      return pullSecretPlans(situation(newSecretName(snapshot, ns, a.ref.registry), true));
    case 'secret-not-referenced':
      return pullSecretPlans(situation(a.unreferenced!.metadata.name, false));
    case 'secret-missing': {
      const name = a.missing[0]!;
      const create = createPullSecretStep({ namespace: ns, secretName: name, server, registry: a.ref.registry });
      const steps: FixStep[] = [create.step];
      const commands = [create.command];
      // The kubelet re-reads the pod's own list at every retry; a name only on the ServiceAccount needs new pods.
      const recreate = a.podSecrets.includes(name)
        ? undefined
        : recreatePods(snapshot, pods, `gets ${name} from the ServiceAccount`);
      if (recreate) {
        steps.push(...recreate.steps);
        commands.push(...recreate.commands);
      }
      return [
        {
          id: 'create-missing-pull-secret',
          title: `Create the missing pull secret ${name}`,
          explanation: recreate
            ? `ServiceAccount ${a.serviceAccountName} already lists ${name}; once it exists, new pods get it, so the failing pods are recreated.`
            : `The pods already list ${name}; the kubelet looks for it again at the next pull retry, so they recover without being recreated.`,
          commands,
          steps,
          mutates: true,
        },
      ];
    }
    case 'not-found':
    case 'invalid-name':
      return [
        manualPlan(
          'set-correct-image',
          `Set a correct image for ${a.site.name}`,
          `Only you know which image or tag is intended; kcockpit does not guess one. Setting the image on the ${patchableWorkload(owner) ? 'workload rolls out new pods' : 'pod makes the kubelet pull it'}.`,
          setImageCommands(
            snapshot,
            owner,
            a,
            a.variant === 'invalid-name' ? '<image>' : withTag(a.image, '<correct-tag>'),
          ),
          [
            `Find the intended image and tag (the registry lists the tags of ${imageLabel({ registry: a.ref.registry, repository: a.ref.repository })}), then set it on the workload, or in the Helm values when Helm manages it.`,
          ],
        ),
      ];
    case 'unreachable': {
      const host = a.ref.registry.replace(/:\d+$/, '');
      const node = a.pod.spec?.nodeName;
      return [
        manualPlan(
          'check-registry-reachability',
          node
            ? `Check that node ${node} can reach ${a.ref.registry}`
            : `Check that the node can reach ${a.ref.registry}`,
          'The pull runs on the node, so test name resolution from the node itself; fix DNS, proxy or firewall settings there, or correct the registry host in the image.',
          node ? [`kubectl debug node/${node} -it --image=busybox:1.36 -- nslookup ${host}`] : [],
          [`Check that ${host} is the right registry host and that the node can resolve and reach it.`],
        ),
      ];
    }
    case 'unknown':
      return [
        manualPlan(
          'inspect-pull-error',
          'Read the full pull error',
          "The events of the pod carry the container runtime's complete message.",
          [`kubectl describe pod ${a.pod.metadata.name}${nsFlag(ns)}`],
          ['Read the Failed events of the pod and fix what they name.'],
        ),
      ];
  }
}

export const rule: Rule = {
  id: RULE_ID,
  title: 'Image cannot be pulled',
  diagnose(ctx) {
    const snapshot = ctx.snapshot;
    const analyzer = new PullAnalyzer(snapshot);
    const analysed: { owner: KubeObject; a: PullAnalysis; site: string }[] = [];
    for (const pod of byName(snapshot.pods)) {
      if (isTerminating(pod)) continue;
      for (const site of containerSites(pod)) {
        if (!PULL_WAITING_REASONS.has(site.status.state?.waiting?.reason ?? '')) continue;
        const owner = subjectOf(snapshot, pod);
        analysed.push({ owner, a: analyzer.analyse(pod, site), site: `${refKey(refOf(owner))}|${site.name}` });
      }
    }
    // A replica that knows nothing but "Back-off pulling image" fails the way its siblings do.
    const siblingVariant = new Map<string, PullVariant>();
    for (const { a, site } of analysed)
      if (a.informed && !siblingVariant.has(site)) siblingVariant.set(site, a.variant);
    const groups = new Map<string, { owner: KubeObject; analyses: PullAnalysis[] }>();
    for (const { owner, a, site } of analysed) {
      const variant = a.informed ? a.variant : (siblingVariant.get(site) ?? a.variant);
      const key = `${site}|${variant}`;
      const g = groups.get(key);
      if (g) g.analyses.push(a);
      else groups.set(key, { owner, analyses: [a] });
    }
    const findings: RawFinding[] = [];
    for (const { owner, analyses } of groups.values()) {
      // Explain from a replica whose events say what went wrong.
      const a = analyses.find((x) => x.informed) ?? analyses[0]!;
      const pods = analyses.map((x) => x.pod);
      const subject = subjectRef(owner, pods);
      findings.push({
        id: findingId(RULE_ID, subject, `${a.site.name}/${a.variant}`),
        ruleId: RULE_ID,
        severity: 'critical',
        subject,
        title: titleOf(a),
        explanation: explanationOf(snapshot, owner, a, pods),
        evidence: evidenceOf(snapshot, a),
        objects: findingObjects(owner, pods),
        fixes: plansOf(snapshot, owner, a, pods),
      });
    }
    return findings;
  },
};
