// An API group something needs but the API server does not serve: the CRDs (or aggregated
// API) that define it are not installed. S1.4: the jaeger-operator chart creates
// cert-manager Certificates and Issuers, and without cert-manager `helm install` fails with
// `no matches for kind "Certificate" in version "cert-manager.io/v1"`. The need shows in a
// release manifest, a failed release's description, a webhook configuration that asks
// cert-manager's CA injector for its CA, a pod waiting for the TLS Secret a Certificate
// would create, or the error text the user hands over. One finding per missing project,
// explaining everything that waits for it.
import type { HelmRelease, KubeObject, Pod, Workload } from '../../src/model/k8s.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import type { Evidence, FixPlan, FixStep, ObjectRef, RuleContext } from '../../src/diagnose/types.js';
import { defineRule, uniqueRefs, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { parseErrorText, type ParsedError } from '../../src/diagnose/error-text.js';
import {
  CERT_MANAGER_MANIFEST,
  CERT_MANAGER_VERSION,
  isBuiltInGroup,
  providerFor,
  removedApi,
  type ApiGroupProvider,
  type RemovedApi,
} from './lib/api-providers.js';
import { certificateSecret, manifestDocs } from './lib/manifest.js';
import { clip, eventEvidence, refKey, refOf } from '../../src/diagnose/evidence.js';
import { manualPlan } from '../../src/diagnose/plans.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';

const RULE_ID = RULE_IDS.missingApiGroup;

// ---- needs ----

type Status = 'missing' | 'version-missing' | 'served-now';

interface Need {
  group: string;
  version: string;
  kind: string;
  apiVersion: string;
  status: Status;
  evidence: Evidence;
  release?: HelmRelease;
  /** Objects waiting on the group: pods, their owners, webhook configurations. */
  objects: ObjectRef[];
  /** The need was read from the user's error text, not from the cluster. */
  fromError?: boolean;
}

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/**
 * Whether the server serves a group/version/kind: `served`, or why not. Without discovery
 * data nothing can be judged from the cluster, so cluster-side needs are dropped then.
 */
function judge(snapshot: Snapshot, group: string, version: string, kind: string): Status | 'served' | 'unknown' {
  const inGroup = snapshot.apiResources.filter((r) => r.group === group);
  const kindServed = inGroup.some((r) => r.version === version && r.kind === kind);
  // Built-in groups always exist; only their resources say whether a version is still served.
  if (isBuiltInGroup(group)) return inGroup.length === 0 ? 'unknown' : kindServed ? 'served' : 'missing';
  if (snapshot.apiGroups.size === 0) return 'unknown';
  if (!snapshot.hasGroup(group)) return 'missing';
  if (inGroup.length === 0) return 'served';
  return kindServed ? 'served' : 'version-missing';
}

/** Error text is the server's own answer: trust it unless discovery shows the kind served now. */
function statusFromText(judged: Status | 'served' | 'unknown'): Status {
  return judged === 'served' ? 'served-now' : judged === 'unknown' ? 'missing' : judged;
}

function releaseRef(r: HelmRelease): ObjectRef {
  return { kind: 'HelmRelease', namespace: r.namespace, name: r.name };
}

function manifestNeeds(snapshot: Snapshot): Need[] {
  const needs: Need[] = [];
  for (const release of snapshot.latestReleases()) {
    for (const doc of manifestDocs(release)) {
      if (!doc.apiVersion.includes('/')) continue;
      const { group, version } = splitApiVersion(doc.apiVersion);
      if (isBuiltInGroup(group)) continue;
      const status = judge(snapshot, group, version, doc.kind);
      if (status !== 'missing' && status !== 'version-missing') continue;
      needs.push({
        group,
        version,
        kind: doc.kind,
        apiVersion: doc.apiVersion,
        status,
        release,
        objects: [],
        evidence: {
          source: 'helm',
          ref: releaseRef(release),
          path: doc.source ? `manifest (${doc.source})` : 'manifest',
          text: `apiVersion: ${doc.apiVersion}, kind: ${doc.kind}${doc.name ? `, name: ${doc.name}` : ''}`,
        },
      });
    }
  }
  return needs;
}

/** A failed release's stored description carries helm's error, e.g. `Upgrade "x" failed: ... no matches for kind ...`. */
function descriptionNeeds(snapshot: Snapshot): Need[] {
  const needs: Need[] = [];
  for (const release of snapshot.latestReleases()) {
    if (release.status !== 'failed' || typeof release.description !== 'string') continue;
    for (const e of parseErrorText(release.description)) {
      if (e.kind !== 'no-matches') continue;
      needs.push({
        ...needFromText(snapshot, e),
        release,
        evidence: {
          source: 'helm',
          ref: releaseRef(release),
          path: 'info.description',
          text: clip(release.description),
        },
      });
    }
  }
  return needs;
}

/** What webhooks and mounts that wait for cert-manager need, once judged missing. */
const CERTIFICATE_MISSING = {
  group: 'cert-manager.io',
  version: 'v1',
  kind: 'Certificate',
  apiVersion: 'cert-manager.io/v1',
  status: 'missing',
} as const;

const INJECT_ANNOTATIONS = [
  'cert-manager.io/inject-ca-from',
  'cert-manager.io/inject-ca-from-secret',
  'cert-manager.io/inject-apiserver-ca',
];

function webhookNeeds(snapshot: Snapshot): Need[] {
  if (judge(snapshot, 'cert-manager.io', 'v1', 'Certificate') !== 'missing') return [];
  const needs: Need[] = [];
  for (const w of snapshot.webhooks) {
    const annotations = w?.metadata?.annotations ?? {};
    const key = INJECT_ANNOTATIONS.find((k) => typeof annotations[k] === 'string');
    if (!key) continue;
    const ref = refOf(w, w.kind ?? 'WebhookConfiguration');
    needs.push({
      ...CERTIFICATE_MISSING,
      objects: [ref],
      evidence: { source: 'spec', ref, path: `metadata.annotations["${key}"]`, text: `${key}: ${annotations[key]}` },
    });
  }
  return needs;
}

const SECRET_NOT_FOUND = /secret "([^"]{1,253})" not found/;

