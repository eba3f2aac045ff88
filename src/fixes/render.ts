// How the runner shows objects: YAML as `kubectl get -o yaml` prints it, without the
// managedFields nobody reads, and with every Secret value hidden — a preview, a log line or
// an error message must never carry a credential.
import { stringify } from 'yaml';
import type { ObjectRef } from '../model/ref.js';
import type { KubeObject } from '../model/k8s.js';

const SECRET_KINDS = new Set(['Secret']);

/** The object without fields that only make a preview longer. */
export function forDisplay(obj: KubeObject): KubeObject {
  const { managedFields: _m, ...metadata } = obj.metadata ?? ({} as KubeObject['metadata']);
  return maskSecret({ ...obj, metadata });
}

/** A Secret's values replaced by a note of their size; other objects unchanged. */
export function maskSecret(obj: KubeObject): KubeObject {
  if (!SECRET_KINDS.has(obj.kind ?? '')) return obj;
  const s = obj as KubeObject & { data?: Record<string, unknown>; stringData?: Record<string, unknown> };
  const hide = (values: Record<string, unknown> | undefined, encoded: boolean): Record<string, string> | undefined => {
    if (!values) return undefined;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) {
      const bytes = typeof v === 'string' ? (encoded ? Buffer.from(v, 'base64').length : Buffer.byteLength(v)) : 0;
      out[k] = `<hidden: ${bytes} bytes>`;
    }
    return out;
  };
  const masked: KubeObject & { data?: unknown; stringData?: unknown } = { ...s };
  const data = hide(s.data, true);
  const stringData = hide(s.stringData, false);
  if (data) masked.data = data;
  if (stringData) masked.stringData = stringData;
  return masked;
}

export function toYaml(obj: unknown): string {
  return stringify(obj, { lineWidth: 0 });
}

/** `Secret observability/regcred`, `Namespace cert-manager`. */
export function refLabel(ref: Pick<ObjectRef, 'kind' | 'name' | 'namespace'>): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

export function refOfObject(obj: KubeObject): ObjectRef {
  const ref: ObjectRef = { kind: obj.kind ?? 'Unknown', name: obj.metadata?.name ?? '' };
  if (obj.metadata?.namespace) ref.namespace = obj.metadata.namespace;
  if (obj.apiVersion) ref.apiVersion = obj.apiVersion;
  return ref;
}
