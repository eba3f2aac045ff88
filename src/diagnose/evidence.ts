// Evidence builders shared by rules, so every rule quotes the cluster the same way: events
// with their reason, count and time, fields with their path, long text clipped.
import type { KubeEvent, KubeObject } from '../model/k8s.js';
import type { ObjectRef } from '../model/ref.js';
import { refOf, refKey } from '../model/selectors.js';
import { eventTime } from '../store/snapshot.js';
import type { Evidence } from './types.js';

export { refOf, refKey };

/** Evidence text is what the cluster wrote, but a megabyte-long message helps nobody. */
const MAX_EVIDENCE_CHARS = 2000;

/** The text cut at `max` characters, saying how much was cut. */
export function clip(text: string, max = MAX_EVIDENCE_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** One event as evidence: its message, reason, count and last time. */
export function eventEvidence(e: KubeEvent): Evidence {
  const ev: Evidence = { source: 'event', text: e.message ?? '', reason: e.reason ?? '' };
  if (e.involvedObject.name) {
    ev.ref = { kind: e.involvedObject.kind ?? 'Unknown', name: e.involvedObject.name };
    if (e.involvedObject.namespace) ev.ref.namespace = e.involvedObject.namespace;
  }
  const count = e.count ?? e.series?.count;
  if (count !== undefined) ev.count = count;
  const at = eventTime(e);
  if (at) ev.at = at;
  return ev;
}

/** Events as evidence, newest first, one per distinct message (the kubelet repeats itself), clipped. */
export function eventsEvidence(events: readonly KubeEvent[], limit = 5): Evidence[] {
  const seen = new Set<string>();
  const out: Evidence[] = [];
  for (const e of [...events].reverse()) {
    const text = e.message ?? '';
    if (seen.has(text)) continue;
    seen.add(text);
    const ev = eventEvidence(e);
    ev.text = clip(ev.text);
    out.push(ev);
    if (out.length >= limit) break;
  }
  return out;
}

/** A field of an object as evidence: `status` unless said otherwise. */
export function fieldEvidence(
  obj: KubeObject,
  path: string,
  text: string,
  source: 'status' | 'spec' = 'status',
): Evidence {
  return { source, ref: refOf(obj), path, text };
}

/** The list without repeats, keeping each line's first place (a lead line that also appears in its own group). */
export function uniqueEvidence(list: readonly Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const k = `${e.source}|${e.path ?? ''}|${e.ref ? refKey(e.ref) : ''}|${e.text}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** `<ruleId>:<namespace>/<Kind>/<name>[#detail]` — stable across runs for the same object and cause. */
export function findingId(ruleId: string, subject: ObjectRef, detail?: string): string {
  return `${ruleId}:${subject.namespace ?? ''}/${subject.kind}/${subject.name}${detail ? `#${detail}` : ''}`;
}

/** An object the way kubectl names it on the command line (`statefulset/elasticsearch-master`). */
export function kubectlName(ref: ObjectRef): string {
  return `${ref.kind.toLowerCase()}/${ref.name}`;
}
