// More replicas than nodes under required pod anti-affinity on kubernetes.io/hostname: the
// template forbids two of its own pods on one node, so every replica beyond the node count is
// Pending forever. This is the root cause in the S1 story (Elasticsearch with 3 masters on a
// one-node minikube), and for Elasticsearch it is worse than Pending pods: the pod that does
// run waits for a master quorum that can never form, so it never becomes Ready either.
import type { Container, HelmRelease, KubeEvent, Node, Pod, PodAffinityTerm, Workload } from '../../src/model/k8s.js';
import type { Snapshot } from '../../src/store/snapshot.js';
import type { Evidence, FixPlan, FixStep, JsonPatchOp, ObjectRef } from '../../src/diagnose/types.js';
import { matchesSelector } from '../../src/model/selectors.js';
import {
  arrayOf,
  eligibleNodes,
  isCordoned,
  matchesNodeSelection,
  selectorText,
  taintText,
  untoleratedTaints,
} from '../scheduling/lib/placement.js';
import { listNames } from '../scheduling/lib/cause.js';
import { readSchedulerVerdict, type SchedulerVerdict } from '../scheduling/lib/verdict.js';
import { parseSchedulerMessage } from '../../src/diagnose/scheduler-message.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { clip, eventEvidence, fieldEvidence, kubectlName, refOf } from '../../src/diagnose/evidence.js';
import { jsonPatchCommand, manualPlan, nsFlag, shellQuote } from '../../src/diagnose/plans.js';
import { byName, isPodReady, podEvents } from '../../src/diagnose/pod-facts.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';

const HOSTNAME = 'kubernetes.io/hostname';

/** Charts whose repository kcockpit knows, to write a `helm upgrade` the user can run as is. */
const CHART_REPOS: Record<string, { alias: string; url: string }> = {
  jaeger: { alias: 'jaegertracing', url: 'https://jaegertracing.github.io/helm-charts' },
  elasticsearch: { alias: 'elastic', url: 'https://helm.elastic.co' },
};

/** The nodes that can take one of the pods: read from the Node objects, or counted by the scheduler. */
interface Room {
  count: number;
  /** The nodes themselves when they could be listed. */
  nodes: Node[];
  /**
   * When nodes may not be listed: the scheduler's verdict on a Pending replica, which counts
   * the nodes and why each was refused, and the nodes its placed replicas run on.
   */
  scheduler?: { verdict: SchedulerVerdict; total: number; runsOn: string[] };
}

interface Subject extends Case {
  workload: Workload;
  ref: ObjectRef;
  term: PodAffinityTerm;
  termIndex: number;
  replicas: number;
  room: Room;
  pods: Pod[];
  release: HelmRelease | undefined;
}

