// ingress/broken-backend: an Ingress path whose backend Service does not exist, or names a
// port the Service does not serve: the ingress controller answers 503 (or 404) for that path.
import type { Ingress, Service } from '../../src/model/k8s.js';
import type { FixPlan, JsonPatchOp, RuleContext } from '../../src/diagnose/types.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { fieldEvidence, refOf } from '../../src/diagnose/evidence.js';
import { jsonPatchCommand, manualPlan, nsFlag } from '../../src/diagnose/plans.js';
import { nearestName } from '../../src/diagnose/nearest.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';
import { ingressBackends, type PlacedBackend } from './lib/backends.js';

interface Broken extends Case {
  ingress: Ingress;
  backend: PlacedBackend;
  service: Service | undefined;
  /** The closest existing Service name (missing Service) or served port (missing port). */
  meant: string | number | undefined;
}

function portText(b: PlacedBackend): string {
  const p = b.service.port;
  return p?.name ?? (p?.number !== undefined ? String(p.number) : '');
}

function* classify(ctx: RuleContext): Iterable<Broken> {
  const { snapshot } = ctx;
  if (snapshot.forbidden.has('services')) return;
  for (const ingress of snapshot.ingresses) {
    const ns = ingress.metadata.namespace ?? '';
    const names = snapshot.inNamespace<Service>('Service', ns).map((s) => s.metadata.name);
    for (const backend of ingressBackends(ingress)) {
      const service = snapshot.get<Service>('Service', ns, backend.service.name);
      const subject = refOf(ingress, 'Ingress');
      const detail = `${backend.service.name}:${portText(backend)}`;
      if (!service) {
        yield { subject, detail, ingress, backend, service, meant: nearestName(backend.service.name, names) };
        continue;
      }
      const ports = Array.isArray(service.spec?.ports) ? service.spec.ports : [];
      const want = backend.service.port;
      if (!want) continue;
      const served = ports.some((p) => (want.name !== undefined ? p.name === want.name : p.port === want.number));
      if (served) continue;
      const meant =
        want.name !== undefined
          ? (nearestName(
              want.name,
              ports.flatMap((p) => (p.name ? [p.name] : [])),
            ) ?? (ports.length === 1 ? ports[0]!.name : undefined))
          : ports.length === 1
            ? ports[0]!.port
            : undefined;
      yield { subject, detail, ingress, backend, service, meant };
    }
  }
}

function explain({ lead: b }: CaseGroup<Broken>): Explained {
  const name = b.ingress.metadata.name;
  const svc = b.backend.service.name;
  const ns = b.ingress.metadata.namespace ?? '';
  const mean = b.meant !== undefined ? ` Did you mean ${String(b.meant)}?` : '';
  const served = (b.service?.spec.ports ?? [])
    .map((p) => (p.name ? `${p.name} (${p.port})` : String(p.port)))
    .join(', ');
  const evidence = [fieldEvidence(b.ingress, b.backend.path, `${svc}:${portText(b.backend)}`, 'spec')];
  if (b.service) evidence.push(fieldEvidence(b.service, 'spec.ports', served || 'none', 'spec'));
  return {
    severity: 'critical',
    title: b.service
      ? `Ingress ${name} sends ${b.backend.where} to port ${portText(b.backend)} of Service ${svc}, which it does not serve`
      : `Ingress ${name} sends ${b.backend.where} to Service ${svc}, which does not exist`,
    explanation: [
      b.service
        ? `Ingress ${name} routes ${b.backend.where} to Service ${svc} on port ${portText(b.backend)}, but ${svc} serves ${served || 'no ports'}.`
        : `Ingress ${name} routes ${b.backend.where} to Service ${svc}, and there is no Service of that name in namespace ${ns}.`,
      'The ingress controller has nowhere to send those requests, so visitors get an error page (503 or 404) for that path.',
      `${mean} Correct the backend in the Ingress${b.service ? '' : ', or create the Service'}.`,
    ].join(' '),
    evidence,
    ...(b.service ? { objects: [refOf(b.service, 'Service')] } : {}),
  };
}

function plans({ lead: b }: CaseGroup<Broken>): FixPlan[] {
  const ref = refOf(b.ingress, 'Ingress');
  const ns = b.ingress.metadata.namespace;
  if (b.meant === undefined)
    return [
      manualPlan({
        id: 'correct-backend',
        title: `Point ${b.backend.where} at a Service and port that exist`,
        explanation: 'kcockpit sees no Service or port close to the one named, so which one is meant is yours to say.',
        commands: [`kubectl get services${nsFlag(ns)}`, `kubectl edit ingress ${b.ingress.metadata.name}${nsFlag(ns)}`],
      }),
    ];
  const field = b.service
    ? typeof b.meant === 'number'
      ? { path: `${b.backend.pointer}/port`, old: b.backend.service.port, value: { number: b.meant } }
      : { path: `${b.backend.pointer}/port`, old: b.backend.service.port, value: { name: b.meant } }
    : { path: `${b.backend.pointer}/name`, old: b.backend.service.name, value: b.meant };
  const ops: JsonPatchOp[] = [
    { op: 'test', path: field.path, value: field.old },
    { op: 'replace', path: field.path, value: field.value },
  ];
  return [
    {
      id: 'correct-backend',
      title: b.service
        ? `Send ${b.backend.where} to port ${String(b.meant)} of ${b.backend.service.name}`
        : `Send ${b.backend.where} to Service ${String(b.meant)}`,
      explanation: 'The test operation makes the patch fail, instead of overwriting, if the Ingress changed meanwhile.',
      commands: [jsonPatchCommand(ref, ops)],
      steps: [{ action: 'json-patch', ref, patch: ops, description: `Correct the backend of ${b.backend.where}.` }],
      mutates: true,
    },
  ];
}

export const rule = defineRule<Broken>({
  id: RULE_IDS.ingressBrokenBackend,
  title: 'Ingress backend Service or port missing',
  classify,
  explain,
  plans,
});