/** Pods whose volume waits for a Secret that a Certificate in some release would create. */
function mountNeeds(snapshot: Snapshot): Need[] {
  if (judge(snapshot, 'cert-manager.io', 'v1', 'Certificate') !== 'missing') return [];
  const certSecrets = new Map<string, HelmRelease>();
  for (const release of snapshot.latestReleases()) {
    for (const doc of manifestDocs(release)) {
      if (doc.kind !== 'Certificate' || !doc.apiVersion.startsWith('cert-manager.io/')) continue;
      const secret = certificateSecret(doc);
      if (secret) certSecrets.set(`${doc.namespace ?? release.namespace}/${secret}`, release);
    }
  }
  if (certSecrets.size === 0) return [];
  const needs: Need[] = [];
  const seenPods = new Set<string>();
  for (const e of snapshot.events) {
    if (e?.reason !== 'FailedMount' || e.involvedObject?.kind !== 'Pod' || typeof e.message !== 'string') continue;
    const secret = SECRET_NOT_FOUND.exec(e.message)?.[1];
    const ns = e.involvedObject.namespace ?? '';
    const release = secret ? certSecrets.get(`${ns}/${secret}`) : undefined;
    const podName = e.involvedObject.name;
    if (!release || !podName || seenPods.has(`${ns}/${podName}`)) continue;
    seenPods.add(`${ns}/${podName}`);
    const pod = snapshot.get<Pod>('Pod', ns, podName);
    const objects: ObjectRef[] = [{ kind: 'Pod', namespace: ns, name: podName }];
    if (pod) {
      const owner = snapshot.topOwner(pod);
      if (owner !== pod) objects.push(refOf(owner));
    }
    needs.push({ ...CERTIFICATE_MISSING, release, objects, evidence: { ...eventEvidence(e), text: clip(e.message) } });
  }
  return needs;
}

