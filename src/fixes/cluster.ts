// The runner's way to the API server. Reads go through the connection (raw JSON); writes go
// through a tiny client-node API class built by `conn.api()`, so they share its agent and
// credentials, but send and receive plain JSON: the generated APIs' serializer would drop
// fields it does not know and choke on timestamps kept as strings (the wire form kcockpit
// holds objects in), which a rollback that puts an object back must preserve.
import { HttpMethod, type ApiType, type Configuration } from '@kubernetes/client-node';
import type { ObjectRef } from '../model/ref.js';
import type { KubeObject } from '../model/k8s.js';
import type { Connection } from '../kube/client.js';
import { KubeError } from '../kube/errors.js';

class JsonApi implements ApiType {
  constructor(private readonly config: Configuration) {}

  async send(
    method: HttpMethod,
    path: string,
    query: Record<string, string>,
    body: unknown,
    contentType: string,
    signal?: AbortSignal,
  ): Promise<{ status: number; text: string }> {
    const ctx = this.config.baseServer.makeRequestContext(path, method);
    for (const [k, v] of Object.entries(query)) ctx.setQueryParam(k, v);
    ctx.setHeaderParam('Accept', 'application/json');
    if (body !== undefined) {
      ctx.setHeaderParam('Content-Type', contentType);
      ctx.setBody(JSON.stringify(body));
    }
    if (signal) ctx.setSignal(signal);
    await this.config.authMethods.default?.applySecurityAuthentication(ctx);
    const res = await this.config.httpApi.send(ctx).toPromise();
    return { status: res.httpStatusCode, text: await res.body.text() };
  }
}

export const CONTENT = {
  json: 'application/json',
  jsonPatch: 'application/json-patch+json',
  mergePatch: 'application/merge-patch+json',
} as const;

export interface WriteRequest {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  contentType?: string;
  dryRun?: boolean;
  /** For error messages: `patch ServiceAccount observability/default`. */
  action: string;
}

export interface ResourceInfo {
  /** `/api/v1` or `/apis/apps/v1`. */
  base: string;
  plural: string;
  namespaced: boolean;
}

// ObjectRefs from rules often name only the kind: these are the kinds fixes touch.
const DEFAULT_API_VERSIONS: Record<string, string> = {
  Pod: 'v1',
  Secret: 'v1',
  ServiceAccount: 'v1',
  ConfigMap: 'v1',
  Service: 'v1',
  Namespace: 'v1',
  PersistentVolumeClaim: 'v1',
  PersistentVolume: 'v1',
  Node: 'v1',
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
  StorageClass: 'storage.k8s.io/v1',
  CustomResourceDefinition: 'apiextensions.k8s.io/v1',
  MutatingWebhookConfiguration: 'admissionregistration.k8s.io/v1',
  ValidatingWebhookConfiguration: 'admissionregistration.k8s.io/v1',
};

interface ApiResourceList {
  resources?: { name: string; kind: string; namespaced: boolean }[];
}

export class Cluster {
  private readonly api: JsonApi;
  private readonly discovery = new Map<string, Promise<ApiResourceList | undefined>>();

  constructor(
    readonly conn: Connection,
    private readonly signal?: AbortSignal,
  ) {
    this.api = conn.api(JsonApi);
  }

  apiVersionOf(ref: Pick<ObjectRef, 'kind' | 'apiVersion'>): string {
    const v = ref.apiVersion ?? DEFAULT_API_VERSIONS[ref.kind];
    if (!v)
      throw new KubeError(
        'invalid',
        `kcockpit does not know which API serves kind ${ref.kind}: give the object's apiVersion`,
      );
    return v;
  }

