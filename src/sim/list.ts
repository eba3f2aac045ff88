// Lists with selectors and paging. Continue tokens are the real server's
// (base64url of {"v":"meta.k8s.io/v1","rv":N,"start":"<key>\u0000"}); a token older than the
// compacted revision answers 410 Expired with a fresh token to continue inconsistently, as
// etcd-backed servers do. List bodies are built from each object's cached JSON.
import { apiVersionOf, type ResourceDef } from './resources.js';
import { both, parseFieldSelector, parseLabelSelector } from './selectors.js';
import type { Entry, SimState } from './state.js';
import { ApiError, badRequest } from './status.js';

export interface ListQuery {
  namespace?: string;
  labelSelector?: string | null;
  fieldSelector?: string | null;
  limit?: number;
  continue?: string | null;
}

export interface ListPage {
  entries: Entry[];
  resourceVersion: number;
  continue?: string;
  remainingItemCount?: number;
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

const INCONSISTENT_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

const encodeContinue = (rv: number, start: string): string =>
  Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64url');

function decodeContinue(token: string): ContinueToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('continue key is not valid: the token is not base64-encoded JSON');
  }
  const t = parsed as Partial<ContinueToken> | null;
  if (!t || t.v !== 'meta.k8s.io/v1' || typeof t.rv !== 'number' || typeof t.start !== 'string' || t.rv === 0) {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  return t as ContinueToken;
}

export function listPage(state: SimState, d: ResourceDef, q: ListQuery): ListPage {
  const filter = both(parseLabelSelector(q.labelSelector), parseFieldSelector(q.fieldSelector, d));
  // Keys in tokens are relative to the list's prefix: the name alone inside one namespace.
  const scoped = Boolean(q.namespace && d.namespaced);
  let rv = state.resourceVersion;
  let after: string | undefined;
  if (q.continue) {
    const token = decodeContinue(q.continue);
    if (token.rv !== -1 && token.rv < state.compactedRevision) {
      throw new ApiError({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: { continue: encodeContinue(-1, token.start) },
        status: 'Failure',
        message: INCONSISTENT_CONTINUE,
        reason: 'Expired',
        code: 410,
      });
    }
    if (token.rv !== -1) rv = token.rv;
    const start = token.start.replace(/\u0000$/, '');
    after = scoped ? `${q.namespace}/${start}` : start;
  }
  const { keys, from, to } = state.keyRange(d, q.namespace, after);
  const limit = q.limit && q.limit > 0 ? q.limit : Infinity;
  const entries: Entry[] = [];
  let i = from;
  for (; i < to && entries.length < limit; i++) {
    const e = state.entryAt(d, keys[i] as string) as Entry;
    if (!filter || filter(e.obj)) entries.push(e);
  }
  const page: ListPage = { entries, resourceVersion: rv };
  if (i < to && entries.length >= limit) {
    const last = entries[entries.length - 1] as Entry;
    page.continue = encodeContinue(rv, `${scoped ? last.obj.metadata.name : last.key}\u0000`);
    // Like etcd-backed servers: the count is only known when nothing is filtered out.
    if (!filter) page.remainingItemCount = to - i;
  }
  return page;
}

export function listMeta(page: ListPage): Record<string, unknown> {
  const meta: Record<string, unknown> = { resourceVersion: String(page.resourceVersion) };
  if (page.continue) meta['continue'] = page.continue;
  if (page.remainingItemCount !== undefined) meta['remainingItemCount'] = page.remainingItemCount;
  return meta;
}

/** `{"kind":"PodList",...,"items":[...]}` in chunks of about 64 KB. */
export function* listChunks(d: ResourceDef, page: ListPage): Generator<string> {
  yield `{"kind":"${d.kind}List","apiVersion":"${apiVersionOf(d)}","metadata":${JSON.stringify(listMeta(page))},"items":[`;
  let buf = '';
  let first = true;
  for (const e of page.entries) {
    buf += (first ? '' : ',') + e.itemJson();
    first = false;
    if (buf.length > 65_536) {
      yield buf;
      buf = '';
    }
  }
  yield `${buf}]}`;
}
