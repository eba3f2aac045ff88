// pods/image-pull, explain: why the pull failed in words a learner follows, and the evidence,
// the event that names the cause first.
import { RULE_IDS } from '../../../src/diagnose/rule-ids.js';
import type { KubeObject, Pod } from '../../../src/model/k8s.js';
import type { Snapshot } from '../../../src/store/snapshot.js';
import type { Evidence, RuleContext } from '../../../src/diagnose/types.js';
import type { ContainerGroup } from '../../../src/diagnose/container-rule.js';
import type { Explained } from '../../../src/diagnose/define-rule.js';
import { clip, eventsEvidence, fieldEvidence } from '../../../src/diagnose/evidence.js';
import { podsPhrase, waitingEvidence } from '../../../src/diagnose/pod-facts.js';
import { findValues } from '../lib/helm-values.js';
import { registryLabel, type ImageRef } from '../lib/image-ref.js';
import type { PullAnalysis, PullMessageVariant, PullVariant } from './classify.js';

export function imageLabel(ref: ImageRef): string {
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
export function explainPull({ owner, lead: a, pods }: ContainerGroup<PullAnalysis>, ctx: RuleContext): Explained {
  const explained: Explained = {
    severity: 'critical',
    title: titleOf(a),
    explanation: explanationOf(ctx.snapshot, owner, a, pods),
    evidence: evidenceOf(ctx.snapshot, a),
  };
  // One registry's limit is one cause however many workloads it stops: the engine folds them.
  if (a.variant === 'rate-limit') explained.groupKey = `${RULE_IDS.imagePull}/rate-limit:${a.ref.registry}`;
  return explained;
}
