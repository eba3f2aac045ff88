// A Helm release manifest read just enough to know what it creates: apiVersion, kind and
// metadata of each document, line by line (a full YAML parse of a megabyte of manifest per
// release per snapshot would cost more than the rest of the diagnosis). Only the few
// documents a rule needs more of are parsed with the yaml package.
import { parse as parseYaml } from 'yaml';
import type { HelmRelease } from '../../../src/model/k8s.js';

export interface ManifestDoc {
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
  /** helm's `# Source: chart/templates/x.yaml` comment. */
  source?: string;
  body: string;
}

const docsCache = new WeakMap<HelmRelease, ManifestDoc[]>();
const MAX_MANIFEST = 4 * 1024 * 1024;

function unquote(value: string): string {
  return value.trim().replace(/^(['"])(.*)\1$/, '$2');
}

/** apiVersion, kind and metadata name/namespace of every document, read line by line. */
export function manifestDocs(release: HelmRelease): ManifestDoc[] {
  const cached = docsCache.get(release);
  if (cached) return cached;
  const docs: ManifestDoc[] = [];
  const manifest = typeof release.manifest === 'string' ? release.manifest.slice(0, MAX_MANIFEST) : '';
  for (const body of manifest.split(/^---[ \t]*$/m)) {
    let apiVersion: string | undefined;
    let kind: string | undefined;
    let source: string | undefined;
    let name: string | undefined;
    let namespace: string | undefined;
    let metaIndent: number | undefined;
    let inMetadata = false;
    for (const line of body.split('\n')) {
      const src = /^# Source: (.+)$/.exec(line);
      if (src) source = src[1]!.trim();
      if (/^[A-Za-z]/.test(line)) {
        inMetadata = line.startsWith('metadata:');
        const top = /^(apiVersion|kind):\s*(\S.*)$/.exec(line);
        if (top?.[1] === 'apiVersion') apiVersion = unquote(top[2]!);
        if (top?.[1] === 'kind') kind = unquote(top[2]!);
        continue;
      }
      if (!inMetadata) continue;
      const child = /^( +)(name|namespace):\s*(\S.*)$/.exec(line);
      const indent = /^( +)\S/.exec(line)?.[1]!.length;
      if (indent !== undefined && metaIndent === undefined) metaIndent = indent;
      if (child && child[1]!.length === metaIndent) {
        if (child[2] === 'name') name ??= unquote(child[3]!);
        else namespace ??= unquote(child[3]!);
      }
    }
    if (apiVersion && kind) {
      const doc: ManifestDoc = { apiVersion, kind, body };
      if (name) doc.name = name;
      if (namespace) doc.namespace = namespace;
      if (source) doc.source = source;
      docs.push(doc);
    }
  }
  docsCache.set(release, docs);
  return docs;
}

/** `spec.secretName` of a cert-manager Certificate document, parsed only when needed. */
export function certificateSecret(doc: ManifestDoc): string | undefined {
  try {
    const parsed: unknown = parseYaml(doc.body);
    const secretName = (parsed as { spec?: { secretName?: unknown } } | null)?.spec?.secretName;
    return typeof secretName === 'string' ? secretName : undefined;
  } catch {
    return undefined;
  }
}
