// Where a pod takes ConfigMaps and Secrets from: env valueFrom, envFrom, and volumes
// (including projected volumes). Each reference carries its field path for evidence and
// a JSON pointer for patches, so a finding can say exactly which line of the spec needs it.
import type { Container, PodSpec } from '../../../src/model/k8s.js';

export type SourceKind = 'ConfigMap' | 'Secret';

export interface ConfigRef {
  kind: SourceKind;
  name: string;
  /** The key read (env valueFrom, volume items); undefined when the whole object is used. */
  key?: string;
  optional: boolean;
  via: 'env' | 'envFrom' | 'volume';
  /** `spec.containers[0].env[2].valueFrom.secretKeyRef` */
  path: string;
  /** JSON pointer of the same object under `base`, e.g. `/spec/template/spec/containers/0/env/2/valueFrom/secretKeyRef`. */
  pointer: string;
  envName?: string;
  volume?: string;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Whether containerRefs would give a reference to the Secret `name`, without building any:
 * asked of every running container of a namespace, most of which name no such Secret.
 */
export function mayNameSecret(container: Container, name: string): boolean {
  for (const raw of list(container.env))
    if (record(record(record(raw)?.valueFrom)?.secretKeyRef)?.name === name) return true;
  for (const raw of list(container.envFrom)) if (record(record(raw)?.secretRef)?.name === name) return true;
  return false;
}

/**
 * References in one container's env and envFrom. `path` and `pointer` address the container
 * (`spec.containers[0]`, `/spec/containers/0`).
 */
export function containerRefs(container: Container, path: string, pointer: string): ConfigRef[] {
  const refs: ConfigRef[] = [];
  list(container.env).forEach((raw, i) => {
    const env = record(raw);
    const from = record(env?.valueFrom);
    for (const [field, kind] of [
      ['configMapKeyRef', 'ConfigMap'],
      ['secretKeyRef', 'Secret'],
    ] as const) {
      const ref = record(from?.[field]);
      const name = str(ref?.name);
      if (!ref || !name) continue;
      const r: ConfigRef = {
        kind,
        name,
        optional: ref.optional === true,
        via: 'env',
        path: `${path}.env[${i}].valueFrom.${field}`,
        pointer: `${pointer}/env/${i}/valueFrom/${field}`,
      };
      const key = str(ref.key);
      if (key) r.key = key;
      const envName = str(env?.name);
      if (envName) r.envName = envName;
      refs.push(r);
    }
  });
  list(container.envFrom).forEach((raw, i) => {
    const entry = record(raw);
    for (const [field, kind] of [
      ['configMapRef', 'ConfigMap'],
      ['secretRef', 'Secret'],
    ] as const) {
      const ref = record(entry?.[field]);
      const name = str(ref?.name);
      if (!ref || !name) continue;
      refs.push({
        kind,
        name,
        optional: ref.optional === true,
        via: 'envFrom',
        path: `${path}.envFrom[${i}].${field}`,
        pointer: `${pointer}/envFrom/${i}/${field}`,
      });
    }
  });
  return refs;
}

function volumeSource(
  kind: SourceKind,
  source: Record<string, unknown>,
  base: Omit<ConfigRef, 'kind' | 'name' | 'optional'>,
): ConfigRef[] {
  const name = str(kind === 'Secret' ? (source.secretName ?? source.name) : source.name);
  if (!name) return [];
  const keys = list(source.items)
    .map((item) => str(record(item)?.key))
    .filter((k): k is string => !!k);
  const optional = source.optional === true;
  if (keys.length === 0) return [{ ...base, kind, name, optional }];
  return keys.map((key) => ({ ...base, kind, name, optional, key }));
}

/** References in the pod's volumes; `path`/`pointer` address the pod spec (`spec`, `/spec`). */
export function volumeRefs(spec: PodSpec, path = 'spec', pointer = '/spec'): ConfigRef[] {
  const refs: ConfigRef[] = [];
  list(spec.volumes).forEach((raw, i) => {
    const volume = record(raw);
    const volumeName = str(volume?.name);
    if (!volume || !volumeName) return;
    const at = (suffix: string, ptr: string): Omit<ConfigRef, 'kind' | 'name' | 'optional'> => ({
      via: 'volume',
      volume: volumeName,
      path: `${path}.volumes[${i}]${suffix}`,
      pointer: `${pointer}/volumes/${i}${ptr}`,
    });
    const cm = record(volume.configMap);
    if (cm) refs.push(...volumeSource('ConfigMap', cm, at('.configMap', '/configMap')));
    const secret = record(volume.secret);
    if (secret) refs.push(...volumeSource('Secret', secret, at('.secret', '/secret')));
    list(record(volume.projected)?.sources).forEach((rawSource, j) => {
      const source = record(rawSource);
      const pcm = record(source?.configMap);
      if (pcm)
        refs.push(
          ...volumeSource(
            'ConfigMap',
            pcm,
            at(`.projected.sources[${j}].configMap`, `/projected/sources/${j}/configMap`),
          ),
        );
      const ps = record(source?.secret);
      if (ps)
        refs.push(
          ...volumeSource('Secret', ps, at(`.projected.sources[${j}].secret`, `/projected/sources/${j}/secret`)),
        );
    });
  });
  return refs;
}

/** Whether two references point at the same thing in the same way (so a template's copy can be patched). */
export function sameRef(a: ConfigRef, b: ConfigRef): boolean {
  return (
    a.kind === b.kind &&
    a.name === b.name &&
    a.key === b.key &&
    a.via === b.via &&
    a.envName === b.envName &&
    a.volume === b.volume
  );
}
