// The finding pane's text: what happened, why (the cause chain up to the root), the
// evidence with where it was read, and the fix plans with the commands that do the same by
// hand. Pure: lines in, so the pane can cut them to its height and tests read them plainly.
import type { Finding } from '../../src/diagnose/types.js';
import { evidenceText } from '../../src/format/evidence.js';
import { subjectName } from './findings.js';
import { SEVERITY_MARK, type RowStyle } from './row.js';
import { wrapText } from './text.js';

export interface PaneLine {
  text: string;
  style?: RowStyle;
  bold?: boolean;
}

export interface PaneOptions {
  width: number;
  now: number;
  /** How the fix key is offered, e.g. `(x) fix` or why it is not available. */
  fixHint?: string;
}

function wrapped(text: string, width: number, indent: string, style?: RowStyle, bold?: boolean): PaneLine[] {
  return wrapText(text, Math.max(1, width - indent.length)).map((t) => ({
    text: indent + t,
    ...(style ? { style } : {}),
    ...(bold ? { bold } : {}),
  }));
}

/** `chain`: the findings this one is caused by, nearest first, ending at the root cause. */
export function findingPaneLines(f: Finding, chain: readonly Finding[], o: PaneOptions): PaneLine[] {
  const w = o.width;
  const lines: PaneLine[] = [
    ...wrapped(`${SEVERITY_MARK[f.severity]} ${f.severity}  ${f.title}`, w, '', f.severity, true),
    ...wrapped(`${subjectName(f.subject, true)} · ${f.ruleId}`, w, '', 'dim'),
    ...wrapped(f.explanation, w, ''),
  ];
  if (chain.length > 0) {
    lines.push({ text: 'Why: caused by', bold: true });
    chain.forEach((c, i) => {
      const root = i === chain.length - 1 ? ' (root cause)' : '';
      lines.push(
        ...wrapped(
          `← ${SEVERITY_MARK[c.severity]} ${subjectName(c.subject, true)}: ${c.title}${root}`,
          w,
          '  '.repeat(i + 1),
          c.severity,
        ),
      );
    });
  }
  if (f.evidence.length > 0) {
    lines.push({ text: 'Evidence', bold: true });
    for (const e of f.evidence) lines.push(...wrapped(`• ${evidenceText(e, o.now)}`, w, '  '));
  }
  if (f.fixes.length > 0) {
    lines.push({ text: 'Fix', bold: true });
    f.fixes.forEach((plan, i) => {
      lines.push(
        ...wrapped(`${i + 1}. ${plan.title}${plan.mutates ? '' : ' (information only)'}`, w, '  ', undefined, true),
      );
      lines.push(...wrapped(plan.explanation, w, '     ', 'dim'));
      for (const c of plan.commands) lines.push(...wrapped(`$ ${c}`, w, '     ', 'marked'));
    });
    if (o.fixHint) lines.push({ text: o.fixHint, style: 'dim' });
  }
  return lines;
}
