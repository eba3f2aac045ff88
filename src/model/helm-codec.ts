// Helm v3 release storage, as helm's pkg/storage/driver writes it: the release JSON is
// gzipped and base64-encoded into `data.release`; a Secret's data is base64 on the wire
// again, so a Secret read from the API is decoded twice. Releases written by old Helm
// versions are not gzipped, hence the magic-number check.
import { gunzipSync, gzipSync } from 'node:zlib';
import type { HelmRelease, KubeObject } from './k8s.js';

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];

/** The JSON helm stores (only the fields kcockpit reads or writes). */
export interface StoredRelease {
  name: string;
  namespace: string;
  version: number;
  info?: {
    status?: string;
    description?: string;
    first_deployed?: string;
    last_deployed?: string;
    notes?: string;
  };
  chart?: { metadata?: { name?: string; version?: string; appVersion?: string } };
  config?: Record<string, unknown>;
  manifest?: string;
}

export interface ReleaseSecret extends KubeObject {
  type?: string;
  data?: Record<string, string>;
}

export const HELM_SECRET_TYPE = 'helm.sh/release.v1';

/**
 * `data.release` (one base64 layer already removed by the caller, or not: see `fromWire`).
 * A payload that is not a release throws an error that describes it without quoting it:
 * JSON.parse's own message quotes the input, and garbage bytes must not reach a note.
 */
export function decodeReleasePayload(payload: string): StoredRelease {
  const bytes = Buffer.from(payload, 'base64');
  const isGzip = GZIP_MAGIC.every((b, i) => bytes[i] === b);
  let json: string;
  try {
    json = isGzip ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  } catch {
    throw new Error(`data.release starts like gzip but does not decompress (${bytes.length} bytes)`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error(`data.release is not a Helm release: ${bytes.length} bytes that are neither gzip nor JSON`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error('data.release is JSON but not a Helm release record');
  return parsed as StoredRelease;
}

export function encodeReleasePayload(release: StoredRelease): string {
  return gzipSync(Buffer.from(JSON.stringify(release), 'utf8')).toString('base64');
}

/** Decode a release Secret as the API returns it (Secret data base64 over helm's own base64). */
export function decodeReleaseSecret(secret: ReleaseSecret): HelmRelease {
  const wire = secret.data?.['release'];
  if (!wire)
    throw new Error(`Helm release Secret ${secret.metadata.namespace}/${secret.metadata.name} has no data.release`);
  const stored = decodeReleasePayload(Buffer.from(wire, 'base64').toString('utf8'));
  return toHelmRelease(stored, secret.metadata.name);
}

/** Decode a release ConfigMap (helm's configmap driver: one base64 layer fewer). */
export function decodeReleaseConfigMap(cm: KubeObject & { data?: Record<string, string> }): HelmRelease {
  const payload = cm.data?.['release'];
  if (!payload)
    throw new Error(`Helm release ConfigMap ${cm.metadata.namespace}/${cm.metadata.name} has no data.release`);
  return toHelmRelease(decodeReleasePayload(payload), cm.metadata.name);
}

export function toHelmRelease(stored: StoredRelease, storageSecret: string): HelmRelease {
  const meta = stored.chart?.metadata ?? {};
  const r: HelmRelease = {
    name: stored.name,
    namespace: stored.namespace,
    revision: stored.version,
    status: stored.info?.status ?? 'unknown',
    storageSecret,
  };
  if (stored.info?.description !== undefined) r.description = stored.info.description;
  if (stored.info?.first_deployed !== undefined) r.firstDeployed = stored.info.first_deployed;
  if (stored.info?.last_deployed !== undefined) r.lastDeployed = stored.info.last_deployed;
  if (meta.name !== undefined) r.chartName = meta.name;
  if (meta.version !== undefined) r.chartVersion = meta.version;
  if (meta.appVersion !== undefined) r.appVersion = meta.appVersion;
  if (stored.config !== undefined) r.values = stored.config;
  if (stored.manifest !== undefined) r.manifest = stored.manifest;
  return r;
}

/** Build the Secret helm would store for a release revision (used by the simulator and tests). */
export function encodeReleaseSecret(stored: StoredRelease, timestamps: { createdAt?: string } = {}): ReleaseSecret {
  const name = `sh.helm.release.v1.${stored.name}.v${stored.version}`;
  const labels: Record<string, string> = {
    owner: 'helm',
    name: stored.name,
    status: stored.info?.status ?? 'unknown',
    version: String(stored.version),
  };
  if (timestamps.createdAt) labels['createdAt'] = String(Math.floor(Date.parse(timestamps.createdAt) / 1000));
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: stored.namespace, labels },
    type: HELM_SECRET_TYPE,
    data: { release: Buffer.from(encodeReleasePayload(stored), 'utf8').toString('base64') },
  };
}