  /** Where a kind is served; undefined when the API server does not serve it (a CRD not installed yet). */
  async resource(ref: Pick<ObjectRef, 'kind' | 'apiVersion'>): Promise<ResourceInfo | undefined> {
    const apiVersion = this.apiVersionOf(ref);
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    let list = this.discovery.get(apiVersion);
    if (!list) {
      list = this.conn
        .getJson<ApiResourceList>(base, {}, this.reqOpts(`discover ${apiVersion}`))
        .catch((e: unknown) => {
          const err = KubeError.fromApi(e);
          if (err.kind === 'notfound') return undefined;
          this.discovery.delete(apiVersion);
          throw err;
        });
      this.discovery.set(apiVersion, list);
    }
    const found = (await list)?.resources?.find((r) => r.kind === ref.kind && !r.name.includes('/'));
    return found ? { base, plural: found.name, namespaced: found.namespaced } : undefined;
  }

  /** Forget what discovery said about an API version (after creating the CRDs that serve it). */
  forget(apiVersion: string): void {
    this.discovery.delete(apiVersion);
  }

  async requireResource(ref: Pick<ObjectRef, 'kind' | 'apiVersion'>): Promise<ResourceInfo> {
    const info = await this.resource(ref);
    if (!info)
      throw new KubeError(
        'notfound',
        `not found: the API server does not serve ${ref.kind} (${this.apiVersionOf(ref)}): is the CRD that defines it installed?`,
      );
    return info;
  }

  collectionPath(info: ResourceInfo, namespace: string | undefined): string {
    return info.namespaced
      ? `${info.base}/namespaces/${encodeURIComponent(namespace ?? 'default')}/${info.plural}`
      : `${info.base}/${info.plural}`;
  }

  async objectPath(ref: ObjectRef, subresource?: string): Promise<string> {
    const info = await this.requireResource(ref);
    return `${this.collectionPath(info, ref.namespace)}/${encodeURIComponent(ref.name)}${subresource ? `/${subresource}` : ''}`;
  }

  /** The object as stored, or undefined when it does not exist. */
  async read<T extends KubeObject = KubeObject>(ref: ObjectRef): Promise<T | undefined> {
    const path = await this.objectPath(ref);
    try {
      return await this.conn.getJson<T>(path, {}, this.reqOpts(`read ${ref.kind} ${ref.name}`));
    } catch (e) {
      const err = KubeError.fromApi(e);
      if (err.kind === 'notfound') return undefined;
      throw err;
    }
  }

  /** One write; resolves to the server's answer (the stored object, or a Status). Throws KubeError. */
  async write<T = KubeObject>(req: WriteRequest): Promise<T> {
    const query: Record<string, string> = { fieldManager: 'kcockpit' };
    if (req.dryRun) query['dryRun'] = 'All';
    let res: { status: number; text: string };
    try {
      res = await this.api.send(
        HttpMethod[req.method],
        req.path,
        query,
        req.body,
        req.contentType ?? CONTENT.json,
        this.signal,
      );
    } catch (e) {
      throw KubeError.fromApi(e, { server: this.conn.server, action: req.action });
    }
    if (res.status >= 400)
      throw KubeError.fromApi({ code: res.status, body: res.text }, { server: this.conn.server, action: req.action });
    try {
      return JSON.parse(res.text) as T;
    } catch {
      throw new KubeError(
        'server',
        `the API server sent an answer kcockpit could not read (not JSON) while trying to ${req.action}`,
      );
    }
  }

  private reqOpts(action: string): { action: string; signal?: AbortSignal } {
    return this.signal ? { action, signal: this.signal } : { action };
  }
}

/** A 409 Conflict, or the 422 the server answers when a patch's resourceVersion test fails: the object changed. */
export function isConflict(e: unknown): boolean {
  if (!(e instanceof KubeError)) return false;
  if (e.kind === 'conflict') return e.reason !== 'AlreadyExists';
  return e.kind === 'invalid' && /\/metadata\/resourceVersion/.test(e.message) && /test/i.test(e.message);
}

export function isAlreadyExists(e: unknown): boolean {
  return e instanceof KubeError && e.kind === 'conflict' && e.reason === 'AlreadyExists';
}

export function isNotFound(e: unknown): boolean {
  return e instanceof KubeError && e.kind === 'notfound';
}