/** What a `no matches for kind` error says is needed, judged against what the cluster serves. */
function needFromText(snapshot: Snapshot, e: Extract<ParsedError, { kind: 'no-matches' }>): Omit<Need, 'evidence'> {
  return {
    group: e.group,
    version: e.version,
    kind: e.resourceKind,
    apiVersion: e.apiVersion,
    status: statusFromText(judge(snapshot, e.group, e.version, e.resourceKind)),
    objects: [],
  };
}

function errorNeeds(snapshot: Snapshot, errorText: string | undefined): Need[] {
  const needs: Need[] = [];
  for (const e of parseErrorText(errorText)) {
    if (e.kind !== 'no-matches') continue;
    needs.push({ ...needFromText(snapshot, e), fromError: true, evidence: { source: 'error', text: e.text } });
  }
  return needs;
}

// ---- findings ----

interface Problem {
  key: string;
  status: Status;
  provider?: ApiGroupProvider;
  removed?: RemovedApi;
  group: string;
  needs: Need[];
}

function problemKey(need: Need): { key: string; provider?: ApiGroupProvider; removed?: RemovedApi } {
  if (isBuiltInGroup(need.group)) {
    const removed = removedApi(need.apiVersion, need.kind);
    return removed
      ? { key: `api:${need.apiVersion}|${need.status}`, removed }
      : { key: `api:${need.apiVersion}|${need.status}` };
  }
  const provider = providerFor(need.group, need.kind);
  return provider
    ? { key: `project:${provider.id}|${need.status}`, provider }
    : { key: `group:${need.group}|${need.status}` };
}

/** The release's workloads and their pods: what stays broken until the group exists. */
function releaseObjects(snapshot: Snapshot, release: HelmRelease): ObjectRef[] {
  const workloads: [Workload, string][] = [
    ...snapshot.deployments.map((w): [Workload, string] => [w, 'Deployment']),
    ...snapshot.statefulSets.map((w): [Workload, string] => [w, 'StatefulSet']),
    ...snapshot.daemonSets.map((w): [Workload, string] => [w, 'DaemonSet']),
  ].filter(
    ([w]) =>
      w?.metadata?.namespace === release.namespace &&
      w.metadata.annotations?.['meta.helm.sh/release-name'] === release.name,
  );
  const owners = new Set<KubeObject>(workloads.map(([w]) => w));
  const refs = workloads.map(([w, kind]) => refOf(w, kind));
  if (owners.size > 0)
    for (const pod of snapshot.podsIn(release.namespace))
      if (owners.has(snapshot.topOwner(pod))) refs.push(refOf(pod, 'Pod'));
  return refs.slice(0, 100);
}

const CHART_REPO_ALIASES: Record<string, string> = {
  'jaeger-operator': 'jaegertracing',
  jaeger: 'jaegertracing',
  'cert-manager': 'jetstack',
  'kube-prometheus-stack': 'prometheus-community',
  elasticsearch: 'elastic',
};

/** How to run a release again once the group exists. */
function retryCommands(snapshot: Snapshot, release: HelmRelease): string[] {
  const alias = release.chartName ? CHART_REPO_ALIASES[release.chartName] : undefined;
  const chart = `${alias ?? '<repo>'}/${release.chartName ?? '<chart>'}`;
  const version = release.chartVersion ? ` --version ${release.chartVersion}` : '';
  const everDeployed = snapshot.helmReleases.some(
    (r) =>
      r.name === release.name &&
      r.namespace === release.namespace &&
      (r.status === 'deployed' || r.status === 'superseded'),
  );
  if (release.status === 'failed' && !everDeployed) {
    // A release that never deployed cannot be upgraded ("has no deployed releases"): start over.
    return [
      `helm uninstall ${release.name} -n ${release.namespace}`,
      `helm install ${release.name} ${chart} -n ${release.namespace}${version}`,
    ];
  }
  return [`helm upgrade ${release.name} ${chart} -n ${release.namespace} --reuse-values${version}`];
}

