// The validation a real API server does that a client is likely to trip over: names,
// required pod fields, workload selectors, dockerconfigjson Secrets and the pod-update
// immutability rule. Messages are apimachinery's validation wording (422 Invalid causes).
import type { Container, KubeObject, LabelSelector, Pod } from '../model/k8s.js';
import { matchesSelector } from '../model/selectors.js';
import { crdErrors, type Crd } from './crds.js';
import type { FieldError } from './status.js';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

const required = (field: string): FieldError => ({ type: 'FieldValueRequired', field, body: 'Required value' });
const invalidValue = (field: string, value: string, why: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  body: `Invalid value: ${JSON.stringify(value)}: ${why}`,
});

function nameErrors(kind: string | undefined, name: string | undefined): FieldError[] {
  if (!name)
    return [
      { type: 'FieldValueRequired', field: 'metadata.name', body: 'Required value: name or generateName is required' },
    ];
  if (kind === 'Namespace')
    return DNS1123_LABEL.test(name) && name.length <= 63 ? [] : [invalidValue('metadata.name', name, LABEL_MSG)];
  if (kind === 'Service')
    return DNS1035_LABEL.test(name) && name.length <= 63 ? [] : [invalidValue('metadata.name', name, DNS1035_MSG)];
  if (name.length > 253) return [invalidValue('metadata.name', name, 'must be no more than 253 characters')];
  return DNS1123_SUBDOMAIN.test(name) ? [] : [invalidValue('metadata.name', name, SUBDOMAIN_MSG)];
}

function containerErrors(containers: Container[] | undefined, at: string): FieldError[] {
  if (!containers || containers.length === 0) return [required(at)];
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((c, i) => {
    const field = `${at}[${i}]`;
    if (!c.name) errors.push(required(`${field}.name`));
    else if (!DNS1123_LABEL.test(c.name)) errors.push(invalidValue(`${field}.name`, c.name, LABEL_MSG));
    else if (seen.has(c.name))
      errors.push({
        type: 'FieldValueDuplicate',
        field: `${field}.name`,
        body: `Duplicate value: ${JSON.stringify(c.name)}`,
      });
    if (c.name) seen.add(c.name);
    if (!c.image) errors.push(required(`${field}.image`));
  });
  return errors;
}

/** Go's %#v of a map[string]string, as the selector mismatch message prints it. */
const goMap = (m: Record<string, string>): string =>
  `map[string]string{${Object.keys(m)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(m[k])}`)
    .join(', ')}}`;

function workloadErrors(obj: KubeObject): FieldError[] {
  const spec = (
    obj as {
      spec?: {
        selector?: LabelSelector;
        template?: { metadata?: { labels?: Record<string, string> }; spec?: { containers?: Container[] } };
      };
    }
  ).spec;
  const errors: FieldError[] = [];
  if (obj.kind !== 'Job' && !spec?.selector) errors.push(required('spec.selector'));
  const labels = spec?.template?.metadata?.labels ?? {};
  if (spec?.selector && !matchesSelector(labels, spec.selector)) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.template.metadata.labels',
      body: `Invalid value: ${goMap(labels)}: \`selector\` does not match template \`labels\``,
    });
  }
  errors.push(...containerErrors(spec?.template?.spec?.containers, 'spec.template.spec.containers'));
  return errors;
}

function secretErrors(obj: KubeObject): FieldError[] {
  const s = obj as KubeObject & { type?: string; data?: Record<string, string> };
  if (s.type !== 'kubernetes.io/dockerconfigjson') return [];
  const raw = s.data?.['.dockerconfigjson'];
  if (raw === undefined) return [required('data[.dockerconfigjson]')];
  try {
    JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
    return [];
  } catch (e) {
    return [
      {
        type: 'FieldValueInvalid',
        field: 'data[.dockerconfigjson]',
        body: `Invalid value: "<secret contents redacted>": ${(e as Error).message}`,
      },
    ];
  }
}

/** Errors for an object about to be created (or replaced); empty when it is valid. */
export function validate(obj: KubeObject): FieldError[] {
  const errors = nameErrors(obj.kind, obj.metadata?.name);
  switch (obj.kind) {
    case 'Pod':
      errors.push(...containerErrors((obj as Pod).spec?.containers, 'spec.containers'));
      break;
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
    case 'DaemonSet':
    case 'Job':
      errors.push(...workloadErrors(obj));
      break;
    case 'Secret':
      errors.push(...secretErrors(obj));
      break;
    case 'CustomResourceDefinition':
      errors.push(...crdErrors(obj as Crd));
      break;
  }
  return errors;
}

const POD_UPDATE_FORBIDDEN =
  'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** A pod's spec is immutable apart from images, activeDeadlineSeconds and added tolerations. */
export function validatePodUpdate(prev: Pod, next: Pod): FieldError[] {
  const strip = (p: Pod): string => {
    const {
      tolerations: _t,
      activeDeadlineSeconds: _a,
      ...rest
    } = p.spec as Pod['spec'] & { activeDeadlineSeconds?: number };
    const noImages = (cs: Container[] | undefined) => cs?.map(({ image: _i, ...c }) => c);
    return JSON.stringify({
      ...rest,
      containers: noImages(rest.containers),
      initContainers: noImages(rest.initContainers),
    });
  };
  const prevTolerations = (prev.spec.tolerations ?? []).map((t) => JSON.stringify(t));
  const nextTolerations = new Set((next.spec.tolerations ?? []).map((t) => JSON.stringify(t)));
  const removedToleration = prevTolerations.some((t) => !nextTolerations.has(t));
  if (strip(prev) === strip(next) && !removedToleration) return [];
  return [{ type: 'FieldValueForbidden', field: 'spec', body: POD_UPDATE_FORBIDDEN }];
}
