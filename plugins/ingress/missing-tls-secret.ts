// ingress/missing-tls-secret: an Ingress whose tls section names a Secret that does not exist
// in its namespace. The controller serves those hosts with its own self-signed default
// certificate, so browsers warn and clients refuse. Secrets are known by name only: enough.
import type { Ingress } from '../../src/model/k8s.js';
import type { FixPlan, RuleContext } from '../../src/diagnose/types.js';
import { defineRule, type Case, type CaseGroup, type Explained } from '../../src/diagnose/define-rule.js';
import { fieldEvidence, refOf } from '../../src/diagnose/evidence.js';
import { jsonPatchCommand, manualPlan, nsFlag } from '../../src/diagnose/plans.js';
import { nearestName } from '../../src/diagnose/nearest.js';
import { RULE_IDS } from '../../src/diagnose/rule-ids.js';

interface NoSecret extends Case {
  ingress: Ingress;
  index: number;
  secret: string;
  hosts: string[];
  meant: string | undefined;
}

function* classify(ctx: RuleContext): Iterable<NoSecret> {
  const { snapshot } = ctx;
  if (snapshot.forbidden.has('secrets')) return;
  for (const ingress of snapshot.ingresses) {
    const ns = ingress.metadata.namespace ?? '';
    const secrets = snapshot.inNamespace('Secret', ns).map((s) => s.metadata.name);
    const tls = Array.isArray(ingress.spec?.tls) ? ingress.spec.tls : [];
    for (const [index, t] of tls.entries()) {
      // Without a secretName the controller's default certificate is meant.
      if (!t?.secretName || secrets.includes(t.secretName)) continue;
      yield {
        subject: refOf(ingress, 'Ingress'),
        detail: t.secretName,
        ingress,
        index,
        secret: t.secretName,
        hosts: Array.isArray(t.hosts) ? t.hosts : [],
        meant: nearestName(t.secretName, secrets),
      };
    }
  }
}

function explain({ lead: n }: CaseGroup<NoSecret>): Explained {
  const name = n.ingress.metadata.name;
  const ns = n.ingress.metadata.namespace ?? '';
  const hosts = n.hosts.length ? n.hosts.join(', ') : 'its hosts';
  return {
    severity: 'warning',
    title: `Ingress ${name} uses TLS Secret ${n.secret}, which does not exist`,
    explanation: [
      `Ingress ${name} serves ${hosts} over HTTPS with the certificate in Secret ${n.secret}, and there is no Secret of that name in namespace ${ns}.`,
      'The ingress controller falls back to its own self-signed certificate, so browsers warn and API clients refuse the connection.',
      n.meant
        ? `Did you mean ${n.meant}? That Secret exists: correct secretName.`
        : 'Create the Secret from the certificate and key (or let cert-manager issue it).',
    ].join(' '),
    evidence: [fieldEvidence(n.ingress, `spec.tls[${n.index}].secretName`, n.secret, 'spec')],
  };
}

function plans({ lead: n }: CaseGroup<NoSecret>): FixPlan[] {
  const ns = n.ingress.metadata.namespace;
  const create = manualPlan({
    id: 'create-tls-secret',
    title: `Create TLS Secret ${n.secret}`,
    explanation: 'The certificate and key are yours; kcockpit never handles them.',
    commands: [`kubectl create secret tls ${n.secret}${nsFlag(ns)} --cert=<cert.pem> --key=<key.pem>`],
  });
  if (!n.meant) return [create];
  const ref = refOf(n.ingress, 'Ingress');
  const path = `/spec/tls/${n.index}/secretName`;
  const ops = [
    { op: 'test' as const, path, value: n.secret },
    { op: 'replace' as const, path, value: n.meant },
  ];
  return [
    {
      id: 'use-existing-secret',
      title: `Use the existing Secret ${n.meant}`,
      explanation: 'Only if that Secret holds the certificate for these hosts.',
      commands: [jsonPatchCommand(ref, ops)],
      steps: [{ action: 'json-patch', ref, patch: ops, description: `Set secretName to ${n.meant}.` }],
      mutates: true,
    },
    create,
  ];
}

export const rule = defineRule<NoSecret>({
  id: RULE_IDS.ingressMissingTlsSecret,
  title: 'Ingress TLS Secret missing',
  classify,
  explain,
  plans,
});
