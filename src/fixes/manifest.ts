// The objects of a manifest the user points to (a local file, or an URL such as cert-manager's
// release manifest): multi-document YAML, `kind: List` flattened, empty documents skipped.
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import type { FixPlan } from '../model/fix-plan.js';
import type { KubeObject } from '../model/k8s.js';

const FETCH_TIMEOUT_MS = 30_000;

export class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

async function readSource(source: string, signal?: AbortSignal): Promise<string> {
  if (!isUrl(source)) {
    try {
      return await readFile(source.replace(/^file:\/\//, ''), 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ManifestError(
        `cannot read the manifest ${source}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`,
      );
    }
  }
  const timeout = AbortSignal.timeout(FETCH_TIMEOUT_MS);
  try {
    const res = await fetch(source, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    if (!res.ok)
      throw new ManifestError(
        `cannot download the manifest ${source}: the server answered ${res.status} ${res.statusText}`,
      );
    return await res.text();
  } catch (e) {
    if (e instanceof ManifestError) throw e;
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const why = timeout.aborted
      ? 'no answer in 30s'
      : cause?.code
        ? `network error ${cause.code}`
        : (cause?.message ?? (e as Error).message);
    throw new ManifestError(
      `cannot download the manifest ${source} (${why}): check the network, or download it and point kcockpit to the file`,
    );
  }
}

function flatten(doc: unknown, out: KubeObject[]): void {
  if (doc === null || doc === undefined) return;
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new ManifestError('a document of the manifest is not a Kubernetes object');
  const obj = doc as KubeObject & { items?: unknown[] };
  if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
    for (const item of obj.items) flatten(item, out);
    return;
  }
  if (typeof obj.kind !== 'string' || typeof obj.apiVersion !== 'string' || typeof obj.metadata?.name !== 'string') {
    throw new ManifestError(
      `an object of the manifest has no ${typeof obj.kind !== 'string' ? 'kind' : typeof obj.apiVersion !== 'string' ? 'apiVersion' : 'metadata.name'}`,
    );
  }
  out.push(obj);
}

export function parseManifest(text: string, source: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0)
      throw new ManifestError(`the manifest ${source} is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
    try {
      flatten(doc.toJS(), out);
    } catch (e) {
      throw e instanceof ManifestError ? new ManifestError(`${e.message} (${source})`) : e;
    }
  }
  if (out.length === 0) throw new ManifestError(`the manifest ${source} holds no objects`);
  return out;
}

export async function loadManifest(source: string, signal?: AbortSignal): Promise<KubeObject[]> {
  return parseManifest(await readSource(source, signal), source);
}

/**
 * The plan with its manifest steps reading `source` instead: a copy the user downloaded, or
 * another release of it. Undefined when the plan applies no manifest.
 */
export function withManifestSource(plan: FixPlan, source: string): FixPlan | undefined {
  const old = plan.steps.flatMap((s) => (s.action === 'apply-manifest' ? [s.source] : []));
  if (old.length === 0) return undefined;
  const swap = (text: string): string => old.reduce((t, o) => t.split(o).join(source), text);
  return {
    ...plan,
    commands: plan.commands.map(swap),
    steps: plan.steps.map((s) => (s.action === 'apply-manifest' ? { ...s, source } : s)),
  };
}
