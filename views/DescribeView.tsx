// `d`: kubectl-describe-like text for the selected object, its events at the bottom. The
// object is read whole from the server when the view opens (ctx.fetched); until then, or
// without a server, the snapshot's copy is described. What kcockpit found about the object
// comes first, one line a finding, and `x` fixes the first.
import { resourceKey, resourceOfRef } from './data/resources.js';
import { KIND_VIEWS } from './kinds/index.js';
import { describeLines } from './render/describe.js';
import { SEVERITY_MARK } from './render/row.js';
import type { FetchedObject, TextViewDef, ViewContext } from './view-def.js';
import type { ObjectRef } from '../src/diagnose/types.js';

/** The fetched object when it is the subject's; a failed read is a one-line reason. */
export function fetchedFor(ctx: ViewContext, subject: ObjectRef): FetchedObject | undefined {
  return ctx.fetched?.subject === subject ? ctx.fetched : undefined;
}

/** The findings about the object, most telling first (the index's order), as a block above the describe text. */
function problemLines(ctx: ViewContext, subject: ObjectRef): string[] {
  const found = ctx.findings.about([subject]);
  if (found.length === 0) return [];
  return [
    'Problems found by kcockpit:',
    ...found.map((f) => `  ${SEVERITY_MARK[f.severity]} ${f.severity.padEnd(8)} ${f.title}`),
    `  x fixes the first; :findings shows each one's evidence and cause.`,
    '',
  ];
}

export const describeView: TextViewDef = {
  type: 'text',
  name: 'describe',
  keys: { fix: true },
  finding: (ctx, e) => (e.subject ? ctx.findings.about([e.subject])[0] : undefined),
  title: (_ctx, e) => (e.subject ? `describe ${e.subject.kind.toLowerCase()}/${e.subject.name}` : 'describe'),
  lines(ctx, e) {
    const ref = e.subject;
    if (!ref) return [];
    const fetched = fetchedFor(ctx, ref);
    const inSnapshot = ctx.snapshot.get(ref.kind, ref.namespace, ref.name) !== undefined;
    if (fetched?.state === 'loading' && !inSnapshot) return [`Reading ${ref.kind} ${ref.name}…`];
    if (fetched?.state === 'error' && !inSnapshot) return [fetched.message];
    const resource = resourceOfRef(ctx.snapshot.catalog, ref);
    const kind = resource ? KIND_VIEWS.get(resourceKey(resource)) : undefined;
    const lines = describeLines(ctx.snapshot, ref, ctx.now, {
      object: fetched?.state === 'ok' ? fetched.object : undefined,
      kindLines: kind?.describe,
    });
    return [...problemLines(ctx, ref), ...lines];
  },
};
