// `Status` error bodies exactly as kube-apiserver writes them (see api-samples/status-*.json):
// the wording of each message is what kubectl prints after "Error from server (Reason):",
// and clients branch on reason/code, so they follow apimachinery's errors package.
import { qualifiedKind, qualifiedResource, type ResourceDef } from './resources.js';

export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { continue?: string };
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  /** Absent on the Success Status a delete answers with. */
  code?: number;
}

/** Thrown by handlers; the server turns it into the HTTP answer. */
export class ApiError extends Error {
  constructor(readonly status: StatusBody) {
    super(status.message ?? status.reason ?? 'error');
  }
}

function failure(code: number, reason: string, message: string, details?: StatusDetails): ApiError {
  // Key order matters to byte-for-byte comparisons with captured answers: code comes last.
  const body: StatusBody = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason };
  if (details) body.details = details;
  body.code = code;
  return new ApiError(body);
}

/** details in apimachinery's field order: name, group, kind. */
function resourceDetails(d: ResourceDef | undefined, name: string | undefined): StatusDetails {
  const details: StatusDetails = {};
  if (name) details.name = name;
  if (d?.group) details.group = d.group;
  if (d) details.kind = d.resource;
  return details;
}

export const unauthorized = (): ApiError => failure(401, 'Unauthorized', 'Unauthorized');

export interface ForbiddenAttrs {
  user: string;
  verb: string;
  /** Absent for non-resource paths (`/api`). */
  def?: ResourceDef;
  subresource?: string;
  namespace?: string;
  name?: string;
  path?: string;
}

export function forbidden(a: ForbiddenAttrs): ApiError {
  if (!a.def)
    return failure(403, 'Forbidden', `forbidden: User "${a.user}" cannot ${a.verb} path "${a.path ?? '/'}"`, {});
  const resource = a.subresource ? `${a.def.resource}/${a.subresource}` : a.def.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  const why = `User "${a.user}" cannot ${a.verb} resource "${resource}" in API group "${a.def.group}" ${scope}`;
  const subject = a.name ? `${qualifiedResource(a.def)} "${a.name}"` : qualifiedResource(a.def);
  return failure(403, 'Forbidden', `${subject} is forbidden: ${why}`, resourceDetails(a.def, a.name));
}

/** Admission refusals read like RBAC ones but carry the plugin's own reason. */
export function forbiddenBy(d: ResourceDef, name: string, why: string): ApiError {
  return failure(403, 'Forbidden', `${qualifiedResource(d)} "${name}" is forbidden: ${why}`, resourceDetails(d, name));
}

export const notFound = (d: ResourceDef, name: string): ApiError =>
  failure(404, 'NotFound', `${qualifiedResource(d)} "${name}" not found`, resourceDetails(d, name));

/** An unknown path under /api or /apis (e.g. a group the cluster does not serve). */
export const pathNotFound = (): ApiError =>
  failure(404, 'NotFound', 'the server could not find the requested resource', {});

export const alreadyExists = (d: ResourceDef, name: string): ApiError =>
  failure(409, 'AlreadyExists', `${qualifiedResource(d)} "${name}" already exists`, resourceDetails(d, name));

export const conflict = (d: ResourceDef, name: string): ApiError =>
  failure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(d)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    resourceDetails(d, name),
  );

export interface FieldError {
  type:
    | 'FieldValueRequired'
    | 'FieldValueInvalid'
    | 'FieldValueNotSupported'
    | 'FieldValueForbidden'
    | 'FieldValueDuplicate';
  field: string;
  /** The part after the field name: `Required value`, `Invalid value: "x": why`. */
  body: string;
}

export function invalid(d: ResourceDef, name: string, errors: FieldError[]): ApiError {
  const parts = errors.map((e) => `${e.field}: ${e.body}`);
  const aggregate = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  const details: StatusDetails = { name };
  if (d.group) details.group = d.group;
  details.kind = d.kind;
  details.causes = errors.map((e) => ({ reason: e.type, message: e.body, field: e.field }));
  return failure(422, 'Invalid', `${qualifiedKind(d)} "${name}" is invalid: ${aggregate}`, details);
}

/** What a JSON patch that cannot apply answers (a generic 422 without details). */
export const unprocessable = (message: string): ApiError => failure(422, 'Invalid', message, {});

export const badRequest = (message: string): ApiError => failure(400, 'BadRequest', message);

export const methodNotSupported = (d: ResourceDef, verb: string): ApiError =>
  failure(
    405,
    'MethodNotAllowed',
    `${verb} is not supported on resources of kind "${d.resource}"`,
    resourceDetails(d, undefined),
  );

export const unsupportedMediaType = (contentType: string): ApiError =>
  failure(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`,
    { causes: [{ reason: 'UnsupportedMediaType', message: contentType }] },
  );

export const expired = (message: string): ApiError => failure(410, 'Expired', message);

export const tooLargeResourceVersion = (requested: number, current: number): ApiError =>
  failure(504, 'Timeout', `Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });

/** 429 without retryAfterSeconds, as the eviction API answers a budget it may not break. */
export const tooManyRequests = (message: string, causes: StatusCause[]): ApiError =>
  failure(429, 'TooManyRequests', message, { causes });

export const internalError = (message: string): ApiError =>
  failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });

export function success(d: ResourceDef, name: string, uid: string | undefined): StatusBody {
  const details: StatusDetails = { name };
  if (d.group) details.group = d.group;
  details.kind = d.resource;
  if (uid) details.uid = uid;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}
