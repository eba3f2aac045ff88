// services/target-port: a Service port whose targetPort names a port no selected container
// declares (the endpoints controller leaves those pods out: no endpoints for that port), or
// numbers a port none of them declares while they do declare others (traffic goes where the
// app most likely does not listen). Says which port the containers do declare.
import type { Pod, Service, ServicePort } from '../../src/model/k8s.js';
import type { FixPlan, RuleContext } from '../../src/diagnose/types.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { fieldEvidence, kubectlName, refOf } from '../../src/diagnose/evidence.js';
import { nsFlag, shellQuote } from '../../src/diagnose/plans.js';
import { nearestName } from '../../src/diagnose/nearest.js';
import { podContainers } from '../../src/diagnose/pod-facts.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';
import { serviceHealth } from './lib/service-health.js';

interface Declared {
  container: string;
  name?: string;
  containerPort: number;
}

interface BadTarget extends Case {
  service: Service;
  index: number;
  port: ServicePort;
  target: number | string;
  declared: Declared[];
  /** The declared port the targetPort most likely means. */
  meant: Declared | undefined;
  pod: Pod;
}

function declaredPorts(pod: Pod): Declared[] {
  return podContainers(pod, false).flatMap((c) =>
    (Array.isArray(c?.ports) ? c.ports : []).map((p) => ({
      container: c.name,
      containerPort: p.containerPort,
      ...(p.name ? { name: p.name } : {}),
    })),
  );
}

function meantPort(target: number | string, port: ServicePort, declared: readonly Declared[]): Declared | undefined {
  if (declared.length === 1) return declared[0];
  if (typeof target === 'string') {
    const near = nearestName(
      target,
      declared.flatMap((d) => (d.name ? [d.name] : [])),
    );
    if (near) return declared.find((d) => d.name === near);
  }
  // The Service port's own name often is the container port's name.
  return declared.find((d) => d.name !== undefined && d.name === port.name);
}

function* classify(ctx: RuleContext): Iterable<BadTarget> {
  for (const service of ctx.snapshot.services) {
    const health = serviceHealth(ctx.snapshot, service);
    if (health.pods.length === 0 || service.spec?.type === 'ExternalName') continue;
    const ports = Array.isArray(service.spec.ports) ? service.spec.ports : [];
    const found: BadTarget[] = [];
    // What any selected pod declares, gathered once for all the Service's ports, read from the
    // pods as they are: a Declared per port of all 10,000 pods was 6 MB of garbage.
    // Replicas share their containers array (the store keeps parts equal to a twin's once).
    // Indexed loops: this runs cold over every selected pod, where a for...of allocates.
    const names = new Set<string>();
    const numbers = new Set<number>();
    const read = new Set<unknown>();
    for (let i = 0; i < health.pods.length; i++) {
      const containers = podContainers(health.pods[i]!, false);
      if (read.has(containers)) continue;
      read.add(containers);
      for (let j = 0; j < containers.length; j++) {
        const declaredHere = containers[j]?.ports;
        if (!Array.isArray(declaredHere)) continue;
        for (let k = 0; k < declaredHere.length; k++) {
          const d = declaredHere[k]!;
          if (d.name) names.add(d.name);
          numbers.add(d.containerPort);
        }
      }
    }
    const pod = health.pods[0]!;
    let declared: Declared[] | undefined;
    ports.forEach((port, index) => {
      if (!port || typeof port.port !== 'number') return;
      const target = port.targetPort ?? port.port;
      const served = typeof target === 'string' ? names.has(target) : numbers.has(target);
      if (served) return;
      declared ??= declaredPorts(pod);
      // A number is sent as is: without declared ports there is nothing to judge it by.
      if (typeof target === 'number' && declared.length === 0) return;
      const meant = meantPort(target, port, declared);
      found.push({
        subject: refOf(service, 'Service'),
        detail: port.name || String(port.port),
        service,
        index,
        port,
        target,
        declared,
        meant,
        pod,
      });
    });
    yield* found;
  }
}

function explain({ lead: b }: CaseGroup<BadTarget>): Explained {
  const svc = b.service;
  const name = svc.metadata.name;
  const declared = b.declared.length
    ? b.declared.map((d) => `${d.name ? `${d.name}=` : ''}${d.containerPort} (${d.container})`).join(', ')
    : 'no ports';
  const named = typeof b.target === 'string';
  const mean = b.meant ? ` Did you mean ${named && b.meant.name ? b.meant.name : b.meant.containerPort}?` : '';
  return {
    severity: named ? 'critical' : 'warning',
    title: named
      ? `Service ${name} port ${b.port.port} targets port "${b.target}", which its pods do not declare`
      : `Service ${name} port ${b.port.port} sends traffic to port ${b.target}, which its pods do not declare`,
    explanation: [
      named
        ? `Service ${name} forwards port ${b.port.port} to the container port named "${b.target}", but its pods declare ${declared}. Kubernetes resolves a named targetPort in each pod and leaves out pods that have no port of that name, so the Service has no endpoints for this port and every request to it fails.`
        : `Service ${name} forwards port ${b.port.port} to port ${b.target}, but its pods declare ${declared}. Traffic still goes to ${b.target}; unless the app also listens there, requests are refused.`,
      `${mean} Set the Service's targetPort to a port the container declares (a port's name keeps working when the number changes).`,
    ].join(''),
    evidence: [
      fieldEvidence(svc, `spec.ports[${b.index}].targetPort`, String(b.target), 'spec'),
      fieldEvidence(b.pod, 'spec.containers[*].ports', declared, 'spec'),
    ],
    objects: [refOf(b.pod, 'Pod')],
  };
}

function plans({ lead: b }: CaseGroup<BadTarget>): FixPlan[] {
  if (!b.meant) return [];
  const svc = b.service;
  const ref = refOf(svc, 'Service');
  const value = typeof b.target === 'string' && b.meant.name ? b.meant.name : b.meant.containerPort;
  const ports = (svc.spec.ports ?? []).map((p, i) => (i === b.index ? { ...p, targetPort: value } : p));
  const patch = { spec: { ports } };
  return [
    {
      id: 'patch-target-port',
      title: `Point Service ${svc.metadata.name} port ${b.port.port} at the container's port ${String(value)}`,
      explanation:
        'A merge patch replaces the whole ports list, so the patch carries every port of the Service with only this targetPort changed.',
      commands: [
        `kubectl patch ${kubectlName(ref)}${nsFlag(svc.metadata.namespace)} --type=merge -p ${shellQuote(JSON.stringify(patch))}`,
      ],
      steps: [
        {
          action: 'merge-patch',
          ref,
          patch,
          description: `Set targetPort of Service ${svc.metadata.name} port ${b.port.port} to ${String(value)}.`,
        },
      ],
      mutates: true,
    },
  ];
}

export const rule = defineRule<BadTarget>({
  id: RULE_IDS.serviceTargetPort,
  title: 'Service targetPort not declared by its pods',
  classify,
  explain,
  plans,
});
