// Any resource the server serves, read the way kubectl reads it: lists and watches in the
// server's Table form (so a CRD shows its additionalPrinterColumns and every kind its
// server-side columns), through the one list+watch loop; and one whole object by name, for
// YAML, describe and edit.
import type { ApiResourceInfo, KubeObject, TableRow } from '../model/k8s.js';
import { qualifiedName } from '../model/resource-catalog.js';
import type { Connection, Query } from './client.js';
import { ListWatch, tableListWatch, type ListWatchOptions, type TableForm } from './listwatch.js';
import { resourcePath } from './resources.js';

export interface ResourceTableOptions extends Omit<
  ListWatchOptions<TableRow>,
  'path' | 'resource' | 'query' | 'table' | 'transform' | 'watch'
> {
  resource: ApiResourceInfo;
  /** Namespace to list; undefined = all namespaces. Ignored for cluster-scoped resources. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** What each row carries (default: the object's metadata). */
  includeObject?: TableForm['includeObject'];
  /**
   * The plain list instead of a Table: rows of whole objects and no cells, no columns. For a
   * reader of the objects alone: 10,000 PodMetrics are 3.3 MB as a list, 16 MB as a Table of
   * whole objects.
   */
  objectsOnly?: boolean;
  onColumns: NonNullable<TableForm['onColumns']>;
}

/**
 * A list+watch of `resource` in Table form. Not started: call start(). A resource whose verbs
 * lack `watch` is polled from the start; one the user may list but not watch falls back to
 * polling; a 403 is the loop's `forbidden` state with the missing verb.
 */
export function watchResourceTable(opts: ResourceTableOptions): ListWatch<TableRow> {
  const { resource, namespace, labelSelector, fieldSelector, includeObject, objectsOnly, onColumns, ...rest } = opts;
  const query: Query = {};
  if (labelSelector) query['labelSelector'] = labelSelector;
  if (fieldSelector) query['fieldSelector'] = fieldSelector;
  const where = {
    ...rest,
    path: resourcePath(resource, namespace),
    resource: qualifiedName(resource),
    query,
    watch: resource.verbs === undefined || resource.verbs.includes('watch'),
  };
  if (objectsOnly) return new ListWatch<TableRow>({ ...where, transform: (object) => ({ cells: [], object }) });
  return tableListWatch({ ...where, table: { includeObject: includeObject ?? 'Metadata', onColumns } });
}

/**
 * One whole object, as `kubectl get -o yaml` shows it: everything but managedFields (kept are
 * the resourceVersion an edit needs, and the last-applied annotation). Throws KubeError.
 */
export async function getObject(
  conn: Connection,
  resource: ApiResourceInfo,
  namespace: string | undefined,
  name: string,
  opts: { signal?: AbortSignal } = {},
): Promise<KubeObject> {
  const obj = await conn.getJson<KubeObject>(
    resourcePath(resource, namespace, name),
    {},
    {
      action: `get ${qualifiedName(resource)} ${name}`,
      ...(opts.signal ? { signal: opts.signal } : {}),
    },
  );
  if (obj.metadata?.managedFields !== undefined) delete obj.metadata.managedFields;
  return obj;
}