function retryPart(snapshot: Snapshot, problem: Problem): { steps: FixStep[]; commands: string[] } {
  const steps: FixStep[] = [];
  const commands: string[] = [];
  const releases = uniqueReleases(problem.needs);
  for (const r of releases) {
    const cmds = retryCommands(snapshot, r);
    commands.push(...cmds);
    steps.push({ action: 'manual', description: `Retry release ${r.name} in ${r.namespace}: ${cmds.join(' && ')}` });
  }
  if (problem.needs.some((n) => n.fromError) || releases.length === 0) {
    steps.push({ action: 'manual', description: 'Run the helm or kubectl command that failed again.' });
  }
  return { steps, commands };
}

function uniqueReleases(needs: readonly Need[]): HelmRelease[] {
  const out = new Map<string, HelmRelease>();
  for (const n of needs) if (n.release) out.set(`${n.release.namespace}/${n.release.name}`, n.release);
  return [...out.values()];
}

const CERT_MANAGER_DEPLOYMENTS = ['cert-manager', 'cert-manager-cainjector', 'cert-manager-webhook'];
const WAIT_COMMAND = `kubectl wait --for=condition=Available ${CERT_MANAGER_DEPLOYMENTS.map((d) => `deployment/${d}`).join(' ')} -n cert-manager --timeout=300s`;

function certManagerPlans(snapshot: Snapshot, problem: Problem): FixPlan[] {
  const retry = retryPart(snapshot, problem);
  const wait: FixStep = {
    action: 'wait-available',
    refs: CERT_MANAGER_DEPLOYMENTS.map((name) => ({ kind: 'Deployment', namespace: 'cert-manager', name })),
    timeoutSeconds: 300,
    description:
      'Wait until cert-manager, its CA injector and its webhook are available: until then, creating a Certificate fails at the webhook.',
  };
  const helmInstall = `helm install cert-manager jetstack/cert-manager -n cert-manager --create-namespace --version ${CERT_MANAGER_VERSION} --set crds.enabled=true`;
  return [
    {
      id: 'install-cert-manager',
      title: `Install cert-manager ${CERT_MANAGER_VERSION}, then retry`,
      explanation: `Applies cert-manager's release manifest (its CRDs, the controller, the CA injector and the webhook in namespace cert-manager), waits for the three deployments, then retries what needed it. ${CERT_MANAGER_VERSION} is the release kcockpit suggests; any current release works.`,
      commands: [`kubectl apply -f ${CERT_MANAGER_MANIFEST}`, WAIT_COMMAND, ...retry.commands],
      steps: [
        {
          action: 'apply-manifest',
          source: CERT_MANAGER_MANIFEST,
          description: `Install cert-manager ${CERT_MANAGER_VERSION} from its release manifest.`,
        },
        wait,
        ...retry.steps,
      ],
      mutates: true,
    },
    {
      id: 'install-cert-manager-helm',
      title: 'Install cert-manager with Helm, then retry',
      explanation:
        'The same with Helm, so cert-manager is upgraded like your other releases; `crds.enabled=true` makes the chart install the CRDs too (without it, nothing changes for the kinds that were missing).',
      commands: [
        'helm repo add jetstack https://charts.jetstack.io',
        'helm repo update jetstack',
        helmInstall,
        WAIT_COMMAND,
        ...retry.commands,
      ],
      steps: [
        { action: 'manual', description: `Install cert-manager with Helm: ${helmInstall}` },
        wait,
        ...retry.steps,
      ],
      mutates: false,
    },
  ];
}

function kindsOf(problem: Problem): string[] {
  return [...new Set(problem.needs.map((n) => n.kind))];
}

