// pods/create-container-config, explain: what is missing, where the pod refers to it, and
// whether anyone (the user, or cert-manager) is to create it.
import type { Pod } from '../../../src/model/k8s.js';
import type { Snapshot } from '../../../src/store/snapshot.js';
import type { Evidence, ObjectRef, RuleContext } from '../../../src/diagnose/types.js';
import type { ContainerGroup } from '../../../src/diagnose/container-rule.js';
import type { Explained } from '../../../src/diagnose/define-rule.js';
import { clip, eventsEvidence, fieldEvidence } from '../../../src/diagnose/evidence.js';
import { podsPhrase, waitingEvidence } from '../../../src/diagnose/pod-facts.js';
import { nsFlag } from '../../../src/diagnose/plans.js';
import type { ConfigRef } from '../lib/config-refs.js';
import { absenceIsKnown, keysOf, type CertManagerHint, type ConfigAnalysis, type Missing } from './classify.js';
import { RULE_IDS } from '../../../src/diagnose/rule-ids.js';

export function describeMissing(m: Missing): string {
  return m.key !== undefined ? `key ${m.key} of ${m.kind} ${m.name}` : `${m.kind} ${m.name}`;
}

function titleOf(a: ConfigAnalysis): string {
  const meant = a.meant ? ` (did you mean ${a.meant}?)` : '';
  return plainTitle(a) + meant;
}

function plainTitle(a: ConfigAnalysis): string {
  const c = a.site.name;
  const m = a.missing;
  const o = a.otherKind;
  if (m && o)
    return `${c} cannot start: it reads ${m.key !== undefined ? `key ${m.key} of ` : ''}${m.kind} ${m.name}, which is a ${o.kind}`;
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

export function refPhrase(r: ConfigRef): string {
  if (r.via === 'env') return `environment variable ${r.envName ?? '?'} (${r.path})`;
  if (r.via === 'envFrom') return `envFrom (${r.path})`;
  return `volume ${r.volume ?? '?'} (${r.path})`;
}

function certManagerText(h: CertManagerHint, m: Missing): string {
  const who = h.certificate
    ? `cert-manager is meant to create Secret ${m.name}: the Certificate ${h.certificate}${h.release ? ` in Helm release ${h.release}` : ''} writes it.`
    : `Secret ${m.name} looks like a TLS certificate that cert-manager would create.`;
  const state = h.groupMissing
    ? ` cert-manager is not installed (the cluster serves no cert-manager.io API), so nobody creates it; the finding of rule ${RULE_IDS.missingApiGroup} covers installing it, after which the Secret appears and the pod starts by itself.`
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
  const o = a.otherKind;
  if (m && o) {
    const field = (kind: string) =>
      a.refs.every((r) => r.via === 'envFrom')
        ? `${kind === 'Secret' ? 'secretRef' : 'configMapRef'}`
        : `${kind === 'Secret' ? 'secretKeyRef' : 'configMapKeyRef'}`;
    parts.push(
      `There is no ${m.kind} ${m.name}, but there is a ${o.kind} ${m.name}${o.keys ? ` (keys: ${o.keys.join(', ') || 'none'})` : ''}${o.witness ? ` — ${o.witness} needs it, and runs` : ''}: the reference says ${field(m.kind)} where it should say ${field(o.kind)}. Change the reference's kind (the fix does), or create the ${m.kind} if the value really is meant to be ${m.kind === 'Secret' ? 'secret' : 'plain configuration'}.`,
    );
  } else if (a.certManager && m) parts.push(certManagerText(a.certManager, m));
  else if (a.resolvedNow && m)
    parts.push(
      `${describeMissing(m)} exists now, so the kubelet picks it up at its next retry (within a minute or two); nothing else is needed.`,
    );
  else if (m) {
    const optional =
      a.variant !== 'missing-volume-source' ? ', or mark the reference optional if the app can run without it' : '';
    const create = m.key !== undefined ? `Add key ${m.key} to ${m.kind} ${m.name}` : `Create ${m.kind} ${m.name}`;
    if (a.meant)
      parts.push(
        `ConfigMap ${a.meant} exists, with the closest name: probably what was meant, so point the reference at it.`,
      );
    parts.push(
      `${a.meant ? `Otherwise create ${m.kind} ${m.name}` : create}${optional}; the kubelet retries on its own and the container starts once it is there.`,
    );
  }
  return parts.join(' ');
}

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
  const o = a.otherKind;
  if (o && m)
    ev.push({
      source: 'status',
      ref: { kind: o.kind, name: o.name, namespace: m.namespace },
      text: o.witness
        ? `exists: ${o.witness} needs it and runs`
        : `exists; keys: ${(o.keys ?? []).join(', ') || '(none)'}`,
    });
  const h = a.certManager;
  if (h?.groupMissing) ev.push({ source: 'discovery', text: 'API group cert-manager.io is not served' });
  if (h?.certificate)
    ev.push({
      source: 'helm',
      text: `Certificate ${h.certificate} (secretName: ${m!.name})${h.release ? ` in release ${h.release}` : ''}`,
    });
  return ev;
}

export function explainConfigError({ lead: a, pods }: ContainerGroup<ConfigAnalysis>, ctx: RuleContext): Explained {
  const explained: Explained = {
    severity: a.resolvedNow ? 'info' : 'critical',
    title: titleOf(a),
    explanation: explanationOf(ctx.snapshot, a, pods),
    evidence: evidenceOf(ctx.snapshot, a),
  };
  if (a.missing && !a.resolvedNow)
    explained.dependsOn = [{ kind: a.missing.kind, name: a.missing.name, namespace: a.missing.namespace }];
  return explained;
}
