// `d`: kubectl-describe-like text for the selected object, its events at the bottom.
import { describeLines } from './render/describe.js';
import type { TextViewDef } from './view-def.js';

export const describeView: TextViewDef = {
  type: 'text',
  name: 'describe',
  title: (_ctx, e) => (e.subject ? `describe ${e.subject.kind.toLowerCase()}/${e.subject.name}` : 'describe'),
  lines: (ctx, e) => (e.subject ? describeLines(ctx.snapshot, e.subject, ctx.now) : []),
};
