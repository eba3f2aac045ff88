// workloads/statefulset-service-missing: a StatefulSet whose spec.serviceName names no Service.
// Its pods run, but their stable DNS names (`<pod>.<service>.<ns>.svc`) do not resolve, so
// peers that find each other by those names (databases, Elasticsearch, Kafka) never form a cluster.
import type { Service, Workload } from '../../src/model/k8s.js';
import type { FixPlan, RuleContext } from '../../src/diagnose/types.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { fieldEvidence, refOf } from '../../src/diagnose/evidence.js';
import { manualPlan, nsFlag, shellQuote } from '../../src/diagnose/plans.js';
import { nearestName } from '../../src/diagnose/nearest.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';

interface NoService extends Case {
  sts: Workload;
  serviceName: string;
  meant: string | undefined;
}

function* classify(ctx: RuleContext): Iterable<NoService> {
  const { snapshot } = ctx;
  if (snapshot.forbidden.has('services')) return;
  for (const sts of snapshot.statefulSets) {
    const serviceName = sts.spec?.serviceName;
    const ns = sts.metadata.namespace ?? '';
    // serviceName is optional since Kubernetes 1.32; unset asks for no DNS names.
    if (!serviceName || snapshot.get<Service>('Service', ns, serviceName)) continue;
    const names = snapshot.inNamespace<Service>('Service', ns).map((s) => s.metadata.name);
    yield { subject: refOf(sts, 'StatefulSet'), sts, serviceName, meant: nearestName(serviceName, names) };
  }
}

function explain({ lead: n }: CaseGroup<NoService>): Explained {
  const name = n.sts.metadata.name;
  const ns = n.sts.metadata.namespace ?? '';
  return {
    severity: 'warning',
    title: `StatefulSet ${name} names Service ${n.serviceName}, which does not exist`,
    explanation: [
      `StatefulSet ${name} sets serviceName: ${n.serviceName}, the headless Service that gives each pod a stable DNS name (${name}-0.${n.serviceName}.${ns}.svc), and there is no Service of that name in namespace ${ns}.`,
      'The pods run, but those names do not resolve, so members that find each other by them (replicas of a database, Elasticsearch, Kafka or ZooKeeper) cannot form their cluster.',
      n.meant
        ? `Did you mean ${n.meant}? serviceName cannot be changed on an existing StatefulSet, so create the Service under the name the StatefulSet uses (or recreate the StatefulSet).`
        : "Create a headless Service (clusterIP: None) of that name that selects the StatefulSet's pods.",
    ].join(' '),
    evidence: [fieldEvidence(n.sts, 'spec.serviceName', n.serviceName, 'spec')],
  };
}

function plans({ lead: n }: CaseGroup<NoService>): FixPlan[] {
  const ns = n.sts.metadata.namespace;
  const labels = n.sts.spec.selector?.matchLabels ?? n.sts.spec.template?.metadata?.labels ?? {};
  const svc: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: n.serviceName, ...(ns ? { namespace: ns } : {}) },
    spec: { clusterIP: 'None', selector: { ...labels }, publishNotReadyAddresses: true },
  };
  const ports = n.sts.spec.template?.spec?.containers?.flatMap((c) => c.ports ?? []) ?? [];
  if (ports.length)
    svc.spec.ports = ports.map((p) => ({
      ...(p.name ? { name: p.name } : {}),
      port: p.containerPort,
      targetPort: p.containerPort,
    }));
  if (Object.keys(labels).length === 0)
    return [
      manualPlan({
        id: 'create-headless-service',
        title: `Create headless Service ${n.serviceName}`,
        explanation: 'The StatefulSet has no labels to select by, so the selector is yours to write.',
        commands: [`kubectl get statefulset ${n.sts.metadata.name}${nsFlag(ns)} -o yaml`],
      }),
    ];
  return [
    {
      id: 'create-headless-service',
      title: `Create headless Service ${n.serviceName} for StatefulSet ${n.sts.metadata.name}`,
      explanation:
        "A headless Service (clusterIP: None) selecting the StatefulSet's pods gives each pod its DNS name; publishNotReadyAddresses lets members find each other before they are ready, as clustered apps need.",
      commands: [`echo ${shellQuote(JSON.stringify(svc))} | kubectl create -f -`],
      steps: [{ action: 'create', object: svc, description: `Create headless Service ${n.serviceName}.` }],
      mutates: true,
    },
  ];
}

export const rule = defineRule<NoService>({
  id: RULE_IDS.statefulSetServiceMissing,
  title: 'StatefulSet service missing',
  classify,
  explain,
  plans,
});
