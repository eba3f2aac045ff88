// Pod (anti-)affinity: the pod must (not) run next to pods with certain labels. These
// explanations stay factual — which rule, which nodes already hold a matching pod — and offer
// no fix: whether the rule or the replica count is wrong is the workload's call, and
// workloads/anti-affinity-replicas explains (and fixes) the common case of more replicas
// than nodes.
import type { Node, Pod, PodAffinityTerm } from '../../../src/model/k8s.js';
import type { Evidence } from '../../../src/diagnose/types.js';
import { affinityTermSelects, arrayOf, eligibleNodes, selectorText } from './placement.js';
import { listNames, thePods, type CauseReport, type PendingGroup } from './cause.js';
import { fieldEvidence } from '../../../src/diagnose/evidence.js';

/** For each node the pod may use, the pods on it that a term selects. */
function matchingPodsByNode(group: PendingGroup, term: PodAffinityTerm): { node: string; pods: Pod[] }[] {
  const { snapshot, sample } = group;
  const ns = sample.metadata.namespace;
  const own = new Set(group.pods.map((p) => p.metadata.name));
  const selects = (p: Pod): boolean =>
    !(p.metadata.namespace === ns && own.has(p.metadata.name)) && affinityTermSelects(term, ns, p);
  // A user who may not list nodes still sees, on the pods it may read, where they run.
  const nodes = snapshot.forbidden.has('nodes')
    ? [...new Set(snapshot.pods.filter((p) => p.spec?.nodeName && selects(p)).map((p) => p.spec.nodeName!))].sort()
    : eligibleNodes(snapshot.nodes, sample.spec).map((n: Node) => n.metadata.name);
  return nodes.map((node) => ({ node, pods: snapshot.podsOnNode(node).filter(selects) }));
}

function termEvidence(
  group: PendingGroup,
  field: 'podAntiAffinity' | 'podAffinity',
  terms: PodAffinityTerm[],
): Evidence[] {
  return terms
    .slice(0, 3)
    .map((t, i) =>
      fieldEvidence(
        group.sample,
        `spec.affinity.${field}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`,
        `topologyKey ${t.topologyKey}, pods matching ${selectorText(t.labelSelector)}`,
        'spec',
      ),
    );
}

export function explainAntiAffinity(group: PendingGroup): CauseReport {
  const terms = arrayOf(
    group.sample.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
  ).filter((t) => t && t.topologyKey);
  if (terms.length === 0) {
    return {
      title: "other pods' anti-affinity keeps it away",
      explanation: `${thePods(group).replace(/^t/, 'T')} have no anti-affinity of their own, but pods already running on the nodes it could use declare required anti-affinity against pods like it, so the scheduler keeps it away from them. Look for \`podAntiAffinity\` in the workloads running on those nodes.`,
      evidence: [],
      fixes: [],
    };
  }
  const term = terms[0]!;
  const occupied = matchingPodsByNode(group, term).filter((n) => n.pods.length > 0);
  const unseen = group.snapshot.forbidden.has('nodes');
  // Without the nodes every one it may use is unknown: say where the pods run, not that it is everywhere.
  const eligible = unseen ? Infinity : eligibleNodes(group.snapshot.nodes, group.sample.spec).length;
  const where = occupied.map(
    (o) =>
      `${o.node} (${listNames(
        o.pods.map((p) => p.metadata.name),
        2,
      )})`,
  );
  const oneNode = term.topologyKey === 'kubernetes.io/hostname';
  const plural = group.pods.length > 1;
  return {
    title: `its required pod anti-affinity allows one such pod per ${oneNode ? 'node' : term.topologyKey}`,
    explanation:
      `${thePods(group).replace(/^t/, 'T')} require${plural ? '' : 's'} that no pod matching ${selectorText(term.labelSelector)} runs ${oneNode ? 'on the same node' : `in the same ${term.topologyKey} domain`} (required pod anti-affinity, topologyKey ${term.topologyKey}). ` +
      (where.length > 0
        ? `${occupied.length >= eligible ? `Every node ${plural ? 'they' : 'it'} may use already runs one` : 'Nodes that already run one'}: ${listNames(where, 4)}. `
        : '') +
      `${plural ? 'They' : 'It'} cannot be scheduled until such a node frees up or another node joins; with more replicas than nodes, ${plural ? 'they' : 'it'} never will.`,
    evidence: termEvidence(group, 'podAntiAffinity', terms),
    fixes: [],
  };
}

export function explainAffinity(group: PendingGroup): CauseReport {
  const terms = arrayOf(
    group.sample.spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
  ).filter((t) => t && t.topologyKey);
  const term = terms[0];
  const partners = term ? matchingPodsByNode(group, term).filter((n) => n.pods.length > 0) : [];
  return {
    title: term
      ? `no node runs a pod matching ${selectorText(term.labelSelector)} for it to join`
      : 'its required pod affinity cannot be met',
    explanation: term
      ? `${thePods(group).replace(/^t/, 'T')} must run in the same ${term.topologyKey} as a pod matching ${selectorText(term.labelSelector)} (required pod affinity). ` +
        (partners.length > 0
          ? `Such pods run on ${listNames(partners.map((p) => p.node))}, but ${group.snapshot.forbidden.has('nodes') ? 'the scheduler refuses those nodes; kcockpit may not list nodes, so why could not be checked' : 'those nodes are ruled out for other reasons'}. `
          : 'No node it may use runs such a pod. ') +
        'Start the pods it depends on first, or check that the selector matches their labels.'
      : 'The pod requires running next to certain pods (required pod affinity) and no node it may use has them.',
    evidence: termEvidence(group, 'podAffinity', terms),
    fixes: [],
  };
}
