// How an object and a piece of evidence read as one line of text: the same words in the
// text report, the Markdown report, JUnit, `kcockpit fix` and the cockpit's finding pane.
import type { Evidence, ObjectRef } from '../diagnose/types.js';
import { humanAge } from './age.js';

/** `Pod observability/jaeger-query-5d8f`, `Node minikube`. */
export function refText(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** `event FailedScheduling ×12 2m ago on Pod observability/es-1: 0/1 nodes are available…` */
export function evidenceText(e: Evidence, now: number): string {
  const where = e.ref ? refText(e.ref) : '';
  const parts: string[] = [];
  switch (e.source) {
    case 'event':
      parts.push(`event ${e.reason ?? ''}`.trim());
      if (e.count !== undefined && e.count > 1) parts.push(`×${e.count}`);
      if (e.at) parts.push(`${humanAge(e.at, now)} ago`);
      break;
    case 'log':
      parts.push('log');
      break;
    default:
      parts.push(e.path ? `${e.source} ${e.path}` : e.source);
  }
  if (where) parts.push(`on ${where}`);
  return `${parts.join(' ')}: ${e.text}`;
}