function plansFor(snapshot: Snapshot, problem: Problem): FixPlan[] {
  const retry = retryPart(snapshot, problem);
  const apiVersions = [...new Set(problem.needs.map((n) => n.apiVersion))].join(', ');
  if (problem.status === 'served-now') {
    const description = `${apiVersions} is served now (something installed it after the error): retry.`;
    return [
      {
        id: 'retry',
        title: 'Retry the command that failed',
        explanation: description,
        commands: retry.commands,
        steps: retry.steps,
        mutates: false,
      },
    ];
  }
  if (isBuiltInGroup(problem.group) && !problem.removed) {
    const description = `Check the kind's spelling and the Kubernetes version it needs against what the cluster serves.`;
    return [
      manualPlan({
        id: 'check-kind',
        title: `Check what ${problem.group || 'the core group'} serves`,
        explanation: description,
        commands: [`kubectl api-resources --api-group=${problem.group || "''"}`],
      }),
    ];
  }
  if (problem.removed) {
    const r = problem.removed;
    const description =
      (r.replacement
        ? `Change apiVersion ${r.apiVersion} to ${r.replacement} for ${kindsOf(problem).join(', ')}: in a chart that means upgrading to a chart version made for Kubernetes ${r.removedIn} or later.`
        : (r.note ?? `Remove the ${kindsOf(problem).join(', ')} objects from the manifests.`)) +
      ' A release already deployed with the old apiVersion cannot be upgraded until its stored manifest is rewritten: the helm-mapkubeapis plugin does that.';
    const commands = [
      'helm plugin install https://github.com/helm/helm-mapkubeapis',
      ...uniqueReleases(problem.needs).map((rel) => `helm mapkubeapis ${rel.name} -n ${rel.namespace}`),
    ];
    return [
      manualPlan({ id: 'update-api-version', title: `Move off ${r.apiVersion}`, explanation: description, commands }),
    ];
  }
  if (problem.provider?.id === 'cert-manager' && problem.status === 'missing')
    return certManagerPlans(snapshot, problem);
  const p = problem.provider;
  if (problem.status === 'version-missing') {
    const served = [...new Set(snapshot.apiResources.filter((r) => r.group === problem.group).map((r) => r.version))]
      .sort()
      .join(', ');
    const description = `The installed ${p?.project ?? `provider of ${problem.group}`} serves ${problem.group} ${served || 'in other versions'}, not ${apiVersions}: upgrade the chart or manifests to a version that uses what is served, or install the ${p?.project ?? 'CRD'} version they were written for.`;
    return [
      manualPlan({
        id: 'match-api-version',
        title: `Use a served version of ${problem.group}`,
        explanation: description,
        commands: [`kubectl api-resources --api-group=${problem.group}`],
      }),
    ];
  }
  const install = p?.install ?? [];
  const description = p
    ? `Install ${p.project} first${install.length > 0 ? '' : ` (${p.note ?? 'see its documentation'})`}, then retry.${install.length > 0 && p.note ? ` ${p.note}` : ''}`
    : `Install the CRDs that provide ${problem.group} (${kindsOf(problem).join(', ')}): they come with the operator or chart that defines these kinds. \`kubectl get crd | grep ${problem.group}\` shows none now.`;
  return [
    {
      id: p ? `install-${p.id}` : 'install-crds',
      title: p ? `Install ${p.project}, then retry` : `Install the CRDs for ${problem.group}, then retry`,
      explanation: description,
      commands: [...install, ...retry.commands],
      steps: [{ action: 'manual', description }, ...retry.steps],
      mutates: false,
    },
  ];
}

