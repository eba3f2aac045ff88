// What to forward to, as typed: `pod/NAME`, `svc/NAME`, `deploy/NAME` (kubectl's spellings),
// or a bare NAME for a pod.
import type { ObjectRef } from '../model/ref.js';
import { ForwardError } from './errors.js';

const KINDS: Readonly<Record<string, 'Pod' | 'Service' | 'Deployment'>> = {
  pod: 'Pod',
  pods: 'Pod',
  po: 'Pod',
  svc: 'Service',
  service: 'Service',
  services: 'Service',
  deploy: 'Deployment',
  deployment: 'Deployment',
  deployments: 'Deployment',
  'deployment.apps': 'Deployment',
  'deployments.apps': 'Deployment',
};

const SHORT: Readonly<Record<string, string>> = { Pod: 'pod', Service: 'svc', Deployment: 'deploy' };

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export function parseTarget(text: string, namespace?: string): ObjectRef {
  const slash = text.indexOf('/');
  const type = slash < 0 ? 'pod' : text.slice(0, slash).toLowerCase();
  const name = slash < 0 ? text : text.slice(slash + 1);
  const kind = KINDS[type];
  if (!kind) {
    throw new ForwardError(
      'spec',
      `cannot port-forward to "${text}": give pod/NAME, svc/NAME or deploy/NAME (a Service or Deployment forward follows its pods)`,
    );
  }
  if (!NAME.test(name))
    throw new ForwardError(
      'spec',
      `"${name}" is not a valid ${kind} name: names are lower-case letters, digits, '-' and '.'`,
    );
  return namespace !== undefined ? { kind, name, namespace } : { kind, name };
}

/** `svc/jaeger-query`: the target as the user would type it. */
export function formatTarget(ref: ObjectRef): string {
  return `${SHORT[ref.kind] ?? ref.kind.toLowerCase()}/${ref.name}`;
}
