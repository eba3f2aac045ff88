// labelSelector and fieldSelector query parameters, with the grammar and the per-resource
// selectable fields of the real API server (kubectl describe filters events by
// involvedObject.*; kubelets list pods by spec.nodeName; `kubectl get secrets
// --field-selector type=...`).
import type { KubeObject } from '../model/k8s.js';
import type { ResourceDef } from './resources.js';
import { badRequest } from './status.js';

export type Predicate = (obj: KubeObject) => boolean;

type LabelOp = 'in' | 'notin' | 'exists' | '!' | '=' | '!=' | 'gt' | 'lt';
interface LabelRequirement {
  key: string;
  op: LabelOp;
  values: string[];
}

/** Split on commas that are not inside `( )`. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function parseRequirement(text: string): LabelRequirement {
  const setMatch = /^([^\s!=<>()]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(text);
  if (setMatch) {
    const values = (setMatch[3] as string).split(',').map((v) => v.trim());
    return { key: setMatch[1] as string, op: setMatch[2] as 'in' | 'notin', values };
  }
  const opMatch = /^([^\s!=<>()]+)\s*(==|!=|=|>|<)\s*([^\s,()]*)$/.exec(text);
  if (opMatch) {
    const raw = opMatch[2] as string;
    const op: LabelOp = raw === '!=' ? '!=' : raw === '>' ? 'gt' : raw === '<' ? 'lt' : '=';
    return { key: opMatch[1] as string, op, values: [opMatch[3] as string] };
  }
  const existsMatch = /^(!?)\s*([^\s!=<>()]+)$/.exec(text);
  if (existsMatch) return { key: existsMatch[2] as string, op: existsMatch[1] ? '!' : 'exists', values: [] };
  throw badRequest(`unable to parse requirement: found '${text}', expected: identifier`);
}

function matchesRequirement(labels: Record<string, string>, r: LabelRequirement): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = labels[r.key] ?? '';
  switch (r.op) {
    case 'exists':
      return has;
    case '!':
      return !has;
    case '=':
    case 'in':
      return has && r.values.includes(value);
    case '!=':
    case 'notin':
      return !has || !r.values.includes(value);
    case 'gt':
      return has && Number(value) > Number(r.values[0]);
    case 'lt':
      return has && Number(value) < Number(r.values[0]);
  }
}

/** `app=db,tier in (a,b),!canary` → predicate over an object's labels. */
export function parseLabelSelector(text: string | null | undefined): Predicate | undefined {
  if (!text) return undefined;
  const reqs = splitTopLevel(text).map(parseRequirement);
  return (obj) => {
    const labels = obj.metadata.labels ?? {};
    return reqs.every((r) => matchesRequirement(labels, r));
  };
}

type FieldGetter = (obj: KubeObject) => string;

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const at = (obj: unknown, path: string[]): unknown =>
  path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
const path = (p: string): FieldGetter => {
  const parts = p.split('.');
  return (obj) => str(at(obj, parts));
};

const COMMON: Record<string, FieldGetter> = {
  'metadata.name': path('metadata.name'),
  'metadata.namespace': path('metadata.namespace'),
};

const FIELDS: Record<string, Record<string, FieldGetter>> = {
  pods: {
    'spec.nodeName': path('spec.nodeName'),
    'spec.restartPolicy': path('spec.restartPolicy'),
    'spec.schedulerName': path('spec.schedulerName'),
    'spec.serviceAccountName': path('spec.serviceAccountName'),
    'spec.hostNetwork': (o) => str(at(o, ['spec', 'hostNetwork']) ?? false),
    'status.phase': path('status.phase'),
    'status.podIP': path('status.podIP'),
    'status.nominatedNodeName': path('status.nominatedNodeName'),
  },
  events: {
    'involvedObject.kind': path('involvedObject.kind'),
    'involvedObject.namespace': path('involvedObject.namespace'),
    'involvedObject.name': path('involvedObject.name'),
    'involvedObject.uid': path('involvedObject.uid'),
    'involvedObject.apiVersion': path('involvedObject.apiVersion'),
    'involvedObject.resourceVersion': path('involvedObject.resourceVersion'),
    'involvedObject.fieldPath': path('involvedObject.fieldPath'),
    reason: path('reason'),
    reportingComponent: path('reportingComponent'),
    source: path('source.component'),
    type: path('type'),
  },
  secrets: { type: path('type') },
  nodes: { 'spec.unschedulable': (o) => str(at(o, ['spec', 'unschedulable']) ?? false) },
  namespaces: { 'status.phase': path('status.phase') },
  replicasets: { 'status.replicas': (o) => str(at(o, ['status', 'replicas']) ?? 0) },
  jobs: { 'status.successful': (o) => str(at(o, ['status', 'succeeded']) ?? 0) },
};

/** Split on unescaped commas, then each term on its operator; `\,` `\=` `\\` are escapes. */
function splitEscaped(text: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\\' && i + 1 < text.length) {
      cur += ch + text[++i];
    } else if (ch === sep) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

const unescape = (s: string): string => s.replace(/\\(.)/g, '$1');

export function parseFieldSelector(text: string | null | undefined, d: ResourceDef): Predicate | undefined {
  if (!text) return undefined;
  const known = d.group === '' ? { ...COMMON, ...(FIELDS[d.resource] ?? {}) } : COMMON;
  const terms = splitEscaped(text, ',')
    .filter((t) => t.trim().length > 0)
    .map((term) => {
      const m = /^((?:[^\\!=]|\\.)+?)\s*(==|!=|=)\s*(.*)$/.exec(term);
      if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
      const field = unescape((m[1] as string).trim());
      const getter = known[field];
      if (!getter) throw badRequest(`field label not supported: ${field}`);
      return { getter, negate: m[2] === '!=', value: unescape(m[3] as string) };
    });
  return (obj) => terms.every((t) => (t.getter(obj) === t.value) !== t.negate);
}

export function both(a: Predicate | undefined, b: Predicate | undefined): Predicate | undefined {
  if (a && b) return (o) => a(o) && b(o);
  return a ?? b;
}