function describeNeeds(problem: Problem): string {
  const parts: string[] = [];
  for (const r of uniqueReleases(problem.needs)) {
    const kinds = [
      ...new Set(problem.needs.filter((n) => n.release === r && n.evidence.source === 'helm').map((n) => n.kind)),
    ];
    parts.push(
      `Helm release ${r.name} in ${r.namespace}${kinds.length ? ` creates ${kinds.join(', ')}` : ''}${r.status === 'failed' ? ` (its last ${r.revision > 1 ? 'upgrade' : 'install'} failed)` : ''}`,
    );
  }
  const hooks = problem.needs.filter((n) => n.evidence.path?.startsWith('metadata.annotations'));
  if (hooks.length > 0)
    parts.push(
      `${hooks.length === 1 ? `webhook configuration ${hooks[0]!.objects[0]!.name} asks` : `${hooks.length} webhook configurations ask`} cert-manager's CA injector for a CA certificate`,
    );
  const mounts = problem.needs.filter((n) => n.evidence.source === 'event');
  if (mounts.length > 0)
    parts.push(
      `${mounts.length === 1 ? `pod ${mounts[0]!.objects[0]!.name} waits` : `${mounts.length} pods wait`} for a TLS Secret that a cert-manager Certificate would create`,
    );
  if (problem.needs.some((n) => n.fromError)) parts.push('the command whose error you handed over');
  return parts.join('; ');
}

function words(problem: Problem): { title: string; explanation: string } {
  const kinds = kindsOf(problem).join(', ');
  const apiVersions = [...new Set(problem.needs.map((n) => n.apiVersion))].join(', ');
  const who = describeNeeds(problem);
  if (problem.status === 'served-now') {
    return {
      title: `${apiVersions} is served now: retry what failed`,
      explanation: `The error says the API server had no ${kinds} in ${apiVersions}, but discovery lists it now: whatever provides it was installed since. Run the command again.`,
    };
  }
  if (isBuiltInGroup(problem.group) && !problem.removed) {
    return {
      title: `${apiVersions} has no kind ${kinds}`,
      explanation: `The API server serves ${apiVersions}, but no kind ${kinds} in it. Needed by: ${who}. Either the kind is misspelled, or it needs a newer Kubernetes than this cluster runs. \`kubectl api-resources\` lists what the cluster serves.`,
    };
  }
  if (problem.removed) {
    const r = problem.removed;
    return {
      title: `${apiVersions} ${kinds} is not served: Kubernetes ${r.removedIn} removed it`,
      explanation:
        `The API server does not serve ${kinds} in ${apiVersions}: Kubernetes removed that API version in ${r.removedIn}. Needed by: ${who}. The chart or manifest was written for an older Kubernetes. ${r.replacement ? `Use ${r.replacement} instead.` : (r.note ?? '')}`.trim(),
    };
  }
  const p = problem.provider;
  if (problem.status === 'version-missing') {
    return {
      title: `${apiVersions} is not served: the installed ${p?.project ?? problem.group} serves other versions`,
      explanation: `The API group ${problem.group} exists, but not in the version ${kinds} ${kinds.includes(',') ? 'are' : 'is'} written for (${apiVersions}). Needed by: ${who}. The chart and the installed ${p?.project ?? 'CRDs'} are from different eras: align their versions.`,
    };
  }
  const project = p?.project ?? `the project that defines ${problem.group}`;
  return {
    title: p
      ? `${p.project} is not installed: API group ${problem.group} is not served`
      : `API group ${problem.group} is not served: its CRDs are not installed`,
    explanation:
      `The API server has no ${kinds} (${apiVersions}): these are custom resources, and their definitions (CRDs) come with ${project}, which is not installed in this cluster. ` +
      `Needed by: ${who}. Until it is installed, anything that creates these objects fails (helm stops the whole install at the first unknown kind) and whatever waits for them stays broken. ` +
      (p?.id === 'cert-manager'
        ? 'Install cert-manager first, wait for its three deployments to be available, then '
        : `Install ${project} first, then `) +
      (uniqueReleases(problem.needs).length > 0 ? 'retry the release.' : 'run the command that failed again.'),
  };
}

/**
 * What a missing API group can cause: failed installs and upgrades, missing certificate
 * Secrets, webhook failures, and the crashes and unready pods that follow. Never an image
 * pull or a scheduling problem on the same objects.
 */
