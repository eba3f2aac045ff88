// enter on a finding: all of it, scrollable — what happened, the cause chain up to the
// root, every piece of evidence, every fix plan with its commands.
import { causeChain } from '../src/diagnose/engine.js';
import { findingPaneLines } from './render/finding-pane.js';
import { subjectName } from './render/findings.js';
import type { TextViewDef } from './view-def.js';

export const findingView: TextViewDef = {
  type: 'text',
  title: (ctx, e) => {
    const f = e.findingId ? ctx.findings.get(e.findingId) : undefined;
    return f ? `finding › ${subjectName(f.subject, true)}` : 'finding';
  },
  lines(ctx, e) {
    const f = e.findingId ? ctx.findings.get(e.findingId) : undefined;
    if (!f)
      return ['This problem is no longer found in the cluster: it was fixed, or the objects it was about are gone.'];
    // No wrapping here: the view wraps to the terminal's width, keeping each line's indentation.
    return findingPaneLines(f, causeChain(f, ctx.findings.all), { width: Infinity, now: ctx.now }).map((l) => l.text);
  },
};