/** The template's required anti-affinity term that keeps its own pods one per node. */
function selfAntiAffinity(w: Workload): { term: PodAffinityTerm; index: number } | undefined {
  const template = w.spec?.template;
  const labels = template?.metadata?.labels;
  const ns = w.metadata.namespace ?? '';
  const terms = arrayOf(template?.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
  const index = terms.findIndex((t) => {
    if (!t || t.topologyKey !== HOSTNAME) return false;
    const namespaces = arrayOf(t.namespaces);
    return (namespaces.length === 0 || namespaces.includes(ns)) && matchesSelector(labels, t.labelSelector);
  });
  return index >= 0 ? { term: terms[index]!, index } : undefined;
}

/** Why a node cannot take the pods, for the evidence line. */
function exclusion(node: Node, w: Workload): string {
  if (isCordoned(node)) return 'cordoned';
  const taints = untoleratedTaints(w.spec.template.spec?.tolerations, node);
  if (taints.length > 0) return `taint ${taints.map(taintText).join(', ')}`;
  if (!matchesNodeSelection(w.spec.template.spec, node)) return 'does not match its node selector/affinity';
  return '';
}

// ---- Elasticsearch ----

interface ElasticFacts {
  container: Container;
  containerIndex: number;
  /** `cluster.initial_master_nodes` as the template sets it (ES 7+). */
  initialMasters?: { value: string; envIndex: number };
  /** `discovery.zen.minimum_master_nodes` (ES 6). */
  minimumMasters?: { value: string; envIndex: number };
  /** `wait_for_status=green&timeout=1s`, read from the readiness probe's command. */
  healthParams?: string;
}

function envEntry(c: Container, name: string): { value: string; envIndex: number } | undefined {
  const env = arrayOf(c.env);
  const envIndex = env.findIndex((e) => e?.name === name && typeof e.value === 'string');
  return envIndex >= 0 ? { value: env[envIndex]!.value!, envIndex } : undefined;
}

function elasticFacts(w: Workload, release: HelmRelease | undefined): ElasticFacts | undefined {
  const containers = arrayOf(w.spec.template.spec?.containers);
  const isElastic = (c: Container): boolean =>
    !!c &&
    ((c.image ?? '').includes('elasticsearch') ||
      !!envEntry(c, 'cluster.initial_master_nodes') ||
      !!envEntry(c, 'discovery.seed_hosts'));
  let containerIndex = containers.findIndex(isElastic);
  // Elastic's chart, or the jaeger chart's Elasticsearch subchart, even with a custom image.
  const fromChart =
    release?.chartName === 'elasticsearch' ||
    (release?.chartName === 'jaeger' && w.metadata.name.includes('elasticsearch'));
  if (containerIndex < 0 && fromChart && containers.length > 0) containerIndex = 0;
  const container = containers[containerIndex];
  if (!container) return undefined;
  const facts: ElasticFacts = { container, containerIndex };
  const initial = envEntry(container, 'cluster.initial_master_nodes');
  if (initial) facts.initialMasters = initial;
  const minimum = envEntry(container, 'discovery.zen.minimum_master_nodes');
  if (minimum) facts.minimumMasters = minimum;
  const probe = arrayOf(container.readinessProbe?.exec?.command).join(' ');
  const params = /wait_for_status=\w+(?:&timeout=\w+)?/.exec(probe);
  if (params) facts.healthParams = params[0];
  return facts;
}

function masterNames(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Elastic's values for `n` master-eligible nodes: a majority quorum, and yellow health when one node cannot hold replica shards. */
function elasticValues(prefix: string, n: number): Record<string, string> {
  const set: Record<string, string> = {
    [`${prefix}replicas`]: String(n),
    [`${prefix}minimumMasterNodes`]: String(Math.floor(n / 2) + 1),
  };
  if (n === 1) set[`${prefix}clusterHealthCheckParams`] = 'wait_for_status=yellow&timeout=1s';
  return set;
}

/**
 * Where the Elasticsearch values live: at the top for elastic's own chart, under
 * `elasticsearch.` when it is a subchart (the jaeger chart, or any release whose values
 * already configure an `elasticsearch` block, or whose objects say they came from the
 * elasticsearch chart while the release is another chart).
 */
function elasticPrefix(w: Workload, release: HelmRelease): string {
  if (release.chartName === 'elasticsearch') return '';
  const values = release.values;
  if (
    release.chartName === 'jaeger' ||
    (values && typeof values['elasticsearch'] === 'object' && values['elasticsearch'] !== null)
  )
    return 'elasticsearch.';
  return w.metadata.labels?.['chart']?.startsWith('elasticsearch') ? 'elasticsearch.' : '';
}

// ---- fixes ----

function setArg(key: string, value: string): string {
  const pair = `${key}=${value}`;
  return /^[\w.=/-]+$/.test(pair) ? pair : shellQuote(pair);
}

function helmCommand(release: HelmRelease, chart: string, set: Record<string, string>): string {
  const version = release.chartVersion ? ` --version ${release.chartVersion}` : '';
  const sets = Object.entries(set)
    .map(([k, v]) => ` --set ${setArg(k, v)}`)
    .join('');
  return `helm upgrade ${release.name} ${chart} -n ${release.namespace} --reuse-values${version}${sets}`;
}

function helmPlan(s: Subject, release: HelmRelease, elastic: ElasticFacts | undefined): FixPlan {
  const n = s.room.count;
  const repo = release.chartName ? CHART_REPOS[release.chartName] : undefined;
  const chart = repo ? `${repo.alias}/${release.chartName}` : `<repo>/${release.chartName ?? '<chart>'}`;
  const why =
    `Helm manages ${s.ref.kind} ${s.ref.name} (release ${release.name}, chart ${release.chartName ?? '?'} ${release.chartVersion ?? ''}`.trimEnd() +
    '), so the change belongs in the release values: `--reuse-values` keeps every value you set before, and `--version` keeps the chart version so the upgrade changes nothing else.' +
    (repo
      ? ` \`${repo.alias}\` is the usual name of the chart repository ${repo.url}; use the name \`helm repo list\` shows for it (or \`helm repo add ${repo.alias} ${repo.url}\`).`
      : ' The release does not record which repository the chart came from: put your repository name in place of <repo>.') +
    ` Scaling the ${s.ref.kind} by hand is not the fix: the next helm upgrade puts the replica count back` +
    (elastic?.initialMasters
      ? ', and cluster.initial_master_nodes would still list the old masters, so the quorum could still not form.'
      : '.');

  if (elastic) {
    const set = elasticValues(elasticPrefix(s.workload, release), n);
    const command = helmCommand(release, chart, set);
    const steps: FixStep[] = repo
      ? [
          {
            action: 'helm-upgrade',
            release: release.name,
            namespace: release.namespace,
            chart,
            reuseValues: true,
            set,
            ...(release.chartVersion ? { version: release.chartVersion } : {}),
            description: `helm upgrade ${release.name} with ${Object.entries(set)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ')}.`,
          },
        ]
      : [{ action: 'manual', description: `Run: ${command}` }];
    return {
      id: 'helm-set-elasticsearch-replicas',
      title: `Run Elasticsearch with ${n} master${n > 1 ? 's' : ''} (helm upgrade ${release.name})`,
      explanation:
        `Sets the replica count to the ${n} node${n > 1 ? 's' : ''} that can take the pods and the master quorum to match (${Math.floor(n / 2) + 1} of ${n})` +
        (n === 1
          ? '; on one node replica shards have nowhere to go, so the health check waits for yellow instead of green'
          : '') +
        `. The chart renders cluster.initial_master_nodes from the replica count, so it follows. ${why} The claims of the removed replicas stay; delete them with \`kubectl delete pvc\` once you are sure.`,
      commands: [command],
      steps,
      mutates: repo !== undefined,
    };
  }

  // Replica values are chart-specific: name the one the user already sets, else the common one.
  const values = release.values ?? {};
  const key = typeof values['replicas'] === 'number' ? 'replicas' : 'replicaCount';
  const command = helmCommand(release, chart, { [key]: String(n) });
  return manualPlan({
    id: 'helm-set-replicas',
    title: `Set the chart's replica count to ${n}`,
    explanation: `Set the replica value of the chart (often \`replicaCount\` or \`replicas\`; \`helm show values ${chart}\` lists them) to ${n}. ${why}`,
    commands: [command],
    instructions: `Set the chart's replica count to ${n}: ${command}`,
  });
}

function scalePlan(s: Subject, elastic: ElasticFacts | undefined): FixPlan {
  const n = s.room.count;
  const steps: FixStep[] = [];
  const commands: string[] = [];
  let extra = '';
  if (elastic?.initialMasters) {
    // Elasticsearch only bootstraps with the masters it is told about: list the pods that will exist.
    const names = Array.from({ length: n }, (_, i) => `${s.ref.name}-${i}`).join(',');
    const path = `/spec/template/spec/containers/${elastic.containerIndex}/env/${elastic.initialMasters.envIndex}/value`;
    const ops: JsonPatchOp[] = [
      { op: 'test', path, value: elastic.initialMasters.value },
      { op: 'replace', path, value: names },
    ];
    steps.push({
      action: 'json-patch',
      ref: s.ref,
      patch: ops,
      description: `Set cluster.initial_master_nodes to ${names}.`,
    });
    commands.push(jsonPatchCommand(s.ref, ops));
    extra = ` cluster.initial_master_nodes is set to the ${n} pod${n > 1 ? 's' : ''} that will exist, so Elasticsearch can elect a master; a readiness probe that waits for green health stays unready on one node until you lower it to yellow.`;
  }
  steps.push({
    action: 'scale',
    ref: s.ref,
    replicas: n,
    description: `Scale ${s.ref.kind} ${s.ref.name} from ${s.replicas} to ${n} replicas.`,
  });
  commands.push(`kubectl scale ${kubectlName(s.ref)} --replicas=${n}${nsFlag(s.ref.namespace)}`);
  return {
    id: 'scale-to-nodes',
    title: `Scale ${s.ref.name} to ${n} replica${n > 1 ? 's' : ''}`,
    explanation: `Runs one replica per node that can take one, so none waits for a node that does not exist.${extra} Scale up again when nodes are added.`,
    commands,
    steps,
    mutates: true,
  };
}

function preferredPlan(s: Subject): FixPlan {
  const base = '/spec/template/spec/affinity/podAntiAffinity';
  const preferred = { weight: 100, podAffinityTerm: s.term };
  // A JSON patch `add` on an existing list replaces it: append when the template already prefers something.
  const hasPreferred = Array.isArray(
    s.workload.spec.template.spec?.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution,
  );
  const ops: JsonPatchOp[] = [
    { op: 'remove', path: `${base}/requiredDuringSchedulingIgnoredDuringExecution/${s.termIndex}` },
    hasPreferred
      ? { op: 'add', path: `${base}/preferredDuringSchedulingIgnoredDuringExecution/-`, value: preferred }
      : { op: 'add', path: `${base}/preferredDuringSchedulingIgnoredDuringExecution`, value: [preferred] },
  ];
  const description = `Turn the required anti-affinity into a preferred one: the scheduler still spreads the pods across nodes when it can, but places them together when it must. You lose the guarantee that one node failure takes down only one replica, which is why it was required; decide whether that matters for ${s.ref.name}.`;
  return manualPlan({
    id: 'prefer-anti-affinity',
    title: 'Make the anti-affinity preferred instead of required',
    explanation: description,
    commands: [jsonPatchCommand(s.ref, ops)],
  });
}

// ---- evidence ----

function newestEvent(events: readonly KubeEvent[], match: (e: KubeEvent) => boolean): KubeEvent | undefined {
  for (let i = events.length - 1; i >= 0; i--) if (match(events[i]!)) return events[i];
  return undefined;
}

function evidenceFor(snapshot: Snapshot, s: Subject, elastic: ElasticFacts | undefined): Evidence[] {
  const w = s.workload;
  const ev: Evidence[] = [
    fieldEvidence(w, 'spec.replicas', String(s.replicas), 'spec'),
    fieldEvidence(
      w,
      `spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[${s.termIndex}]`,
      `topologyKey ${s.term.topologyKey}, pods matching ${selectorText(s.term.labelSelector)}`,
      'spec',
    ),
  ];
  const scheduler = s.room.scheduler;
  if (scheduler) {
    // The scheduler's count is the evidence; where the placed replicas run names the nodes.
    ev.push(scheduler.verdict.evidence);
    for (const pod of s.pods.filter((p) => p.spec?.nodeName).slice(0, 5))
      ev.push(fieldEvidence(pod, 'spec.nodeName', pod.spec.nodeName!, 'spec'));
  } else {
    const excluded = snapshot.nodes.filter((n) => !s.room.nodes.includes(n));
    ev.push({
      source: 'node',
      text:
        `${s.room.count} node${s.room.count > 1 ? 's' : ''} can take these pods: ${listNames(
          s.room.nodes.map((n) => n.metadata.name),
          10,
        )}` +
        (excluded.length > 0
          ? `; excluded: ${listNames(
              excluded.map((n) => `${n.metadata.name} (${exclusion(n, w)})`),
              5,
            )}`
          : ''),
    });
    const pending = s.pods.filter((p) => !p.spec?.nodeName);
    for (const pod of pending) {
      const e = newestEvent(podEvents(snapshot, pod), (x) => x.reason === 'FailedScheduling');
      if (e) {
        ev.push({ ...eventEvidence(e), text: clip(e.message ?? '') });
        break;
      }
    }
  }
  const first = s.pods.find((p) => p.spec?.nodeName && !isPodReady(p));
  const readiness =
    first &&
    newestEvent(
      podEvents(snapshot, first),
      (x) => x.reason === 'Unhealthy' && (x.message ?? '').startsWith('Readiness probe failed'),
    );
  if (readiness) ev.push({ ...eventEvidence(readiness), text: clip(readiness.message ?? '') });
  if (elastic?.initialMasters) {
    ev.push(
      fieldEvidence(
        w,
        `spec.template.spec.containers[${elastic.containerIndex}].env[${elastic.initialMasters.envIndex}].value`,
        `cluster.initial_master_nodes=${elastic.initialMasters.value}`,
        'spec',
      ),
    );
  }
  if (elastic?.minimumMasters) {
    ev.push(
      fieldEvidence(
        w,
        `spec.template.spec.containers[${elastic.containerIndex}].env[${elastic.minimumMasters.envIndex}].value`,
        `discovery.zen.minimum_master_nodes=${elastic.minimumMasters.value}`,
        'spec',
      ),
    );
  }
  if (elastic?.healthParams) {
    ev.push(
      fieldEvidence(
        w,
        `spec.template.spec.containers[${elastic.containerIndex}].readinessProbe.exec.command`,
        `cluster health check: ${elastic.healthParams}`,
        'spec',
      ),
    );
  }
  if (s.release) {
    const r = s.release;
    ev.push({
      source: 'helm',
      ref: { kind: 'HelmRelease', namespace: r.namespace, name: r.name },
      text: `release ${r.name}: chart ${r.chartName ?? '?'}-${r.chartVersion ?? '?'}, revision ${r.revision}, ${r.status}`,
    });
  }
  return ev;
}

// ---- the rule ----

/** "Only 1 node can take them (minikube)", or the scheduler's count when nodes could not be read. */
function roomText(s: Subject): string {
  const n = s.room.count;
  const scheduler = s.room.scheduler;
  if (!scheduler)
    return `Only ${n} node${n > 1 ? 's' : ''} can take them (${listNames(s.room.nodes.map((x) => x.metadata.name))})`;
  const runsOn = scheduler.runsOn.length > 0 ? `; the placed replicas run on ${listNames(scheduler.runsOn)}` : '';
  const others = scheduler.total - n;
  return (
    `Only ${n} node${n > 1 ? 's' : ''} can take them by the scheduler's count: kcockpit may not list nodes, but its FailedScheduling verdict counts ${scheduler.total} node${scheduler.total > 1 ? 's' : ''}` +
    (others > 0 ? `, ${others} of them ruled out by taints, node selection or cordoning` : ' in all') +
    `${runsOn} (the nodes themselves could not be checked)`
  );
}

function explanation(s: Subject, elastic: ElasticFacts | undefined): string {
  const n = s.room.count;
  const stuck = s.replicas - n;
  let text =
    `${s.ref.kind} ${s.ref.name} asks for ${s.replicas} replicas, and its pod template forbids two of them on the same node (required pod anti-affinity on ${HOSTNAME}). ` +
    `${roomText(s)}, so ${stuck} pod${stuck > 1 ? 's stay' : ' stays'} Pending for as long as there are no more nodes.`;
  if (elastic) {
    const masters = elastic.initialMasters ? masterNames(elastic.initialMasters.value) : [];
    const quorum = Math.floor((masters.length || s.replicas) / 2) + 1;
    text +=
      ` This is Elasticsearch, which makes it worse: the pod that does run waits to elect a master with the master-eligible nodes ` +
      (masters.length > 0
        ? `listed in cluster.initial_master_nodes (${listNames(masters)})`
        : `of a ${s.replicas}-node cluster`) +
      (elastic.minimumMasters ? ` and discovery.zen.minimum_master_nodes=${elastic.minimumMasters.value}` : '') +
      `, which needs ${quorum} of them to be up, and only ${n} can ever run. Until then it is not Ready` +
      (elastic.healthParams ? ` (its readiness probe waits for ${elastic.healthParams.split('&')[0]})` : '') +
      ', so everything that stores data in Elasticsearch fails with it.';
    text += s.release
      ? ` Fix it in the Helm release: run ${n} replica${n > 1 ? 's' : ''} with a quorum of ${Math.floor(n / 2) + 1}${n === 1 ? ' and wait for yellow health, which is all one node can reach' : ''}. Scaling the StatefulSet by hand is not the fix: Helm puts it back on the next upgrade, and cluster.initial_master_nodes still lists ${masters.length || s.replicas} nodes.`
      : ` Run ${n} replica${n > 1 ? 's' : ''} and list only those pods in cluster.initial_master_nodes.`;
  } else {
    text += ` Run at most ${n} replica${n > 1 ? 's' : ''} until more nodes join, or make the anti-affinity preferred so the scheduler may put pods together when it must.`;
  }
  return text;
}

// The scheduler tries its filters in a fixed order (NodeUnschedulable, TaintToleration,
// NodeAffinity, ..., InterPodAffinity last) and names the first that refuses each node: a node
// it counts under any other reason would also be left out of the Node-based count.
const NOT_FOR_THESE_PODS = new Set(['unschedulable-node', 'taint', 'node-affinity']);

/**
 * Without the nodes, a Pending replica's FailedScheduling verdict still says how many nodes
 * there are and how many refused it only because one of its own kind runs there.
 */
function roomFromScheduler(snapshot: Snapshot, pods: readonly Pod[]): Room | undefined {
  for (const pod of pods) {
    if (pod.spec?.nodeName) continue;
    const verdict = readSchedulerVerdict(snapshot, pod);
    if (!verdict || verdict === 'placed') continue;
    const message = parseSchedulerMessage(verdict.text);
    if (message.total === 0 || !message.reasons.some((r) => r.kind === 'pod-anti-affinity')) continue;
    const ruledOut = message.reasons.filter((r) => NOT_FOR_THESE_PODS.has(r.kind)).reduce((a, r) => a + r.count, 0);
    const runsOn = [...new Set(pods.map((p) => p.spec?.nodeName).filter((n): n is string => !!n))].sort();
    return { count: message.total - ruledOut, nodes: [], scheduler: { verdict, total: message.total, runsOn } };
  }
  return undefined;
}

function roomFor(snapshot: Snapshot, w: Workload, pods: readonly Pod[]): Room | undefined {
  if (snapshot.nodes.length > 0) {
    const nodes = eligibleNodes(snapshot.nodes, w.spec.template.spec);
    return { count: nodes.length, nodes };
  }
  // No nodes at all would make any count a guess; not being allowed to list them leaves the scheduler's.
  return snapshot.forbidden.has('nodes') ? roomFromScheduler(snapshot, pods) : undefined;
}

function subjects(snapshot: Snapshot): Subject[] {
  const out: Subject[] = [];
  const candidates: [Workload, string][] = [
    ...snapshot.statefulSets.map((w): [Workload, string] => [w, 'StatefulSet']),
    ...snapshot.deployments.map((w): [Workload, string] => [w, 'Deployment']),
  ];
  for (const [w, kind] of candidates) {
    if (!w?.metadata || !w.spec?.template) continue;
    const anti = selfAntiAffinity(w);
    if (!anti) continue;
    const replicas = typeof w.spec.replicas === 'number' ? w.spec.replicas : 1;
    const pods = byName(snapshot.podsIn(w.metadata.namespace ?? '').filter((p) => snapshot.topOwner(p) === w));
    const room = roomFor(snapshot, w, pods);
    if (!room || room.count <= 0 || replicas <= room.count) continue;
    const ref = refOf(w, kind);
    out.push({
      subject: ref,
      objects: pods.map((p) => refOf(p, 'Pod')),
      workload: w,
      ref,
      term: anti.term,
      termIndex: anti.index,
      replicas,
      room,
      pods,
      release: snapshot.helmReleaseOf(w),
    });
  }
  return out;
}

export const rule = defineRule({
  id: RULE_IDS.antiAffinityReplicas,
  title: 'More replicas than nodes under required anti-affinity',
  classify: ({ snapshot }) => subjects(snapshot),
  explain({ lead: s }: CaseGroup<Subject>, ctx): Explained {
    const elastic = elasticFacts(s.workload, s.release);
    const n = s.room.count;
    return {
      severity: 'critical',
      title:
        `${kubectlName(s.ref)} wants ${s.replicas} replicas, one per node, but only ${n} node${n > 1 ? 's' : ''} can take them` +
        (elastic ? ': Elasticsearch cannot elect a master' : ''),
      explanation: explanation(s, elastic),
      evidence: evidenceFor(ctx.snapshot, s, elastic),
      explains: [s.ref, ...s.pods.map((p) => refOf(p, 'Pod'))],
    };
  },
  plans({ lead: s }: CaseGroup<Subject>): FixPlan[] {
    const elastic = elasticFacts(s.workload, s.release);
    return s.release ? [helmPlan(s, s.release, elastic)] : [scalePlan(s, elastic), preferredPlan(s)];
  },
});