const SYMPTOM_RULES = [
  RULE_IDS.helmReleaseStatus,
  RULE_IDS.helmCliError,
  RULE_IDS.createContainerConfig,
  RULE_IDS.crashloop,
  RULE_IDS.notReady,
];

/**
 * One case per problem: the needs of one project (or API version) and status are gathered
 * first, because the subject names the provider's group that the needs actually name.
 */
interface ProblemCase extends Case {
  problem: Problem;
}

function subjectOf(problem: Problem): ObjectRef {
  return isBuiltInGroup(problem.group) || problem.status === 'version-missing'
    ? { kind: 'APIVersion', name: problem.needs[0]!.apiVersion }
    : {
        kind: 'APIGroup',
        name: problem.provider?.groups.find((g) => problem.needs.some((n) => n.group === g)) ?? problem.group,
      };
}

function problems(snapshot: Snapshot, errorText: string | undefined): Problem[] {
  const needs = [
    ...errorNeeds(snapshot, errorText),
    ...descriptionNeeds(snapshot),
    ...manifestNeeds(snapshot),
    ...webhookNeeds(snapshot),
    ...mountNeeds(snapshot),
  ];
  const found = new Map<string, Problem>();
  for (const need of needs) {
    const { key, provider, removed } = problemKey(need);
    const known = found.get(key);
    if (known) {
      known.needs.push(need);
      continue;
    }
    const problem: Problem = { key, status: need.status, group: need.group, needs: [need] };
    if (provider) problem.provider = provider;
    if (removed) problem.removed = removed;
    found.set(key, problem);
  }
  return [...found.values()];
}

function classify({ snapshot, errorText }: RuleContext): ProblemCase[] {
  return problems(snapshot, errorText).map((problem) => {
    const releases = uniqueReleases(problem.needs);
    return {
      subject: subjectOf(problem),
      ...(problem.status === 'missing' ? {} : { detail: problem.status }),
      // What needs the group, not every object of the release: a healthy pod of the release
      // must not be marked as broken in the cockpit.
      objects: uniqueRefs([...releases.map(releaseRef), ...problem.needs.flatMap((n) => n.objects)]),
      problem,
    };
  });
}

function explain({ lead }: CaseGroup<ProblemCase>, { snapshot }: RuleContext): Explained {
  const { problem } = lead;
  const releases = uniqueReleases(problem.needs);
  const explains = uniqueRefs([
    ...(lead.objects ?? []),
    ...(problem.status === 'served-now' ? [] : releases.flatMap((r) => releaseObjects(snapshot, r))),
  ]);
  const evidence: Evidence[] = [];
  const seenEvidence = new Set<string>();
  for (const n of problem.needs) {
    const k = `${n.evidence.source}|${n.evidence.ref ? refKey(n.evidence.ref) : ''}|${n.evidence.text}`;
    if (seenEvidence.has(k) || evidence.length >= 20) continue;
    seenEvidence.add(k);
    evidence.push(n.evidence);
  }
  if (snapshot.apiGroups.size > 0 && problem.status !== 'served-now') {
    evidence.push({
      source: 'discovery',
      text:
        problem.status === 'missing'
          ? `API group ${problem.group} is not among the ${snapshot.apiGroups.size} groups the API server serves`
          : `API group ${problem.group} is served, but not ${[...new Set(problem.needs.map((n) => n.apiVersion))].join(', ')}`,
    });
  }
  return {
    severity: problem.status === 'served-now' ? 'info' : 'critical',
    ...words(problem),
    evidence,
    explains,
    explainsOnly: SYMPTOM_RULES,
  };
}

export const rule = defineRule<ProblemCase>({
  id: RULE_ID,
  title: 'An API group that something needs is not served',
  classify,
  explain,
  plans: ({ lead }, { snapshot }) => plansFor(snapshot, lead.problem),
});
