// Secrets are read without keeping any value. Pull secrets (type dockerconfigjson, selected
// by the server with a field selector, so no other Secret's data is ever fetched) are
// reduced to the registry hosts they hold credentials for; Helm release Secrets (label
// owner=helm) are decoded into HelmRelease, dropping the chart (each Secret carries the
// whole chart, templates included) and keeping values and manifest.
import { decodeReleaseSecret, type ReleaseSecret } from '../model/helm-codec.js';
import type { HelmRelease, KubeObject, ObjectMeta, SecretSummary } from '../model/k8s.js';
import type { Query } from './client.js';

export const PULL_SECRET_TYPE = 'kubernetes.io/dockerconfigjson';
export const PULL_SECRET_QUERY: Query = { fieldSelector: `type=${PULL_SECRET_TYPE}` };
export const HELM_RELEASE_QUERY: Query = { labelSelector: 'owner=helm' };
/** Each release Secret can be ~1 MB: small pages keep a list of them from piling up in memory. */
export const HELM_PAGE_SIZE = 20;

interface RawSecret extends KubeObject {
  type?: string;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

/**
 * Identity only: annotations are dropped too, because `kubectl apply` of a Secret stores
 * the whole Secret, values included, in an annotation.
 */
function identity(meta: ObjectMeta): ObjectMeta {
  const out: ObjectMeta = { name: meta.name };
  if (meta.namespace !== undefined) out.namespace = meta.namespace;
  if (meta.uid !== undefined) out.uid = meta.uid;
  if (meta.resourceVersion !== undefined) out.resourceVersion = meta.resourceVersion;
  if (meta.creationTimestamp !== undefined) out.creationTimestamp = meta.creationTimestamp;
  if (meta.labels !== undefined) out.labels = meta.labels;
  if (meta.ownerReferences !== undefined) out.ownerReferences = meta.ownerReferences;
  return out;
}

/** A pull Secret as kcockpit keeps it: name, type, key names and registry hosts, never a credential. */
export function summarizePullSecret(obj: KubeObject): SecretSummary {
  const secret = obj as RawSecret;
  const summary: SecretSummary = { apiVersion: 'v1', kind: 'Secret', metadata: identity(secret.metadata) };
  if (secret.type !== undefined) summary.type = secret.type;
  const data = secret.data ?? {};
  summary.keys = Object.keys(data);
  summary.registries = registriesOf(data['.dockerconfigjson']);
  return summary;
}

function registriesOf(encoded: string | undefined): string[] {
  if (!encoded) return [];
  try {
    const parsed = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as { auths?: unknown };
    return parsed.auths && typeof parsed.auths === 'object' ? Object.keys(parsed.auths) : [];
  } catch {
    // Not JSON: the Secret is broken, which rules report from its (empty) registries.
    return [];
  }
}

/** A Helm release Secret, decoded; `problem` instead of `release` when it cannot be read. */
export interface HelmSecretEntry extends KubeObject {
  release?: HelmRelease;
  problem?: string;
}

/** Decode a release Secret at once and keep only the release: the Secret's data is dropped here. */
export function decodeHelmSecret(obj: KubeObject): HelmSecretEntry {
  const entry: HelmSecretEntry = { apiVersion: 'v1', kind: 'Secret', metadata: identity(obj.metadata) };
  try {
    entry.release = decodeReleaseSecret(obj as ReleaseSecret);
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    entry.problem = `Helm release Secret ${obj.metadata.namespace ?? ''}/${obj.metadata.name} could not be decoded (${why}); it was skipped`;
  }
  return entry;
}

/** The releases of decoded entries, and a note for each one that was skipped. */
export function releasesOf(entries: Iterable<HelmSecretEntry>): { releases: HelmRelease[]; problems: string[] } {
  const releases: HelmRelease[] = [];
  const problems: string[] = [];
  for (const e of entries) {
    if (e.release) releases.push(e.release);
    else if (e.problem) problems.push(e.problem);
  }
  return { releases, problems };
}
