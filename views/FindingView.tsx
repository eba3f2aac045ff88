// enter on a finding: all of it, scrollable — what happened, the cause chain up to the
// root, every piece of evidence, every fix plan with its commands.
import { causeChain } from '../src/diagnose/engine.js';
import type { Finding } from '../src/diagnose/types.js';
import { findingPaneLines } from './render/finding-pane.js';
import { subjectName } from './render/findings.js';
import type { ViewEntry } from './state.js';
import type { TextViewDef, ViewContext } from './view-def.js';

function shown(ctx: ViewContext, e: ViewEntry): Finding | undefined {
  return e.findingId ? ctx.findings.get(e.findingId) : undefined;
}

export const findingView: TextViewDef = {
  type: 'text',
  name: 'finding',
  keys: { fix: true },
  title: (ctx, e) => {
    const f = shown(ctx, e);
    return f ? `finding › ${subjectName(f.subject, true)}` : 'finding';
  },
  lines(ctx, e) {
    const f = shown(ctx, e);
    if (!f)
      return ['This problem is no longer found in the cluster: it was fixed, or the objects it was about are gone.'];
    // No wrapping here: the view wraps to the terminal's width, keeping each line's indentation.
    return findingPaneLines(f, causeChain(f, ctx.findings.all), { width: Infinity, now: ctx.now }).map((l) => l.text);
  },
  finding: shown,
};
