// Objects as YAML, the way `kubectl get -o yaml` shows them (without managedFields, which
// kubectl hides too). Secret values are masked even though the store never holds them:
// the view must stay safe if that ever changes.
import { stringify } from 'yaml';
import type { HelmRelease, KubeObject } from '../../src/model/k8s.js';

export const MASK = '••••••••';

// kubectl's layout: list items flush with their key, long strings never folded.
const YAML_OPTIONS = { lineWidth: 0, indentSeq: false } as const;

/** Helm values often carry passwords; keys that look like credentials are masked. */
const SENSITIVE_KEY = /pass(word)?|secret|token|credential|private.?key|api.?key|auth/i;

function maskSensitive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSensitive);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        SENSITIVE_KEY.test(k) && (typeof v === 'string' || typeof v === 'number') ? MASK : maskSensitive(v),
      ]),
    );
  }
  return value;
}

function maskMap(map: unknown): unknown {
  return map && typeof map === 'object' ? Object.fromEntries(Object.keys(map).map((k) => [k, MASK])) : map;
}

export function objectYaml(obj: KubeObject, kind: string): string[] {
  const { managedFields: _managedFields, ...metadata } = obj.metadata;
  // List items come without apiVersion/kind; the kind is stamped back so the YAML reads as kubectl's.
  const shown: Record<string, unknown> = { apiVersion: obj.apiVersion, kind: obj.kind ?? kind, ...obj, metadata };
  if (kind === 'Secret') {
    if ('data' in shown) shown['data'] = maskMap(shown['data']);
    if ('stringData' in shown) shown['stringData'] = maskMap(shown['stringData']);
  }
  return stringify(shown, YAML_OPTIONS).trimEnd().split('\n');
}

/** A release record without its rendered manifest (long, and in the workloads' own YAML). */
export function releaseYaml(release: HelmRelease): string[] {
  const { manifest: _manifest, values, ...rest } = release;
  return stringify({ ...rest, values: maskSensitive(values ?? {}) }, YAML_OPTIONS)
    .trimEnd()
    .split('\n');
}
